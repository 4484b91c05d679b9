"""The detail pane's "Related" section: the papers most like the shown one, numbered.

Each row is ``N  day  title``; the number is the key that opens it (``1``-``5`` on the
main screen, ``screens/related.py``) and a click on the row does the same (the row
carries the paper id in its style's meta).  Titles are data: plain ``Text``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable

from rich.console import Group
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..text import one_line

if TYPE_CHECKING:
    from store.models import Paper

RELATED = 5  # papers in the section (and number keys that open them)


def related_section(papers: Iterable[Paper], style: Callable[[str], Style]) -> Group:
    """The section's heading and rows (``style(name)`` is the pane's palette)."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for n, p in enumerate(papers, 1):
        jump = Style.from_meta({"paper": p.id})
        day = one_line(p.dates[0]) if p.dates else ""
        grid.add_row(Text(str(n), style("meta") + jump), Text(day, style("muted") + jump),
                     Text(one_line(p.title) or "(untitled)", style("link") + jump))
    heading = Text.assemble(("Related", style("label")),
                            ("  (press a number to open)", style("muted")))
    return Group(Text(), heading, Padding(grid, (0, 0, 0, 2)))
