"""``R`` runs ``papers update`` in a child process: what the reader shows while it runs,
when it ends and when it fails, the reader answering keys meanwhile, and quitting while
it runs.  The child is the real CLI against a local git repository; it is slowed by a
``git`` on PATH that waits for a gate file (a slow network), or by a hook that holds one
phase open."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from store.db import SAMPLE_DIR, Store
from store.update import run_update
from test_app_update import NEW_DAY, OLD_DAYS, SIZE, _upstream, has_day, main, wait_for
from tui.app import PapersApp

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
REAL_GIT = shutil.which("git")
DONE = "1 day added, 0 changed, 30 papers added"


def subtitle(app) -> str:
    return str(main(app).day_list.border_subtitle)


@pytest.fixture
def updatable(home, tmp_path) -> Path:
    """A data directory cloned from a local upstream of four days; the upstream has
    gained a fifth (what the next update brings).  The upstream's path."""
    repo = _upstream(tmp_path, OLD_DAYS)
    run_update(Store.open(home, sample=False), str(repo))
    _upstream(tmp_path, [NEW_DAY])
    return repo


@pytest.fixture
def slow_git(tmp_path, monkeypatch) -> Path:
    """A ``git`` first on PATH that logs each call, notes its caller (the update's
    process), and waits until the gate file exists.  The gate's path."""
    bin_dir, gate = tmp_path / "slow-bin", tmp_path / "gate"
    bin_dir.mkdir()
    script = bin_dir / "git"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$PPID $*" >> "{tmp_path / "git-calls"}"\n'
        f'while [ ! -e "{gate}" ]; do sleep 0.02; done\n'
        f'exec "{REAL_GIT}" "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return gate


def git_calls(tmp_path) -> list[tuple[int, str]]:
    path = tmp_path / "git-calls"
    if not path.exists():
        return []
    return [(int(pid), what) for pid, what in
            (line.split(" ", 1) for line in path.read_text().splitlines())]


def data_files(home: Path) -> dict[str, bytes]:
    """Every file of the corpus, index and related lists (not the clone, not the reader's
    own state, which it writes as it quits, not lock files)."""
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*"))
            if p.is_file() and p.relative_to(home).parts[0] != "upstream"
            and not p.name.startswith("state.json") and not p.name.endswith(".lock")}


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


async def test_R_shows_the_phase_answers_keys_meanwhile_and_says_what_it_brought(
        updatable, home, tmp_path, slow_git, screen_text):
    app = PapersApp(Store.open(home, sample=False))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = main(app)
        first = screen.paper_list.current.id
        await pilot.press("R")
        assert await wait_for(pilot, lambda: git_calls(tmp_path))  # the child is fetching
        assert "updating: fetching…" in screen_text(app)
        assert "Updating the digests…" in screen_text(app)
        (child, call), = git_calls(tmp_path)
        assert " fetch " in call and child != os.getpid()  # not the reader's process
        await pilot.press("j")  # the reader answers while the update runs
        await pilot.pause(0.12)
        assert screen.paper_list.current.id != first
        second = screen.paper_list.current.id
        assert await wait_for(pilot, lambda: f"arXiv {second}" in screen_text(app))
        assert "updating: fetching…" in screen_text(app)  # and the update still runs
        await pilot.press("R")  # a second R starts nothing
        assert await wait_for(pilot, lambda: "An update is already running." in screen_text(app))
        await pilot.pause(0.3)
        assert len(git_calls(tmp_path)) == 1
        slow_git.touch()  # the network answers
        assert await wait_for(pilot, lambda: DONE in screen_text(app))
        assert await wait_for(pilot, lambda: has_day(app, NEW_DAY))
        assert "updating:" not in screen_text(app) and subtitle(app) == ""
        assert "│2024-06-14 new    30/30│" in screen_text(app)  # what's new, marked
        assert screen.paper_list.current.id == second  # the cursor stayed
        assert gone(child)
        assert {pid for pid, _ in git_calls(tmp_path)} == {child}  # one update, one process


HOLD = '''
import os, time
phase, gate = os.environ["PAPERS_TEST_HOLD"].split(":", 1)
import tui.progress as progress
made = progress._json
def _json(stream):
    callback = made(stream)
    def held(name, done, total):
        callback(name, done, total)
        if name == phase:
            while not os.path.exists(gate):
                time.sleep(0.02)
    return held
progress._json = _json
'''


@pytest.fixture
def hold_phase(tmp_path, monkeypatch):
    """Hold the update's child just after it says a phase has begun (a hook run at its
    start), until the returned gate file exists."""
    hook, gate = tmp_path / "hook", tmp_path / "phase-gate"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HOLD)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(hook)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])))

    def hold(phase: str) -> Path:
        monkeypatch.setenv("PAPERS_TEST_HOLD", f"{phase}:{gate}")
        return gate

    return hold


async def test_R_shows_each_phase_the_update_process_reports(updatable, home, hold_phase,
                                                             screen_text):
    gate = hold_phase("index")
    app = PapersApp(Store.open(home, sample=False))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("R")
        assert await wait_for(pilot, lambda: "updating: indexing…" in screen_text(app))
        await pilot.pause(0.2)
        assert DONE not in screen_text(app)  # still running: no result yet
        assert "updating: indexing…" in screen_text(app)
        gate.touch()
        assert await wait_for(pilot, lambda: DONE in screen_text(app))
        assert "updating:" not in screen_text(app)


async def test_quitting_while_R_runs_interrupts_the_update_and_leaves_the_data_whole(
        updatable, home, tmp_path, slow_git):
    corpus = data_files(home)
    app = PapersApp(Store.open(home, sample=False))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("R")
        assert await wait_for(pilot, lambda: git_calls(tmp_path))
        (child, _), = git_calls(tmp_path)
        assert not gone(child)
        await pilot.press("q")  # quit while the update waits on the network
    assert gone(child)  # interrupted, and waited for
    slow_git.touch()
    assert data_files(home) == corpus  # nothing half-written: the corpus as it was
    assert not list(home.rglob("*.tmp"))
    assert not (home / ".upstream.new").exists()
    # the next update brings what the interrupted one would have
    argv = [sys.executable, "-m", "tui.cli", "update", "--home", str(home)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120,  # noqa: ASYNC221
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert DONE in proc.stdout


async def test_R_without_git_says_so_in_one_line(four_days, home, tmp_path, monkeypatch,
                                                 screen_text):
    (home / "upstream.json").write_text(json.dumps({"source": str(SAMPLE_DIR)}))
    empty = tmp_path / "no-git"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    app = PapersApp(Store.open(home, sample=False))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("R")
        assert await wait_for(pilot, lambda: "Update failed" in screen_text(app))
        assert [n.message for n in app._notifications][-1] == (
            "Update failed: git is not installed (papers update needs it): install git first")
        assert "Traceback" not in screen_text(app) and subtitle(app) == ""


def _commit_all(repo) -> None:
    """``repo`` made a git repository with everything in it committed."""
    subprocess.run(["git", "-C", str(repo), "init", "-q"], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                    "-c", "commit.gpgsign=false", "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                    "-c", "commit.gpgsign=false", "commit", "-q", "-m", "x"], check=True)


async def test_R_on_a_repository_without_day_files_says_so(four_days, home, tmp_path,
                                                           screen_text):
    repo = tmp_path / "not-digests"
    repo.mkdir()
    (repo / "README.md").write_text("# something else\n")
    _commit_all(repo)
    (home / "upstream.json").write_text(json.dumps({"source": str(repo)}))
    app = PapersApp(Store.open(home, sample=False))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("R")
        assert await wait_for(pilot, lambda: "Update failed" in screen_text(app))
        assert [n.message for n in app._notifications][-1] == (
            f"Update failed: not a digest repository: {repo.as_uri()} has no paper_logs/ "
            "folder")


async def test_an_update_process_killed_mid_way_is_one_line_too(updatable, home, tmp_path,
                                                                monkeypatch, screen_text):
    """The update's process dies (the kernel's OOM killer, say): one line, the reader
    keeps working, and R works again."""
    bin_dir = tmp_path / "killer-bin"
    bin_dir.mkdir()
    script = bin_dir / "git"
    script.write_text('#!/bin/sh\nkill -KILL "$PPID"\nexit 1\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    app = PapersApp(Store.open(home, sample=False))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("R")
        assert await wait_for(pilot, lambda: "Update failed" in screen_text(app))
        assert [n.message for n in app._notifications][-1] == (
            "Update failed: the update process was killed (SIGKILL)")
        monkeypatch.setenv("PATH", os.environ["PATH"].split(os.pathsep, 1)[1])
        await pilot.press("R")
        assert await wait_for(pilot, lambda: DONE in screen_text(app))


@pytest.fixture
def four_days(home) -> Store:
    store = Store.open(home, sample=False)
    store.import_paths([SAMPLE_DIR / f"{d}.md" for d in OLD_DAYS])
    return store


async def test_R_runs_the_readers_own_code_whatever_the_working_directory_holds(
        updatable, home, tmp_path, monkeypatch, screen_text):
    """A reader started in a folder that has a ``tui`` package of its own (another
    project's checkout): the update's child still runs this copy of papers."""
    other = tmp_path / "other-project"
    (other / "tui").mkdir(parents=True)
    (other / "tui" / "__init__.py").write_text("raise SystemExit('the wrong tui')\n")
    (other / "tui" / "cli.py").write_text("raise SystemExit('the wrong tui')\n")
    monkeypatch.chdir(other)
    app = PapersApp(Store.open(home, sample=False))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("R")
        assert await wait_for(pilot, lambda: DONE in screen_text(app)
                              or "Update failed" in screen_text(app))
        assert DONE in screen_text(app), [n.message for n in app._notifications]
