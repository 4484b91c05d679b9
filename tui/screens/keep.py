"""Keep and take away, in the reader: the actions behind ``e`` ``t`` ``T`` ``x`` ``S``.

``KeepActions`` is mixed into the main screen (which owns ``store``, ``paper_list``,
``detail`` and ``model``, the reader's model); exporting is ``exporting.start_export``,
shared with the tag view.
"""

from __future__ import annotations

from textual.binding import Binding

# Added to the main screen's BINDINGS (each with an id, so keymaps and help follow).
KEEP_BINDINGS = [
    Binding("e", "edit_note", "Note", show=False, id="note"),
    Binding("t", "edit_tags", "Tags", show=False, id="tags"),
    Binding("T", "tag_view", "Tag view", show=False, id="tag-view"),
    Binding("x", "export_list", "Export", show=False, id="export"),
    Binding("S", "stats", "Stats", show=False, id="stats"),
]


class KeepActions:
    """Notes, tags, exports and statistics for the main screen."""

    def _keep_refresh(self) -> None:
        """Redraw the note glyphs and the detail's note/tags after a change."""
        self.paper_list.refresh()  # type: ignore[attr-defined]
        detail = self.detail  # type: ignore[attr-defined]
        if detail.paper is not None:
            detail.show(detail.paper, self.store, refresh=True)  # type: ignore[attr-defined]

    def action_edit_note(self) -> None:
        paper = self.current_or_warn()  # type: ignore[attr-defined]
        if paper is None:
            return
        store = self.store  # type: ignore[attr-defined]
        pid = paper.id
        before = store.note(pid)

        def saved(text: str | None) -> None:
            if text is None:
                return
            kept = store.note(pid)  # saved by the editor, which stays open if it cannot
            self._keep_refresh()
            if kept != before:
                msg = "Note saved." if kept else "Note removed."
                self.notify(msg, timeout=1.5)  # type: ignore[attr-defined]

        from .note_editor import NoteEditor  # loaded on first use, not at start-up

        editor = NoteEditor(paper.title, before, lambda text: store.set_note(pid, text))
        self.app.push_screen(editor, saved)  # type: ignore[attr-defined]

    def action_edit_tags(self) -> None:
        from .tags import TagEditor

        paper = self.current_or_warn()  # type: ignore[attr-defined]
        if paper is None:
            return
        store = self.store  # type: ignore[attr-defined]
        pid = paper.id

        def saved(tags: list[str] | None) -> None:
            if tags is None:
                return
            kept = store.tags(pid)  # saved by the editor, which stays open if it cannot
            self._keep_refresh()
            shown = ", ".join(kept) if kept else "none"
            self.notify(f"Tags: {shown}", markup=False, timeout=1.5)  # type: ignore[attr-defined]

        screen = TagEditor(paper.title, store.tags(pid), store.all_tags(),
                           lambda tags: store.set_tags(pid, tags))
        self.app.push_screen(screen, saved)  # type: ignore[attr-defined]

    def action_tag_view(self) -> None:
        from .tags import TagView

        paper = self.paper_list.current  # type: ignore[attr-defined]
        tags = self.store.tags(paper.id) if paper is not None else []  # type: ignore[attr-defined]

        def closed(paper_id: str | None) -> None:
            self._keep_refresh()
            self.app.show_paper(paper_id)  # type: ignore[attr-defined]

        self.app.push_screen(  # type: ignore[attr-defined]
            TagView(self.store, tags[0] if tags else None), closed)  # type: ignore[attr-defined]

    def action_export_list(self) -> None:
        ids = [p.id for p in self.paper_list.papers]  # type: ignore[attr-defined]
        days, label, what = self.model.export_target()  # type: ignore[attr-defined]
        from .exporting import start_export

        start_export(self, ids, days, label, what)  # type: ignore[arg-type]

    def action_stats(self) -> None:
        from .stats import StatsScreen

        self.app.push_screen(StatsScreen(self.store))  # type: ignore[attr-defined]
