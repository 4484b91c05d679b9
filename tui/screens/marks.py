"""Read and bookmark marks, in the reader: ``r`` ``b`` ``A`` ``u``.

``MarkActions`` is mixed into the main screen, which provides ``model`` (the reader's
model: it saves each change through the Store and keeps it undoable), ``_change``,
``refresh_state`` and ``current_or_warn``.
"""

from __future__ import annotations

from store.storage import StoreError
from store.words import plural

from ..reader import Mode


class MarkActions:
    """Toggle read / bookmark, mark a whole day read, undo."""

    def action_toggle_read(self) -> None:
        paper = self.current_or_warn()
        if paper is None:
            return
        value = not self.store.is_read(paper.id)
        if self._change("read", [paper.id], value) >= 0:
            self.notify("Marked read." if value else "Marked unread.", timeout=1.5)

    def action_toggle_bookmark(self) -> None:
        paper = self.current_or_warn()
        if paper is None:
            return
        value = not self.store.is_bookmarked(paper.id)
        if self._change("bookmark", [paper.id], value) >= 0:
            self.notify("Bookmarked." if value else "Bookmark removed.", timeout=1.5)

    def action_mark_all_read(self) -> None:
        if self.mode is Mode.BOOKMARKS:
            ids, where = [p.id for p in self.paper_list.papers], "in the list"
        elif self.day is not None:
            ids, where = [p.id for p in self.store.day_papers(self.day)], f"of {self.day}"
        else:
            return
        count = self._change("read", ids, True, f"all {where}")
        if count > 0:
            self.notify(f"Marked {plural(count, 'paper')} {where} read (u undoes).",
                        markup=False)
        elif count == 0:
            self.notify(f"Every paper {where} is already read.", markup=False)

    def action_undo(self) -> None:
        try:
            change = self.model.undo_last()
        except StoreError as error:
            self.notify(f"Not saved: {error}", severity="error", markup=False, timeout=8)
            self.refresh_state()
            return
        if change is None:
            self.notify("Nothing to undo.")
            return
        self.refresh_state()
        what = "read mark" if change.kind == "read" else "bookmark"
        count = len(change.before)
        self.notify(f"Undid {what} change on {count} paper{'s' if count != 1 else ''}.")
