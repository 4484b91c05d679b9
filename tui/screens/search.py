"""The search screen (``/``): a query box, ranked results and a live preview.

Typing never waits for ranking: every change of the query starts a thread worker
(``exclusive``: it supersedes the previous one) and the results are painted from it
with ``call_from_thread``; a result for an older query than the one in the box is
dropped.  Enter dismisses with the highlighted paper's id (the main screen then shows
it in its day); Escape dismisses with None and the reader is exactly as it was.

Recent queries live in the store's UI state (``search_history``, most recent first).
With an empty box they are listed, and ↑ walks them (↓ walks back).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.worker import get_current_worker

from ..searching import FILTER_HINT, RESULT_LIMIT, SYNTAX_HELP, load_history, rank, remember
from ..text import one_line
from ..widgets.key_bar import KeyBar
from ..widgets.paper_detail import PaperDetail
from ..widgets.result_list import ResultList

if TYPE_CHECKING:
    from store.db import Store

    from ..searching import ResultRow

PREVIEW_DELAY = 0.04  # seconds: coalesce preview renders while a key is held
NARROW = 80  # below this many columns the preview is hidden


class SearchScreen(Screen["str | None"]):
    """Search every paper; dismisses with the chosen paper id, or None."""

    CSS_PATH = "screens.tcss"  # read when the first such screen opens

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="search.close"),
        Binding("enter", "open", "Open", id="search.open"),
        Binding("down", "down", "Next", show=False, id="search.down"),
        Binding("up", "up", "Previous", show=False, id="search.up"),
        Binding("ctrl+n", "move(1)", "Next result", show=False, id="search.next"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="search.page-down"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="search.page-up"),
        # "/" and "@" here are text, not the reader's search / author keys
        Binding("slash,at", "nothing", show=False),
    ]

    def __init__(self, store: Store, query: str = "") -> None:
        super().__init__()
        self.store = store
        self.initial = query
        self.history: list[str] = []
        self.history_pos = -1  # index into history while walking it with ↑/↓
        self.generation = 0  # bumped on every query change; stale results are dropped
        self.shown_query: str | None = None  # the query whose results are listed
        self.elapsed_ms = 0.0
        self._finished = False
        self._preview_timer: Timer | None = None

    # -- layout -------------------------------------------------------------
    def compose(self) -> ComposeResult:
        box = Input(self.initial, placeholder="Search titles, authors, summaries…",
                    id="search-input", select_on_focus=False)
        box.border_title = "Search"
        box.border_subtitle = "Enter opens · Esc back"
        yield box
        yield Static("", id="search-status", markup=False)
        with Horizontal(id="search-panes"):
            yield ResultList(id="search-results", classes="search-pane")
            yield PaperDetail(id="search-preview", classes="search-pane")
        yield KeyBar()

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def results(self) -> ResultList:
        return self.query_one("#search-results", ResultList)

    @property
    def preview(self) -> PaperDetail:
        return self.query_one("#search-preview", PaperDetail)

    @property
    def status(self) -> Static:
        return self.query_one("#search-status", Static)

    def on_mount(self) -> None:
        self.results.border_title = "Results"
        self.preview.border_title = "Preview"
        self.history = load_history(self.store)
        self.input.focus()
        self._query_changed(self.input.value)

    # -- the query ------------------------------------------------------------
    @on(Input.Changed, "#search-input")
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._query_changed(event.value)

    def _query_changed(self, value: str) -> None:
        self.generation += 1
        query = value.strip()
        if not query:
            self._show_recent()
            return
        self.status.set_class(False, "-empty")
        self._rank(self.generation, query)

    @work(thread=True, exclusive=True, group="search-rank", exit_on_error=False)
    def _rank(self, generation: int, query: str) -> None:
        worker = get_current_worker()
        if worker.is_cancelled or generation != self.generation:
            return  # a newer keystroke already superseded this one

        def wanted() -> bool:
            return not worker.is_cancelled and generation == self.generation

        start = time.perf_counter()
        try:
            rows = rank(self.store, query, RESULT_LIMIT, wanted)
            error = None
        except Exception as exc:  # the engine must never take the reader down
            rows, error = [], str(exc) or type(exc).__name__
        elapsed = (time.perf_counter() - start) * 1000
        if rows is None or not wanted() or self._finished:
            return
        self.app.call_from_thread(self._paint, generation, query, rows, elapsed, error)

    def _paint(self, generation: int, query: str, rows: list[ResultRow], elapsed: float,
               error: str | None = None) -> None:
        """Show ``rows`` for ``query``, unless the box has moved on since."""
        if self._finished or generation != self.generation or not self.is_attached:
            return
        self.shown_query = query
        self.elapsed_ms = elapsed
        self.history_pos = self._walk_position()
        results = self.results
        results.show_rows(rows)
        n = len(rows)
        results.border_title = f"Results {n}{'+' if n >= RESULT_LIMIT else ''}"
        if error is not None:
            self._set_status(Text(f"Search failed: {one_line(error)}"), empty=True)
        elif not rows:
            self._set_status(Text.assemble("No matches for “", one_line(query), "”.  Filters: ",
                                           FILTER_HINT), empty=True)
        else:
            more = " (best 50)" if n >= RESULT_LIMIT else ""
            searched = getattr(rows, "searched_for", "")  # another keyboard layout
            lead = f"searched for {one_line(searched)} · " if searched else ""
            self._set_status(Text(f"{lead}{n} result{'s' if n != 1 else ''}{more} · "
                                  f"{elapsed:.0f} ms · ↓/Ctrl+N move · Enter opens"))
        self._show_preview()

    def _show_recent(self) -> None:
        self.shown_query = ""
        self.results.show_recent(self.history)
        self.results.border_title = "Recent searches" if self.history else "Results"
        hint = "Type to search" + (" · ↑ recalls recent searches" if self.history else "")
        self._set_status(Text(f"{hint} · filters: {FILTER_HINT}"))
        self.preview.border_title = "Search syntax"
        self.preview.show_paper(None, empty=SYNTAX_HELP)

    def _set_status(self, text: Text, *, empty: bool = False) -> None:
        self.status.set_class(empty, "-empty")
        self.status.update(text)

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

    def action_nothing(self) -> None:
        pass

    # -- preview ------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#search-results")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self._preview_timer is None:
            self._preview_timer = self.set_timer(PREVIEW_DELAY, self._show_preview)

    def _show_preview(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        if self._finished:
            return
        row = self.results.current_row
        if row is None:
            if self.results.recent or not self.shown_query:
                return  # the syntax help stays
            self.preview.border_title = "Preview"
            self.preview.show_paper(None, empty="No matches.")
            return
        paper = self.store.paper(row.id)
        if paper is None:
            self.preview.show_paper(None, empty="That paper is no longer in the corpus.")
            return
        self.preview.border_title = "Preview"
        self.preview.show_paper(
            paper, read=self.store.is_read(paper.id), bookmarked=self.store.is_bookmarked(paper.id),
            note=self.store.note(paper.id), tags=self.store.tags(paper.id),
        )

    # -- choosing -------------------------------------------------------------------
    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
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
        if not query:
            return
        row = results.current_row
        if self.shown_query != query:
            # Enter before the worker painted this query: rank it now (a few ms).
            rows = rank(self.store, query, 1) or []
            row = rows[0] if rows else None
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
        self._finished = True
        self.generation += 1
        self.dismiss(paper_id)

    # -- typing while the results or the preview have focus ----------------------------
    def on_key(self, event: events.Key) -> None:
        focused = self.focused
        if focused is None or focused is self.input or not event.is_printable:
            return
        if focused is self.preview and event.key in ("j", "k", "g", "G", "space"):
            return  # the preview's own scrolling keys
        if event.character:
            event.stop()
            event.prevent_default()
            self.input.focus()
            self.input.insert_text_at_cursor(event.character)
