"""Reader figures: start to first paint (vs a bare Textual app), j/k latency, memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.pty_util import end, read_until, spawn

ROOT = Path(__file__).resolve().parents[1]
BARE = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("bare-app-ready")
Bare().run()
"""


def first_paint(argv: list[str], marker: bytes, env: dict, timeout: float = 30.0) -> float:
    """Seconds from spawn until ``marker`` appears on the pseudo-terminal."""
    pid, fd = spawn(argv, env)
    try:
        return read_until(fd, marker, time.perf_counter(), timeout)
    finally:
        end(pid, fd)


def _env(home: Path) -> dict:
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40",
               PAPERS_HOME=str(home))
    env.pop("NO_COLOR", None)
    return env


def startup(home: Path, newest: str, programs: dict[str, Path],
            runs: int = 11) -> dict[str, float]:
    """Median seconds to first paint of the bare app (``"bare"``) and of each program,
    the runs alternating between them so that machine noise hits all alike."""
    env = _env(home)
    times: dict[str, list[float]] = {"bare": [], **{label: [] for label in programs}}
    for _ in range(runs):
        times["bare"].append(first_paint([sys.executable, "-c", BARE], b"bare-app-ready", env))
        for label, papers in programs.items():
            times[label].append(first_paint([str(papers)], newest.encode(), env))
    return {label: statistics.median(t) for label, t in times.items()}


KEYS = r"""
import asyncio, resource, statistics, sys, time
sys.path.insert(0, {root!r})
from textual import events
from store.db import Store
from tui.app import PapersApp

async def main():
    store = Store.open({home!r}, sample=False)
    app = PapersApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        detail = app.screen.query_one("#detail")
        pid = lambda: detail.paper.id if detail.paper else None

        def key(k):  # as a terminal sends it: straight into the driver, no waiting
            ev = events.Key(k, k)
            ev.set_sender(app)
            app._driver.send_message(ev)

        async def until_changed(before, limit=5.0):
            t = time.perf_counter()
            while pid() == before and time.perf_counter() - t < limit:
                await asyncio.sleep(0.0005)

        await pilot.press("g")
        times = []
        for i in range(40):  # a key every 120 ms, like a person pressing j/k
            await asyncio.sleep(0.12)
            before = pid()
            t = time.perf_counter()
            key("j" if (i // 8) % 2 == 0 else "k")
            await until_changed(before)
            times.append(time.perf_counter() - t)
        times.sort()
        print(statistics.median(times), times[int(len(times) * 0.95) - 1])
        # holding j: 30 presses at 30 per second (key repeat), then how long until idle
        await asyncio.sleep(0.2)
        await pilot.press("g")
        await asyncio.sleep(0.2)
        for _ in range(30):
            key("j")
            await asyncio.sleep(1 / 30)
        t = time.perf_counter()
        last = app.screen.paper_list.current.id
        while pid() != last and time.perf_counter() - t < 10:
            await asyncio.sleep(0.0005)
        print(time.perf_counter() - t)
    # VmHWM: this process's own peak (ru_maxrss would include the forking parent's)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            print(int(line.split()[1]) / 1024)

asyncio.run(main())
"""


TYPING = r"""
import asyncio, statistics, sys, time
sys.path.insert(0, {root!r})
from textual import events
from store.db import Store
from tui.app import PapersApp

async def main():
    store = Store.open({home!r}, sample=False)
    store.index  # loaded when / is first pressed; not part of a keystroke
    app = PapersApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        screen = app.screen
        times = []
        for rep in range(3):
            screen.input.value = ""
            await pilot.pause()
            typed = ""
            for ch in "diffusion transformer":
                typed += ch
                key = "space" if ch == " " else ch
                ev = events.Key(key, ch)
                ev.set_sender(app)
                t = time.perf_counter()
                app._driver.send_message(ev)
                while screen.shown_query != typed.strip():
                    await asyncio.sleep(0.0005)
                times.append(time.perf_counter() - t)
                await asyncio.sleep(0.12)  # a person typing
        times.sort()
        print(statistics.median(times), times[int(len(times) * 0.95) - 1])

asyncio.run(main())
"""


def typing(home: Path) -> tuple[float, float]:
    code = TYPING.format(root=str(ROOT), home=str(home))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=600, cwd=ROOT, check=False)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    p50, p95 = out.stdout.split()
    return float(p50), float(p95)


def keys(home: Path) -> tuple[float, float, float, float]:
    code = KEYS.format(root=str(ROOT), home=str(home))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=600, cwd=ROOT, check=False)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    lines = out.stdout.split()
    return float(lines[0]), float(lines[1]), float(lines[2]), float(lines[3])


def run(homes: dict[str, Path]) -> list[tuple[str, str, str]]:
    from bench.installed import wheel_papers
    from store.db import Store

    rows = []
    # What users run: the built wheel installed in a venv of its own, and `make run`'s venv.
    programs = {"the built wheel": wheel_papers(ROOT / "bench" / "out" / "wheel"),
                "make run's venv": Path(sys.executable).with_name("papers")}
    for label, home in homes.items():
        newest = Store.open(home, sample=False).days()[0].date
        medians = startup(home, newest, programs)
        bare = medians["bare"]
        target = "≤ 1.3× bare" if label == "5.5k" else "≤ 2× bare"
        for program in programs:
            ours = medians[program]
            rows.append(((f"reader start to first paint, {label}, {program} "
                          f"(bare Textual app {bare:.3f} s)"),
                         f"{ours:.3f} s = {ours / bare:.2f}×", target))
    for label, home in homes.items():
        p50, p95, burst, rss = keys(home)
        rows.append((f"j/k key to detail pane showing the next paper, {label} (p50 / p95)",
                     f"{p50 * 1000:.0f}/{p95 * 1000:.0f} ms", "≤ 50 ms" if label == "55k" else "-"))
        rows.append((f"j held (30 presses at 30/s): last key to detail caught up, {label}",
                     f"{burst * 1000:.0f} ms", "no backlog"))
        s50, s95 = typing(home)
        rows.append(((f"search screen: key to results shown, typing 'diffusion transformer', "
                      f"{label} (p50 / p95)"), f"{s50 * 1000:.0f}/{s95 * 1000:.0f} ms",
                     "≤ 16 ms" if label == "5.5k" else "≤ 50 ms"))
        rows.append((f"peak memory, reader at {label}", f"{rss:.0f} MB",
                     "≤ 400 MB" if label == "55k" else "-"))
    return rows
