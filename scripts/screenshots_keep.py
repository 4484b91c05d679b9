"""Screenshots of the keep-and-take-away screens: note editor, tag view, statistics.

    .venv/bin/python scripts/screenshots_keep.py [OUTPUT_DIR]

Called by scripts/screenshots.py too.  Uses the bundled sample in a temporary data
directory with a few notes, tags, read marks and bookmarks, and presses keys like a user.
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

NOTE = ("깊이 추정 기반 모델. 합성 데이터로 학습한 teacher -> 실제 이미지에 pseudo-label.\n"
        "- 다시 읽을 것: 4장 (데이터 파이프라인)\n"
        "- 비교: Marigold, ZoeDepth\n")

# (file name, terminal size, keys to press)
SHOTS: list[tuple[str, tuple[int, int], list[str]]] = [
    ("note-editor.svg", (100, 30), ["e", *NOTE]),
    ("tag-view.svg", (100, 30), ["T"]),
    ("stats.svg", (100, 40), ["S"]),
]


def prepare(store: Store) -> None:
    """Tags, notes, read marks and bookmarks on the sample, as after some reading."""
    tags = {
        "2406.09414": ["depth", "vision", "to-cite"],
        "2406.09415": ["vision", "transformers"],
        "2406.09308": ["reasoning", "transformers"],
        "2406.07522": ["llm", "ssm", "to-cite"],
        "2406.09416": ["diffusion", "vision"],
    }
    days = store.days()
    ids = [p.id for d in days for p in store.day_papers(d.date)]
    for pid in ids[::9]:
        tags.setdefault(pid, ["later"])
    for pid, t in tags.items():
        store.set_tags(pid, t)
    store.set_note("2406.09415", "픽셀 하나 = 토큰 하나. locality 편향 없이도 된다는 결과.")
    store.set_read(ids[: len(ids) // 3])
    store.set_bookmarked(ids[::7])


async def shoot(out: Path, name: str, size: tuple[int, int], keys: list[str]) -> Path:
    with tempfile.TemporaryDirectory(prefix="papers-shot-") as home:
        store = Store.open(Path(home))
        prepare(store)
        app = PapersApp(store)
        async with app.run_test(size=size) as pilot:
            await pilot.pause(0.2)
            for key in keys:
                await pilot.press("enter" if key == "\n" else key)
            await pilot.pause(0.3)
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            app.clear_notifications()
            await pilot.pause(0.1)
            return Path(app.save_screenshot(filename=name, path=str(out)))


async def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, size, keys in SHOTS:
        print(await shoot(out, name, size, keys))


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots"))
