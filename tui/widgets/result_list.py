"""The search results: two lines per ranked paper, matched title characters highlighted.

    ● ★ 2024-06-14  87  Depth Anything V2
        summary · …단일 카메라 깊이 추정(MDE, Monocular Depth Estimation) 모델의…

A line-API list (like the main screen's lists) that draws only the lines on screen: a
keystroke's new results repaint the list's content area, not its border and, while the
number of results stays the same, with no layout pass; moving the highlight repaints the
two rows it leaves and enters.  It has no scrollbar: the query box takes a layout pass on
every keystroke (Textual's Input resizes its virtual width to the text), and a layout
pass repaints every scrollbar on the screen (1 KB a key); the border's subtitle says
where the view is instead, as the detail pane's does.
Over a slow SSH link these bytes are the time a key takes.  With an empty query the same
list offers the recent queries instead, one line each.  Rows are built from
``rich.text.Text``: data, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..text import one_line, scroll_position
from .paper_list import BOOKMARK_GLYPH, UNREAD_GLYPH
from .row_message import RowHighlighted, RowMessage
from .strips import fewer_segments

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


class ResultList(ScrollView, can_focus=True, inherit_bindings=False):
    """Ranked papers (two lines each) or recent queries (one line each), one highlighted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "result-list--highlighted",
        "result-list--match",
        "result-list--meta",
        "result-list--field",
        "result-list--snippet",
        "result-list--unread",
        "result-list--bookmark",
        "result-list--read",
    }

    # The look of the OptionList this replaced (its highlight, its focus tint).
    DEFAULT_CSS = """
    ResultList {
        height: 1fr;
        padding: 0;
        color: $foreground;
        background: $surface;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 0;  /* the border subtitle says where the view is */
        & > .result-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .result-list--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .result-list--match { text-style: bold underline; color: $text-accent; }
        & > .result-list--meta { color: $text-secondary; }
        & > .result-list--field { color: $text-accent; }
        & > .result-list--snippet { color: $text-muted; }
        & > .result-list--unread { color: $text-accent; }
        & > .result-list--bookmark { color: $text-warning; }
        & > .result-list--read { color: $text-muted; }
    }
    """

    class Highlighted(RowHighlighted):
        """The highlight moved to another row (may be coalesced)."""

    class Selected(RowMessage):
        """Enter or a click on a row."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[ResultRow] = []
        self.recent: list[str] = []
        self._highlighted: int | None = None
        self._per_row = 2  # lines per row: 2 for papers, 1 for recent queries
        self._texts: dict[int, list[Text]] = {}  # row -> its lines (styles, no width)

    # -- content --------------------------------------------------------------
    def show_rows(self, rows: list[ResultRow]) -> None:
        """Show ranked papers; the first is highlighted."""
        self.rows = list(rows)
        self.recent = []
        self._replace(2, 0 if self.rows else None)

    def show_recent(self, queries: list[str]) -> None:
        """Show recent queries (nothing highlighted until the user moves)."""
        self.rows = []
        self.recent = list(queries)
        self._replace(1, None)

    def _replace(self, per_row: int, highlighted: int | None) -> None:
        self._per_row = per_row
        self._texts.clear()
        self._highlighted = highlighted
        lines = self.row_count * per_row
        if round(self.scroll_y) != 0:
            self.scroll_to(y=0, animate=False, immediate=True)
        if self.virtual_size.height != lines:
            # Another number of lines: the scrollbar changes, which takes a layout pass.
            self.virtual_size = Size(0, lines)
        self.refresh(self.scrollable_content_region.reset_offset)  # the lines, not the border
        self._update_position()

    @property
    def row_count(self) -> int:
        return len(self.rows) if self.rows else len(self.recent)

    def row_text(self, index: int) -> Text:
        """Row ``index`` as drawn (before truncation to the width): its lines joined."""
        return Text("\n").join(self._lines_of(index))

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        count = self.row_count
        if index is not None:
            if not count:
                return
            index = max(0, min(count - 1, index))
        old = self._highlighted
        if index == old:
            return
        self._highlighted = index
        top = round(self.scroll_y)
        self._scroll_to_highlight()
        if round(self.scroll_y) == top:  # scrolled: every line was repainted already
            for row in (old, index):
                self._refresh_row(row)
        if index is not None:
            self.post_message(self.Highlighted(self, index))

    @property
    def current_row(self) -> ResultRow | None:
        index = self._highlighted
        if self.rows and index is not None and 0 <= index < len(self.rows):
            return self.rows[index]
        return None

    @property
    def current_query(self) -> str | None:
        index = self._highlighted
        if self.recent and index is not None and 0 <= index < len(self.recent):
            return self.recent[index]
        return None

    def move(self, step: int) -> None:
        """Move the highlight by ``step`` (from nothing: to the first row)."""
        count = self.row_count
        if not count:
            return
        if self._highlighted is None:
            self.highlighted = 0 if step > 0 else count - 1
        else:
            self.highlighted = max(0, min(count - 1, self._highlighted + step))

    # -- scrolling and repainting ---------------------------------------------------
    def _refresh_row(self, index: int | None) -> None:
        if index is not None:
            self.refresh_lines(index * self._per_row, self._per_row)

    def _scroll_to_highlight(self) -> None:
        index, height = self._highlighted, self.scrollable_content_region.height
        if index is None or height <= 0:
            return
        first, per = index * self._per_row, self._per_row
        top = round(self.scroll_y)
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif first + per > top + height:
            self.scroll_to(y=first + per - height, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self._scroll_to_highlight()
        self._update_position()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._update_position()

    def _update_position(self) -> None:
        """Say in the border where the view is, when there are more lines than fit (set
        only when it changes: a new subtitle repaints the border)."""
        where = scroll_position(round(self.scroll_y), self.scrollable_content_region.height,
                                self.row_count * self._per_row)
        if str(self.border_subtitle or "") != where:
            self.border_subtitle = where

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._texts.clear()  # colours changed (theme): build the rows again

    # -- keys and mouse -----------------------------------------------------------
    def action_move(self, step: int) -> None:
        self.move(step)

    def action_first(self) -> None:
        self.highlighted = 0

    def action_last(self) -> None:
        self.highlighted = self.row_count - 1

    def action_page(self, direction: int) -> None:
        page = max(1, self.scrollable_content_region.height // self._per_row)
        self.move(direction * page)

    def action_select(self) -> None:
        if self._highlighted is not None:
            self.post_message(self.Selected(self, self._highlighted))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (round(self.scroll_y) + offset.y) // self._per_row
        if 0 <= index < self.row_count:
            self.highlighted = index
            self.post_message(self.Selected(self, index))

    # -- drawing ------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index, part = divmod(round(self.scroll_y) + y, self._per_row)
        if index >= self.row_count or width <= 0:
            return Strip.blank(max(0, width), base)
        style: Style = base
        if index == self._highlighted:
            style = base + self.get_visual_style("result-list--highlighted").rich_style
        lines = self._lines_of(index)
        text = lines[part].copy() if part < len(lines) else Text()
        text.stylize_before(style)
        text.no_wrap = True
        text.truncate(width, overflow="ellipsis", pad=True)
        strip = Strip(text.render(self.app.console)).crop_extend(0, width, style)
        return fewer_segments(strip)

    def _lines_of(self, index: int) -> list[Text]:
        lines = self._texts.get(index)
        if lines is None:
            if self.rows:
                text = self._row_text(self.rows[index])
            else:
                text = Text.assemble(("↺ ", self._style("snippet")), one_line(self.recent[index]))
            lines = list(text.split("\n"))
            self._texts[index] = lines
        return lines

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
