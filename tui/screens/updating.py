"""New days in the open reader: ``R`` runs ``papers update`` in a worker; an import or
update by another process shows up at the next poll; days added since the reader last
ran carry a "new" mark in the day list.

``UpdateActions`` is mixed into the main screen (which owns ``store``, ``day_list``,
``paper_list``, ``days``, ``day``, ``mode``, ``load_day``, ``_reload_list``, ``notify``
and ``poll_external``; the attribute checks of a type checker are not satisfied here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding

from store.storage import StoreError

if TYPE_CHECKING:
    from store.db import Changes, Store
    from store.update import UpdateReport

# Added to the main screen's BINDINGS (with an id, so keymaps and help follow).
UPDATE_BINDINGS = [
    Binding("R", "update", "Update", show=False, id="update"),
]

PHASES = {
    "fetch": "fetching",
    "parse": "reading day files",
    "save": "saving",
    "index": "indexing",
}


class UpdateActions:
    store: Store
    new_dates: set[str]
    _updating: bool = False

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
        self._run_update(self.store.home)

    @work(thread=True, exclusive=True, group="update", exit_on_error=False)
    def _run_update(self, home) -> None:
        from store.db import Store
        from store.update import run_update

        app = self.app  # type: ignore[attr-defined]
        shown = [""]

        def progress(phase: str, done: int, total: int | None) -> None:
            if phase != shown[0]:  # once per phase: the UI thread is not asked per file
                shown[0] = phase
                app.call_from_thread(self._show_phase, phase)

        try:
            # Its own Store: the import writes files; the reader's store picks them up
            # by polling, as it would an update run from another terminal.
            report = run_update(Store.open(home, sample=False), None, progress)
        except StoreError as error:
            app.call_from_thread(self._update_done, None, str(error))
        except Exception as error:  # noqa: BLE001 - the reader keeps working
            app.call_from_thread(self._update_done, None, f"{type(error).__name__}: {error}")
        else:
            app.call_from_thread(self._update_done, report, None)

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
