"""The reader's main screen: Days | Papers | Detail.

At 100+ columns the three panes sit side by side; from 60 they are narrower;
below 60 only the focused pane is shown and Enter/Escape move between them.
The screen composes the panes, turns keys into calls on the reader's model
(``tui/reader.py``: the day, mode, sort, filter, unread steps and undoable
changes) and shows what comes back.  Every read/bookmark change goes straight
through the Store (on disk before the next key).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer

from store.storage import StoreError

from ..read_marker import ReadMarker
from ..reader import FOR_YOU_OFF, SORT_NAMES, Mode, Reader
from ..widgets.day_list import DayList
from ..widgets.key_bar import KeyBar
from ..widgets.paper_detail import DetailPane, PaperDetail
from ..widgets.paper_list import PaperList
from ..widgets.virtual_list import VirtualList
from .breakpoints import width_class
from .keep import KEEP_BINDINGS, KeepActions
from .links import LinkActions
from .marks import MarkActions
from .panes import NARROW, PaneActions
from .related import RELATED_BINDINGS, WARM_AFTER, RelatedActions
from .updating import UPDATE_BINDINGS, UpdateActions

if TYPE_CHECKING:
    from store.db import DayInfo, Store
    from store.models import Paper

WIDE = 100  # from this many columns the roomy layout
XWIDE = 140  # from this many columns the detail pane gets the larger share
THROTTLE = 0.05  # seconds: at most one detail render per this while a key is held
POLL = 2.0  # seconds between checks for another process's changes


class MainScreen(PaneActions, MarkActions, KeepActions, LinkActions, UpdateActions,
                 RelatedActions, Screen):
    # The papers pane gets the first focus; focusing it directly (rather than the
    # first focusable widget, then papers) saves a restyle of the whole screen.
    AUTO_FOCUS = "#papers"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"), (NARROW, "-medium"), (WIDE, "-wide"), (XWIDE, "-xwide")
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="open"),
        Binding("escape", "back", "Back", show=False, id="back"),
        Binding("tab", "pane_next", "Next pane", show=False, id="pane-next"),
        Binding("shift+tab", "pane_previous", "Previous pane", show=False, id="pane-previous"),
        Binding("h,left", "pane_left", "Pane left", show=False, id="pane-left"),
        Binding("l,right", "pane_right", "Pane right", show=False, id="pane-right"),
        Binding(
            "space,pagedown", "detail_page_down", "Scroll detail", show=False, id="detail-page-down"
        ),
        Binding("pageup", "detail_page_up", "Scroll detail up", show=False, id="detail-page-up"),
        Binding(
            "left_square_bracket", "previous_day", "Previous day", show=False, id="previous-day"
        ),
        Binding("right_square_bracket", "next_day", "Next day", show=False, id="next-day"),
        Binding("r", "toggle_read", "Read", id="toggle-read"),
        Binding("b", "toggle_bookmark", "Bookmark", id="toggle-bookmark"),
        Binding("n", "next_unread", "Next", id="next-unread"),
        Binding("p", "previous_unread", "Previous unread", show=False, id="previous-unread"),
        Binding("A", "mark_all_read", "All read", show=False, id="mark-all-read"),
        Binding("u", "undo", "Undo", show=False, id="undo"),
        Binding("U", "toggle_unread_only", "Unread only", show=False, id="unread-only"),
        Binding("B", "toggle_bookmarks", "Bookmarks", id="bookmarks"),
        Binding("s", "cycle_sort", "Sort", show=False, id="sort"),
        Binding("z", "toggle_zoom", "Zoom", show=False, id="zoom"),
        Binding("o", "open_browser", "Browser", show=False, id="open-browser"),
        Binding("y", "copy_link", "Copy link", show=False, id="copy-link"),
        *KEEP_BINDINGS,  # e note, t tags, T tag view, x export, S stats (screens/keep.py)
        *UPDATE_BINDINGS,  # R update (screens/updating.py)
        *RELATED_BINDINGS,  # 1-5 open a related paper (screens/related.py)
    ]

    def __init__(self, store: Store) -> None:
        # Start with the width class the first resize would add (and the pane focused
        # first, AUTO_FOCUS): adding them later would restyle the whole screen again.
        width = width_class(self.app.size.width, self.HORIZONTAL_BREAKPOINTS)
        super().__init__(classes=" ".join(c for c in ("-show-papers", width) if c))
        self.store = store
        self.model = Reader(store)
        config = getattr(self.app, "config", None)  # tui/config.py: the user's settings
        if getattr(config, "sort", None) in SORT_NAMES:
            self.model.sort = config.sort
        if getattr(config, "unread_only", None) is not None:
            self.model.unread_only = bool(config.unread_only)
        self._marker = ReadMarker(self, getattr(config, "mark_read", "open"),
                                  getattr(config, "mark_read_after", 0.0), self._mark_shown,
                                  lambda: bool(self.detail.display))
        self._detail_timer: Timer | None = None
        self._last_detail = 0.0
        self._last_step = 1  # the last cursor move (the paper shown ahead is that way)

    # The model's state, as the screen's (tests and the keep actions read these).
    @property
    def day(self) -> str | None:
        return self.model.day

    @property
    def mode(self) -> Mode:
        return self.model.mode

    @property
    def days(self) -> list[DayInfo]:
        return self.model.days

    @days.setter
    def days(self, days: list[DayInfo]) -> None:
        self.model.days = days

    # -- layout -------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # The panes sit side by side on the screen itself (app.tcss): no container.
        yield DayList(id="days", classes="pane")
        papers = PaperList(self.store, id="papers", classes="pane")
        papers.follow = self._paper_moved  # the detail in the same frame as the rows
        yield papers
        yield DetailPane(PaperDetail(id="detail", related=True), id="detail-pane",
                         classes="pane")
        yield KeyBar()

    @property
    def day_list(self) -> DayList:
        return self.query_one("#days", DayList)

    @property
    def paper_list(self) -> PaperList:
        return self.query_one("#papers", PaperList)

    @property
    def detail(self) -> PaperDetail:
        return self.query_one("#detail", PaperDetail)

    def on_mount(self) -> None:
        self.day_list.border_title = "Days"
        self.query_one("#detail-pane").border_title = "Paper"
        self.watch(self, "focused", self._focus_changed)
        days = self.model.load_days()
        self.set_interval(POLL, self.poll_external)  # another process's changes, new days
        date, paper_id = self.model.start()
        if date is None:
            self.day_list.set_days([], notify=False)
            self.paper_list.set_papers([], notify=False)
            self._update_titles()
            self.detail.show_paper(
                None, empty="No papers yet. Import digests with: papers import PATH"
            )
            self.paper_list.focus()
            return
        self.day_list.set_days(days, date, notify=False)
        self.start_whats_new()  # "new" on the days added since the last run (updating.py)
        self.load_day(date, paper_id)
        self.paper_list.focus()
        self.set_timer(WARM_AFTER, self.warm_related)  # after the first frame is out

    def action_open(self) -> None:
        pane = self.current_pane()
        if pane == 0:
            self.focus_pane(1)
        elif pane == 1:
            paper = self.paper_list.current
            if paper is None:
                return
            self.show_current()
            self.focus_pane(2)
            self.opened(paper.id)

    def action_back(self) -> None:
        pane = self.current_pane()
        if pane == 2:
            self.focus_pane(1)
        elif pane == 1 and self.mode is Mode.BOOKMARKS:
            self.action_toggle_bookmarks()
        elif pane == 1 and self.narrow:
            self.focus_pane(0)

    def action_toggle_zoom(self) -> None:
        """z: the detail pane alone at full width, and back (newsboat's article view)."""
        if self.has_class("-zoom"):
            self.remove_class("-zoom")
            self.focus_pane(1)
        else:
            self.add_class("-zoom")
            self.focus_pane(2)

    # -- showing lists ---------------------------------------------------------
    def load_day(self, date: str, paper_id: str | None = None) -> None:
        """List ``date``'s papers, highlighting ``paper_id``."""
        papers = self.model.open_day(date, keep=paper_id)
        self.paper_list.set_papers(papers, paper_id, notify=False)
        self._update_titles()
        self.show_current()

    def _reload_list(self) -> None:
        """Re-read the current list (after a sort or filter change), keeping the paper."""
        self._relist()
        self.show_current()

    def _relist(self) -> None:
        """Re-read the current list's rows, keeping the highlighted paper."""
        current = self.paper_list.current
        keep = current.id if current else None
        bookmarks = self.mode is Mode.BOOKMARKS
        if bookmarks or self.day is not None:
            self.paper_list.set_papers(self.model.listed(keep), keep, show_dates=bookmarks,
                                       notify=False)
        self._update_titles()

    def _update_titles(self) -> None:
        self.paper_list.border_title = self.model.title(len(self.paper_list.papers))

    @on(VirtualList.Highlighted, "#days")
    def _day_highlighted(self, event: VirtualList.Highlighted) -> None:
        date = self.day_list.current_date
        if date is None or (date == self.day and self.mode is Mode.DAY):
            return
        self.load_day(date)

    def _paper_moved(self, index: int) -> None:
        # Called as the cursor moves (VirtualList.follow), not from its Highlighted
        # message: the detail's lines go out in the same frame as the list's two rows.
        shown = self.detail.paper
        if shown is not None:
            rows = self.paper_list.papers
            before = next((i for i, p in enumerate(rows) if p.id == shown.id), index)
            self._last_step = index - before
        # Coalesced: a held j/k renders the detail at most once per THROTTLE.
        if self._detail_timer is not None:
            return  # a render is already due; it will show the latest paper
        wait = THROTTLE - (time.monotonic() - self._last_detail)
        if wait <= 0:
            self.show_current()
        else:
            self._detail_timer = self.set_timer(wait, self.show_current)

    def show_current(self) -> None:
        """Render the highlighted paper in the detail pane and remember the position."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        self._last_detail = time.monotonic()
        meta = self.paper_list.current
        if meta is None:
            self.detail.show_paper(None, empty=self.model.empty_message())
            self._marker.shown(None)
            return
        paper = self.store.paper(meta.id) or meta
        self.detail.show(paper, self.store, day=self.day if self.mode is Mode.DAY else None)
        self._marker.shown(paper.id)
        # The position is written (one atomic state write, ~8 ms) after the paper is on the
        # screen, not before: the key's answer does not wait for the disk.
        self.call_after_refresh(self.model.remember, paper.id)
        self.call_after_refresh(self._prepare_next)

    def _prepare_next(self) -> None:
        """Render the paper the next key will likely show (the next one down, or up after
        a move up) while the user reads this one: that key then only swaps lines in."""
        plist = self.paper_list
        index = plist.cursor + (-1 if self._last_step < 0 else 1)
        if not 0 <= index < len(plist.papers) or self.detail.paper is None:
            return
        meta = plist.papers[index]
        paper = self.store.paper(meta.id) or meta
        self.detail.prepare(paper, self.store, day=self.day if self.mode is Mode.DAY else None)

    def opened(self, paper_id: str) -> None:
        """The user opened ``paper_id`` (Enter, or a finder): it is read now, or after it has
        been shown long enough, or only by hand (config: mark_read)."""
        if not self._marker.marks_on_open:
            self._marker.shown(paper_id)  # mark_read = "shown": now it is on screen
        elif not self.store.is_read(paper_id):
            self._change("read", [paper_id], True, "opened")

    def _mark_shown(self, paper_id: str) -> None:
        """mark_read = "shown": the paper has stayed in the detail pane long enough."""
        shown = self.detail.paper
        if shown is not None and shown.id == paper_id and not self.store.is_read(paper_id):
            self._change("read", [paper_id], True, "shown")

    # -- state changes --------------------------------------------------------
    def _change(self, kind: str, ids: Iterable[str], value: bool, label: str = "") -> int:
        """Set read/bookmark for ``ids`` (undoable); how many changed, -1 when it could
        not be saved (the user is told; nothing changes)."""
        try:
            count = self.model.change(kind, ids, value, label)  # type: ignore[arg-type]
        except StoreError as error:
            self.notify(f"Not saved: {error}", severity="error", markup=False, timeout=8)
            count = -1
        if count:
            self.refresh_state()
        return count

    def refresh_state(self) -> None:
        """Redraw glyphs, counts and the detail header from the store."""
        self.day_list.update_counts(self.model.load_days())
        self.paper_list.refresh()
        current = self.paper_list.current
        paper = self.detail.paper
        if current is not None and paper is not None and paper.id == current.id:
            self.detail.show(paper, self.store, refresh=True)

    def poll_external(self) -> None:
        """Pick up another process's changes (timer, and before each key)."""
        self.app.show_store_messages()  # type: ignore[attr-defined]
        try:
            changed = self.model.refresh()
        except Exception as error:  # noqa: BLE001 - a damaged file must not kill the reader
            self.notify(str(error), severity="warning", markup=False)
            return
        self.warm_related()  # another import rewrote related.bin? (screens/related.py)
        if not changed:
            return
        if changed.corpus:  # an import or update: new days (screens/updating.py)
            self.corpus_changed(changed)
        if self.mode is Mode.BOOKMARKS:  # rows come and go; the highlighted one stays
            self._relist()
        self.refresh_state()

    def current_or_warn(self) -> Paper | None:
        paper = self.paper_list.current
        if paper is None:
            self.notify("No paper selected.", severity="warning")
        return paper

    # -- moving between papers and days ---------------------------------------
    def action_next_day(self) -> None:
        self._step_day(+1)

    def action_previous_day(self) -> None:
        self._step_day(-1)

    def _step_day(self, step: int) -> None:
        if not self.days:
            return
        if self.mode is Mode.BOOKMARKS:
            self._leave_bookmarks()
        index = self.model.step_day(step)
        if index is None:
            self.notify("No newer day." if step < 0 else "No older day.", timeout=1.5)
            return
        self.day_list.move_to(index, notify=False)
        self.load_day(self.days[index].date)

    def action_next_unread(self) -> None:
        self._step_unread(+1)

    def action_previous_unread(self) -> None:
        self._step_unread(-1)

    def _step_unread(self, step: int) -> None:
        plist = self.paper_list
        row = self.model.unread_in(plist.papers, plist.cursor, step)
        if row is not None:
            plist.move_to(row)
            return
        if self.mode is Mode.BOOKMARKS or not self.days:
            self.notify("No more unread papers here.", timeout=2)
            return
        found = self.model.unread_day(step)
        if found is None:
            self.notify("No more unread papers.", timeout=2)
            return
        index, paper_id = found
        self.day_list.move_to(index, notify=False)
        self.load_day(self.days[index].date, paper_id)

    # -- views ----------------------------------------------------------------
    def action_toggle_unread_only(self) -> None:
        shown = "unread papers only" if self.model.toggle_unread_only() else "all papers"
        self._reload_list()
        self.notify(f"Showing {shown}.", timeout=1.5)

    def action_cycle_sort(self) -> None:
        sort = self.model.cycle_sort()
        self._reload_list()
        if sort == "for-you" and self.model.for_you_off:
            self.notify(FOR_YOU_OFF[self.model.for_you_off], timeout=4)
        elif sort == "for-you":
            self.notify("Sorted for you: most like what you kept first.", timeout=1.5)
        else:
            self.notify(f"Sorted by {SORT_NAMES[sort]}.", timeout=1.5)

    def action_toggle_bookmarks(self) -> None:
        if self.mode is Mode.BOOKMARKS:
            self._leave_bookmarks()
        else:
            current = self.paper_list.current
            papers = self.model.enter_bookmarks(current.id if current else None)
            self.paper_list.set_papers(papers, show_dates=True, notify=False)
            self._update_titles()
            self.show_current()
        self.focus_pane(1)

    def _leave_bookmarks(self) -> None:
        day, paper_id = self.model.leave_bookmarks()
        if day is not None:
            self.day_list.select_date(day, notify=False)
            self.load_day(day, paper_id)

    def show_paper(self, paper_id: str) -> bool:
        """Show ``paper_id`` in its day, open in the detail pane, and mark it read: where
        every finder's choice ends up (``PapersApp.show_paper``).  False if unknown."""
        date = self.model.locate(paper_id)
        if date is None:
            return False
        self.day_list.select_date(date, notify=False)
        self.load_day(date, paper_id)
        self.focus_pane(2)
        self.opened(paper_id)
        return True

    @on(PaperDetail.LinkClicked)
    def _link_clicked(self, event: PaperDetail.LinkClicked) -> None:
        self.open_link(event.url)
