"""What the two finders share: search (``/``) and the author index (``@``).

A finder is a modal ``Screen[str | None]``: a query box, a status line, a list and a
preview; it dismisses with the chosen paper's id (``PapersApp.show_paper`` then shows
it) or None.  Typing never waits for the engine: each change of the box starts a
thread worker (``exclusive``: it supersedes the previous one; the changes of a burst of
keys handled together start one) that calls ``find`` and hands the result to ``_paint``
on the UI thread; a result for an older query than the one in the box is dropped
(``generation``, and the box's text: ``_deliver``).  Enter pressed before the box's
query has been painted waits for that worker instead of running the engine on the UI
thread.
Printable keys pressed on the lists go to the box (fzf-like).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, work
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from ..widgets.paper_detail import DetailPane, PaperDetail
from .breakpoints import width_class

if TYPE_CHECKING:
    from store.db import Store

PREVIEW_DELAY = 0.04  # seconds: coalesce preview renders while a key is held


def set_title(widget: Widget, title: str) -> None:
    """Set ``widget``'s border title, unless it already says that (setting it repaints
    the whole widget, border and all, even to the same text)."""
    if widget.border_title != title:
        widget.border_title = title


class FinderScreen(ModalScreen["str | None"]):
    """The frame of a finder; subclasses name their widgets and say how to find."""

    CSS_PATH = "screens.tcss"  # read when the first such screen opens
    INPUT_ID = ""  # ids of the query box, status line and preview (set by each finder)
    STATUS_ID = ""
    PREVIEW_ID = ""

    BINDINGS: ClassVar[list[BindingType]] = [
        # "/" and "@" here are text, not the reader's search / author keys
        Binding("slash,at", "nothing", show=False),
    ]

    def __init__(self, store: Store, query: str = "") -> None:
        # with the width class the first resize gives (``breakpoints.py``)
        width = width_class(self.app.size.width, self.HORIZONTAL_BREAKPOINTS or [])
        super().__init__(classes=width)
        self.store = store
        self.initial = query
        self.generation = 0  # bumped on every query change; stale results are dropped
        self.shown_query: str | None = None  # the query whose results are listed
        self._finished = False
        self._open_when_painted = False  # Enter came before the box's results
        self._due: dict[Callable[[], None], Timer] = {}
        self._due_find: tuple[int, str] | None = None  # (generation, query) to find next

    @property
    def input(self) -> Input:
        return self.query_one(f"#{self.INPUT_ID}", Input)

    @property
    def status(self) -> Static:
        return self.query_one(f"#{self.STATUS_ID}", Static)

    @property
    def preview(self) -> PaperDetail:
        return self.query_one(f"#{self.PREVIEW_ID}", PaperDetail)

    def preview_title(self, title: str) -> None:
        """The preview's border title (the border is its pane's, when it has one)."""
        preview = self.preview
        owner = preview.parent if isinstance(preview.parent, DetailPane) else preview
        set_title(owner, title)

    def query_box(self, box: Input, title: str, subtitle: str) -> Widget:
        """The query box in its bordered frame.  The border (and the padding) are the
        frame's: a keystroke repaints the box's one line, not the border around it, and
        an Input without padding keeps the width Textual gives it (with padding, every
        keystroke took a layout pass, which repaints every scrollbar on the screen)."""
        frame = Vertical(box, id=f"{box.id}-frame", classes="finder-box")
        frame.border_title = title
        frame.border_subtitle = subtitle
        return frame

    def _set_status(self, text: Text, *, empty: bool = False) -> None:
        self.status.set_class(empty, "-empty")
        self.status.update(text, layout=False)  # one line, always: no layout pass

    # -- finding, in a worker -------------------------------------------------------
    def find(self, query: str, wanted: Callable[[], bool]) -> Any:  # pragma: no cover
        """Run in a worker thread: the result for ``query`` (None: given up)."""
        raise NotImplementedError

    def _paint(self, generation: int, query: str, result: Any, elapsed: float,
               error: str | None = None) -> None:  # pragma: no cover - each finder's
        raise NotImplementedError

    def _query_changed(self, value: str) -> None:
        self.generation += 1
        self._open_when_painted = False  # Enter meant the query before this change
        due = self._due_find is None
        self._due_find = (self.generation, value.strip())
        if due:  # once the changes already queued are handled: a burst starts one worker
            self.call_later(self._start_find)

    def _start_find(self) -> None:
        due, self._due_find = self._due_find, None
        if due is not None and not self._finished and due[0] == self.generation:
            self._find(*due)

    @work(thread=True, exclusive=True, group="finder", exit_on_error=False)
    def _find(self, generation: int, query: str) -> None:
        worker = get_current_worker()

        def wanted() -> bool:
            return not worker.is_cancelled and generation == self.generation

        if not wanted():
            return  # a newer keystroke already superseded this one
        start = time.perf_counter()
        try:
            result, error = self.find(query, wanted), None
        except Exception as exc:  # noqa: BLE001 - the engine must never take the reader down
            result, error = None, str(exc) or type(exc).__name__
        elapsed = (time.perf_counter() - start) * 1000
        if (result is None and error is None) or not wanted() or self._finished:
            return
        self.app.call_from_thread(self._deliver, generation, query, result, elapsed, error)

    def _deliver(self, generation: int, query: str, result: Any, elapsed: float,
                 error: str | None) -> None:
        """Paint a worker's result, unless the box has moved on since: a key already in
        the box whose ``Input.Changed`` has not been handled yet has not bumped
        ``generation``, so the box's text is compared too (else the results of the query
        before that key were painted under it)."""
        if not self.is_current(generation) or self.input.value.strip() != query:
            return
        self._paint(generation, query, result, elapsed, error)

    def is_current(self, generation: int) -> bool:
        """Whether results made for ``generation`` are still wanted on the screen."""
        return not self._finished and generation == self.generation and self.is_attached

    def painted(self) -> None:
        """Called by ``_paint`` once the box's results are listed."""
        if self._open_when_painted:
            self._open_when_painted = False
            self.action_open()

    def ready(self) -> bool:
        """Whether the box's query is the one listed; if not, Enter is kept for when it is."""
        if self.shown_query == self.input.value.strip():
            return True
        self._open_when_painted = True
        return False

    def action_open(self) -> None:  # pragma: no cover - each finder's
        raise NotImplementedError

    def finish(self, paper_id: str | None) -> None:
        """Close with ``paper_id`` (None: nothing chosen); late results are dropped."""
        self._finished = True
        self.generation += 1
        for timer in self._due.values():
            timer.stop()
        self._due.clear()
        self.dismiss(paper_id)

    # -- coalesced renders ----------------------------------------------------------
    def soon(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once, ``PREVIEW_DELAY`` from now, however often asked meanwhile."""
        if callback not in self._due:
            self._due[callback] = self.set_timer(PREVIEW_DELAY, lambda: self.now(callback))

    def now(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` now (and not again for an earlier ``soon``)."""
        timer = self._due.pop(callback, None)
        if timer is not None:
            timer.stop()
        if not self._finished:
            callback()

    def pending(self, callback: Callable[[], None]) -> bool:
        return callback in self._due

    # -- typing on a list goes to the box ----------------------------------------------
    def types_into_box(self, focused: Widget, event: events.Key) -> bool:
        """Whether a printable key pressed on ``focused`` belongs in the query box."""
        return True

    def on_key(self, event: events.Key) -> None:
        focused = self.focused
        if focused is None or focused is self.input or not event.is_printable:
            return
        if event.character and self.types_into_box(focused, event):
            event.stop()
            event.prevent_default()
            self.input.focus()
            self.input.insert_text_at_cursor(event.character)

    def action_nothing(self) -> None:
        pass
