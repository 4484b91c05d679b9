"""The note editor (``e``): a modal TextArea; Ctrl+S saves, Escape cancels.

Escape with unsaved changes asks first (``Confirm``).  A save that fails (a full
disk, a read-only data directory) keeps the editor open with the text and says why.
The paper's title is shown as data (a ``Content``), never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from store.storage import StoreError

from ..cursor import steady
from ..text import one_line


class Confirm(ModalScreen[bool]):
    """A yes/no question: ``y`` (or Enter) answers yes, ``n`` / Escape no."""

    CSS_PATH = "screens.tcss"  # read when the first such screen opens

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self.question), markup=False)
            yield Static(Text("y yes · n no", style="dim"), markup=False)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class NoteEditor(ModalScreen["str | None"]):
    """Edit one paper's note; dismisses with the text (saved) or None (cancelled).

    ``save`` writes the text; if it raises ``StoreError`` the editor stays open."""

    CSS_PATH = "screens.tcss"  # read when the first such screen opens

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="note.save"),
        Binding("escape", "cancel", "Cancel", priority=True, id="note.cancel"),
    ]

    def __init__(self, title: str, note: str | None,
                 save: Callable[[str], object] | None = None) -> None:
        super().__init__()
        self.paper_title = one_line(title)
        self.original = note or ""
        self.save = save

    def compose(self) -> ComposeResult:
        box = Vertical(id="note-box")
        box.border_title = Content("Note · ") + Content(self.paper_title)
        box.border_subtitle = Content("Ctrl+S save · Esc cancel")
        with box:
            yield steady(self.app, TextArea(self.original, id="note-text", soft_wrap=True,
                                            show_line_numbers=False, tab_behavior="indent"))
            yield Static("", id="note-error", markup=False)

    @property
    def editor(self) -> TextArea:
        return self.query_one("#note-text", TextArea)

    def on_mount(self) -> None:
        editor = self.editor
        editor.focus()
        editor.move_cursor(editor.document.end)

    @property
    def changed(self) -> bool:
        return self.editor.text != self.original

    def action_save(self) -> None:
        text = self.editor.text
        if self.save is not None:
            try:
                self.save(text)
            except StoreError as exc:
                show_save_error(self.query_one("#note-error", Static), exc)
                self.editor.focus()
                return
        self.dismiss(text)

    def action_cancel(self) -> None:
        if not self.changed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)
            else:
                self.editor.focus()

        self.app.push_screen(Confirm("Discard the changes to this note?"), answered)


def show_save_error(line: Static, exc: Exception) -> None:
    """``Not saved: <why>`` on the editor's error line (shared with the tag editor)."""
    line.update(Text(f"Not saved: {exc}. Fix that and save again, or Esc to drop it."))
    line.add_class("-shown")
