"""The footer: the keys of whatever has focus, on one line.

Textual's ``Footer`` mounts a widget per key (and only after the first refresh), which
costs the reader a tenth of its start-up; this is one widget that renders one line.
It shows the same thing: each shown binding once (per action), its key in the accent
colour, disabled ones dimmed, and the command palette key on the right.  Clicking a
key presses it.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

DIM = Style(dim=True)


class Key(NamedTuple):
    key: str  # what to press (``simulate_key``)
    display: str  # how it is shown
    description: str
    enabled: bool


class KeyBar(Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key", "key-bar--description", "key-bar--separator"
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description { color: $footer-description-foreground; }
        & > .key-bar--separator { color: $foreground-muted; }  /* 20% vanished in 16 colours */
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._spans: list[tuple[int, int, Key]] = []  # x range -> key, for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: object) -> None:
        self.refresh()

    def keys(self) -> tuple[list[Key], Key | None]:
        """The shown keys, left to right, and the command palette key (or None)."""
        app = self.app
        active = self.screen.active_bindings
        shown: list[Key] = []
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                shown.append(Key(binding.key, app.get_key_display(binding),
                                 binding.description, enabled))
        palette = None
        entry = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        if entry is not None:
            _node, binding, enabled, _tooltip = entry
            palette = Key(binding.key, app.get_key_display(binding), binding.description,
                          enabled)
        return shown, palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        shown, palette = self.keys()
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, Key]] = []

        def add(key: Key) -> None:
            start = line.cell_len
            dim = Style() if key.enabled else DIM
            line.append(key.display, key_style + dim)
            if key.description:
                line.append(" " + key.description, text_style + dim)
            spans.append((start, line.cell_len, key))

        for i, key in enumerate(shown):
            if i:
                line.append(" ")
            add(key)
        if palette is not None:
            label = palette.display + (" " + palette.description if palette.description else "")
            gap = self.size.width - line.cell_len - cell_len(label) - 1
            if gap >= 1:
                line.append(" " * gap)
                line.append("▏", self.get_component_rich_style("key-bar--separator"))
                add(palette)
        self._spans = spans
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                if key.enabled:
                    self.app.simulate_key(key.key)
                else:
                    self.app.bell()
                return
