"""When a paper becomes read, as the config's ``mark_read`` says.

- ``open`` (the default): Enter on a paper opens it and marks it read;
- ``shown``: a paper is marked read once it has stayed in the detail pane for
  ``mark_read_after`` seconds (as mail readers do), so ``n``/``j`` reading marks too;
- ``manual``: only ``r`` (and ``A``) mark papers read.

The screen tells the marker what it shows; the marker calls back ``mark(paper_id)``.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.timer import Timer
from textual.widget import Widget


class ReadMarker:
    def __init__(self, owner: Widget, mode: str, after: float,
                 mark: Callable[[str], None], visible: Callable[[], bool]) -> None:
        self.owner = owner
        self.mode = mode
        self.after = after
        self._mark = mark
        self._visible = visible
        self._timer: Timer | None = None
        self._pending: str | None = None

    @property
    def marks_on_open(self) -> bool:
        return self.mode == "open"

    def shown(self, paper_id: str | None) -> None:
        """``paper_id`` is now in the detail pane (None: nothing is)."""
        if self.mode != "shown":
            return
        if paper_id == self._pending and self._timer is not None:
            return  # still the same paper: keep its clock running
        self.cancel()
        if paper_id is None:
            return
        self._pending = paper_id
        if self.after <= 0:
            self.owner.call_after_refresh(self._fire, paper_id)
        else:
            self._timer = self.owner.set_timer(self.after, lambda: self._fire(paper_id))

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = None
        self._pending = None

    def _fire(self, paper_id: str) -> None:
        if self._pending != paper_id:
            return
        self._timer = None
        self._pending = None
        if self._visible():
            self._mark(paper_id)
