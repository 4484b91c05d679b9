"""The help screen: every key, grouped, with the keys currently bound (keymap aware)."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..actions import SECTIONS

KEY_WIDTH = 14  # the key column; section titles sit above their rows


def binding_keys(app) -> dict[str, str]:
    """Binding id -> key list ("j,down") as currently bound (defaults + keymap)."""
    from ..widgets.paper_detail import PaperDetail
    from ..widgets.virtual_list import VirtualList
    from .main import MainScreen
    from .search import SearchScreen

    keys: dict[str, str] = {}
    for owner in (VirtualList, PaperDetail, MainScreen, SearchScreen, HelpScreen, type(app)):
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                keys.setdefault(binding.id, binding.key)
    keys.update(getattr(app, "keymap", {}) or {})  # PapersApp.set_keymap remembers it
    return keys


def key_display(app, keys: str) -> str:
    shown = []
    for key in keys.split(","):
        key = key.strip()
        if key:
            shown.append(app.get_key_display(Binding(key, "")))
    return " ".join(shown)


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "screens.tcss"  # read when the first such screen opens

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
        Binding("j,down", "scroll('down')", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll('up')", "Up", show=False, id="help.up"),
    ]

    def compose(self) -> ComposeResult:
        box = VerticalScroll(id="help-box")
        box.border_title = "Keys"
        box.border_subtitle = "Esc closes"
        with box:
            yield Static(self.build(), id="help-body", markup=False)

    def build(self) -> Group:
        keys = binding_keys(self.app)
        parts: list[RenderableType] = []
        for title, entries in SECTIONS:
            parts.append(Text(title, style="bold underline"))
            table = Table.grid(padding=(0, 2, 0, 0))
            table.add_column(width=KEY_WIDTH, overflow="fold")
            table.add_column(ratio=1)
            for entry in entries:
                shown = key_display(self.app, keys.get(entry.binding_id, ""))
                table.add_row(Text(shown, style="bold"), Text(entry.help))
            parts.append(table)
            parts.append(Text(""))
        return Group(*parts)

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        if direction == "down":
            box.scroll_down(animate=False)
        else:
            box.scroll_up(animate=False)
