"""A 55k-paper synthetic corpus: the archive ten times, fresh ids and dates."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "corpus" / "daily_papers_ko" / "paper_logs"
COPIES = 10
ID = re.compile(r"(?<![\d.])(\d{2})(\d{2})\.(\d{4,5})(?![\d.])")
HEADER = re.compile(r"Daily Papers \((\d{4}-\d{2}-\d{2})\)")


def _shift_id(k: int):
    def sub(m: re.Match) -> str:
        return f"{(int(m.group(1)) + 10 * k) % 100:02d}{m.group(2)}.{m.group(3)}"
    return sub


def make_synthetic(out: Path, archive: Path = ARCHIVE) -> Path:
    """Write the corpus under ``out`` once (reused when complete)."""
    done = out / ".complete"
    if done.exists():
        return out
    files = sorted(archive.rglob("*.md"))
    for k in range(COPIES):
        shift = dt.timedelta(days=800 * k)
        for f in files:
            rel = f.relative_to(archive)
            date = dt.date(int(rel.parts[0]), int(rel.parts[1]), int(rel.stem)) - shift
            text = f.read_text(encoding="utf-8", errors="replace")
            if k:
                text = ID.sub(_shift_id(k), text)
                text = HEADER.sub(f"Daily Papers ({date.isoformat()})", text)
            target = out / f"{date:%Y}" / f"{date:%m}" / f"{date:%d}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    done.touch()
    return out
