"""The messages a list widget posts about one of its rows: which list (``control``) and
which row (``index``).  Each list declares its own subclasses (``ResultList.Highlighted``,
``VirtualList.Highlighted``, ...) so a handler names the list it listens to; Textual takes
the handler's name (``on_result_list_highlighted``) from the subclass."""

from __future__ import annotations

from textual.message import Message
from textual.widget import Widget


class RowMessage(Message):
    """Something happened to row ``index`` of the list ``control``."""

    def __init__(self, sender: Widget, index: int) -> None:
        super().__init__()
        self.sender = sender
        self.index = index

    @property
    def control(self) -> Widget:
        return self.sender


class RowHighlighted(RowMessage):
    """The highlight (cursor) moved to row ``index``.  Coalesced: when the list posts
    again before this one is handled (fast j/k), only the newer one is handled."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, type(self)) and message.sender is self.sender
