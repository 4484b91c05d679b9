"""The Papers pane: one row per paper: ``● ★  87 Title``.

``●`` marks an unread paper, ``★`` a bookmarked one and ``✎`` one with a note,
so read/unread stays visible without colour (NO_COLOR=1, TERM=xterm); read rows
are also dimmed.
The same widget shows a day's papers or the bookmarks view (with dates).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, Protocol

from rich.text import Text

from ..text import one_line
from .virtual_list import VirtualList

if TYPE_CHECKING:
    from store.models import Paper

UNREAD_GLYPH = "●"
BOOKMARK_GLYPH = "★"
NOTE_GLYPH = "✎"  # the paper has a note (drawn in the space before the votes)



class PaperState(Protocol):
    """What the lists and the detail pane ask about a paper (the ``Store`` answers)."""

    def is_read(self, paper_id: str) -> bool: ...
    def is_bookmarked(self, paper_id: str) -> bool: ...
    def has_note(self, paper_id: str) -> bool: ...
    def note(self, paper_id: str) -> str | None: ...
    def tags(self, paper_id: str) -> Iterable[str]: ...


class PaperList(VirtualList):
    COMPONENT_CLASSES: ClassVar[set[str]] = VirtualList.COMPONENT_CLASSES | {
        "paper-list--read",
        "paper-list--unread-glyph",
        "paper-list--bookmark-glyph",
        "paper-list--note-glyph",
        "paper-list--votes",
        "paper-list--date",
    }

    DEFAULT_CSS = """
    PaperList {
        & > .paper-list--read { color: $text-muted; }
        & > .paper-list--unread-glyph { color: $text-accent; }
        & > .paper-list--bookmark-glyph { color: $text-warning; }
        & > .paper-list--note-glyph { color: $text-success; }
        & > .paper-list--votes { color: $text-secondary; }
        & > .paper-list--date { color: $text-muted; }
    }
    """

    def __init__(
        self, state: PaperState, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.state = state  # read / bookmarked / note glyphs, asked per drawn row
        self.papers: list[Paper] = []
        self.show_dates = False

    def set_papers(
        self,
        papers: list[Paper],
        paper_id: str | None = None,
        *,
        show_dates: bool = False,
        notify: bool = True,
    ) -> None:
        """Replace the rows; the cursor goes to ``paper_id`` if present, else the top."""
        self.papers = list(papers)
        self.show_dates = show_dates
        index = self.index_of(paper_id) if paper_id else None
        self.set_row_count(len(self.papers), index or 0, notify=notify)

    @property
    def current(self) -> Paper | None:
        if 0 <= self.cursor < len(self.papers):
            return self.papers[self.cursor]
        return None

    def index_of(self, paper_id: str) -> int | None:
        for i, paper in enumerate(self.papers):
            if paper.id == paper_id:
                return i
        return None

    def select(self, paper_id: str, *, notify: bool = True) -> bool:
        index = self.index_of(paper_id)
        if index is None:
            return False
        self.move_to(index, notify=notify)
        return True

    def render_row(self, index: int, width: int) -> Text:
        paper = self.papers[index]
        read, bookmarked = self.state.is_read(paper.id), self.state.is_bookmarked(paper.id)
        style = self.get_component_rich_style
        text = Text()
        text.append(
            " " if read else UNREAD_GLYPH, style("paper-list--unread-glyph", partial=True)
        )
        text.append(
            BOOKMARK_GLYPH if bookmarked else " ",
            style("paper-list--bookmark-glyph", partial=True),
        )
        if self.show_dates:
            date = paper.dates[0] if paper.dates else ""
            text.append(f" {one_line(date):<10}", style("paper-list--date", partial=True))
        votes = "" if paper.votes is None else str(paper.votes)
        if self.state.has_note(paper.id):
            text.append(NOTE_GLYPH, style("paper-list--note-glyph", partial=True))
            text.append(f"{votes:>3} ", style("paper-list--votes", partial=True))
        else:
            text.append(f" {votes:>3} ", style("paper-list--votes", partial=True))
        start = len(text)
        text.append(one_line(paper.title))
        if read:
            text.stylize(style("paper-list--read", partial=True), start)
        return text
