"""What users install: the built wheel, installed into a fresh venv outside the checkout,
run in a pseudo-terminal through every screen.

The checkout hides what a wheel leaves out (an editable install reads every file from
the source tree), so this builds the wheel from a clean copy of the tree, installs it
with nothing of the checkout on its path, and drives the installed ``papers`` with the
working directory, HOME and the XDG directories all in ``tmp_path``.

The dependencies are the test venv's own (a ``.pth`` line in the fresh venv), so no
download is needed; ``.ci/run`` also installs the wheel the ordinary way, resolving the
dependencies from ``constraints.txt``, and runs the walk against that copy by naming its
``papers`` in ``PAPERS_INSTALLED``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from stress.stresskit import ESCAPE, Reader

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__",
                              ".pytest_cache", ".hypothesis", "out")

# Each key, and text a person reads on the screen it opens.
SCREENS = [
    ("?", "help", ["Keys", "Next row", "Esc closes"]),
    ("/", "search", ["Search titles, authors, summaries", "Search syntax"]),
    ("@", "authors", ["Author name", "authors, most papers first"]),
    ("S", "statistics", ["Statistics · all days", "Papers per day"]),
    ("T", "tag view", ["No tags yet: press t on a paper to tag it"]),
    ("x", "export", ["Export 30 papers", "BibTeX (.bib)"]),
    ("e", "note editor", ["Note · Depth Anything V2"]),
    ("t", "tag editor", ["Tags · Depth Anything V2", "comma-separated"]),
    ("\x10", "command palette (ctrl+p)", ["Search for commands"]),
]
MAIN = "2024-06-14 · 30 papers"  # the main screen's paper pane, bundled sample


def run(argv: list, cwd: Path, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True, text=True,
                          check=False, **kw)
    assert proc.returncode == 0, f"{argv}: {proc.stdout[-2000:]}{proc.stderr[-2000:]}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a clean copy of the checkout (no stale build/ files)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=SKIP)
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp / "dist", src], tmp)
    (found,) = (tmp / "dist").glob("papers-*.whl")
    return found


def install(wheel: Path, where: Path) -> Path:
    """A fresh venv at ``where`` holding the wheel; its dependencies from this venv."""
    run([sys.executable, "-m", "venv", "--without-pip", where], where.parent)
    python = where / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps",
         "--no-index", wheel], where.parent)
    purelib = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                  where.parent).stdout.strip()
    # A plain path line: the test venv's .pth files (its editable install of this
    # checkout) are not run, so `store` and `tui` can only come from the wheel.
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "zz-test-dependencies.pth").write_text("\n".join(sorted(deps)) + "\n")
    return where / "bin" / "papers"


@pytest.fixture(scope="module")
def installed(request, tmp_path_factory) -> Path:
    """The installed ``papers``: ``$PAPERS_INSTALLED`` when set (``.ci/run``), else the
    wheel installed into a fresh venv."""
    named = os.environ.get("PAPERS_INSTALLED")
    if named:
        assert Path(named).is_file(), f"PAPERS_INSTALLED={named} is not a file"
        return Path(named)
    return install(request.getfixturevalue("wheel"), tmp_path_factory.mktemp("venv") / "v")


def said(reader: Reader) -> str:
    """The end of what the process wrote, without escape sequences (for a failure)."""
    return ESCAPE.sub(b"", reader.out)[-1500:].decode("utf-8", "replace")


def user_env(tmp: Path) -> dict[str, str]:
    """A new user's environment, all in ``tmp``: no PAPERS_HOME, the default data dir."""
    dirs = {name: tmp / "user" / name.lower() for name in
            ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")}
    for d in dirs.values():
        d.mkdir(parents=True)
    return {"HOME": str(tmp / "user"), "PAPERS_HOME": "", **{k: str(v) for k, v in dirs.items()}}


def test_the_wheel_holds_every_file_of_the_packages(wheel):
    """Every file under store/ and tui/ (stylesheets, the sample, any data file added
    later) is in the wheel: pyproject's package data can miss none."""
    import zipfile

    src = wheel.parents[1] / "src"
    wanted = {p.relative_to(src).as_posix() for top in ("store", "tui")
              for p in (src / top).rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    shipped = set(zipfile.ZipFile(wheel).namelist())
    assert {"tui/screens/screens.tcss", "tui/app.tcss", "store/sample/ATTRIBUTION.md"} <= wanted
    assert sorted(wanted - shipped) == []


def test_the_installed_copy_runs_from_site_packages(installed, tmp_path):
    script = installed.resolve()  # pipx and uv link it from their bin directory
    python = script.with_name("python")
    out = run([python, "-c", ("import store.db, tui.app; print(store.db.__file__); "
                              "print(tui.app.__file__)")], tmp_path).stdout.split()
    venv = script.parents[1]
    for path in out:
        assert Path(path).resolve().is_relative_to(venv), (path, venv)
        assert not Path(path).resolve().is_relative_to(ROOT), path


def test_every_screen_opens_in_the_installed_copy(installed, tmp_path):
    env = user_env(tmp_path)
    with Reader(tmp_path / "unused", 100, 30, program=installed, cwd=tmp_path, **env) as reader:
        assert reader.wait_text(MAIN, timeout=30), reader.screen.text()
        for key, name, texts in SCREENS:
            reader.send(key)
            shown = reader.wait_for(lambda r, texts=texts: all(t in r.screen.text() for t in texts),
                                     15)
            screen = reader.screen.text()
            assert b"Traceback" not in reader.out, f"{name}: {said(reader)}"
            assert reader.running(), f"{name}: exited {reader.status}\n{screen}"
            assert shown, f"{name} ({key!r}) did not show {texts}:\n{screen}"
            reader.send("\x1b")  # close it: back on the main screen, the screen gone
            assert reader.wait_for(
                lambda r, texts=texts: MAIN in r.screen.text()
                and not any(t in r.screen.text() for t in texts), 15), \
                f"{name} did not close:\n{reader.screen.text()}"
        reader.send("q")
        status = reader.wait_exit(20)
    assert b"Traceback" not in reader.out, said(reader)
    assert status == 0, said(reader)
    # the bundled sample, read from site-packages, went to the default data directory
    assert (Path(env["XDG_DATA_HOME"]) / "papers").is_dir()


def test_a_crash_exits_non_zero(wheel, tmp_path):
    """A copy missing a stylesheet crashes on ``?``: the shell must see a failure."""
    papers = install(wheel, tmp_path / "v")
    for css in (tmp_path / "v").glob("lib/python*/site-packages/tui/screens/*.tcss"):
        css.unlink()
    with Reader(tmp_path / "home", 100, 30, program=papers, cwd=tmp_path,
                **user_env(tmp_path)) as reader:
        assert reader.wait_text(MAIN, timeout=30), reader.screen.text()
        reader.send("?")
        status = reader.wait_exit(20)
    assert b"screens.tcss" in reader.out, said(reader)  # Textual says what went wrong
    assert status == 1, said(reader)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_R_in_the_installed_copy_runs_its_own_update(installed, tmp_path):
    """``R`` starts ``papers update`` as a child of the installed reader: the child must
    find the installed package (site-packages, not the checkout) from its own Python."""
    from test_corpus_shards import day, write

    repo = tmp_path / "upstream"
    write(repo / "paper_logs" / "2024" / "07" / "01.md",
          day("2024-07-01", ("2407.00001", "First Installed Day", 3)))

    def commit() -> None:
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "day"]):
            run(["git", "-C", repo, "-c", "user.name=t", "-c", "user.email=t@t", "-c",
                 "commit.gpgsign=false", *args], tmp_path)

    commit()
    home = tmp_path / "home"
    run([installed, "update", "--home", home, "--source", repo], tmp_path)
    write(repo / "paper_logs" / "2024" / "07" / "02.md",
          day("2024-07-02", ("2407.00002", "Second Installed Day", 5)))
    commit()
    with Reader(home, 100, 30, program=installed, cwd=tmp_path) as reader:
        assert reader.wait_text("First Installed Day", timeout=30), reader.screen.text()
        reader.send("R")
        assert reader.wait_text("1 day added, 0 changed, 1 paper added", 30), \
            reader.screen.text()
        assert reader.wait_text("2024-07-02 Tue new", 15), reader.screen.text()
        reader.send("q")
        status = reader.wait_exit(20)
    assert b"Traceback" not in reader.out and b"Update failed" not in reader.out, said(reader)
    assert status == 0, said(reader)
