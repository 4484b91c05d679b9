"""The reader's panes: Days | Papers | Detail, and moving the focus between them.

``PaneActions`` is mixed into the main screen (which provides ``day_list``,
``paper_list`` and ``detail``).  Below ``NARROW`` columns only the focused pane is
shown: a ``-show-<pane>`` class on the screen says which (app.tcss).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget

NARROW = 60  # below this many columns one pane at a time
PANES = ("days", "papers", "detail")


class PaneActions:
    """Tab, h/l, Space/PageUp and the narrow layout, for the main screen."""

    @property
    def narrow(self) -> bool:
        return self.size.width < NARROW  # type: ignore[attr-defined]

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
        detail = self._pane_widgets()[-1]
        if self.has_class("-zoom") and not (focused is detail or detail in focused.ancestors):
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

    def action_detail_page_down(self) -> None:
        self.detail.scroll_page_down(animate=False)

    def action_detail_page_up(self) -> None:
        self.detail.scroll_page_up(animate=False)
