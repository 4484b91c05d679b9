"""Related papers, in the reader: the detail pane's "Related" section and its keys.

``RelatedActions`` is mixed into the main screen (which has ``store`` and ``detail``).
``1``-``5`` open the shown paper's related papers by their number, a click on a row
does the same; both go through ``app.show_paper`` (the one route to a paper).  The
lists (``related.bin``) are read in a worker a moment after the first frame, so
start-up never waits for them; the section appears when they are in.  With no
related.bin (a data directory from before them) the section is one line saying how to
get them, and a file another process's import or ``R`` writes is read when the poll
sees it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType

from ..widgets.related_rows import RELATED

if TYPE_CHECKING:
    from ..widgets.paper_detail import PaperDetail

# Seconds after the main screen mounts before the lists are read: reading them in a
# thread right after the first refresh held the GIL while Textual wrote the first frame
# (first paint 20-50 ms later, pty runs); the section comes in a moment after.
WARM_AFTER = 0.4

RELATED_BINDINGS: list[BindingType] = [
    Binding(str(n), f"open_related({n})", f"Related paper {n}", show=False,
            id=f"related-{n}")
    for n in range(1, RELATED + 1)
]


class RelatedActions:
    """The number keys and the background read of the related lists."""

    detail: PaperDetail

    def warm_related(self) -> None:
        store = self.store  # type: ignore[attr-defined]
        # read related.bin unless it is read, or was looked at and is not there (the
        # reader never computes the lists; a new file from an import is read again)
        if not (getattr(store, "related_ready", True) or getattr(store, "related_missing", False)):
            self.run_worker(self._read_related, thread=True,  # type: ignore[attr-defined]
                            group="related", exclusive=True, exit_on_error=False)

    def _read_related(self) -> None:
        self.store.warm_related()  # type: ignore[attr-defined]
        self.app.call_from_thread(self._related_read)  # type: ignore[attr-defined]

    def _related_read(self) -> None:
        paper = self.detail.paper
        if paper is not None:  # the same paper, its related papers added
            self.detail.show(paper, self.store, refresh=True)  # type: ignore[attr-defined]

    def action_open_related(self, number: int) -> None:
        related = (self.detail.related or []) if self.detail.display else []
        if not 1 <= number <= len(related):
            if self.detail.paper is not None:
                self.notify(f"No related paper {number}.",  # type: ignore[attr-defined]
                            severity="warning", timeout=2)
            return
        self.app.show_paper(related[number - 1].id)  # type: ignore[attr-defined]

    def on_paper_detail_paper_clicked(self, event: PaperDetail.PaperClicked) -> None:
        self.app.show_paper(event.paper_id)  # type: ignore[attr-defined]
