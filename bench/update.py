"""``papers update`` of one new day on top of the full archive: the time beyond git.

A git repository holding the archive minus its last day is the upstream (file://);
the first update clones and imports it; then the last day is committed and the update
that brings it is timed, its git calls apart.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.synth import ARCHIVE
from store import update as upd
from store.db import Store

Row = tuple[str, str, str]
REPEAT = 5


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=bench", "-c",
                    "user.email=bench@example.org", "-c", "commit.gpgsign=false", *args],
                   check=True, capture_output=True)


def run(archive: Path = ARCHIVE) -> list[Row]:
    if shutil.which("git") is None:
        return [("papers update, one new day at 5.5k", "no git", "≤ 0.5 s beyond git")]
    tmp = Path(tempfile.mkdtemp(prefix="papers-bench-update-"))
    try:
        src = tmp / "src"
        shutil.copytree(archive, src / "paper_logs")
        days = sorted((src / "paper_logs").rglob("*.md"))
        held = [tmp / f"held-{i}.md" for i in range(REPEAT)]
        for path, keep in zip(days[-REPEAT:], held):  # the newest days come in one by one
            shutil.move(path, keep)
        _git(src, "init", "-q")
        _git(src, "add", "-A")
        _git(src, "commit", "-q", "-m", "archive")
        home = tmp / "home"
        run_first = time.perf_counter()
        upd.run_update(Store.open(home, sample=False), str(src))
        first = time.perf_counter() - run_first

        beyond, in_git, papers = [], [], 0
        real_git = upd.git
        spent = [0.0]

        def timed_git(*args, **kwargs):
            t = time.perf_counter()
            try:
                return real_git(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - t

        upd.git = timed_git
        try:
            for path, keep in zip(days[-REPEAT:], held):
                shutil.move(keep, path)
                _git(src, "add", "-A")
                _git(src, "commit", "-q", "-m", "one day")
                spent[0] = 0.0
                t = time.perf_counter()
                store = Store.open(home, sample=False)  # what `papers update` does
                report = upd.run_update(store)
                total = time.perf_counter() - t
                assert report.days_added and report.imported.files_read == 1, report
                papers = len(store.ids())
                beyond.append(total - spent[0])
                in_git.append(spent[0])
        finally:
            upd.git = real_git
        return [
            ("papers update, first run (clone, import the archive less 5 days)",
             f"{first:.2f} s", "-"),
            (f"papers update, one new day on {papers} papers: beyond git",
             f"{statistics.median(beyond):.2f} s", "≤ 0.5 s"),
            ("papers update, one new day: the git calls",
             f"{statistics.median(in_git):.2f} s", "-"),
        ]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
