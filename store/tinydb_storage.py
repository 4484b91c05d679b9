"""A TinyDB storage for the data directory's files, for anyone who wants to open them
with TinyDB itself (the store reads and writes them directly with orjson, which is
faster, and keeps TinyDB out of the reader's start-up).

    from tinydb import TinyDB
    from store.tinydb_storage import AtomicJSONStorage
    db = TinyDB("~/.local/share/papers/state.json", storage=AtomicJSONStorage)

Writes through it are atomic and keep a ``.bak`` like every other write.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson
from tinydb.storages import Storage

from .storage import atomic_write, load_json


class AtomicJSONStorage(Storage):
    """TinyDB storage: orjson, atomic replace, ``.bak``, recovery on read."""

    def __init__(self, path: str | os.PathLike, notices: list[str] | None = None) -> None:
        self.path = Path(path)
        self.notices = notices if notices is not None else []
        self._cache: dict | None = None

    def read(self) -> dict | None:
        if self._cache is None:
            self._cache = load_json(self.path, self.notices)
        return self._cache

    def write(self, data: dict) -> None:
        atomic_write(self.path, orjson.dumps(data))
        self._cache = data

    def forget(self) -> None:
        """Drop the in-memory copy so the next read goes to disk."""
        self._cache = None

    def close(self) -> None:
        pass
