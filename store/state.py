"""Reader state (read marks, bookmarks, notes, tags, UI) in ``state.json``.

Kept apart from the corpus and compact: one TinyDB table per field, each with
a single document mapping paper id -> ``[value, changed_at_ms]``.  A change
is a small delta applied under an exclusive lock onto the freshest copy on
disk (read-merge-write), so two processes never lose each other's updates.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Iterable

from .storage import atomic_write, file_lock, load_json

import orjson

FIELDS = ("read", "bookmark", "note", "tags")
UI = "ui"


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class StateFile:
    def __init__(self, path: Path, notices: list[str]) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.notices = notices
        self.fields: dict[str, dict[str, list]] = {f: {} for f in FIELDS}
        self.ui: dict[str, Any] = {}
        self._sig: tuple[int, int, int] | None = None
        self._load()

    # -- reading -----------------------------------------------------------
    def _load(self) -> None:
        data = load_json(self.path, self.notices) or {}
        fields: dict[str, dict[str, list]] = {}
        for name in FIELDS:
            doc = (data.get(name) or {}).get("1") or {}
            fields[name] = {
                k: v for k, v in doc.items() if isinstance(v, list) and len(v) == 2
            }
        self.fields = fields
        ui = (data.get(UI) or {}).get("1") or {}
        self.ui = dict(ui)
        self._sig = _signature(self.path)

    def refresh(self) -> bool:
        """Re-read the file if another process changed it; True if it did."""
        sig = _signature(self.path)
        if sig == self._sig:
            return False
        self._load()
        return True

    def value(self, name: str, paper_id: str, default: Any = None) -> Any:
        entry = self.fields[name].get(paper_id)
        return default if entry is None else entry[0]

    def changed_at(self, name: str, paper_id: str) -> int | None:
        entry = self.fields[name].get(paper_id)
        return None if entry is None else entry[1]

    def ids_where(self, name: str) -> list[str]:
        """Ids whose value for ``name`` is truthy."""
        return [k for k, (v, _) in self.fields[name].items() if v]

    # -- writing -----------------------------------------------------------
    def _dump(self) -> bytes:
        data = {name: {"1": self.fields[name]} for name in FIELDS}
        data[UI] = {"1": self.ui}
        return orjson.dumps(data)

    def change(self, name: str, values: dict[str, Any]) -> None:
        """Set ``name`` for each id, stamped now; on disk when this returns."""
        if not values:
            return
        with file_lock(self.lock_path):
            self.refresh()
            stamp = now_ms()
            table = self.fields[name]
            for paper_id, value in values.items():
                old = table.get(paper_id)
                ts = stamp if old is None else max(stamp, old[1] + 1)
                table[paper_id] = [value, ts]
            self._write()

    def merge(self, name: str, entries: dict[str, list]) -> int:
        """Fold in ``[value, ts]`` entries where they are newer; returns how many won."""
        won = 0
        with file_lock(self.lock_path):
            self.refresh()
            table = self.fields[name]
            for paper_id, entry in entries.items():
                old = table.get(paper_id)
                if old is None or entry[1] > old[1] or (
                    entry[1] == old[1] and orjson.dumps(entry[0]) > orjson.dumps(old[0])
                ):
                    table[paper_id] = [entry[0], entry[1]]
                    won += 1
            if won:
                self._write()
        return won

    def set_ui(self, key: str, value: Any) -> None:
        with file_lock(self.lock_path):
            self.refresh()
            self.ui[key] = value
            self._write()

    def set_ui_many(self, items: Iterable[tuple[str, Any]]) -> None:
        with file_lock(self.lock_path):
            self.refresh()
            for key, value in items:
                self.ui[key] = value
            self._write()

    def _write(self) -> None:
        atomic_write(self.path, self._dump())
        self._sig = _signature(self.path)
