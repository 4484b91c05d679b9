"""The note editor (``e``): a modal TextArea; Ctrl+S saves, Escape cancels.

Escape with unsaved changes asks first (``Confirm``).  The paper's title is shown
as data (a ``Content``), never parsed as markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

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
    """Edit one paper's note; dismisses with the text (saved) or None (cancelled)."""

    CSS_PATH = "screens.tcss"  # read when the first such screen opens

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="note.save"),
        Binding("escape", "cancel", "Cancel", priority=True, id="note.cancel"),
    ]

    def __init__(self, title: str, note: str | None) -> None:
        super().__init__()
        self.paper_title = one_line(title)
        self.original = note or ""

    def compose(self) -> ComposeResult:
        box = Vertical(id="note-box")
        box.border_title = Content("Note · ") + Content(self.paper_title)
        box.border_subtitle = Content("Ctrl+S save · Esc cancel")
        with box:
            yield TextArea(self.original, id="note-text", soft_wrap=True,
                           show_line_numbers=False, tab_behavior="indent")

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
        self.dismiss(self.editor.text)

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
