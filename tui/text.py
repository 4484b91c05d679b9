"""Turning digest data into safe, plain display strings.

Digest text is data, never markup: everything the reader shows is built from
``rich.text.Text`` objects made from these strings, so brackets, ``[@click]``
and the like are shown literally.  Control characters (ESC and friends) could
still reach the terminal through a plain ``Text``, so they are replaced by
their visible Unicode "control picture" here.
"""

from __future__ import annotations

import datetime as _dt
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # e.g. ESC -> "␛"
    if code == 0x7F:
        return "\u2421"  # "␡"
    return "\ufffd"


def clean(value: object) -> str:
    """A string safe to hand to the terminal (tabs become spaces)."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\t", " ")
    return _CONTROL.sub(_picture, text)


def one_line(value: object) -> str:
    """Like :func:`clean` but folded onto a single line (for list rows)."""
    return clean(str(value or "").replace("\r\n", " ").replace("\n", " "))


def weekday(date: str) -> str:
    """``2024-06-14`` -> ``Fri`` (empty for anything unparsable)."""
    try:
        return _dt.date.fromisoformat(date).strftime("%a")
    except (TypeError, ValueError):
        return ""


def arxiv_id(paper_id: str, url: str) -> str:
    """The arXiv id to show: the paper id, or the tail of an arxiv.org URL."""
    if paper_id:
        return paper_id
    return url.rstrip("/").rsplit("/", 1)[-1] if url else ""


def scroll_position(top: int, height: int, total: int) -> str:
    """Where a view of ``height`` lines from line ``top`` sits in ``total`` lines, for a
    border (the panes that drop their scrollbar say it there): "" when all of it fits."""
    if total <= height or height <= 0:
        return ""
    if top <= 0:
        return "more ↓"
    if top + height >= total:
        return "↑ end"
    return f"↑ {100 * (top + height) // total}% ↓"
