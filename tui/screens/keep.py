"""Keep and take away, in the reader: the actions behind ``e`` ``t`` ``T`` ``x`` ``S``.

``KeepActions`` is mixed into the main screen (which owns ``store``, ``paper_list``,
``detail``, ``mode`` and ``day``); ``start_export`` is shared with the tag view.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.binding import Binding

from store.storage import StoreError


if TYPE_CHECKING:
    from textual.screen import Screen

    from store.db import Store

# Added to the main screen's BINDINGS (each with an id, so keymaps and help follow).
KEEP_BINDINGS = [
    Binding("e", "edit_note", "Note", show=False, id="note"),
    Binding("t", "edit_tags", "Tags", show=False, id="tags"),
    Binding("T", "tag_view", "Tag view", show=False, id="tag-view"),
    Binding("x", "export_list", "Export", show=False, id="export"),
    Binding("S", "stats", "Stats", show=False, id="stats"),
]


def start_export(screen: "Screen", ids: list[str] | None, days: list[str] | None,
                 label: str, what: str) -> None:
    """Ask for a format and file, then export those papers; a notification says where."""
    from store.export import render

    from .export_dialog import ExportDialog

    store: Store = screen.store  # type: ignore[attr-defined]
    selection = store.export_set(ids=ids, days=days)
    count = len(selection)
    if not count:
        screen.notify("Nothing to export: the list is empty.", severity="warning")
        return
    last_dir = store.ui_get("export_dir")
    directory = Path(last_dir) if isinstance(last_dir, str) and Path(last_dir).is_dir() \
        else Path.cwd()

    def write(fmt: str, path: Path) -> None:
        if screen.app.is_web:  # papers serve: the file goes to the reader's browser
            deliver(fmt, path.name)
            return
        try:
            from store.storage import atomic_write

            atomic_write(path, render(fmt, selection).encode("utf-8"), backup=False)
        except (StoreError, OSError) as exc:
            screen.notify(f"Export failed: {exc}", severity="error", markup=False, timeout=8)
            return
        store.ui_set("export_format", fmt)
        store.ui_set("export_dir", str(path.parent))
        screen.notify(f"Exported {count} paper{'s' if count != 1 else ''} to {path}",
                      title="Export", markup=False, timeout=8)

    def deliver(fmt: str, name: str) -> None:
        import io

        screen.app.deliver_text(io.StringIO(render(fmt, selection)), save_filename=name,
                                encoding="utf-8")
        store.ui_set("export_format", fmt)
        screen.notify(f"Exported {count} paper{'s' if count != 1 else ''}: {name} is "
                      "downloading in your browser", title="Export", markup=False, timeout=8)

    def chosen(result: tuple[str, Path] | None) -> None:
        if result is None:
            return
        fmt, path = result
        if screen.app.is_web:  # the name is all that counts: nothing is written here
            deliver(fmt, path.name or "papers")
            return
        if path.is_dir():
            screen.notify(f"{path} is a folder; give a file name.", severity="error",
                          markup=False)
            return
        if path.exists():
            screen.app.push_screen(
                _confirm(f"{path} exists. Replace it?"),
                lambda yes: write(fmt, path) if yes else None)
        else:
            write(fmt, path)

    fmt = store.ui_get("export_format", "bibtex")
    screen.app.push_screen(ExportDialog(label, what, count, fmt, directory), chosen)


class KeepActions:
    """Notes, tags, exports and statistics for the main screen."""

    def _keep_refresh(self) -> None:
        """Redraw the note glyphs and the detail's note/tags after a change."""
        self.paper_list.refresh()  # type: ignore[attr-defined]
        detail = self.detail  # type: ignore[attr-defined]
        if detail.paper is not None:
            pid = detail.paper.id
            store = self.store  # type: ignore[attr-defined]
            detail.set_keep(store.note(pid), store.tags(pid))

    def action_edit_note(self) -> None:
        paper = self._current_or_warn()  # type: ignore[attr-defined]
        if paper is None:
            return
        store = self.store  # type: ignore[attr-defined]
        pid = paper.id
        before = store.note(pid)

        def saved(text: str | None) -> None:
            if text is None:
                return
            try:
                kept = store.set_note(pid, text)
            except StoreError as exc:
                self.notify(str(exc), severity="error", markup=False)  # type: ignore[attr-defined]
                return
            self._keep_refresh()
            if kept != before:
                msg = "Note saved." if kept else "Note removed."
                self.notify(msg, timeout=1.5)  # type: ignore[attr-defined]

        from .note_editor import NoteEditor  # loaded on first use, not at start-up

        self.app.push_screen(NoteEditor(paper.title, before), saved)  # type: ignore[attr-defined]

    def action_edit_tags(self) -> None:
        from .tags import TagEditor

        paper = self._current_or_warn()  # type: ignore[attr-defined]
        if paper is None:
            return
        store = self.store  # type: ignore[attr-defined]
        pid = paper.id

        def saved(tags: list[str] | None) -> None:
            if tags is None:
                return
            try:
                kept = store.set_tags(pid, tags)
            except StoreError as exc:
                self.notify(str(exc), severity="error", markup=False)  # type: ignore[attr-defined]
                return
            self._keep_refresh()
            shown = ", ".join(kept) if kept else "none"
            self.notify(f"Tags: {shown}", markup=False, timeout=1.5)  # type: ignore[attr-defined]

        screen = TagEditor(paper.title, store.tags(pid), store.all_tags())
        self.app.push_screen(screen, saved)  # type: ignore[attr-defined]

    def action_tag_view(self) -> None:
        from .tags import TagView

        paper = self.paper_list.current  # type: ignore[attr-defined]
        tags = self.store.tags(paper.id) if paper is not None else []  # type: ignore[attr-defined]
        self.app.push_screen(  # type: ignore[attr-defined]
            TagView(self.store, tags[0] if tags else None),  # type: ignore[attr-defined]
            lambda _: self._keep_refresh())

    def action_export_list(self) -> None:
        ids = [p.id for p in self.paper_list.papers]  # type: ignore[attr-defined]
        mode = getattr(self, "mode", "day")
        day = getattr(self, "day", None)
        if mode == "day" and day:
            start_export(self, ids, [day], day, day)  # type: ignore[arg-type]
        elif mode == "bookmarks":
            start_export(self, ids, None, "bookmarks", "bookmarks")  # type: ignore[arg-type]
        else:
            start_export(self, ids, None, str(mode or "list"), "the list")  # type: ignore[arg-type]

    def action_stats(self) -> None:
        from .stats import StatsScreen

        self.app.push_screen(StatsScreen(self.store))  # type: ignore[attr-defined]


def _confirm(question: str):
    from .note_editor import Confirm

    return Confirm(question)
