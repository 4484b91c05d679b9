"""The search results: two lines per ranked paper, matched title characters highlighted.

    ● ★ 2024-06-14  87  Depth Anything V2
        summary · …단일 카메라 깊이 추정(MDE, Monocular Depth Estimation) 모델의…

At most ~50 rows, so an ``OptionList`` (multi-line rows, mouse, scrolling) is fine.
With an empty query the same list offers the recent queries instead (option ids
``query:N``).  Rows are built from ``rich.text.Text``: data, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..text import one_line
from .paper_list import BOOKMARK_GLYPH, UNREAD_GLYPH

if TYPE_CHECKING:
    from ..searching import ResultRow

FIELD_NAMES = {
    "title": "title",
    "authors": "authors",
    "summary": "summary",
    "id": "arXiv id",
    "date": "date",
    "note": "note",
}


class ResultList(OptionList):
    COMPONENT_CLASSES: ClassVar[set[str]] = OptionList.COMPONENT_CLASSES | {
        "result-list--match",
        "result-list--meta",
        "result-list--field",
        "result-list--snippet",
        "result-list--unread",
        "result-list--bookmark",
        "result-list--read",
    }

    DEFAULT_CSS = """
    ResultList {
        height: 1fr;
        max-height: 100%;
        padding: 0;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        scrollbar-size-vertical: 1;
        & > .result-list--match { text-style: bold underline; color: $text-accent; }
        & > .result-list--meta { color: $text-secondary; }
        & > .result-list--field { color: $text-accent; }
        & > .result-list--snippet { color: $text-muted; }
        & > .result-list--unread { color: $text-accent; }
        & > .result-list--bookmark { color: $text-warning; }
        & > .result-list--read { color: $text-muted; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.rows: list[ResultRow] = []
        self.recent: list[str] = []
        self._batch = 0

    # -- content --------------------------------------------------------------
    def show_rows(self, rows: list[ResultRow]) -> None:
        """Show ranked papers; the first is highlighted."""
        self.rows = list(rows)
        self.recent = []
        self._batch += 1
        # What fits on screen is built now; the rest follows right after this frame, so
        # a keystroke's visible results never wait for rows nobody can see yet.
        first = max(self.size.height // 2 + 2, 12)
        self.set_options(self._build_rows(0, first))
        if self.rows:
            self.highlighted = 0
        if len(self.rows) > first:
            self.call_after_refresh(self._add_rest, self._batch, first)

    def _build_rows(self, start: int, stop: int) -> list[Option]:
        return [Option(self._row_text(row), id=f"paper:{i}")
                for i, row in enumerate(self.rows[start:stop], start)]

    def _add_rest(self, batch: int, start: int) -> None:
        if batch == self._batch:  # not replaced by newer results meanwhile
            self.add_options(self._build_rows(start, len(self.rows)))

    def show_recent(self, queries: list[str]) -> None:
        """Show recent queries (nothing highlighted until the user moves)."""
        self.rows = []
        self._batch += 1
        self.recent = list(queries)
        style = self._style("snippet")
        options = [Option(Text.assemble(("↺ ", style), one_line(q)), id=f"query:{i}")
                   for i, q in enumerate(self.recent)]
        self.set_options(options)

    @property
    def current_row(self) -> ResultRow | None:
        index = self.highlighted
        if self.rows and index is not None and 0 <= index < len(self.rows):
            return self.rows[index]
        return None

    @property
    def current_query(self) -> str | None:
        index = self.highlighted
        if self.recent and index is not None and 0 <= index < len(self.recent):
            return self.recent[index]
        return None

    def move(self, step: int) -> None:
        """Move the highlight by ``step`` (from nothing: to the first row)."""
        count = self.option_count
        if not count:
            return
        if self.highlighted is None:
            self.highlighted = 0 if step > 0 else count - 1
        else:
            self.highlighted = max(0, min(count - 1, self.highlighted + step))

    # -- rendering --------------------------------------------------------------
    def _style(self, name: str):
        return self.get_component_rich_style(f"result-list--{name}", partial=True)

    def _row_text(self, row: ResultRow) -> Text:
        s = self._style
        text = Text()
        text.append(" " if row.read else UNREAD_GLYPH, s("unread"))
        text.append(BOOKMARK_GLYPH if row.bookmarked else " ", s("bookmark"))
        text.append(f" {one_line(row.date):<10}", s("meta"))
        votes = "" if row.votes is None else str(row.votes)
        text.append(f" {votes:>3}  ", s("meta"))
        text.append_text(highlight_title(row.title, row.spans, s("match")))
        text.append("\n")
        text.append("    ")
        text.append(FIELD_NAMES.get(row.field, one_line(row.field)), s("field"))
        text.append(" · ", s("snippet"))
        if row.reason:  # matched through the glossary: say which term stood for which
            text.append(one_line(row.reason), s("field"))
            text.append(" · ", s("snippet"))
        if row.field in ("authors", "summary", "note") and row.snippet:
            text.append_text(highlight_snippet(row.snippet, row.snippet_spans, s("snippet"),
                                               s("match")))
        else:
            authors = ", ".join(row.authors[:6]) + (", …" if len(row.authors) > 6 else "")
            text.append(one_line(authors), s("snippet"))
        return text


def highlight_title(title: str, spans: list[tuple[int, int]], style) -> Text:
    """``title`` as one line with the matched ``spans`` styled (spans index the raw title)."""
    shown = one_line(title)
    text = Text(shown or "(untitled)")
    if len(shown) == len(title):  # one_line is 1:1 unless the title held "\r\n"
        for start, end in spans:
            start, end = max(0, start), min(len(shown), end)
            if start < end:
                text.stylize(style, start, end)
    return text


SNIPPET_LEAD = 10  # cells kept before the first highlighted word of a snippet


def highlight_snippet(snippet: str, spans: list[tuple[int, int]], style, match_style) -> Text:
    """The snippet on one line, starting shortly before its first match (so the match
    shows in a narrow row), with the matched words styled."""
    shown = one_line(snippet)
    if len(shown) != len(snippet):
        spans = []
    cut = 0
    if spans and cell_len(shown[: spans[0][0]]) > SNIPPET_LEAD:
        first = cut = spans[0][0]
        while cut > 0 and cell_len(shown[cut - 1 : first]) <= SNIPPET_LEAD:
            cut -= 1
        boundary = cut
        while boundary < first and not shown[boundary - 1].isspace():
            boundary += 1
        if boundary < first:
            cut = boundary  # start at a word
    prefix = "…" if cut else ""
    text = Text(prefix + shown[cut:], style)
    offset = len(prefix) - cut
    for start, end in spans:
        start, end = max(len(prefix), start + offset), min(len(text), end + offset)
        if start < end:
            text.stylize(match_style, start, end)
    return text
