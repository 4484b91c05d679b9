"""The export dialog (``x``): pick a format, accept (or edit) the suggested file name.

Up/Down choose the format (the file name's extension follows), Enter exports;
Tab moves to the file name, Enter there exports too.  Dismisses with
``(format, path)`` or None.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from store.export import FORMATS, suggest_name

from ..cursor import steady

FORMAT_NAMES = {
    "bibtex": "BibTeX (.bib): citations, notes as note",
    "markdown": "Markdown (.md): the digest format, re-importable",
    "csv": "CSV (.csv): a row per paper, for spreadsheets",
    "json": "JSON (.json): papers with tags and notes",
}


class ExportDialog(ModalScreen["tuple[str, Path] | None"]):
    CSS_PATH = "screens.tcss"  # read when the first such screen opens

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(self, label: str, what: str, count: int, fmt: str = "bibtex",
                 directory: Path | None = None) -> None:
        super().__init__()
        self.label = label
        self.what = what
        self.count = count
        self.fmt = fmt if fmt in FORMATS else "bibtex"
        self.directory = directory or Path.cwd()

    def suggested(self, fmt: str) -> str:
        return str(self.directory / suggest_name(self.label, fmt))

    def compose(self) -> ComposeResult:
        box = Vertical(id="export-box")
        n = self.count
        box.border_title = Content(f"Export {n} paper{'s' if n != 1 else ''} · ") + Content(
            self.what)
        box.border_subtitle = Content("↑↓ format · Tab file name · Enter export · Esc cancel")
        options = [Option(Text(FORMAT_NAMES[f]), id=f) for f in FORMATS]
        with box:
            yield OptionList(*options, id="export-formats", markup=False)
            yield Static(Text("File", style="bold"), markup=False)
            yield steady(self.app, Input(self.suggested(self.fmt), id="export-path"))

    @property
    def formats(self) -> OptionList:
        return self.query_one("#export-formats", OptionList)

    @property
    def path_input(self) -> Input:
        return self.query_one("#export-path", Input)

    def on_mount(self) -> None:
        self.formats.highlighted = list(FORMATS).index(self.fmt)
        self.formats.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        fmt = event.option.id or self.fmt
        if fmt == self.fmt:
            return
        path = self.path_input.value
        old_ext = "." + FORMATS[self.fmt][1]
        if path.endswith(old_ext):  # the extension follows the format
            self.path_input.value = path[: -len(old_ext)] + "." + FORMATS[fmt][1]
        self.fmt = fmt

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.fmt = event.option.id or self.fmt
        self._done()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._done()

    def _done(self) -> None:
        value = self.path_input.value.strip()
        if not value:
            self.notify("Give a file name.", severity="warning")
            self.path_input.focus()
            return
        path = Path(value).expanduser()
        if not path.is_absolute():
            path = self.directory / path
        self.dismiss((self.fmt, path))

    def action_cancel(self) -> None:
        self.dismiss(None)
