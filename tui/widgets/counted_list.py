"""A list of ``name ......... count`` rows, drawn on demand: the author index's names
and the tag view's tags.

A corpus can hold hundreds of thousands of distinct authors, so this is a
``VirtualList`` (only the visible rows are rendered).  Names are data: ``Text``.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text

from ..text import one_line
from .virtual_list import VirtualList


class CountedList(VirtualList):
    COMPONENT_CLASSES: ClassVar[set[str]] = VirtualList.COMPONENT_CLASSES | {
        "counted-list--count",
    }

    DEFAULT_CSS = """
    CountedList > .counted-list--count { color: $text-secondary; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.items: list[tuple[str, int]] = []

    def set_items(self, items: list[tuple[str, int]], current: str | None = None,
                  *, notify: bool = True) -> None:
        """Replace the rows; the cursor goes to ``current`` if listed, else the top."""
        self.items = list(items)
        index = 0
        if current is not None:
            index = next((i for i, (name, _) in enumerate(self.items) if name == current), 0)
        self.set_row_count(len(self.items), index, notify=notify)

    @property
    def current(self) -> str | None:
        if 0 <= self.cursor < len(self.items):
            return self.items[self.cursor][0]
        return None

    def render_row(self, index: int, width: int) -> Text:
        name, count = self.items[index]
        count_text = f" {count:>4}"
        text = Text(one_line(name))
        text.truncate(max(1, width - len(count_text)), overflow="ellipsis", pad=True)
        text.append(count_text, self.get_component_rich_style("counted-list--count",
                                                              partial=True))
        return text
