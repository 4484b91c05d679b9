"""Counted words in messages: ``1 paper``, ``2 papers`` (never ``1 papers``)."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and ``word``, with ``many`` (default ``word + "s"``) unless n is 1."""
    return f"{n} {word if n == 1 else many or word + 's'}"
