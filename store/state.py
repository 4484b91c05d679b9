"""Reader state (read marks, bookmarks, notes, tags, UI) in ``state.json``, a TinyDB
database opened through the project's storage (``store.tinydb_storage``).

Kept apart from the corpus and compact: one TinyDB table per field, each with
a few documents (buckets) mapping paper id -> ``[value, changed_at_ms]``.  A
change goes through TinyDB (an upsert of the documents it touches) and the storage
re-serialises only those documents, so marking a paper costs the same
whether 100 or 55,000 papers have been read.  A change is a small delta
applied under an exclusive lock onto the freshest copy on disk
(read-merge-write), so two processes never lose each other's updates.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson
from tinydb.table import Document

from .storage import StoreError, file_lock, malformed_notice
from .tinydb_storage import AtomicJSONStorage, open_db

FIELDS = ("read", "bookmark", "note", "tags")
UI = "ui"


def now_ms() -> int:
    return time.time_ns() // 1_000_000


BUCKETS = 16


def _bucket(paper_id: str) -> int:
    """The document (1..16) a new id goes to: the same in every process (ids already in
    the file stay in the document they are in; older files bucketed them otherwise)."""
    return (zlib.crc32(paper_id.encode("utf-8", "surrogatepass")) & (BUCKETS - 1)) + 1


class StateFile:
    """``state.json`` as a TinyDB database: a table per field, each of up to 16 documents
    mapping paper id -> ``[value, changed_at_ms]``, and a ``ui`` table of one document.

    Lookups are answered from a map per field built from the tables' documents when the
    file is read (a lookup through TinyDB copies a whole document: ~3,400 ids at 55k);
    every change goes through TinyDB (``upsert`` of the documents it touches) and lands
    in one atomic write."""

    def __init__(self, path: Path, notices: list[str]) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.notices = notices
        self.db = open_db(self.path, notices, track_documents=True)
        self.storage: AtomicJSONStorage = self.db.storage
        self.maps: dict[str, dict[str, list]] = {}
        self._drop: dict[str, dict[int, list[str]]] = {}  # entries to remove at next write
        self.ui: dict[str, Any] = {}
        self._load()

    # -- reading -----------------------------------------------------------
    def _load(self) -> None:
        self.storage.forget()
        bad = 0
        self._drop = {}
        for name in FIELDS:
            found: dict[str, list] = {}
            doc_of: dict[str, int] = {}
            drop: dict[int, list[str]] = {}
            for doc in self.db.table(name).all():
                n = doc.doc_id
                for k, v in doc.items():
                    if isinstance(v, list) and len(v) == 2 and isinstance(v[1], int):
                        old = found.get(k)
                        if old is None:
                            found[k] = v
                            doc_of[k] = n
                            continue
                        if v[1] > old[1]:  # in two documents (not written by us): newest
                            drop.setdefault(doc_of[k], []).append(k)
                            found[k] = v
                            doc_of[k] = n
                            continue
                    else:
                        bad += 1
                    drop.setdefault(n, []).append(k)
            self.maps[name] = found
            if drop:
                self._drop[name] = drop
        if bad:  # never dropped silently: said, and the file kept as it was
            self.notices.append(malformed_notice(self.path, bad))
        ui = self.db.table(UI).get(doc_id=1)
        self.ui = dict(ui) if ui else {}

    def refresh(self) -> bool:
        """Re-read the file if another process changed it; True if it did."""
        if not self.storage.changed_on_disk():
            return False
        self._load()
        return True

    def entry(self, name: str, paper_id: str) -> list | None:
        """``[value, changed_at_ms]`` or None."""
        return self.maps[name].get(paper_id)

    def value(self, name: str, paper_id: str, default: Any = None) -> Any:
        entry = self.maps[name].get(paper_id)
        return default if entry is None else entry[0]

    def changed_at(self, name: str, paper_id: str) -> int | None:
        entry = self.entry(name, paper_id)
        return None if entry is None else entry[1]

    def entries(self, name: str) -> dict[str, list]:
        """Every ``id -> [value, ts]`` of a field (a copy)."""
        return dict(self.maps[name])

    def ids_where(self, name: str) -> list[str]:
        """Ids whose value for ``name`` is truthy."""
        return [k for k, (v, _) in self.maps[name].items() if v]

    # -- writing -----------------------------------------------------------
    def change(self, name: str, values: dict[str, Any]) -> None:
        """Set ``name`` for each id, stamped now; on disk when this returns."""
        if not values:
            return
        with file_lock(self.lock_path):
            self.refresh()
            stamp = now_ms()
            entries = {}
            for paper_id, value in values.items():
                old = self.entry(name, paper_id)
                ts = stamp if old is None else max(stamp, old[1] + 1)
                entries[paper_id] = [value, ts]
            self._write(name, entries)

    def merge(self, name: str, entries: dict[str, list]) -> int:
        """Fold in ``[value, ts]`` entries where they are newer; returns how many won."""
        won: dict[str, list] = {}
        with file_lock(self.lock_path):
            self.refresh()
            for paper_id, entry in entries.items():
                old = self.entry(name, paper_id)
                if old is None or entry[1] > old[1] or (
                    entry[1] == old[1] and orjson.dumps(entry[0]) > orjson.dumps(old[0])
                ):
                    won[paper_id] = [entry[0], entry[1]]
            if won:
                self._write(name, won)
        return len(won)

    def set_ui(self, key: str, value: Any) -> None:
        self.set_ui_many([(key, value)])

    def set_ui_many(self, items: Iterable[tuple[str, Any]]) -> None:
        with file_lock(self.lock_path):
            self.refresh()
            fields = dict(items)
            try:
                with self.storage.batch():
                    self._clean()
                    self.db.table(UI).upsert(Document(fields, doc_id=1))
            except StoreError:
                self._load()
                raise
            self.ui.update(fields)
            self._drop = {}

    def _clean(self) -> None:
        """Remove the entries the last read could not use (said when read)."""
        for name, docs in self._drop.items():
            table = self.db.table(name)
            for n, keys in docs.items():
                table.update(lambda doc, keys=keys: [doc.pop(k, None) for k in keys],
                             doc_ids=[n])

    def _write(self, name: str, entries: dict[str, list]) -> None:
        """``entries`` into the field's documents through TinyDB, in one atomic write;
        on failure, memory is reloaded from the file (it shows what is saved)."""
        known = self.maps[name]
        table = self.db.table(name)
        try:
            with self.storage.batch():
                self._clean()  # first: an id's older copy is gone before it is looked for
                docs = (self.storage.read() or {}).get(name) or {}  # what TinyDB holds
                by_doc: dict[int, dict[str, list]] = {}
                for paper_id, entry in entries.items():
                    n = _bucket(paper_id)
                    if paper_id in known and paper_id not in docs.get(str(n), ()):
                        # written by an older version, which bucketed otherwise
                        n = next((int(k) for k, doc in docs.items() if paper_id in doc), n)
                    by_doc.setdefault(n, {})[paper_id] = entry
                for n, fields in by_doc.items():
                    table.upsert(Document(fields, doc_id=n))
        except StoreError:
            self._load()  # show what is on disk, not the change that could not be saved
            raise
        self._drop = {}
        known.update(entries)
