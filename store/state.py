"""Reader state (read marks, bookmarks, notes, tags, UI) in ``state.json``.

Kept apart from the corpus and compact: one TinyDB table per field, each with
a few documents (buckets) mapping paper id -> ``[value, changed_at_ms]``.  A
change re-serialises only its bucket, so marking a paper costs the same
whether 100 or 55,000 papers have been read.  A change is a small delta
applied under an exclusive lock onto the freshest copy on disk
(read-merge-write), so two processes never lose each other's updates.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Iterable

from .storage import StoreError, atomic_write, file_lock, load_json, malformed_notice

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


BUCKETS = 16


def _bucket(paper_id: str) -> int:
    # any partition will do: files are re-bucketed on load
    return hash(paper_id) & (BUCKETS - 1)


class StateFile:
    def __init__(self, path: Path, notices: list[str]) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.notices = notices
        self.tables: dict[str, list[dict[str, list]]] = {}
        self._frags: dict[str, list[bytes | None]] = {}
        self.ui: dict[str, Any] = {}
        self._sig: tuple[int, int, int] | None = None
        self._load()

    # -- reading -----------------------------------------------------------
    def _load(self) -> None:
        # the signature before the data: if another process replaces the file while it
        # is read, the next refresh sees a newer signature and reads again.  (Taken after,
        # it could pair the old data with the new file's signature; the next change would
        # then be written over the other process's update.)
        sig = _signature(self.path)
        data = load_json(self.path, self.notices) or {}
        bad = 0
        for name in FIELDS:
            buckets: list[dict[str, list]] = [{} for _ in range(BUCKETS)]
            for doc in (data.get(name) or {}).values():
                for k, v in doc.items():
                    if isinstance(v, list) and len(v) == 2 and isinstance(v[1], int):
                        buckets[_bucket(k)][k] = v
                    else:
                        bad += 1
            self.tables[name] = buckets
            self._frags[name] = [None] * BUCKETS
        if bad:  # never dropped silently: said, and the file kept as it was
            self.notices.append(malformed_notice(self.path, bad))
        self.ui = dict((data.get(UI) or {}).get("1") or {})
        self._sig = sig

    def refresh(self) -> bool:
        """Re-read the file if another process changed it; True if it did."""
        sig = _signature(self.path)
        if sig == self._sig:
            return False
        self._load()
        return True

    def entry(self, name: str, paper_id: str) -> list | None:
        """``[value, changed_at_ms]`` or None."""
        return self.tables[name][_bucket(paper_id)].get(paper_id)

    def value(self, name: str, paper_id: str, default: Any = None) -> Any:
        entry = self.tables[name][_bucket(paper_id)].get(paper_id)
        return default if entry is None else entry[0]

    def changed_at(self, name: str, paper_id: str) -> int | None:
        entry = self.entry(name, paper_id)
        return None if entry is None else entry[1]

    def entries(self, name: str) -> dict[str, list]:
        """Every ``id -> [value, ts]`` of a field (a copy)."""
        out: dict[str, list] = {}
        for bucket in self.tables[name]:
            out.update(bucket)
        return out

    def ids_where(self, name: str) -> list[str]:
        """Ids whose value for ``name`` is truthy."""
        return [k for b in self.tables[name] for k, (v, _) in b.items() if v]

    # -- writing -----------------------------------------------------------
    def _put(self, name: str, paper_id: str, entry: list) -> None:
        n = _bucket(paper_id)
        self.tables[name][n][paper_id] = entry
        self._frags[name][n] = None

    def _dump(self) -> list[bytes]:
        """The file as chunks; unchanged buckets reuse their cached bytes."""
        parts = [b"{"]
        for name in FIELDS:
            frags = self._frags[name]
            parts.append(b'"%s":{' % name.encode())
            for n, bucket in enumerate(self.tables[name]):
                if frags[n] is None:
                    frags[n] = orjson.dumps(bucket)
                parts += (b'"%d":' % (n + 1), frags[n], b"," if n < BUCKETS - 1 else b"},")
        parts.append(b'"%s":{"1":%s}}' % (UI.encode(), orjson.dumps(self.ui)))
        return parts

    def change(self, name: str, values: dict[str, Any]) -> None:
        """Set ``name`` for each id, stamped now; on disk when this returns."""
        if not values:
            return
        with file_lock(self.lock_path):
            self.refresh()
            stamp = now_ms()
            for paper_id, value in values.items():
                old = self.entry(name, paper_id)
                ts = stamp if old is None else max(stamp, old[1] + 1)
                self._put(name, paper_id, [value, ts])
            self._write()

    def merge(self, name: str, entries: dict[str, list]) -> int:
        """Fold in ``[value, ts]`` entries where they are newer; returns how many won."""
        won = 0
        with file_lock(self.lock_path):
            self.refresh()
            for paper_id, entry in entries.items():
                old = self.entry(name, paper_id)
                if old is None or entry[1] > old[1] or (
                    entry[1] == old[1] and orjson.dumps(entry[0]) > orjson.dumps(old[0])
                ):
                    self._put(name, paper_id, [entry[0], entry[1]])
                    won += 1
            if won:
                self._write()
        return won

    def set_ui(self, key: str, value: Any) -> None:
        self.set_ui_many([(key, value)])

    def set_ui_many(self, items: Iterable[tuple[str, Any]]) -> None:
        with file_lock(self.lock_path):
            self.refresh()
            for key, value in items:
                self.ui[key] = value
            self._write()

    def _write(self) -> None:
        try:
            atomic_write(self.path, self._dump())
        except StoreError:
            self._load()  # show what is on disk, not the change that could not be saved
            raise
        self._sig = _signature(self.path)
