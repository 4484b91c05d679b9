"""What the CLI prints: one-line errors, tables sized by display width, JSON, the paper
object (the README's), UTF-8 whatever the locale."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import orjson

if TYPE_CHECKING:
    from store.db import Store
    from store.models import Paper


class CliError(Exception):
    """One line for the user, exit code 1 (2 for usage)."""


def paper_json(store: Store, paper: Paper) -> dict:
    data = paper.to_json()
    data["read"] = store.is_read(paper.id)
    data["bookmarked"] = store.is_bookmarked(paper.id)
    data["tags"] = store.tags(paper.id)
    data["note"] = store.note(paper.id)
    return data


def print_json(data: object) -> None:
    raw = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (a test's capture)
        sys.stdout.write(raw.decode())
    else:  # the bytes as they are: no decode and re-encode of a 13 MB list
        buffer.write(raw)
        buffer.flush()


def display_width(text: str) -> int:
    """Terminal cells: wide (Korean) characters 2, combining and zero-width ones 0."""
    from rich.cells import cell_len

    return cell_len(text)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """An aligned plain-text table (CJK-aware widths); last column unpadded."""
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))
    out = []
    for row in [headers, *rows]:
        cells = [c + " " * (widths[i] - display_width(c)) for i, c in enumerate(row[:-1])]
        out.append("  ".join([*cells, row[-1]]).rstrip())
    sys.stdout.write("\n".join(out) + "\n")


def flags(store: Store, pid: str) -> str:
    return ("●" if not store.is_read(pid) else " ") + ("★" if store.is_bookmarked(pid) else " ")


def paper_rows(store: Store, papers: Sequence[Paper]) -> list[list[str]]:
    return [
        [p.dates[0] if p.dates else "", p.id, "-" if p.votes is None else str(p.votes),
         flags(store, p.id), p.title]
        for p in papers
    ]


# -- commands ----------------------------------------------------------------

def write_out(text: str) -> None:
    """Text to stdout as UTF-8 whatever the locale (Korean intact)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()


def known(store: Store, ids: Sequence[str]) -> None:
    unknown = [i for i in ids if i not in store]
    if unknown:
        raise CliError(f"unknown paper id: {', '.join(unknown)}")
