"""Undo for read/bookmark changes: each entry remembers the values it replaced."""

from __future__ import annotations

from typing import Literal

Kind = Literal["read", "bookmark"]


class Change:
    # Plain classes, not dataclasses: these are imported at every start-up, and
    # making a dataclass costs a few tenths of a millisecond.
    __slots__ = ("before", "kind", "label")

    def __init__(self, kind: Kind, before: dict[str, bool], label: str = "") -> None:
        self.kind = kind
        self.before = before  # paper id -> value before the change
        self.label = label


class UndoStack:
    def __init__(self, limit: int = 100) -> None:
        self.limit = limit
        self.entries: list[Change] = []

    def push(self, kind: Kind, before: dict[str, bool], label: str = "") -> None:
        if not before:
            return
        self.entries.append(Change(kind, dict(before), label))
        del self.entries[: -self.limit]

    def pop(self) -> Change | None:
        return self.entries.pop() if self.entries else None

    def __len__(self) -> int:
        return len(self.entries)
