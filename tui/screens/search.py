"""The search screen (``/``): a query box, ranked results and a live preview.

Ranking runs in the finder's worker (``tui/screens/finder.py``: typing never waits,
stale results are dropped).  Enter dismisses with the highlighted paper's id (the app
then shows it in its day); Escape dismisses with None and the reader is exactly as it
was.

Recent queries live in the store's UI state (``search_history``, most recent first).
With an empty box they are listed, and ↑ walks them (↓ walks back).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Static

from ..cursor import steady
from ..searching import FILTER_HINT, RESULT_LIMIT, SYNTAX_HELP, load_history, rank, remember
from ..text import one_line
from ..widgets.key_bar import KeyBar
from ..widgets.paper_detail import DetailPane, PaperDetail
from ..widgets.result_list import ResultList
from .finder import FinderScreen, set_title

if TYPE_CHECKING:
    from store.db import Store

    from ..searching import ResultRow

NARROW = 80  # below this many columns the preview is hidden


class SearchScreen(FinderScreen):
    """Search every paper; dismisses with the chosen paper id, or None."""

    INPUT_ID, STATUS_ID, PREVIEW_ID = "search-input", "search-status", "search-preview"

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"), (NARROW, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="search.close"),
        Binding("enter", "open", "Open", id="search.open"),
        Binding("down", "down", "Next", show=False, id="search.down"),
        Binding("up", "up", "Previous", show=False, id="search.up"),
        Binding("ctrl+n", "move(1)", "Next result", show=False, id="search.next"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="search.page-down"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="search.page-up"),
    ]

    def __init__(self, store: Store, query: str = "") -> None:
        super().__init__(store, query)
        self.history: list[str] = []
        self.history_pos = -1  # index into history while walking it with ↑/↓
        self.elapsed_ms = 0.0

    # -- layout -------------------------------------------------------------
    def compose(self) -> ComposeResult:
        box = Input(self.initial, placeholder="Search titles, authors, summaries…",
                    id="search-input", select_on_focus=False)
        steady(self.app, box)
        yield self.query_box(box, "Search", "Enter opens · Esc back")
        yield Static("", id="search-status", markup=False)
        with Horizontal(id="search-panes"):
            yield ResultList(id="search-results", classes="search-pane")
            yield DetailPane(PaperDetail(id="search-preview"), id="search-preview-pane",
                             classes="search-pane")
        yield KeyBar()

    @property
    def results(self) -> ResultList:
        return self.query_one("#search-results", ResultList)

    def on_mount(self) -> None:
        self.results.border_title = "Results"
        self.preview_title("Preview")
        self.history = load_history(self.store)
        self.input.focus()
        self._query_changed(self.input.value)

    # -- the query ------------------------------------------------------------
    @on(Input.Changed, "#search-input")
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._query_changed(event.value)

    def _query_changed(self, value: str) -> None:
        if not value.strip():
            self.generation += 1
            self._open_when_painted = False
            self._show_recent()
            return
        self.status.set_class(False, "-empty")
        super()._query_changed(value)

    def find(self, query: str, wanted: Callable[[], bool]) -> list[ResultRow] | None:
        return rank(self.store, query, RESULT_LIMIT, wanted)

    def _paint(self, generation: int, query: str, rows: list[ResultRow], elapsed: float,
               error: str | None = None) -> None:
        """Show ``rows`` for ``query``, unless the box has moved on since."""
        if not self.is_current(generation):
            return
        rows = rows or []
        self.shown_query = query
        self.elapsed_ms = elapsed
        self.history_pos = self._walk_position()
        results = self.results
        results.show_rows(rows)
        n = len(rows)
        set_title(results, f"Results {n}{'+' if n >= RESULT_LIMIT else ''}")
        if error is not None:
            self._set_status(Text(f"Search failed: {one_line(error)}"), empty=True)
        elif not rows:
            self._set_status(Text.assemble("No matches for “", one_line(query), "”.  Filters: ",
                                           FILTER_HINT), empty=True)
        else:
            more = " (best 50)" if n >= RESULT_LIMIT else ""
            searched = getattr(rows, "searched_for", "")  # another keyboard layout
            lead = f"searched for {one_line(searched)} · " if searched else ""
            at = getattr(rows, "partial_at", -1)  # rows from here lack some of the words
            count = f"{n} result{'s' if n != 1 else ''}{more}" if at < 0 else \
                f"{at} result{'s' if at != 1 else ''} with every word, {n - at} without some{more}"
            self._set_status(Text(f"{lead}{count} · "
                                  f"{elapsed:.0f} ms · ↓/Ctrl+N move · Enter opens"))
        # the results first, the preview of the first one a frame later (rendering a
        # summary costs as much as ranking; it would hold the results back)
        self.call_after_refresh(self.now, self._show_preview)
        self.painted()

    def _show_recent(self) -> None:
        self.shown_query = ""
        self.results.show_recent(self.history)
        set_title(self.results, "Recent searches" if self.history else "Results")
        hint = "Type to search" + (" · ↑ recalls recent searches" if self.history else "")
        self._set_status(Text(f"{hint} · filters: {FILTER_HINT}"))
        self.preview_title("Search syntax")
        self.preview.show_paper(None, empty=SYNTAX_HELP)

    def _set_query(self, value: str) -> None:
        box = self.input
        box.value = value
        box.cursor_position = len(value)

    # -- recent queries -----------------------------------------------------------
    def _walk_position(self) -> int:
        """Where in the history the box is while walking it with ↑/↓ (else -1)."""
        pos = self.history_pos
        if 0 <= pos < len(self.history) and self.input.value == self.history[pos]:
            return pos
        return -1

    def action_up(self) -> None:
        pos = self._walk_position()
        if pos >= 0 or (not self.input.value.strip() and self.results.highlighted is None):
            if pos + 1 < len(self.history):
                self.history_pos = pos + 1
                self._set_query(self.history[pos + 1])
            return
        self.results.move(-1)

    def action_down(self) -> None:
        pos = self._walk_position()
        if pos >= 0:
            self.history_pos = pos - 1
            self._set_query(self.history[pos - 1] if pos > 0 else "")
            return
        self.results.move(1)

    def action_move(self, step: int) -> None:
        self.results.move(step)

    # -- preview ------------------------------------------------------------------
    @on(ResultList.Highlighted, "#search-results")
    def _highlighted(self, event: ResultList.Highlighted) -> None:
        event.stop()
        self.soon(self._show_preview)

    def _show_preview(self) -> None:
        row = self.results.current_row
        if row is None:
            if self.results.recent or not self.shown_query:
                return  # the syntax help stays
            self.preview_title("Preview")
            self.preview.show_paper(None, empty="No matches.")
            return
        paper = self.store.paper(row.id)
        if paper is None:
            self.preview.show_paper(None, empty="That paper is no longer in the corpus.")
            return
        self.preview_title("Preview")
        # The same paper as before this keystroke: drawn again only if its state changed.
        self.preview.show(paper, self.store, refresh=True)

    # -- choosing -------------------------------------------------------------------
    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    @on(ResultList.Selected, "#search-results")
    def _selected(self, event: ResultList.Selected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        results = self.results
        recent = results.current_query
        if recent is not None:  # a recent query: search it again
            self._set_query(recent)
            self.input.focus()
            return
        query = self.input.value.strip()
        if not query or not self.ready():  # not yet painted: opens when it is
            return
        row = results.current_row
        if row is None:
            self.app.bell()
            return
        self._finish(row.id, query)

    def action_close(self) -> None:
        query = self.input.value.strip()
        keep = query if query and self.shown_query == query and self.results.rows else None
        self._finish(None, keep)

    def _finish(self, paper_id: str | None, query: str | None) -> None:
        if query:
            self.history = remember(self.store, query)
        self.finish(paper_id)

    def types_into_box(self, focused: Widget, event: events.Key) -> bool:
        # the preview keeps its own scrolling keys
        return not (focused is self.preview and event.key in ("j", "k", "g", "G", "space"))
