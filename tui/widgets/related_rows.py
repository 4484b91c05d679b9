"""The detail pane's "Related" section: the papers most like the shown one, numbered.

Each row is ``N  day  title``, a long title wrapped under itself; the number is the key
that opens it (``1``-``5`` on the main screen, ``screens/related.py``) and a click on
the row does the same (the row carries the paper id in its style's meta).  Titles are
data: plain ``Text``.  The rows are wrapped here rather than by a ``Table`` (half the
pane's render time went to the table's column measuring).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.style import Style
from rich.text import Text

from ..text import one_line

if TYPE_CHECKING:
    from store.models import Paper

RELATED = 5  # papers in the section (and number keys that open them)
# the section when the data directory has no related lists yet (the reader never
# computes them: an import or update does, store/relatedstore.py)
NOT_YET = ("Related papers: not computed yet in this data directory "
           "(the next papers import, papers update or R computes them)")
INDENT = 2


class _Rows:
    def __init__(self, rows: list[tuple[Text, Text]]) -> None:
        self.rows = rows  # (number and day, title)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        for lead, title in self.rows:
            hang = INDENT + lead.cell_len
            lines = title.wrap(console, max(8, width - hang), overflow="fold")
            for i, line in enumerate(lines):
                row = Text(" " * INDENT) + lead if i == 0 else Text(" " * hang)
                row.append_text(line)
                row.no_wrap = True
                yield row


def related_section(papers: Iterable[Paper], style: Callable[[str], Style]) -> Group:
    """The section's heading and rows (``style(name)`` is the pane's palette)."""
    rows = []
    for n, p in enumerate(papers, 1):
        jump = Style.from_meta({"paper": p.id})
        day = one_line(p.dates[0]) if p.dates else ""
        lead = Text.assemble((str(n), style("meta") + jump), " ",
                             (day, style("muted") + jump), " " if day else "")
        rows.append((lead, Text(one_line(p.title) or "(untitled)", style("link") + jump)))
    heading = Text.assemble(("Related", style("label")),
                            ("  (press a number to open)", style("muted")))
    return Group(Text(), heading, _Rows(rows))


def not_yet_section(style: Callable[[str], Style]) -> Group:
    """The section's one line when there are no related lists yet."""
    return Group(Text(), Text(NOT_YET, style("muted")))
