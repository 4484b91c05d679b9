"""Write SVG screenshots of the real reader (headless) into screenshots/.

    .venv/bin/python scripts/screenshots.py [OUTPUT_DIR]

Runs the app with Textual's test driver on a temporary data directory holding
the bundled sample, presses keys like a user would, and saves main.svg,
detail.svg, related.svg, bookmarks.svg, help.svg, narrow-80x24.svg, search.svg and authors.svg.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from store.db import Store  # noqa: E402
from tui.app import PapersApp  # noqa: E402

# (file name, terminal size, keys to press, papers to bookmark first)
SHOTS: list[tuple[str, tuple[int, int], list[str], int]] = [
    ("main.svg", (100, 30), ["j", "r", "j", "j", "b", "k", "k"], 0),
    ("detail.svg", (120, 40), ["enter"], 0),
    ("related.svg", (120, 40), ["j", "enter", "G"], 0),
    ("bookmarks.svg", (100, 30), ["B", "j"], 6),
    ("help.svg", (100, 40), ["question_mark"], 0),
    ("narrow-80x24.svg", (80, 24), ["j", "j"], 0),
    ("search.svg", (100, 30), ["slash", *"ㄱㅇ ㅊㅈ", "down"], 0),
    ("authors.svg", (100, 30), ["at", *"chen"], 0),
]


async def shoot(out: Path, name: str, size: tuple[int, int], keys: list[str], marks: int) -> Path:
    with tempfile.TemporaryDirectory(prefix="papers-shot-") as home:
        store = Store.open(Path(home))
        if marks:
            ids = [p.id for day in store.days() for p in store.day_papers(day.date)]
            step = max(1, len(ids) // marks)
            store.set_bookmarked(ids[::step][:marks], True)
        return await capture(PapersApp(store), size, keys, out / name)


async def capture(app: PapersApp, size: tuple[int, int], keys: list[str], path: Path) -> Path:
    """Press ``keys`` in ``app`` like a user would, then save the screen as ``path``."""
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.2)
        for _ in range(100):  # the related lists are read a moment after start-up
            if app.store.related_ready:
                break
            await pilot.pause(0.05)
        await pilot.pause(0.1)
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.08)
        await pilot.pause(0.2)
        app.clear_notifications()
        await pilot.pause(0.1)
        return Path(app.save_screenshot(filename=path.name, path=str(path.parent)))


async def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, size, keys, marks in SHOTS:
        path = await shoot(out, name, size, keys, marks)
        print(path)
    from screenshots_keep import main as keep_shots  # note editor, tag view, statistics

    await keep_shots(out)
    from screenshots_config import main as config_shots  # another theme, z

    await config_shots(out)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots"))
