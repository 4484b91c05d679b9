"""The texts the index shows and checks (title, summary per paper), stored compactly.

Each paper's title and summary are one record, compressed on its own against a shared
dictionary (zlib ``zdict``), so any one paper is decoded in a few microseconds and
nothing is decoded until asked for: loading the index costs no text parsing at all, and
only the papers a search shows or re-checks are ever decoded.  On disk the texts take
about 33% of their UTF-8 size.

The dictionary is fixed (``zdict_words.py``, pieces of real summaries picked once from
the archive by ``python -m bench.zdict``: 5% smaller records than the commonest words
gave), not made
from the corpus: a paper's record is then a function of its own text only, so an update
that brings one day compresses that day's papers and copies every other record as it
is (``DocStore.compose``), and still writes what a full build writes.

Authors are kept apart, in one UTF-8 string with each paper's byte offset: a hit's names
are decoded alone, and the author index reads them all.
"""

from __future__ import annotations

import threading
import zlib
from array import array
from collections.abc import Iterator, Sequence

from .zdict_words import WORDS

_LEVEL = 6           # zlib default: a third smaller than level 1, fast enough with copy()
_SEP = "\x1f"        # title / summary
_NAME_SEP = "\x1e"   # between authors
ZDICT = WORDS.encode("utf-8")


def _compressor():
    return zlib.compressobj(_LEVEL, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, ZDICT)


def pack_records(titles: Sequence[str], summaries: Sequence[str]) -> tuple[bytes, array]:
    out = bytearray()
    offsets = array("Q", [0])
    base = _compressor()  # primed with the dictionary once, copied per record
    for title, summary in zip(titles, summaries):
        raw = (title.replace(_SEP, " ") + _SEP + summary).encode("utf-8", "replace")
        c = base.copy()
        out += c.compress(raw)
        out += c.flush()
        offsets.append(len(out))
    return bytes(out), offsets


def pack_authors(authors: Sequence[Sequence[str]]) -> tuple[bytes, array]:
    """Every paper's names in one UTF-8 string, and where each paper's begin (bytes)."""
    parts = []
    offsets = array("Q", [0])
    pos = 0
    for names in authors:
        b = _NAME_SEP.join(a.replace(_NAME_SEP, " ") for a in names).encode("utf-8", "replace")
        parts.append(b)
        pos += len(b)
        offsets.append(pos)
    return b"".join(parts), offsets


class DocStore:
    """Title and summary of paper ``i``, decoded on demand (a small cache keeps the
    papers of the last few searches)."""

    _CACHE = 4096

    def __init__(self, recs, offsets: array) -> None:
        self._recs = recs
        self._off = offsets
        self._cache: dict[int, tuple[str, str]] = {}

    @classmethod
    def pack(cls, titles: Sequence[str], summaries: Sequence[str]) -> DocStore:
        return cls(*pack_records(titles, summaries))

    @classmethod
    def compose(cls, parts: Sequence[tuple[DocStore, int, int] | tuple[str, str]]
                ) -> DocStore:
        """Records in the order of ``parts``: each a run ``(store, first, end)`` of
        another store's records, copied compressed, or a new ``(title, summary)``."""
        out = bytearray()
        offsets = array("Q", [0])
        new = [p for p in parts if len(p) == 2]
        packed, poff = pack_records([p[0] for p in new], [p[1] for p in new])
        k = 0
        for part in parts:
            if len(part) == 2:
                out += packed[poff[k]:poff[k + 1]]
                k += 1
                offsets.append(len(out))
                continue
            src, a, b = part
            if a == b:
                continue
            base = len(out) - src._off[a]
            out += src._recs[src._off[a]:src._off[b]]
            offsets.extend(x + base for x in src._off[a + 1:b + 1])
        return cls(bytes(out), offsets)

    def to_bytes(self) -> tuple[bytes, array]:
        """The records and their offsets, as the index writes them."""
        return bytes(self._recs), self._off

    def __len__(self) -> int:
        return len(self._off) - 1

    def get(self, i: int) -> tuple[str, str]:
        rec = self._cache.get(i)
        if rec is None:
            if not 0 <= i < len(self):
                raise IndexError(i)
            raw = zlib.decompressobj(-15, ZDICT).decompress(self._recs[self._off[i]:self._off[i + 1]])
            title, _, summary = raw.decode("utf-8", "replace").partition(_SEP)
            if len(self._cache) >= self._CACHE:
                self._cache.clear()
            rec = self._cache[i] = (title, summary)
        return rec


class Field(Sequence):
    """One text field of a ``DocStore`` as a read-only list."""

    def __init__(self, docs: DocStore, k: int) -> None:
        self._docs, self._k = docs, k

    def __len__(self) -> int:
        return len(self._docs)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self._docs.get(i)[self._k]

    def __iter__(self) -> Iterator[str]:
        return (self._docs.get(i)[self._k] for i in range(len(self)))


class Authors(Sequence):
    """Author lists from one UTF-8 string (or a function that makes it, called on first
    use) and its byte offsets; each paper's names decoded when asked for."""

    def __init__(self, blob, offsets: array) -> None:
        self._make = blob if callable(blob) else None
        self._blob = b"" if callable(blob) else blob
        self._off = offsets

    def _bytes(self):
        if self._make is not None:
            self._blob, self._make = self._make(), None
        return self._blob

    @classmethod
    def compose(cls, parts: Sequence[tuple[Authors, int, int] | list[str]]) -> Authors:
        """Author lists in the order of ``parts``: each a run ``(authors, first, end)``
        of another ``Authors``, copied as it is, or a new list of names (a list)."""
        out = bytearray()
        offsets = array("Q", [0])
        for part in parts:
            if isinstance(part, tuple):
                src, a, b = part
                if a == b:
                    continue
                blob, off = src._bytes(), src._off
                base = len(out) - off[a]
                out += blob[off[a]:off[b]]
                offsets.extend(x + base for x in off[a + 1:b + 1])
            else:
                out += _NAME_SEP.join(a.replace(_NAME_SEP, " ") for a in part).encode(
                    "utf-8", "replace")
                offsets.append(len(out))
        return cls(bytes(out), offsets)

    def packed(self) -> tuple[bytes, array]:
        """The names and their offsets, as ``pack_authors`` makes them."""
        return bytes(self._bytes()), self._off

    def __len__(self) -> int:
        return len(self._off) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        s = bytes(self._bytes()[self._off[i]:self._off[i + 1]]).decode("utf-8", "replace")
        return s.split(_NAME_SEP) if s else []

    def __iter__(self) -> Iterator[list[str]]:
        return (self[i] for i in range(len(self)))


class Packing(threading.Thread):
    """``DocStore.pack`` of a new index's texts, run beside the tokenising."""

    def __init__(self, titles: list[str], summaries: list[str]) -> None:
        super().__init__(name="search-pack", daemon=True)
        self._args = (titles, summaries)
        self._out: DocStore | None = None
        self._error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self._out = DocStore.pack(*self._args)
        except BaseException as e:  # noqa: BLE001 - raised again in result()
            self._error = e

    def result(self) -> DocStore:
        self.join()
        if self._error is not None:
            raise self._error
        assert self._out is not None
        return self._out
