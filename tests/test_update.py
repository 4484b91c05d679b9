"""``papers update``: a real git repository made in tmp_path is the upstream (file://)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run
from store.db import SAMPLE_DIR as SAMPLE
from store.db import Store
from store.update import UpdateError, run_update

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

# the bundled sample's days, laid out as the upstream lays them out
DAYS = {
    "2023-12-14": "paper_logs/2023/12/14.md",
    "2024-02-20": "paper_logs/2024/02/20.md",
    "2024-04-12": "paper_logs/2024/04/12.md",
    "2024-04-15": "paper_logs/2024/04/15.md",
    "2024-06-14": "paper_logs/2024/06/14.md",
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org",
         "-c", "commit.gpgsign=false", *args],
        check=True, capture_output=True, text=True).stdout


def add_day(repo: Path, date: str, text: str | None = None) -> None:
    path = repo / DAYS[date]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text is not None else (SAMPLE / f"{date}.md").read_text())


def commit(repo: Path, message: str = "day") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def upstream(tmp_path) -> Path:
    repo = tmp_path / "upstream-src"
    repo.mkdir()
    git(repo, "init", "-q")
    for date in ("2023-12-14", "2024-02-20", "2024-04-12"):
        add_day(repo, date)
    (repo / "README.md").write_text("# daily papers\n")
    commit(repo, "three days")
    return repo


def snapshot(home: Path) -> dict[str, bytes]:
    """Every file of the corpus and the reader state (not the clone, not lock files)."""
    out = {}
    for path in sorted(home.rglob("*")):
        rel = path.relative_to(home)
        if rel.parts[0] == "upstream" or path.name.endswith(".lock") or not path.is_file():
            continue
        out[str(rel)] = path.read_bytes()
    return out


def test_first_update_clones_and_imports(home, upstream, capsys):
    code, out, err = run(capsys, "update", "--source", upstream.as_uri())
    assert code == 0, err
    assert out.startswith(f"updated from {upstream.as_uri()}: 3 days added, 0 changed, ")
    assert out.rstrip().endswith("papers added") and "\n" not in out.rstrip()
    # piped: one plain line per phase, in order
    assert [ln.split(":")[0] for ln in err.splitlines()] == ["fetch", "parse", "save", "index"]
    assert (home / "upstream" / ".git").is_dir()
    assert not (home / "upstream" / ".git" / "hooks").exists()  # no templates copied
    assert int(git(home / "upstream", "rev-list", "--count", "HEAD")) == 1  # shallow
    store = Store.open(home, sample=False)
    assert [d.date for d in store.days()] == ["2024-04-12", "2024-02-20", "2023-12-14"]
    assert store.new_days() == []  # a first import brings nothing "new"


def test_next_update_imports_exactly_the_new_and_changed_days(home, upstream, capsys):
    store = Store.open(home, sample=False)
    first = run_update(store, str(upstream))
    assert first.cloned and first.imported.files_read == 3
    add_day(upstream, "2024-04-15")
    changed = (SAMPLE / "2023-12-14.md").read_text().replace("Vote: ", "Vote: 1", 1)
    add_day(upstream, "2023-12-14", changed)
    commit(upstream, "a new day and a changed one")

    report = run_update(Store.open(home, sample=False))  # the remembered source
    assert not report.cloned
    assert report.imported.files_read == 2 and report.imported.unchanged == 2
    assert report.days_added == ["2024-04-15"] and report.days_changed == ["2023-12-14"]
    assert report.head == git(upstream, "rev-parse", "HEAD").strip()

    code, out, _ = run(capsys, "update", "--quiet")
    assert (code, out) == (0, "")
    code, out, _ = run(capsys, "update")
    assert out == f"up to date with {upstream} (no new days)\n"


def test_days_new_lists_the_days_since_the_reader_last_ran(home, upstream, capsys):
    assert run(capsys, "update", "--source", str(upstream))[0] == 0
    Store.open(home, sample=False).mark_days_seen()  # what the reader does when it opens
    add_day(upstream, "2024-06-14")
    commit(upstream)
    code, out, _ = run(capsys, "update")
    assert code == 0 and out.startswith(f"updated from {upstream}: 1 day added, 0 changed")
    code, out, _ = run(capsys, "days", "--new")
    assert out.splitlines()[1:] == ["2024-06-14  30      30"]
    # a re-import of everything keeps the record (it is keyed by date, in the state file)
    assert run(capsys, "import", str(home / "upstream" / "paper_logs"))[0] == 0
    assert run(capsys, "days", "--new")[1].splitlines()[1:] == ["2024-06-14  30      30"]
    Store.open(home, sample=False).mark_days_seen()
    assert run(capsys, "days", "--new") == (0, "", "")


def _no_git_path(tmp_path: Path) -> str:
    empty = tmp_path / "no-git-here"
    empty.mkdir(exist_ok=True)
    return str(empty)


@pytest.mark.parametrize("failure", ["git missing", "network down", "no such repository",
                                     "not a digest repository", "fetch dies half-way"])
def test_a_failed_update_leaves_corpus_and_state_byte_identical(
        failure, home, upstream, tmp_path, capsys, monkeypatch):
    assert run(capsys, "update", "--source", str(upstream))[0] == 0
    store = Store.open(home, sample=False)
    store.set_read(store.day_ids("2024-02-20")[:2])  # some reader state to keep
    store.mark_days_seen()
    before = snapshot(home)
    assert "state.json" in before and "corpus.json" in before
    args = ["update"]
    if failure == "git missing":
        monkeypatch.setenv("PATH", _no_git_path(tmp_path))
        expected = "papers: git is not installed (papers update needs it): install git first\n"
    elif failure == "network down":
        args += ["--source", "https://127.0.0.1:9/daily_papers_ko"]
        expected = "papers: cannot fetch https://127.0.0.1:9/daily_papers_ko: unable to access"
    elif failure == "no such repository":
        args += ["--source", str(tmp_path / "gone")]
        expected = f"papers: no such repository: {tmp_path / 'gone'}\n"
    elif failure == "not a digest repository":
        other = tmp_path / "other"
        other.mkdir()
        git(other, "init", "-q")
        (other / "README.md").write_text("# something else\n")
        commit(other)
        args += ["--source", str(other)]
        expected = (f"papers: not a digest repository: {other.as_uri()} "
                    "has no paper_logs/ folder\n")
    else:  # the upstream gains a day whose object is damaged: the transfer fails mid-pack
        add_day(upstream, "2024-06-14")
        commit(upstream)
        blob = git(upstream, "rev-parse", f"HEAD:{DAYS['2024-06-14']}").strip()
        obj = upstream / ".git" / "objects" / blob[:2] / blob[2:]
        obj.chmod(0o644)
        obj.write_bytes(b"damaged")
        expected = f"papers: cannot fetch {upstream.as_uri()}: "
    code, out, err = run(capsys, *args)
    assert code == 1 and out == ""
    line = [ln for ln in err.splitlines() if ln.startswith("papers:")]
    assert len(line) == 1 and (line[0] + "\n").startswith(expected), err
    assert "Traceback" not in err
    assert snapshot(home) == before
    if failure != "git missing":  # the clone was not moved: still the first commit
        assert (home / "upstream" / DAYS["2024-06-14"]).exists() is False


def test_first_clone_of_something_else_keeps_nothing(home, tmp_path, capsys):
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    (other / "README.md").write_text("# something else\n")
    commit(other)
    code, _, err = run(capsys, "update", "--source", str(other))
    assert code == 1 and err.splitlines()[-1] == (
        f"papers: not a digest repository: {other.as_uri()} has no paper_logs/ folder")
    assert not (home / "upstream").exists() and not (home / "upstream.json").exists()
    assert not (home / "corpus.json").exists()


def test_links_fifos_and_oversized_files_are_refused(home, upstream, tmp_path):
    outside = tmp_path / "outside"
    (outside / "month").mkdir(parents=True)
    (outside / "day.md").write_text((SAMPLE / "2024-04-15.md").read_text())
    (outside / "month" / "01.md").write_text((SAMPLE / "2024-06-14.md").read_text())
    logs = upstream / "paper_logs"
    (logs / "2024" / "05").mkdir(parents=True)
    os.symlink(outside / "day.md", logs / "2024" / "05" / "01.md")  # a file outside
    os.symlink(outside / "month", logs / "2024" / "06")  # a folder outside
    big = (SAMPLE / "2024-06-14.md").read_text()
    (logs / "2024" / "05" / "02.md").write_text(big)
    commit(upstream, "hostile")
    limit = len(big.encode()) - 1  # the sample day files are all smaller than this one
    assert max((SAMPLE / f"{d}.md").stat().st_size for d in
               ("2023-12-14", "2024-02-20", "2024-04-12")) <= limit

    store = Store.open(home, sample=False)
    report = run_update(store, str(upstream), max_file_bytes=limit)
    assert report.days_added == ["2023-12-14", "2024-02-20", "2024-04-12"]
    refused = sorted(report.refused)
    assert refused[0] == "paper_logs/2024/05/01.md: a symbolic link (not followed)"
    assert refused[1].startswith("paper_logs/2024/05/02.md: ")
    assert refused[1].endswith("-byte limit for a day file")
    assert refused[2] == "paper_logs/2024/06: a symbolic link (not followed)"

    fifo = home / "upstream" / "paper_logs" / "2024" / "05" / "03.md"
    os.mkfifo(fifo)  # not something git can carry: planted in the clone
    report = run_update(Store.open(home, sample=False), max_file_bytes=limit)
    assert "paper_logs/2024/05/03.md: not a regular file" in report.refused
    assert sorted(Store.open(home, sample=False).corpus.days) == [
        "2023-12-14", "2024-02-20", "2024-04-12"]


def test_git_runs_with_no_hooks_and_no_inherited_git_environment(monkeypatch, tmp_path):
    from store.update import SAFE_CONFIG, git_env

    monkeypatch.setenv("GIT_DIR", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", "'core.hooksPath'='/tmp'")
    env = git_env()
    assert "GIT_DIR" not in env and "GIT_CONFIG_PARAMETERS" not in env
    assert env["GIT_TERMINAL_PROMPT"] == "0" and env["GIT_CONFIG_NOSYSTEM"] == "1"
    assert "core.hooksPath=/dev/null" in SAFE_CONFIG and "protocol.allow=never" in SAFE_CONFIG


def test_update_error_is_a_store_error():
    from store.storage import StoreError

    assert issubclass(UpdateError, StoreError)


def test_a_relative_source_is_remembered_as_an_absolute_path(home, upstream, tmp_path,
                                                             capsys, monkeypatch):
    monkeypatch.chdir(upstream.parent)
    assert run(capsys, "update", "--source", upstream.name)[0] == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert run(capsys, "update") == (0, f"up to date with {upstream} (no new days)\n",
                                     ("fetch: fetching the digest repository\n"
                                      "parse: reading day files (3 files)\n"))


def test_no_filter_or_hook_runs_whatever_the_repository_or_the_machine_configures(
        home, upstream, tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in ("post-checkout", "post-merge", "reference-transaction"):
        (hooks / name).write_text(f"#!/bin/sh\necho {name} >> '{marker}'\n")
        (hooks / name).chmod(0o755)
    (upstream / ".gitattributes").write_text("*.md filter=evil\n")
    commit(upstream, "attributes")
    fake_home = tmp_path / "fake-home"
    fake_home.mkdir()
    (fake_home / ".gitconfig").write_text(
        f"[filter \"evil\"]\n\tsmudge = sh -c 'echo smudge >> {marker}; cat'\n"
        f"[core]\n\thooksPath = {hooks}\n")


    def hostile_update(source=None):
        with monkeypatch.context() as env:  # only around the update: not the test's git
            env.setenv("HOME", str(fake_home))
            env.setenv("GIT_CONFIG_PARAMETERS", f"'core.hooksPath'='{hooks}'")
            return run_update(Store.open(home, sample=False), source)

    assert hostile_update(str(upstream)).days_added  # the clone
    add_day(upstream, "2024-04-15")
    commit(upstream)
    assert hostile_update().days_added == ["2024-04-15"]  # a fetch
    assert not marker.exists(), marker.read_text()


def test_an_update_killed_mid_way_is_finished_by_the_next(home, upstream):
    run_update(Store.open(home, sample=False), str(upstream))
    (home / "upstream" / ".git" / "index.lock").write_text("")  # a git killed mid-checkout
    (home / ".upstream.new").mkdir()  # a first clone killed mid-way
    add_day(upstream, "2024-04-15")
    commit(upstream)
    assert run_update(Store.open(home, sample=False)).days_added == ["2024-04-15"]
    assert not (home / ".upstream.new").exists()


def test_json_report_and_json_progress_for_a_program(home, upstream, capsys):
    """What the reader's R reads from its child: one JSON object a line on stderr as each
    phase begins, and the report as JSON on stdout (refused files in it, not on stderr)."""
    import json

    (upstream / "paper_logs" / "2024" / "big.md").write_bytes(b"x" * 200)
    os.symlink("/etc/passwd", upstream / "paper_logs" / "2024" / "link.md")
    commit(upstream, "a link")
    code, out, err = run(capsys, "update", "--source", str(upstream), "--json",
                         "--progress", "json")
    assert code == 0, err
    assert [json.loads(ln) for ln in err.splitlines()] == [
        {"phase": "fetch", "total": None}, {"phase": "parse", "total": 4},
        {"phase": "save", "total": None}, {"phase": "index", "total": None}]
    report = json.loads(out)
    assert report["days_added"] == ["2023-12-14", "2024-02-20", "2024-04-12"]
    assert report["days_changed"] == [] and report["cloned"] is True
    assert report["refused"] == ["paper_logs/2024/link.md: a symbolic link (not followed)"]
    assert report["skipped"] and "big.md" in report["skipped"][0]
    assert report["head"] == git(upstream, "rev-parse", "HEAD").strip()
    assert report["summary"].startswith(f"updated from {upstream}: 3 days added, 0 changed, ")
    assert report["papers_added"] == len(Store.open(home, sample=False).ids())

    code, out, err = run(capsys, "update", "--json", "--progress", "json", "--quiet")
    assert (code, err) == (0, "")  # quiet: no progress
    assert json.loads(out)["summary"] == f"up to date with {upstream} (no new days)"
