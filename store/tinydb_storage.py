"""The project's TinyDB storage: every file of the data directory is a TinyDB database
opened with ``TinyDB(path, storage=AtomicJSONStorage, ...)`` (``open_db`` below), and
read and written through TinyDB's tables and documents.

The storage keeps the guarantees of ``store.storage``: orjson, an atomic replace that
keeps the previous version as ``.bak``, recovery of a damaged file on read (moved
aside, ``.bak`` restored, one notice).  And, measured as TinyDB's costs on this data:

- It caches the data it read or wrote, as TinyDB's own ``CachingMiddleware`` does
  (``read`` returns the same dict every time), so a write does not read the file back.
  ``forget()`` drops the cache (another process replaced the file); ``signature`` is
  the file as last read or written, to tell.
- ``batch()`` defers the writes made inside it to one atomic write at its end (TinyDB
  writes the whole file once per table operation; a change of several documents or
  tables must land all at once or not at all).
- With ``track_documents``, each document's bytes are kept and only documents changed
  since the last write are serialised again.  TinyDB changes documents in place
  (``update``); the storage's documents note it.  The state file uses this: marking one
  paper re-serialises one bucket of ids, not every read mark.
- With ``expect=(size, crc)``, a file whose bytes match is loaded as it is, without the
  structural check; ``verified`` says whether it matched.  With ``checksum``, the size
  and CRC-32 of what was last written are in ``written``.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage

from .storage import StoreError, atomic_write, load_json


def file_signature(path: Path) -> tuple[int, int, int] | None:
    """(inode, mtime, size) of ``path``, or None: changes whenever the file is replaced."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class _Doc(dict):
    """A document as the storage holds it: notes that it changed since it was written.
    (TinyDB's ``update`` and ``tinydb.operations`` change documents in place.)"""

    __slots__ = ("dirty",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dirty = False

    def _changed(name):  # a helper that builds the methods below, not a method
        def method(self, *args, **kwargs):
            self.dirty = True
            return getattr(dict, name)(self, *args, **kwargs)
        method.__name__ = name
        return method

    __setitem__ = _changed("__setitem__")
    __delitem__ = _changed("__delitem__")
    __ior__ = _changed("__ior__")
    update = _changed("update")
    pop = _changed("pop")
    popitem = _changed("popitem")
    setdefault = _changed("setdefault")
    clear = _changed("clear")
    del _changed


def crc(raw: bytes) -> str:
    """A file's checksum as the corpus records it (CRC-32: catches damage; zlib is loaded)."""
    return format(zlib.crc32(raw), "08x")


class AtomicJSONStorage(Storage):
    """TinyDB storage: orjson, atomic replace, ``.bak``, recovery on read."""

    def __init__(self, path: str | os.PathLike, notices: list[str] | None = None, *,
                 backup: bool = True, track_documents: bool = False,
                 expect: tuple[Any, Any] | None = None, checksum: bool = False) -> None:
        self.path = Path(path)
        self.notices = notices if notices is not None else []
        self.backup = backup
        self.track = track_documents
        self.expect = expect
        self.checksum = checksum
        self.signature: tuple[int, int, int] | None = None
        self.verified = False  # the bytes read matched ``expect``
        self.missing = False  # there was no file to read
        self.written: tuple[int, str] | None = None  # size and crc of the last write
        self._data: dict | None = None
        self._loaded = False
        self._frags: dict[tuple[str, str], tuple[dict, bytes]] = {}
        self._batch = 0
        self._pending = False

    # -- TinyDB's interface ------------------------------------------------
    def read(self) -> dict | None:
        if not self._loaded:
            # the signature before the data: a replace while reading shows as a change
            self.signature = file_signature(self.path)
            self._data = self._load()
            self._frags = {}
            self._loaded = True
        return self._data

    def write(self, data: dict) -> None:
        self._data = data
        self._loaded = True
        if self._batch:
            self._pending = True
        else:
            self._flush()

    def close(self) -> None:
        pass

    # -- ours --------------------------------------------------------------
    def forget(self) -> None:
        """Drop the in-memory copy: the next read goes to the file."""
        self._data = None
        self._loaded = False
        self._frags = {}

    def changed_on_disk(self) -> bool:
        """True if the file was replaced since this storage last read or wrote it."""
        return file_signature(self.path) != self.signature

    @contextmanager
    def batch(self) -> Iterator[None]:
        """TinyDB's writes inside are one atomic write at the end; if the block raises,
        nothing is written and the in-memory copy is dropped."""
        self._batch += 1
        try:
            yield
        except BaseException:
            self._batch -= 1
            if not self._batch:
                self._pending = False
                self.forget()
            raise
        self._batch -= 1
        if not self._batch and self._pending:
            self._pending = False
            self._flush()

    def _load(self) -> dict | None:
        self.verified = self.missing = False
        if self.expect is not None and self.expect[1] is not None:
            try:
                raw = self.path.read_bytes()
            except OSError:
                raw = None
            if raw is not None and len(raw) == self.expect[0] and crc(raw) == self.expect[1]:
                try:
                    data = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    data = None
                if isinstance(data, dict):
                    self.verified = True
                    return data
        self.missing = not self.path.exists()
        return load_json(self.path, self.notices)

    def _flush(self) -> None:
        data = self._data or {}
        chunks = self._dump(data) if self.track else [orjson.dumps(data)]
        try:
            atomic_write(self.path, chunks, backup=self.backup)
        except StoreError:
            self.forget()  # memory must say what the file says
            raise
        self.signature = file_signature(self.path)
        if self.checksum:
            size = sum(map(len, chunks))
            value = 0
            for chunk in chunks:
                value = zlib.crc32(chunk, value)
            self.written = (size, format(value, "08x"))

    def _dump(self, data: dict) -> list[bytes]:
        """The file as chunks; documents unchanged since the last write reuse their bytes."""
        old, frags = self._frags, {}
        out = [b"{"]
        for t, (name, table) in enumerate(data.items()):
            out += (b"," if t else b"", orjson.dumps(name), b":{")
            for d, (doc_id, doc) in enumerate(table.items()):
                key = (name, doc_id)
                cached = old.get(key)
                if cached is not None and cached[0] is doc and not doc.dirty:
                    frag = cached[1]
                else:
                    if type(doc) is not _Doc:
                        doc = table[doc_id] = _Doc(doc)  # same key: safe while iterating
                    frag = orjson.dumps(doc)
                    doc.dirty = False
                frags[key] = (doc, frag)
                out += (b"," if d else b"", orjson.dumps(str(doc_id)), b":", frag)
            out.append(b"}")
        out.append(b"}")
        self._frags = frags
        return out


def open_db(path: str | os.PathLike, notices: list[str] | None = None,
            **options: Any) -> TinyDB:
    """The TinyDB database in ``path``, through ``AtomicJSONStorage`` (options: see it)."""
    return TinyDB(path, notices, storage=AtomicJSONStorage, **options)
