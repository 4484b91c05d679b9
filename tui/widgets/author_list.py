"""The author index list: ``Name ......... count`` rows, drawn on demand.

A corpus can hold hundreds of thousands of distinct authors, so this is a
``VirtualList`` (only the visible rows are rendered).  Names are data: ``Text``.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text

from ..text import one_line
from .virtual_list import VirtualList


class AuthorList(VirtualList):
    COMPONENT_CLASSES: ClassVar[set[str]] = VirtualList.COMPONENT_CLASSES | {
        "author-list--count",
    }

    DEFAULT_CSS = """
    AuthorList > .author-list--count { color: $text-secondary; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.authors: list[tuple[str, int]] = []

    def set_authors(self, authors: list[tuple[str, int]], current: str | None = None,
                    *, notify: bool = True) -> None:
        """Replace the rows; the cursor goes to ``current`` if listed, else the top."""
        self.authors = list(authors)
        index = 0
        if current is not None:
            index = next((i for i, (name, _) in enumerate(self.authors) if name == current), 0)
        self.set_row_count(len(self.authors), index, notify=notify)

    @property
    def current(self) -> str | None:
        if 0 <= self.cursor < len(self.authors):
            return self.authors[self.cursor][0]
        return None

    def render_row(self, index: int, width: int) -> Text:
        name, count = self.authors[index]
        count_text = f" {count:>4}"
        text = Text(one_line(name))
        text.truncate(max(1, width - len(count_text)), overflow="ellipsis", pad=True)
        text.append(count_text, self.get_component_rich_style("author-list--count",
                                                              partial=True))
        return text
