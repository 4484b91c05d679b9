"""Pieces of the detail pane's text: the folded author list and bulleted rows with a
hanging indent (Rich renderables built from ``Text``, never markup)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderResult
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..text import one_line

AUTHOR_LINES = 3  # a long author list is folded after this many lines


class Authors:
    """The author list, wrapped and folded to ``max_lines`` at render time."""

    def __init__(self, authors: list[str], truncated: bool, style: Style, max_lines: int) -> None:
        self.authors = [one_line(a) for a in authors if a]
        self.truncated = truncated
        self.style = style
        self.max_lines = max_lines

    def text_for(self, console: Console, width: int) -> Text:
        names = self.authors
        full = Text(", ".join(names))
        if len(full.wrap(console, width)) <= self.max_lines:
            return full
        best = Text(f"{names[0]}, … and {len(names) - 1} more")
        for k in range(2, len(names)):
            candidate = Text(", ".join(names[:k]) + f", … and {len(names) - k} more")
            if len(candidate.wrap(console, width)) > self.max_lines:
                break
            best = candidate
        return best

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(10, options.max_width)
        if self.authors:
            yield self.text_for(console, width)
        else:
            yield Text("(no authors listed)", self.style)
        if self.truncated:
            yield Text("+ hidden authors", self.style)


def bullet_rows(rows: Iterable[tuple[str, Text]], indent: int, glyph_style: Style) -> Padding:
    """Rows of ``glyph  text`` with a hanging indent (wrapped text stays aligned)."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for glyph, text in rows:
        grid.add_row(Text(glyph, glyph_style), text)
    return Padding(grid, (0, 0, 0, indent))
