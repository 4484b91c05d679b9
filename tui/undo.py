"""Undo for read/bookmark changes: each entry remembers the values it replaced."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["read", "bookmark"]


@dataclass(slots=True)
class Change:
    kind: Kind
    before: dict[str, bool]  # paper id -> value before the change
    label: str = ""


@dataclass
class UndoStack:
    limit: int = 100
    entries: list[Change] = field(default_factory=list)

    def push(self, kind: Kind, before: dict[str, bool], label: str = "") -> None:
        if not before:
            return
        self.entries.append(Change(kind, dict(before), label))
        del self.entries[: -self.limit]

    def pop(self) -> Change | None:
        return self.entries.pop() if self.entries else None

    def __len__(self) -> int:
        return len(self.entries)
