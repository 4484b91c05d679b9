"""Screenshots of what the config changes: another theme, and the zoomed reader (z).

Called by scripts/screenshots.py; writes theme-gruvbox.svg and zoom.svg.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from screenshots import capture  # noqa: E402  (scripts/ is on the path)
from store.db import Store  # noqa: E402
from tui.app import PapersApp  # noqa: E402
from tui.config import Config  # noqa: E402

# (file name, terminal size, theme, keys)
SHOTS = [
    ("theme-gruvbox.svg", (110, 32), "gruvbox", ["j", "j", "r"]),
    ("zoom.svg", (100, 30), "textual-dark", ["z"]),
]


async def main(out: Path) -> None:
    for name, size, theme, keys in SHOTS:
        with tempfile.TemporaryDirectory(prefix="papers-shot-") as home:
            config = Config()  # no file behind it: nothing is saved
            config.theme = theme
            app = PapersApp(Store.open(Path(home)), config=config)
            print(await capture(app, size, keys, out / name))
