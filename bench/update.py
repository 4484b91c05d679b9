"""``papers update`` of one new day on top of the full archive: the time beyond git.

A git repository holding the archive minus its last day is the upstream (file://);
the first update clones and imports it; then the last day is committed and the update
that brings it is timed, its git calls apart.

With the 55k synthetic corpus (``during_full_related``): the reader in a pseudo-terminal
while ``R`` runs an update that computes every paper's related lists (a data directory
made before related papers existed): j/k latency meanwhile, and the reader's and the
update's peak memory.  ``python -m bench.update`` runs this module alone.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synth import ARCHIVE
from store import update as upd
from store.db import Store

Row = tuple[str, str, str]
REPEAT = 5
ROOT = Path(__file__).resolve().parents[1]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=bench", "-c",
                    "user.email=bench@example.org", "-c", "commit.gpgsign=false", *args],
                   check=True, capture_output=True)


def run(archive: Path = ARCHIVE, synth: Path | None = None) -> list[Row]:
    if shutil.which("git") is None:
        return [("papers update, one new day at 5.5k", "no git", "≤ 0.5 s beyond git")]
    rows = one_new_day(archive)
    if synth is not None:
        rows += during_full_related(synth)
    return rows


def one_new_day(archive: Path) -> list[Row]:
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


def _peak_mb(pid: int | str) -> float:
    """VmHWM of a process, in MB (0 if it has gone)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[str]:
    """The processes ``pid`` started, from any of its threads (R's child is started by a
    worker thread)."""
    out: list[str] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += fh.read().split()
        except OSError:
            pass
    return out


def during_full_related(synth: Path) -> list[Row]:
    """The reader (``make run``'s ``papers``, 100x30 pty) on a 55k data directory without
    related.bin: ``R`` (nothing new upstream, so the update computes every related list);
    j and k pressed alternately every 120 ms until it is done, each timed from the key to
    the detail pane showing the paper."""
    sys.path.insert(0, str(ROOT / "tests"))
    from stress.stresskit import Reader

    tmp = Path(tempfile.mkdtemp(prefix="papers-bench-update55k-"))
    try:
        src = tmp / "src"
        shutil.copytree(synth, src / "paper_logs", ignore=shutil.ignore_patterns(".*"))
        _git(src, "init", "-q")
        _git(src, "add", "-A")
        _git(src, "commit", "-q", "-m", "archive")
        home = tmp / "home"
        papers = Path(sys.executable).with_name("papers")
        # in a process of its own: this one, which reads the pty, stays small and quick
        subprocess.run([str(papers), "update", "--quiet", "--home", str(home), "--source",
                        str(src)], check=True)
        (home / "related.bin").unlink()  # as made before related papers existed

        def region(r) -> str:  # the paper list's right edge and the detail's first lines
            return "\n".join(line[48:] for line in r.screen.lines()[1:4])

        with Reader(home, 100, 30, program=papers) as r:
            r.settle(1.0, 60)
            shown = {}
            for key in "jk":
                r.send(key)
                r.settle(0.3, 10)
                shown[key] = region(r)
            before = _peak_mb(r.pid)
            r.send("R")
            start = time.monotonic()
            times: list[float] = []
            child_peak: dict[str, float] = {}

            def note_children() -> None:
                for kid in _children(r.pid):
                    child_peak[kid] = max(child_peak.get(kid, 0.0), _peak_mb(kid))

            def done() -> bool:
                return (home / "related.bin").exists() and "updating:" not in r.screen.text()

            while not done() and time.monotonic() - start < 600:
                r.pump(0.12)
                note_children()
                key = "jk"[len(times) % 2]
                r.send(key)
                sent = time.monotonic()
                r.wait_for(lambda rr, key=key: region(rr) == shown[key], 60)
                times.append(time.monotonic() - sent)
                note_children()
            took = time.monotonic() - start
            r.settle(1.0, 30)
            assert "Up to date: no new days." in r.screen.text(), r.screen.text()
            after = _peak_mb(r.pid)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        child = max(child_peak.values(), default=0.0)
        return [
            ((f"j/k while R computes every related list at 55k ({took:.0f} s, "
              f"{len(times)} keys; p50 / p95 / max)"),
             f"{statistics.median(times) * 1000:.0f}/{p95 * 1000:.0f}/{times[-1] * 1000:.0f} ms",
             "≤ 50 ms p50"),
            (f"reader peak memory after that R (VmHWM; {before:.0f} MB before it)",
             f"{after:.0f} MB", "as before R"),
            ("the update's own process (R's child), peak memory", f"{child:.0f} MB", "-"),
        ]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    from bench.synth import make_synthetic

    for name, value, target in run(ARCHIVE, make_synthetic(ROOT / "bench" / "out" / "synth")):
        print(f"{name}  {value}  {target}")
