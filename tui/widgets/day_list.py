"""The Days pane: one row per digest day, newest first: ``2024-06-14 Fri 3/15``; a day
added since the reader last ran says ``new`` (``2024-06-14 new 3/15``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text

from ..text import one_line, weekday
from .virtual_list import VirtualList

if TYPE_CHECKING:
    from store.db import DayInfo


class DayList(VirtualList):
    """Every day with its ``unread/total`` count; fully read days are dimmed."""

    COMPONENT_CLASSES: ClassVar[set[str]] = VirtualList.COMPONENT_CLASSES | {
        "day-list--done",
        "day-list--unread",
        "day-list--new",
    }

    DEFAULT_CSS = """
    DayList {
        & > .day-list--done { color: $text-muted; }
        & > .day-list--unread { color: $text-accent; text-style: bold; }
        & > .day-list--new { color: $text-success; text-style: bold; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.days: list[DayInfo] = []
        self._index: dict[str, int] = {}
        self.new_dates: set[str] = set()  # days added since the reader last ran

    def set_days(
        self, days: list[DayInfo], date: str | None = None, *, notify: bool = True
    ) -> None:
        """Replace the rows, keeping the cursor on ``date`` (or the current day)."""
        keep = date if date is not None else self.current_date
        self.days = list(days)
        self._index = {d.date: i for i, d in enumerate(self.days)}
        self.set_row_count(len(self.days), self._index.get(keep or "", 0), notify=notify)

    def update_counts(self, days: list[DayInfo]) -> None:
        """New unread counts for the same days (no cursor move, no message)."""
        if [d.date for d in days] != [d.date for d in self.days]:
            self.set_days(days, notify=False)
            return
        self.days = list(days)
        self.refresh()

    def set_new(self, dates: set[str]) -> None:
        """Mark ``dates`` as new (added since the reader last ran)."""
        if dates != self.new_dates:
            self.new_dates = set(dates)
            self.refresh()

    @property
    def current(self) -> DayInfo | None:
        if 0 <= self.cursor < len(self.days):
            return self.days[self.cursor]
        return None

    @property
    def current_date(self) -> str | None:
        day = self.current
        return day.date if day else None

    def index_of(self, date: str) -> int | None:
        return self._index.get(date)

    def select_date(self, date: str, *, notify: bool = True) -> bool:
        index = self._index.get(date)
        if index is None:
            return False
        self.move_to(index, notify=notify)
        return True

    def render_row(self, index: int, width: int) -> Text:
        day = self.days[index]
        count = f"{day.unread}/{day.total}"
        new = day.date in self.new_dates
        mark = " new" if new else ""
        left = f"{one_line(day.date)} {weekday(day.date)}"
        if len(left) + len(mark) + 1 + len(count) > width:  # too narrow: drop the weekday
            left = one_line(day.date)
        gap = max(1, width - len(left) - len(mark) - len(count))
        text = Text(left)
        if new:
            text.append(mark, self.get_component_rich_style("day-list--new", partial=True))
        text.append(" " * gap)
        count_style = "day-list--unread" if day.unread else "day-list--done"
        text.append(count, self.get_component_rich_style(count_style, partial=True))
        if not day.unread:
            text.stylize(self.get_component_rich_style("day-list--done", partial=True))
        return text
