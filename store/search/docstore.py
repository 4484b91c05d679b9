"""The texts the index shows and checks (title, summary per paper), stored compactly.

Each paper's title and summary are one record, compressed on its own with a shared
dictionary (zlib ``zdict``, made from the corpus), so any one paper is decoded in a few
microseconds and nothing is decoded until asked for: loading the index costs no text
parsing at all, and only the papers a search shows or re-checks are ever decoded.
On disk the texts take about 40% of their UTF-8 size.

Authors are kept apart, uncompressed, in one string (the author index reads them all).
"""

from __future__ import annotations

import zlib
from array import array
from collections import Counter
from typing import Iterator, Sequence

_LEVEL = 6           # zlib default: a third smaller than level 1, fast enough with copy()
_ZDICT_MAX = 32768   # zlib's window: the most of a dictionary it can use
_SEP = "\x1f"        # title / summary
_NAME_SEP = "\x1e"   # between authors


def make_zdict(summaries: Sequence[str]) -> bytes:
    """A dictionary of what summaries share: their commonest words (from a spread of at
    most a thousand), the commonest last, where zlib finds them cheapest."""
    n = len(summaries)
    if not n:
        return b""
    counts: Counter[str] = Counter()
    for i in range(0, n, max(1, n // 1000)):
        counts.update(summaries[i].split())
    words = [w for w, _ in counts.most_common(6000)]
    return " ".join(reversed(words)).encode("utf-8", "replace")[-_ZDICT_MAX:]


def pack_records(titles: Sequence[str], summaries: Sequence[str],
                 zdict: bytes) -> tuple[bytes, array]:
    out = bytearray()
    offsets = array("Q", [0])
    # one compressor primed with the dictionary, copied per record (priming is the cost)
    base = (zlib.compressobj(_LEVEL, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, zdict)
            if zdict else zlib.compressobj(_LEVEL, zlib.DEFLATED, -15))
    for title, summary in zip(titles, summaries):
        raw = (title.replace(_SEP, " ") + _SEP + summary).encode("utf-8", "replace")
        c = base.copy()
        out += c.compress(raw)
        out += c.flush()
        offsets.append(len(out))
    return bytes(out), offsets


def pack_authors(authors: Sequence[Sequence[str]]) -> tuple[bytes, array]:
    parts = []
    offsets = array("Q", [0])
    pos = 0
    for names in authors:
        s = _NAME_SEP.join(a.replace(_NAME_SEP, " ") for a in names)
        parts.append(s)
        pos += len(s)
        offsets.append(pos)
    return "".join(parts).encode("utf-8", "replace"), offsets


class DocStore:
    """Title and summary of paper ``i``, decoded on demand (a small cache keeps the
    papers of the last few searches)."""

    _CACHE = 4096

    def __init__(self, recs: memoryview, offsets: array, zdict: bytes) -> None:
        self._recs = recs
        self._off = offsets
        self._zdict = zdict
        self._cache: dict[int, tuple[str, str]] = {}

    def __len__(self) -> int:
        return len(self._off) - 1

    def get(self, i: int) -> tuple[str, str]:
        rec = self._cache.get(i)
        if rec is None:
            if not 0 <= i < len(self):
                raise IndexError(i)
            d = (zlib.decompressobj(-15, self._zdict) if self._zdict
                 else zlib.decompressobj(-15))
            raw = d.decompress(self._recs[self._off[i]:self._off[i + 1]])
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
    """Author lists from one string (or a function that makes it, called on first use)
    and its offsets."""

    def __init__(self, blob, offsets: array) -> None:
        self._make = blob if callable(blob) else None
        self._blob = "" if callable(blob) else blob
        self._off = offsets

    def __len__(self) -> int:
        return len(self._off) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if self._make is not None:
            self._blob, self._make = self._make(), None
        s = self._blob[self._off[i]:self._off[i + 1]]
        return s.split(_NAME_SEP) if s else []

    def __iter__(self) -> Iterator[list[str]]:
        return (self[i] for i in range(len(self)))
