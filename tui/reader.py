"""The reader's model: which list is shown and how, apart from the screen that shows it.

A plain class over the ``Store`` (no Textual here, so unit tests drive it directly):
the day or the bookmarks view (``Mode``), the sort and the unread-only filter (kept in
the store's UI state), arranging a list, finding the next/previous unread paper across
days, and read/bookmark changes that can be undone.  ``tui/screens/main.py`` composes
the panes, turns keys into calls here and shows what comes back.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from store.words import plural

from .undo import Change, UndoStack

if TYPE_CHECKING:
    from store.db import Changes, DayInfo, Store
    from store.models import Paper

Kind = Literal["read", "bookmark"]
SORTS = ("votes", "title", "digest", "for-you")
SORT_NAMES = {"votes": "votes", "title": "title", "digest": "digest order",
              "for-you": "for you"}
NOTHING_KEPT = ("Nothing kept yet: bookmark, tag or note papers (reading counts a little) "
                "and for you follows them. Sorted by votes.")
NO_RELATED = ("No related papers in this data directory yet: the next papers import, "
              "papers update or R here computes them. Sorted by votes.")
FOR_YOU_OFF = {"nothing-kept": NOTHING_KEPT, "no-related": NO_RELATED}


class Mode(StrEnum):
    """What the papers pane lists: one day's papers, or every bookmark."""

    DAY = "day"
    BOOKMARKS = "bookmarks"


class Reader:
    """The reader's state and the decisions that need no widget."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.days: list[DayInfo] = []
        self.day: str | None = None  # the day whose papers are listed (day mode)
        self.mode = Mode.DAY
        sort = store.ui_get("sort", "votes")
        self.sort: str = sort if sort in SORTS else "votes"
        self.unread_only = bool(store.ui_get("unread_only", False))
        self.undo = UndoStack()
        self.return_to: tuple[str | None, str | None] = (None, None)  # left for bookmarks
        # why the last "for you" list fell back to votes ("nothing-kept", "no-related")
        self.for_you_off: str | None = None

    # -- where to start ---------------------------------------------------------
    def load_days(self) -> list[DayInfo]:
        self.days = self.store.days()
        return self.days

    def start(self) -> tuple[str | None, str | None]:
        """(day, paper) to open with: where the reader was left, else the newest day."""
        if not self.days:
            return None, None
        dates = {d.date for d in self.days}
        date = self.store.ui_get("day")
        if date in dates:
            return date, self.store.ui_get("paper")
        return self.days[0].date, None

    def day_index(self, date: str | None) -> int | None:
        return next((i for i, d in enumerate(self.days) if d.date == date), None)

    # -- the list -----------------------------------------------------------------
    def arrange(self, papers: Iterable[Paper], keep: str | None = None) -> list[Paper]:
        """Apply the unread-only filter and the sort (``keep`` survives the filter)."""
        papers = list(papers)
        if self.unread_only:
            papers = [p for p in papers if p.id == keep or not self.store.is_read(p.id)]
        sort = self.sort_in_use
        if sort == "for-you":  # most like what was kept first (store/related.py)
            ordered = self.store.for_you_order(papers)
            self.for_you_off = None if ordered is not None else (
                self.store.for_you_off() or "nothing-kept")
            if ordered is None:
                sort = "votes"
            else:
                papers = ordered
        if sort == "votes":
            papers = sorted(papers, key=lambda p: -(p.votes if p.votes is not None else -1))
        elif sort == "title":
            papers = sorted(papers, key=lambda p: p.title.casefold())
        if self.mode is Mode.BOOKMARKS:  # newest day first; the sort applies within a day
            papers = sorted(papers, key=lambda p: p.dates[0] if p.dates else "", reverse=True)
        return papers

    @property
    def nothing_kept(self) -> bool:
        """The last "for you" list fell back to votes: nothing is kept yet."""
        return self.for_you_off == "nothing-kept"

    @property
    def sort_in_use(self) -> str:
        """The sort the list is in: "for you" is off in the bookmarks view (it is already
        yours), which is then by votes."""
        if self.sort == "for-you" and self.mode is Mode.BOOKMARKS:
            return "votes"
        return self.sort

    def open_day(self, date: str, keep: str | None = None) -> list[Paper]:
        """Switch to ``date``'s papers (arranged)."""
        self.mode = Mode.DAY
        self.day = date
        return self.arrange(self.store.day_papers(date), keep=keep)

    def listed(self, keep: str | None = None) -> list[Paper]:
        """The current list read again (after a sort, filter or outside change)."""
        if self.mode is Mode.BOOKMARKS:
            return self.arrange(self.store.bookmarked(), keep=keep)
        if self.day is not None:
            return self.arrange(self.store.day_papers(self.day), keep=keep)
        return []

    def enter_bookmarks(self, current: str | None) -> list[Paper]:
        self.return_to = (self.day, current)
        self.mode = Mode.BOOKMARKS
        return self.arrange(self.store.bookmarked())

    def leave_bookmarks(self) -> tuple[str | None, str | None]:
        """Back to the day (and paper) the bookmarks view was opened from."""
        day, paper_id = self.return_to
        self.mode = Mode.DAY
        if day is None and self.days:
            day = self.days[0].date
        return day, paper_id

    def title(self, count: int) -> str:
        """The papers pane's border title for a list of ``count`` papers."""
        flags = []
        if self.unread_only:
            flags.append("unread only")
        sort = self.sort_in_use
        if sort == "for-you":
            flags.append("for you")
        elif sort != "votes":
            flags.append(f"by {SORT_NAMES[sort]}")
        suffix = f" ({', '.join(flags)})" if flags else ""
        if self.mode is Mode.BOOKMARKS:
            return f"Bookmarks {count}{suffix}"
        if self.day:
            return f"{self.day} · {plural(count, 'paper')}{suffix}"
        return f"Papers{suffix}"

    def empty_message(self) -> str:
        if self.mode is Mode.BOOKMARKS:
            return "No bookmarks yet. Press b on a paper to bookmark it."
        if self.unread_only:
            return "No unread papers on this day. Press U to show all."
        return "No papers here."

    def locate(self, paper_id: str) -> str | None:
        """The day to show ``paper_id`` in: this one if it is listed here, else its newest
        (None if the paper or its day is unknown)."""
        paper = self.store.get(paper_id)
        if paper is None:
            return None
        dates = paper.dates or []
        date = self.day if self.day in dates else (dates[0] if dates else None)
        return date if self.day_index(date) is not None else None

    def remember(self, paper_id: str) -> None:
        """Where the reader is, for the next start (day mode only; best effort)."""
        if self.mode is Mode.DAY and self.day:
            self.store.ui_update({"day": self.day, "paper": paper_id})

    def export_target(self) -> tuple[list[str] | None, str, str]:
        """(days, label, what) for exporting the list shown."""
        if self.mode is Mode.DAY and self.day:
            return [self.day], self.day, self.day
        if self.mode is Mode.BOOKMARKS:
            return None, "bookmarks", "bookmarks"
        return None, str(self.mode or "list"), "the list"

    # -- views ----------------------------------------------------------------------
    def toggle_unread_only(self) -> bool:
        self.unread_only = not self.unread_only
        self.store.ui_set("unread_only", self.unread_only)
        return self.unread_only

    def cycle_sort(self) -> str:
        """The next sort (in the bookmarks view, "for you" is skipped)."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        if self.sort_in_use != self.sort:
            self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.store.ui_set("sort", self.sort)
        return self.sort

    # -- moving -------------------------------------------------------------------------
    def step_day(self, step: int) -> int | None:
        """The index of the day ``step`` away from the current one (None: no such day)."""
        index = self.day_index(self.day)
        index = 0 if index is None else index + step
        return index if 0 <= index < len(self.days) else None

    def unread_in(self, papers: list[Paper], cursor: int, step: int) -> int | None:
        """The next unread row after ``cursor`` in ``step``'s direction, if any."""
        i = cursor + step
        while 0 <= i < len(papers):
            if not self.store.is_read(papers[i].id):
                return i
            i += step
        return None

    def unread_day(self, step: int) -> tuple[int, str] | None:
        """The nearest day in ``step``'s direction with an unread paper, and that paper
        (the first unread of the arranged list going forward, the last going back)."""
        index = self.day_index(self.day)
        j = (-1 if index is None else index) + step
        while 0 <= j < len(self.days):
            day = self.days[j]
            if day.unread:  # the counts may be stale: look at the papers themselves
                papers = self.arrange(self.store.day_papers(day.date))
                unread = [p for p in papers if not self.store.is_read(p.id)]
                if unread:
                    return j, (unread[0] if step > 0 else unread[-1]).id
            j += step
        return None

    def first_unread(self, papers: list[Paper], last: bool = False) -> str | None:
        unread = [p for p in papers if not self.store.is_read(p.id)]
        if not unread:
            return None
        return (unread[-1] if last else unread[0]).id

    # -- changes ---------------------------------------------------------------------
    def is_read(self, paper_id: str) -> bool:
        return self.store.is_read(paper_id)

    def change(self, kind: Kind, ids: Iterable[str], value: bool, label: str = "") -> int:
        """Set read/bookmark for ``ids``; undoable; returns how many changed.  Raises
        ``StoreError`` when it could not be saved (then nothing changed)."""
        get = self.store.is_read if kind == "read" else self.store.is_bookmarked
        before = {i: get(i) for i in dict.fromkeys(ids)}
        before = {i: v for i, v in before.items() if v != value}
        if not before:
            return 0
        setter = self.store.set_read if kind == "read" else self.store.set_bookmarked
        setter(list(before), value)
        self.undo.push(kind, before, label)
        return len(before)

    def undo_last(self) -> Change | None:
        """Put back what the last change replaced (None: nothing to undo).  Raises
        ``StoreError`` when it could not be saved; the change stays undoable."""
        change = self.undo.pop()
        if change is None:
            return None
        setter = self.store.set_read if change.kind == "read" else self.store.set_bookmarked
        try:
            for value in (True, False):
                ids = [i for i, v in change.before.items() if v is value]
                if ids:
                    setter(ids, value)
        except BaseException:
            self.undo.push(change.kind, change.before, change.label)
            raise
        return change

    def refresh(self) -> Changes:
        """Pick up another process's changes (``Store.poll``: true if anything changed;
        then the day counts are read again)."""
        changed = self.store.poll()
        if changed:
            self.days = self.store.days()
        return changed
