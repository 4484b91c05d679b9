"""The first search after start, end to end in a pseudo-terminal.

The reader is started as a person starts it (``papers``), and as soon as its first
screen is painted ``/`` is pressed and, once the search box is up, ``switchhead
acceler`` is typed (keys sent before the box exists would go to the reader); measured is the time from those
keys to the result being painted (whatever loading the first search needs included),
then the same search again (Esc, ``/``, the same keys), and the reader's
peak memory (VmHWM) at the end.  Medians of 7 starts.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from bench.pty_util import end, read_until, spawn
from bench.reader import _env

OPEN, OPENED = b"/", b"earch titles"   # the search screen's empty box (its "S" under the cursor)
QUERY = b"switchhead acceler"
MARK = b"SwitchHead"


def _hwm(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def once(home: Path, newest: str) -> tuple[float, float, float, float]:
    papers = str(Path(sys.executable).with_name("papers"))
    pid, fd = spawn([papers], _env(home))
    try:
        read_until(fd, newest.encode(), time.perf_counter())
        t = time.perf_counter()
        os.write(fd, OPEN)
        opened = read_until(fd, OPENED, t)
        t = time.perf_counter()
        os.write(fd, QUERY)
        first = read_until(fd, MARK, t)
        time.sleep(0.3)
        os.write(fd, b"\x1b")  # Esc: back to the reader, then the same search again
        time.sleep(0.5)
        t = time.perf_counter()
        os.write(fd, OPEN)
        read_until(fd, OPENED, t)
        t = time.perf_counter()
        os.write(fd, QUERY)
        later = read_until(fd, MARK, t)
        time.sleep(0.2)
        return first, later, _hwm(pid), opened
    finally:
        end(pid, fd)


def measure(home: Path, runs: int = 7) -> tuple[float, float, float, float]:
    """Medians of ``runs`` starts: the first search, a later one, the first ``/`` to the
    search box up; and the most peak memory."""
    from store.db import Store

    newest = Store.open(home, sample=False).days()[0].date
    got = [once(home, newest) for _ in range(runs)]
    return (statistics.median(g[0] for g in got), statistics.median(g[1] for g in got),
            max(g[2] for g in got), statistics.median(g[3] for g in got))


def indexed_text(home: Path) -> int:
    """UTF-8 bytes of the text the index covers."""
    from store.search import SearchIndex

    ix = SearchIndex.from_bytes((home / "search.idx").read_bytes())
    return sum(len(t.encode()) + len(s.encode()) + len(", ".join(a).encode())
               for t, s, a in zip(ix.titles, ix.summaries, ix.authors_))


PEAK = r"""
import sys
sys.path.insert(0, {root!r})
from store.db import Store
s = Store.open({home!r}, sample=False)
s.search("switchhead acceler", 50)
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print(int(line.split()[1]) / 1024)
"""


def store_peak(home: Path) -> float:
    import subprocess

    root = str(Path(__file__).resolve().parents[1])
    out = subprocess.run([sys.executable, "-c", PEAK.format(root=root, home=str(home))],
                         capture_output=True, text=True, timeout=300, check=True)
    return float(out.stdout.split()[-1])


def run(homes: dict[str, Path]) -> list[tuple[str, str, str]]:
    rows = []
    for label, home in homes.items():
        first, later, hwm, opened = measure(home)
        size = (home / "search.idx").stat().st_size
        text = indexed_text(home)
        rows.append((f"first search after start, keys to results painted (pty), {label}",
                     f"{first * 1000:.0f} ms", "≤ 50 ms" if label == "55k" else "-"))
        rows.append((f"a later search, keys to results painted (pty), {label}",
                     f"{later * 1000:.0f} ms", "-"))
        rows.append((f"the first / after start to the search box up (pty), {label}",
                     f"{opened * 1000:.0f} ms", "-"))
        rows.append((f"reader peak memory after two searches (VmHWM), {label}",
                     f"{hwm:.0f} MB", "≤ 150 MB" if label == "55k" else "-"))
        rows.append(((f"search index on disk, {label} (titles+authors+summaries "
                      f"{text / 1e6:.1f} MB = {size / text:.0%})"), f"{size / 1e6:.1f} MB",
                     "≤ half the indexed text"))
        rows.append((f"Store.open + one search, peak memory (VmHWM), {label}",
                     f"{store_peak(home):.0f} MB", "≤ 150 MB" if label == "55k" else "-"))
    return rows


if __name__ == "__main__":
    for r in run({p.name: p for p in map(Path, sys.argv[1:])}):
        print(*r, sep="  |  ")
