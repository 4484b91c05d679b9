"""A light cursor list that renders only the rows on screen.

Used for the day list (hundreds to thousands of rows), the paper list and the
bookmarks view (possibly thousands).  Subclasses say how many rows there are
and how to draw one row as a ``rich.text.Text``; the base class does the
cursor, scrolling, key bindings and mouse clicks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .row_message import RowHighlighted


class VirtualList(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows drawn on demand, with one highlighted row (the cursor)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list.up"),
        Binding("g,home", "first", "First", show=False, id="list.first"),
        Binding("G,end", "last", "Last", show=False, id="list.last"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"virtual-list--cursor"}

    DEFAULT_CSS = """
    VirtualList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .virtual-list--cursor {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .virtual-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    class Highlighted(RowHighlighted):
        """The cursor moved to another row (may be coalesced)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._count = 0
        self.cursor = 0
        self._frame: tuple[Style, int, int] | None = None
        # Called with the new row in the same step as the cursor moves (before Highlighted
        # is posted): whatever follows the cursor (the detail pane) repaints in the same
        # frame as the two rows.  A Highlighted handler runs a step later, after the rows'
        # frame has gone out, and its repaint waits for the next frame (16-33 ms later):
        # over a slow link, two frames where one would do.
        self.follow: Callable[[int], None] | None = None

    # -- subclass API -------------------------------------------------------
    def render_row(self, index: int, width: int) -> Text:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def row_count(self) -> int:
        return self._count

    def set_row_count(self, count: int, cursor: int = 0, *, notify: bool = True) -> None:
        """Replace the rows (the subclass holds the data); put the cursor at ``cursor``."""
        self._count = max(0, count)
        self.virtual_size = Size(0, self._count)
        self.cursor = self._clamp(cursor)
        self.scroll_to(y=max(0, self.cursor - self._page_height() // 2), animate=False)
        self.refresh()
        self.call_after_refresh(self.scroll_to_cursor)
        if notify:
            self._moved(self.cursor)

    def move_to(self, index: int, *, notify: bool = True) -> None:
        """Put the cursor on ``index`` (clamped) and scroll it into view."""
        if not self._count:
            return
        index = self._clamp(index)
        old = self.cursor
        changed = index != old
        self.cursor = index
        top = round(self.scroll_offset.y)
        self.scroll_to_cursor()
        if round(self.scroll_offset.y) != top:
            self.refresh()  # scrolled: every row moved
        elif changed:
            self.refresh_row(old)  # only the rows the cursor left and entered
            self.refresh_row(index)
        if changed and notify:
            self._moved(index)

    def _moved(self, index: int) -> None:
        if self.follow is not None:
            self.follow(index)
        self.post_message(self.Highlighted(self, index))

    def refresh_row(self, index: int) -> None:
        """Repaint one row (if it is on screen), not the whole list."""
        if 0 <= index - round(self.scroll_offset.y) < self._page_height():
            self.refresh_line(index)  # ScrollView's line numbers are the virtual ones

    # -- helpers ------------------------------------------------------------
    def _clamp(self, index: int) -> int:
        if self._count <= 0:
            return 0
        return min(max(0, index), self._count - 1)

    def _page_height(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.scroll_to_cursor()

    # -- actions ------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self._count - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = round(self.scroll_offset.y) + offset.y
        if 0 <= index < self._count:
            self.focus()
            self.move_to(index)

    # -- rendering ----------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # The widget's style, width and scroll position once per frame, not once per row.
        self._frame = (self.rich_style, self.scrollable_content_region.width,
                       round(self.scroll_offset.y))
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        base, width, top = self._frame or (
            self.rich_style, self.scrollable_content_region.width, round(self.scroll_offset.y))
        index = top + y
        if index >= self._count or width <= 0:
            return Strip.blank(width, base)
        text = self.render_row(index, width)
        row_style: Style = base
        if index == self.cursor:
            cursor = self.get_visual_style("virtual-list--cursor").rich_style
            row_style = base + cursor
            # The cursor's foreground over the row's own colours (votes, dates, dimmed
            # read rows): those were chosen against the pane's background, and on the
            # cursor's they can be the same colour (16 colours: cyan on cyan) or the
            # same grey (NO_COLOR).
            text.stylize(Style(color=cursor.color))
        text.stylize_before(row_style)
        text.no_wrap = True
        text.truncate(width, overflow="ellipsis", pad=True)
        return Strip(text.render(self.app.console)).crop_extend(0, width, row_style)
