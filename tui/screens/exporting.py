"""Exporting a list (``x``, in the reader and the tag view): ask for a format and a
file (``ExportDialog``), confirm before replacing a file, write it atomically, and say
where it went.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from store.storage import StoreError

if TYPE_CHECKING:
    from textual.screen import Screen

    from store.db import Store


def start_export(screen: Screen, ids: list[str] | None, days: list[str] | None,
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


def _confirm(question: str):
    from .note_editor import Confirm

    return Confirm(question)
