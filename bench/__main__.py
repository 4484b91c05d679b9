"""``make bench``: the performance figures the issues ask for, in one table.

Runs on the full archive (``../shared/corpus/daily_papers_ko/paper_logs``)
and on a 55k-paper synthetic corpus made by replicating the archive ten
times with fresh ids and dates (written under ``bench/out/``).
"""

from __future__ import annotations

import importlib
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synth import ARCHIVE, make_synthetic  # noqa: E402
from store.db import Store  # noqa: E402

Row = tuple[str, str, str]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def timed(fn, repeat: int = 5) -> float:
    """Median seconds of ``repeat`` calls."""
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def data_layer(tmp: Path, synth: Path) -> list[Row]:
    rows: list[Row] = []
    homes = {}
    for label, src in (("5.5k", ARCHIVE), ("55k", synth)):
        home = tmp / f"home-{label}"
        t = time.perf_counter()
        store = Store.open(home, sample=False)
        report = store.import_paths([src])
        first = time.perf_counter() - t
        t = time.perf_counter()
        again = Store.open(home, sample=False).import_paths([src])
        second = time.perf_counter() - t
        assert again.unchanged == report.files_read and again.files_read == 0
        target = ("≤ 2.5 s", "≤ 0.3 s") if label == "5.5k" else ("-", "-")
        rows.append((f"import {label} ({len(store.ids())} papers), first time",
                     f"{first:.2f} s", target[0]))
        rows.append((f"import {label}, again unchanged", f"{second:.2f} s", target[1]))
        homes[label] = home

    for label, home in homes.items():
        def first_screen(home=home):
            s = Store.open(home, sample=False)
            days = s.days()
            papers = s.day_papers(days[0].date)
            s.paper(papers[0].id)

        target = "≤ 150 ms" if label == "5.5k" else "≤ 1 s"
        rows.append((f"load first screen {label} (open, days, newest day, its first paper)",
                     ms(timed(first_screen, 3)), target))

    for label, home in homes.items():  # the S screen's first figures after start-up
        rows.append((f"first statistics {label} (open, stats of all days)",
                     ms(timed(lambda home=home: Store.open(home, sample=False).stats(), 5)),
                     "-"))

    for label, home in homes.items():
        store = Store.open(home, sample=False)
        ids = store.ids()[:2000]
        t = timed(lambda store=store, ids=ids: store.set_bookmarked(
            [ids[0]], not store.is_bookmarked(ids[0])), 50)
        rows.append((f"mark one paper in-process, {label}, fresh state", ms(t), "≤ 5 ms"))
    store = Store.open(homes["55k"], sample=False)
    every = store.ids()
    store.set_read(every, True)
    store.set_bookmarked(every[:1000], True)
    t = timed(lambda: store.set_bookmarked([every[5000]], not store.is_bookmarked(every[5000])),
              50)
    size = (homes["55k"] / "state.json").stat().st_size
    rows.append((f"mark one paper, 55k all read + 1000 bookmarked (state {size/1e6:.1f} MB)",
                 ms(t), "≤ 5 ms"))
    return rows


def optional_section(name: str, *args) -> list[Row]:
    try:
        module = importlib.import_module(f"bench.{name}")
    except ImportError:
        return []
    return module.run(*args)


def main() -> int:
    if not ARCHIVE.is_dir():
        print(f"bench: the archive is not at {ARCHIVE}; nothing to measure", file=sys.stderr)
        return 1
    out = ROOT / "bench" / "out"
    synth = make_synthetic(out / "synth")
    tmp = Path(tempfile.mkdtemp(prefix="papers-bench-"))
    try:
        rows = data_layer(tmp, synth)
        homes = {"5.5k": tmp / "home-5.5k", "55k": tmp / "home-55k"}
        rows += optional_section("search", *[list(Store.open(h, sample=False).papers())
                                             for h in homes.values()])
        rows += optional_section("reader", homes)
        rows += optional_section("update", ARCHIVE, synth)
        rows += optional_section("terminal", homes)
        rows += optional_section("quality",
                                 list(Store.open(homes["5.5k"], sample=False).papers()))
        rows += optional_section("firstsearch", homes)
        rows += optional_section("related", homes)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    width = max(len(r[0]) for r in rows)
    print(f"machine: {machine()}")
    print(f"{'measure'.ljust(width)}  {'value':>12}  target")
    for name, value, target in rows:
        print(f"{name.ljust(width)}  {value:>12}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
