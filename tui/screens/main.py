"""The reader's main screen: Days | Papers | Detail.

At 100+ columns the three panes sit side by side; from 60 they are narrower;
below 60 only the focused pane is shown and Enter/Escape move between them.
Every read/bookmark change goes straight through the Store (on disk before the
next key) and is pushed on an undo stack.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar, Iterable

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

from store.storage import StoreError

from ..clipboard import has_display, open_in_browser, safe_url
from ..read_marker import ReadMarker
from ..startup import resume_gc
from ..undo import UndoStack
from ..widgets.day_list import DayList
from ..widgets.key_bar import KeyBar
from ..widgets.paper_detail import PaperDetail
from ..widgets.paper_list import PaperList
from ..widgets.virtual_list import VirtualList
from .keep import KEEP_BINDINGS, KeepActions

if TYPE_CHECKING:
    from store.db import DayInfo, Store
    from store.models import Paper

NARROW = 60  # below this many columns one pane at a time
WIDE = 100  # from this many columns the roomy layout
XWIDE = 140  # from this many columns the detail pane gets the larger share
SORTS = ("votes", "title", "digest")
SORT_NAMES = {"votes": "votes", "title": "title", "digest": "digest order"}
THROTTLE = 0.05  # seconds: at most one detail render per this while a key is held
POLL = 2.0  # seconds between checks for another process's changes
PANES = ("days", "papers", "detail")


class MainScreen(KeepActions, Screen):
    # The papers pane gets the first focus; focusing it directly (rather than the
    # first focusable widget, then papers) saves a restyle of the whole screen.
    AUTO_FOCUS = "#papers"
    HORIZONTAL_BREAKPOINTS = [
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
    ]

    def __init__(self, store: Store) -> None:
        super().__init__(classes="-show-papers")  # the pane focused first (AUTO_FOCUS)
        # Start with the width class the first resize would add: adding it then would
        # restyle the whole screen a second time before the first frame.
        self.set_class(True, *self._get_breakpoint_classes(self.app.size.width,
                                                            self.HORIZONTAL_BREAKPOINTS),
                       update=False)
        self.store = store
        self.days: list[DayInfo] = []
        self.day: str | None = None  # the day whose papers are listed (day mode)
        self.mode = "day"  # or "bookmarks"
        config = getattr(self.app, "config", None)  # tui/config.py: the user's settings
        self.sort: str = getattr(config, "sort", None) or store.ui_get("sort", "votes")
        if self.sort not in SORTS:
            self.sort = "votes"
        unread_only = getattr(config, "unread_only", None)
        self.unread_only = bool(store.ui_get("unread_only", False) if unread_only is None
                                else unread_only)
        self._marker = ReadMarker(self, getattr(config, "mark_read", "open"),
                                  getattr(config, "mark_read_after", 0.0), self._mark_shown,
                                  lambda: bool(self.detail.display))
        self.undo = UndoStack()
        self._return_to: tuple[str | None, str | None] = (None, None)
        self._detail_timer: Timer | None = None
        self._last_detail = 0.0
        self._resumed = False
        self._drawn = False  # the first frame is on the terminal

    # -- layout -------------------------------------------------------------
    def _compositor_refresh(self) -> None:
        # At start-up Textual lays out and renders this screen inside its first batch
        # update, throws that frame away (nothing is drawn during a batch), and renders
        # again after it: skip the frame nobody sees and ask for one when the batch ends.
        if self.app._batch_count and self.is_current:
            self._repaint_required = True
            self.app.call_later(self.refresh)
            return
        super()._compositor_refresh()
        if not self._drawn and self.is_current:  # the first frame is out
            self._drawn = True
            resume_gc()  # paused by the CLI until now (tui/startup.py)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's handler.  The first resume comes right after the mount,
        # which styled every widget: Screen need not restyle them all again.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def compose(self) -> ComposeResult:
        # The panes sit side by side on the screen itself (app.tcss): no container.
        yield DayList(id="days", classes="pane")
        yield PaperList(self._state, id="papers", classes="pane")
        yield PaperDetail(id="detail", classes="pane")
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

    def _state(self, paper_id: str) -> tuple[bool, bool]:
        return self.store.is_read(paper_id), self.store.is_bookmarked(paper_id)

    def on_mount(self) -> None:
        self.day_list.border_title = "Days"
        self.detail.border_title = "Paper"
        self.watch(self, "focused", self._focus_changed)
        self.paper_list.has_note = self.store.has_note
        self.days = self.store.days()
        if not self.days:
            self.day_list.set_days([], notify=False)
            self.paper_list.set_papers([], notify=False)
            self._update_titles()
            self.detail.show_paper(
                None, empty="No papers yet. Import digests with: papers import PATH"
            )
            self.paper_list.focus()
            return
        dates = {d.date for d in self.days}
        date = self.store.ui_get("day")
        paper_id = self.store.ui_get("paper") if date in dates else None
        if date not in dates:
            date = self.days[0].date
        self.day_list.set_days(self.days, date, notify=False)
        self.load_day(date, paper_id)
        self.paper_list.focus()
        self.set_interval(POLL, self.poll_external)

    # -- narrow layout: which pane is shown ---------------------------------
    @property
    def narrow(self) -> bool:
        return self.size.width < NARROW

    def _pane_widgets(self) -> list[Widget]:
        return [self.day_list, self.paper_list, self.detail]

    def current_pane(self) -> int:
        focused = self.focused
        for i, pane in enumerate(self._pane_widgets()):
            if focused is pane or (focused is not None and pane in focused.ancestors):
                return i
        return 1

    def _focus_changed(self, focused: Widget | None) -> None:
        if focused is None:
            return
        if self.has_class("-zoom") and not (focused is self.detail
                                             or self.detail in focused.ancestors):
            self.remove_class("-zoom")  # leaving the reader (Tab, Escape): the panes return
        for i, pane in enumerate(self._pane_widgets()):
            if focused is pane or pane in focused.ancestors:
                self._show_pane(i)

    def _show_pane(self, index: int) -> None:
        # One batch: each separate class change would restyle the whole screen.
        self.update_classes({f"-show-{name}": i == index for i, name in enumerate(PANES)})

    def focus_pane(self, index: int) -> None:
        index = max(0, min(len(PANES) - 1, index))
        self._show_pane(index)
        widget = self._pane_widgets()[index]
        self.call_after_refresh(widget.focus)
        widget.focus()

    def action_pane_next(self) -> None:
        self.focus_pane((self.current_pane() + 1) % len(PANES))

    def action_pane_previous(self) -> None:
        self.focus_pane((self.current_pane() - 1) % len(PANES))

    def action_pane_left(self) -> None:
        self.focus_pane(self.current_pane() - 1)

    def action_pane_right(self) -> None:
        self.focus_pane(self.current_pane() + 1)

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
            if not self._marker.marks_on_open:
                self._marker.shown(paper.id)  # mark_read = "shown": now it is on screen
            elif not self.store.is_read(paper.id):
                self._change("read", [paper.id], True, "opened")

    def action_back(self) -> None:
        pane = self.current_pane()
        if pane == 2:
            self.focus_pane(1)
        elif pane == 1 and self.mode == "bookmarks":
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

    def action_detail_page_down(self) -> None:
        self.detail.scroll_page_down(animate=False)

    def action_detail_page_up(self) -> None:
        self.detail.scroll_page_up(animate=False)

    # -- loading lists -------------------------------------------------------
    def _arrange(self, papers: list[Paper], keep: str | None = None) -> list[Paper]:
        """Apply the unread-only filter and the sort (``keep`` survives the filter)."""
        if self.unread_only:
            papers = [p for p in papers if p.id == keep or not self.store.is_read(p.id)]
        if self.sort == "votes":
            papers = sorted(papers, key=lambda p: -(p.votes if p.votes is not None else -1))
        elif self.sort == "title":
            papers = sorted(papers, key=lambda p: p.title.casefold())
        if self.mode == "bookmarks":  # newest day first; the sort applies within a day
            papers = sorted(papers, key=lambda p: p.dates[0] if p.dates else "", reverse=True)
        return list(papers)

    def load_day(self, date: str, paper_id: str | None = None, *, pick: str = "keep") -> None:
        """List ``date``'s papers, highlighting ``paper_id`` (or the first/last unread)."""
        self.mode = "day"
        self.day = date
        papers = self._arrange(self.store.day_papers(date), keep=paper_id)
        if paper_id is None and pick in ("first-unread", "last-unread"):
            unread = [p for p in papers if not self.store.is_read(p.id)]
            if unread:
                paper_id = (unread[0] if pick == "first-unread" else unread[-1]).id
        self.paper_list.set_papers(papers, paper_id, notify=False)
        self._update_titles()
        self.show_current()

    def _reload_list(self) -> None:
        """Re-read the current list (after a sort/filter change), keeping the paper."""
        current = self.paper_list.current
        keep = current.id if current else None
        if self.mode == "bookmarks":
            papers = self._arrange(self.store.bookmarked(), keep=keep)
            self.paper_list.set_papers(papers, keep, show_dates=True, notify=False)
        elif self.day is not None:
            papers = self._arrange(self.store.day_papers(self.day), keep=keep)
            self.paper_list.set_papers(papers, keep, notify=False)
        self._update_titles()
        self.show_current()

    def _update_titles(self) -> None:
        plist = self.paper_list
        flags = []
        if self.unread_only:
            flags.append("unread only")
        if self.sort != "votes":
            flags.append(f"by {SORT_NAMES[self.sort]}")
        suffix = f" ({', '.join(flags)})" if flags else ""
        if self.mode == "bookmarks":
            plist.border_title = f"Bookmarks {len(plist.papers)}{suffix}"
        elif self.day:
            plist.border_title = f"{self.day} · {len(plist.papers)} papers{suffix}"
        else:
            plist.border_title = f"Papers{suffix}"

    # -- highlight handling (coalesced) -------------------------------------
    @on(VirtualList.Highlighted, "#days")
    def _day_highlighted(self, event: VirtualList.Highlighted) -> None:
        date = self.day_list.current_date
        if date is None or (date == self.day and self.mode == "day"):
            return
        self.load_day(date)

    @on(VirtualList.Highlighted, "#papers")
    def _paper_highlighted(self, event: VirtualList.Highlighted) -> None:
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
            empty = "No papers here."
            if self.mode == "bookmarks":
                empty = "No bookmarks yet. Press b on a paper to bookmark it."
            elif self.unread_only:
                empty = "No unread papers on this day. Press U to show all."
            self.detail.show_paper(None, empty=empty)
            self._marker.shown(None)
            return
        paper = self.store.paper(meta.id) or meta
        read, bookmarked = self._state(paper.id)
        day = self.day if self.mode == "day" else None
        self.detail.show_paper(paper, read=read, bookmarked=bookmarked, day=day,
                               note=self.store.note(paper.id), tags=self.store.tags(paper.id))
        self._marker.shown(paper.id)
        if self.mode == "day" and self.day:  # one write, best effort (see Store.ui_update)
            self.store.ui_update({"day": self.day, "paper": paper.id})

    def _mark_shown(self, paper_id: str) -> None:
        """mark_read = "shown": the paper has stayed in the detail pane long enough."""
        shown = self.detail.paper
        if shown is not None and shown.id == paper_id and not self.store.is_read(paper_id):
            self._change("read", [paper_id], True, "shown")

    # -- state changes --------------------------------------------------------
    def _change(self, kind: str, ids: Iterable[str], value: bool, label: str = "") -> int:
        """Set read/bookmark for ``ids`` through the store; undoable; returns how many changed
        (-1 when it could not be saved: the user is told, nothing changes)."""
        get = self.store.is_read if kind == "read" else self.store.is_bookmarked
        before = {i: get(i) for i in dict.fromkeys(ids)}
        before = {i: v for i, v in before.items() if v != value}
        if not before:
            return 0
        setter = self.store.set_read if kind == "read" else self.store.set_bookmarked
        try:
            setter(list(before), value)
        except StoreError as error:
            self.notify(f"Not saved: {error}", severity="error", markup=False, timeout=8)
            self.refresh_state()
            return -1
        self.undo.push(kind, before, label)  # type: ignore[arg-type]
        self.refresh_state()
        return len(before)

    def refresh_state(self) -> None:
        """Redraw glyphs, counts and the detail header from the store."""
        self.days = self.store.days()
        self.day_list.update_counts(self.days)
        self.paper_list.refresh()
        current = self.paper_list.current
        if current is not None and self.detail.paper is not None:
            if self.detail.paper.id == current.id:
                self.detail.set_state(*self._state(current.id))
                self.detail.set_keep(self.store.note(current.id), self.store.tags(current.id))

    def poll_external(self) -> None:
        """Pick up another process's changes (timer, and before each key)."""
        self.app.show_store_messages()
        try:
            changed = self.store.refresh()
        except Exception as error:  # a damaged file must not kill the reader
            self.notify(str(error), severity="warning", markup=False)
            return
        if not changed:
            return
        if self.mode == "bookmarks":
            current = self.paper_list.current
            keep = current.id if current else None
            papers = self._arrange(self.store.bookmarked(), keep=keep)
            # keep rows the user is looking at; only add/remove what changed
            self.paper_list.set_papers(papers, keep, show_dates=True, notify=False)
            self._update_titles()
        self.refresh_state()

    def _current_or_warn(self) -> Paper | None:
        paper = self.paper_list.current
        if paper is None:
            self.notify("No paper selected.", severity="warning")
        return paper

    def action_toggle_read(self) -> None:
        paper = self._current_or_warn()
        if paper is None:
            return
        value = not self.store.is_read(paper.id)
        if self._change("read", [paper.id], value) >= 0:
            self.notify("Marked read." if value else "Marked unread.", timeout=1.5)

    def action_toggle_bookmark(self) -> None:
        paper = self._current_or_warn()
        if paper is None:
            return
        value = not self.store.is_bookmarked(paper.id)
        if self._change("bookmark", [paper.id], value) >= 0:
            self.notify("Bookmarked." if value else "Bookmark removed.", timeout=1.5)

    def action_mark_all_read(self) -> None:
        if self.mode == "bookmarks":
            ids = [p.id for p in self.paper_list.papers]
            where = "in the list"
        elif self.day is not None:
            ids = [p.id for p in self.store.day_papers(self.day)]
            where = f"of {self.day}"
        else:
            return
        count = self._change("read", ids, True, f"all {where}")
        if count < 0:
            return
        if count:
            self.notify(f"Marked {count} papers {where} read (u undoes).", markup=False)
        else:
            self.notify(f"Every paper {where} is already read.", markup=False)

    def action_undo(self) -> None:
        change = self.undo.pop()
        if change is None:
            self.notify("Nothing to undo.")
            return
        setter = self.store.set_read if change.kind == "read" else self.store.set_bookmarked
        try:
            for value in (True, False):
                ids = [i for i, v in change.before.items() if v is value]
                if ids:
                    setter(ids, value)
        except StoreError as error:
            self.undo.push(change.kind, change.before, change.label)
            self.notify(f"Not saved: {error}", severity="error", markup=False, timeout=8)
            self.refresh_state()
            return
        self.refresh_state()
        what = "read mark" if change.kind == "read" else "bookmark"
        count = len(change.before)
        self.notify(f"Undid {what} change on {count} paper{'s' if count != 1 else ''}.")

    # -- moving between papers and days ---------------------------------------
    def action_next_day(self) -> None:
        self._step_day(+1)

    def action_previous_day(self) -> None:
        self._step_day(-1)

    def _step_day(self, step: int) -> None:
        if not self.days:
            return
        if self.mode == "bookmarks":
            self._leave_bookmarks()
        index = self.day_list.index_of(self.day or "")
        index = 0 if index is None else index + step
        if not 0 <= index < len(self.days):
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
        papers = plist.papers
        i = plist.cursor + step
        while 0 <= i < len(papers):
            if not self.store.is_read(papers[i].id):
                plist.move_to(i)
                return
            i += step
        if self.mode == "bookmarks" or not self.days:
            self.notify("No more unread papers here.", timeout=2)
            return
        index = self.day_list.index_of(self.day or "")
        index = -1 if index is None else index
        j = index + step
        while 0 <= j < len(self.days):
            if self.days[j].unread:
                day = self.days[j]
                self.day_list.move_to(j, notify=False)
                self.load_day(day.date, pick="first-unread" if step > 0 else "last-unread")
                if self.paper_list.current is not None and self.store.is_read(
                    self.paper_list.current.id
                ):
                    j += step  # stale counts: nothing unread after all; keep looking
                    continue
                return
            j += step
        self.notify("No more unread papers.", timeout=2)

    # -- views ----------------------------------------------------------------
    def action_toggle_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        self.store.ui_set("unread_only", self.unread_only)
        self._reload_list()
        shown = "unread papers only" if self.unread_only else "all papers"
        self.notify(f"Showing {shown}.", timeout=1.5)

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.store.ui_set("sort", self.sort)
        self._reload_list()
        self.notify(f"Sorted by {SORT_NAMES[self.sort]}.", timeout=1.5)

    def action_toggle_bookmarks(self) -> None:
        if self.mode == "bookmarks":
            self._leave_bookmarks()
            self.focus_pane(1)
            return
        current = self.paper_list.current
        self._return_to = (self.day, current.id if current else None)
        self.mode = "bookmarks"
        papers = self._arrange(self.store.bookmarked())
        self.paper_list.set_papers(papers, show_dates=True, notify=False)
        self._update_titles()
        self.show_current()
        self.focus_pane(1)

    def go_to_paper(self, paper_id: str, *, open: bool = False) -> bool:
        """Show ``paper_id`` in its (newest) day, e.g. for a search hit; False if unknown."""
        paper = self.store.get(paper_id)
        if paper is None:
            return False
        dates = paper.dates or []
        date = self.day if self.day in dates else (dates[0] if dates else None)
        if date is None or self.day_list.index_of(date) is None:
            return False
        self.mode = "day"
        self.day_list.select_date(date, notify=False)
        self.load_day(date, paper_id)
        if open:
            self.action_open()
        else:
            self.focus_pane(1)
        return True

    def _leave_bookmarks(self) -> None:
        day, paper_id = self._return_to
        self.mode = "day"
        if day is None and self.days:
            day = self.days[0].date
        if day is not None:
            self.day_list.select_date(day, notify=False)
            self.load_day(day, paper_id)

    # -- links ------------------------------------------------------------------
    def action_open_browser(self) -> None:
        paper = self._current_or_warn()
        if paper is None:
            return
        url = safe_url(paper.url)
        if url is None:
            self.notify("This paper has no web link to open.", severity="warning")
            return
        self.open_link(url)

    @on(PaperDetail.LinkClicked)
    def _link_clicked(self, event: PaperDetail.LinkClicked) -> None:
        self.open_link(event.url)

    def open_link(self, url: str) -> None:
        """Open ``url`` (checked by ``safe_url``) where the reader is read: served, in the
        reader's browser (a new tab); in a terminal, the system browser if there is a
        display, else copy it (OSC 52)."""
        if self.app.is_web:
            self.app.open_url(url)
            self.notify(f"Opened {url}", markup=False, timeout=2)
        elif has_display():
            self._open_url(url)
        else:
            self._copy(url, "No browser here; copied the link")

    @work(thread=True, exclusive=True, group="browser")
    def _open_url(self, url: str) -> None:
        if open_in_browser(url):
            self.app.call_from_thread(self.notify, f"Opened {url}", markup=False, timeout=2)
        else:
            self.app.call_from_thread(self._copy, url, "Could not open a browser; copied the link")

    def action_copy_link(self) -> None:
        paper = self._current_or_warn()
        if paper is None:
            return
        url = safe_url(paper.url)
        if url is None:
            self.notify("This paper has no web link.", severity="warning")
            return
        self._copy(url, "Copied link")

    def _copy(self, url: str, message: str) -> None:
        self.app.copy_to_clipboard(url)
        self.notify(f"{message}: {url}", markup=False)
