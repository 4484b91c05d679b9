"""New days in the open reader: ``R`` runs ``papers update`` in a child process
(``tui/update_child.py``: the update's CPU and memory are not the reader's, and quitting
the reader interrupts it; why, there); what it imports shows up at the next poll, as an
import or update by another process does; days added since the reader last ran carry a
"new" mark in the day list.

``UpdateActions`` is mixed into the main screen (which owns ``store``, ``day_list``,
``paper_list``, ``days``, ``day``, ``mode``, ``load_day``, ``_reload_list``, ``notify``
and ``poll_external``; the attribute checks of a type checker are not satisfied here).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding
from textual.message import Message

if TYPE_CHECKING:
    from store.db import Changes, Store
    from store.update import UpdateReport

    from ..update_child import UpdateChild

# Added to the main screen's BINDINGS (with an id, so keymaps and help follow).
UPDATE_BINDINGS = [
    Binding("R", "update", "Update", show=False, id="update"),
]

_CHILD_LOCK = threading.Lock()  # the child's handle, between the worker and the quit

PHASES = {
    "fetch": "fetching",
    "parse": "reading day files",
    "save": "saving",
    "index": "indexing",
}


class UpdatePhase(Message, bubble=False):
    """The update's child began a phase (posted from the worker's thread)."""

    def __init__(self, phase: str) -> None:
        super().__init__()
        self.phase = phase


class UpdateFinished(Message, bubble=False):
    """The update's child ended: its report, or the one line saying why it failed."""

    def __init__(self, report: UpdateReport | None, error: str | None) -> None:
        super().__init__()
        self.report = report
        self.error = error


class UpdateActions:
    store: Store
    new_dates: set[str]
    _updating: bool = False
    _update_child: UpdateChild | None = None  # set by the worker's thread
    _update_closing: bool = False  # the reader is quitting: no child may outlive it

    # -- what's new ------------------------------------------------------------
    def start_whats_new(self) -> None:
        """At start: mark the days added since the reader last ran, and record that it
        has now seen every day (best effort, like every UI setting)."""
        self.new_dates = set(self.store.new_days())
        self.store.mark_days_seen()
        self.day_list.set_new(self.new_dates)

    def corpus_changed(self, changes: Changes) -> None:
        """Another process (or ``R``) changed the corpus: show its days, the cursor
        staying on the paper it was on."""
        screen = self  # type: ignore[assignment]
        self.new_dates = getattr(self, "new_dates", set()) | set(changes.days_added)
        self.store.mark_days_seen()
        days = self.store.days()
        screen.days = days
        day_list = screen.day_list
        day_list.new_dates = set(self.new_dates)
        if not days:
            return
        dates = {d.date for d in days}
        if screen.day not in dates:  # the reader was empty, or its day is gone
            day_list.set_days(days, days[0].date, notify=False)
            screen.load_day(days[0].date)
            return
        day_list.set_days(days, day_list.current_date or screen.day, notify=False)
        if screen.mode == "day":
            screen._reload_list()  # the day's papers again, keeping the highlighted one

    # -- R: update from the digest repository ----------------------------------
    def action_update(self) -> None:
        if self._updating:
            self.notify("An update is already running.", timeout=3)
            return
        self._updating = True
        self.notify("Updating the digests…", title="Update", timeout=4)
        self._show_phase("fetch")
        app = self.app  # type: ignore[attr-defined]
        config = getattr(getattr(app, "config", None), "path", None)  # the reader's file
        self._run_update(self.store.home, config)

    @work(thread=True, exclusive=True, group="update", exit_on_error=False)
    def _run_update(self, home, config) -> None:
        """Start the child and pass on what it says; the thread only waits on its pipe
        (the update's work is the child's: tui/update_child.py)."""
        from ..update_child import UpdateChild, UpdateFailed

        try:
            child = UpdateChild(home, config)
        except UpdateFailed as error:
            self._post(UpdateFinished(None, str(error)))
            return
        except Exception as error:  # noqa: BLE001 - said, and R works again
            self._post(UpdateFinished(None, f"{type(error).__name__}: {error}"))
            return
        with _CHILD_LOCK:  # R then q at once: the quit may have come before the child
            self._update_child = child
            closing = self._update_closing
        if closing:
            child.stop()
        try:
            for phase in child.phases():
                self._post(UpdatePhase(phase))
            report = child.result()
        except UpdateFailed as error:
            if not child.stopped:
                self._post(UpdateFinished(None, str(error)))
        except Exception as error:  # noqa: BLE001 - the reader keeps working
            self._post(UpdateFinished(None, f"{type(error).__name__}: {error}"))
        else:
            self._post(UpdateFinished(report, None))

    def _post(self, message: Message) -> None:
        try:
            self.post_message(message)  # type: ignore[attr-defined]
        except RuntimeError:  # the reader has ended meanwhile (its loop is closed)
            pass

    def on_unmount(self) -> None:
        """The reader is quitting: interrupt a running update (why: update_child.py)."""
        with _CHILD_LOCK:
            self._update_closing = True
            child = self._update_child
        if child is not None:
            child.stop()

    def on_update_phase(self, message: UpdatePhase) -> None:
        if self._updating:
            self._show_phase(message.phase)

    def on_update_finished(self, message: UpdateFinished) -> None:
        self._update_child = None
        self._update_done(message.report, message.error)

    def _show_phase(self, phase: str) -> None:
        self.day_list.border_subtitle = f"updating: {PHASES.get(phase, phase)}…"

    def _update_done(self, report: UpdateReport | None, error: str | None) -> None:
        self._updating = False
        self.day_list.border_subtitle = ""
        if error is not None:
            self.notify(f"Update failed: {error}", title="Update", severity="error",
                        markup=False, timeout=10)
            return
        assert report is not None
        for reason in report.refused[:3]:
            self.notify(f"Refused {reason}", severity="warning", markup=False, timeout=8)
        what = report.counts() if report.anything_new else "Up to date: no new days."
        self.notify(what, title="Update", markup=False, timeout=8)
        self.poll_external()  # the new days, now
