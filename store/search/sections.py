"""The search index on disk: named sections after a small header, each read lazily.

``write`` lays sections out one after another (the header lists name, offset, length and
whether it is compressed).  ``Sections`` reads them back from bytes or from a memory map
(``open_file``): nothing is decompressed until a section is asked for, so loading costs
only what the first search touches, and the uncompressed records are never copied (a
search decodes the few it shows from the mapped file).  Decompression lets go of the
GIL, so a load in a background thread leaves the UI thread its time.
"""

from __future__ import annotations

import mmap
import sys
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import accumulate, repeat
from operator import sub

import orjson

_ALIGN = 8  # a section stored as it is starts on a multiple of 8 (read as an array)


def write(magic: bytes, header: dict, sections: list[tuple[str, bytes, int | None]]
          ) -> bytes:
    """``sections``: (name, data, zlib level or None for stored as it is)."""
    layout, pos, blobs = [], 0, []
    for name, data, level in sections:
        if level is not None:
            data = zlib.compress(data, level)
        elif pos % _ALIGN:
            pad = _ALIGN - pos % _ALIGN
            blobs.append(bytes(pad))
            pos += pad
        layout.append([name, pos, len(data), level is not None])
        blobs.append(data)
        pos += len(data)
    head = orjson.dumps({**header, "order": sys.byteorder, "layout": layout})
    head += b" " * (-(len(magic) + 4 + len(head)) % _ALIGN)  # the sections start aligned
    return b"".join([magic, len(head).to_bytes(4, "little"), head] + blobs)


def open_file(path) -> mmap.mmap:
    """The file mapped read-only (an index is replaced by rename, never rewritten in
    place, so the mapping stays valid while it is used)."""
    with open(path, "rb") as f:
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


class Sections:
    def __init__(self, data, magic: bytes) -> None:
        mv = memoryview(data)
        m = len(magic)
        if bytes(mv[:m]) != magic:
            raise ValueError("not a search index (or an older format)")
        hlen = int.from_bytes(mv[m:m + 4], "little")
        self.header = orjson.loads(mv[m + 4:m + 4 + hlen])
        base = m + 4 + hlen
        self.swap = self.header["order"] != sys.byteorder
        self._raw = {}
        for name, off, ln, pack in self.header["layout"]:
            if base + off + ln > len(mv):
                raise ValueError("damaged search index (cut short)")
            self._raw[name] = (mv[base + off: base + off + ln], pack)

    def get(self, name: str):
        """The section's bytes (a view of the file when stored uncompressed)."""
        view, pack = self._raw[name]
        return zlib.decompress(view) if pack else view

    def stored(self, name: str) -> tuple[memoryview, bool]:
        """The section's bytes in the file and whether they are compressed."""
        return self._raw[name]

    def later(self, name: str) -> Callable[[], bytes]:
        return lambda: self.get(name)

    def view(self, name: str, code: str):
        """A section stored as it is, as numbers of type ``code`` read in place (no
        copy: from a mapped file, only the pages a search touches are read)."""
        view, pack = self._raw[name]
        if pack or self.swap or len(view) % array(code).itemsize:
            return self.array(name, code)
        return view.cast(code)

    def offsets(self, name: str, code: str = "I") -> array:
        """Offsets written by ``pack_offsets``: summed up again (in C)."""
        data = self.get(name)
        lengths = array(chr(data[0]))
        lengths.frombytes(data[1:])
        if self.swap:
            lengths.byteswap()
        return array(code, accumulate(lengths, initial=0))

    def array(self, name: str, code: str = "I") -> array:
        a = array(code)
        a.frombytes(self.get(name))
        if self.swap:
            a.byteswap()
        return a


def pack_offsets(offsets: array) -> bytes:
    """Ascending offsets (first 0) as the lengths between them, two bytes each where
    they fit: they compress to half the size of the offsets themselves."""
    lengths = list(map(sub, offsets[1:], offsets[:-1]))
    code = "H" if max(lengths, default=0) <= 0xFFFF else "Q"
    return code.encode() + array(code, lengths).tobytes()


def as_array(numbers, code: str) -> array:
    """``numbers`` (an array or a view of the file) as an array of type ``code``."""
    if isinstance(numbers, array) and numbers.typecode == code:
        return numbers
    out = array(code)
    if isinstance(numbers, memoryview) and numbers.format == code:
        out.frombytes(numbers.cast("B"))
    else:
        out.fromlist(numbers.tolist() if hasattr(numbers, "tolist") else list(numbers))
    return out


class SortedIds(Mapping):
    """Word -> its position in a sorted word list, by bisection (nothing to build at
    load; a lookup is a microsecond)."""

    def __init__(self, words: list[str]) -> None:
        self._words = words

    def __getitem__(self, word: str) -> int:
        i = bisect_left(self._words, word)
        if i < len(self._words) and self._words[i] == word:
            return i
        raise KeyError(word)

    def get(self, word, default=None):
        i = bisect_left(self._words, word)
        if i < len(self._words) and self._words[i] == word:
            return i
        return default

    def __contains__(self, word) -> bool:
        return self.get(word) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)


class Lines(Sequence):
    """Strings kept as one ``"\\n"``-joined text and where each starts: the papers' ids
    (as a list, 55k short strings hold 3.7 MB; so, 0.8 MB)."""

    def __init__(self, text: str, starts: array) -> None:
        self._text, self._starts = text, starts

    @staticmethod
    def starts_of(items: Sequence[str]) -> array:
        if isinstance(items, Lines):
            return items._starts
        return array("I", accumulate((len(x) + 1 for x in items), initial=0))

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._text[self._starts[i]:self._starts[i + 1] - 1]

    def __iter__(self) -> Iterator[str]:
        st = self._starts
        return map(self._text.__getitem__, map(slice, st[:-1], map(sub, st[1:], repeat(1))))

    def as_list(self) -> list[str]:
        """The strings as a list (one split, in C)."""
        return self._text.split("\n") if len(self) else []


class Rows(Sequence):
    """Lists of strings kept as one text (rows on lines, items after commas), split when
    first read: the papers' dates, which a plain search never looks at."""

    def __init__(self, text: str | Callable[[], str]) -> None:
        self._text = text
        self._rows: list[str] | None = None

    @staticmethod
    def pack(rows: Sequence[Sequence[str]]) -> bytes:
        return "\n".join(",".join(r) for r in rows).encode()

    def _lines(self) -> list[str]:
        if self._rows is None:
            text = self._text() if callable(self._text) else self._text
            self._rows = text.split("\n") if text else []
        return self._rows

    def __len__(self) -> int:
        return len(self._lines())

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        line = self._lines()[i]
        return line.split(",") if line else []

    def __iter__(self) -> Iterator[list[str]]:
        return (line.split(",") if line else [] for line in self._lines())


class DenseBits(dict):
    """Token id -> bitset of the papers, for the commonest tokens; each bitset stored
    compressed on its own (``pack_bits``) and made the first time it is asked for, so
    only the words searched for are ever held (all of them: 4.5 MB at 55k papers)."""

    def __init__(self, ids: array, blob, offsets: array) -> None:
        super().__init__()
        self._where = {t: k for k, t in enumerate(ids)}
        self._blob, self._off = blob, offsets

    @staticmethod
    def pack(masks: Sequence[int], nbytes: int) -> tuple[bytes, array]:
        """Each bitset as ``nbytes`` little-endian bytes, compressed on its own."""
        out, offsets = [], array("Q", [0])
        for m in masks:
            c = zlib.compressobj(4, zlib.DEFLATED, -15)
            out.append(c.compress(m.to_bytes(nbytes, "little")) + c.flush())
            offsets.append(offsets[-1] + len(out[-1]))
        return b"".join(out), offsets

    def get(self, t, default=None):
        v = dict.get(self, t)
        if v is None:
            k = self._where.get(t)
            if k is None:
                return default
            raw = zlib.decompress(self._blob[self._off[k]:self._off[k + 1]], -15)
            v = int.from_bytes(raw, "little")
            self[t] = v
        return v

    def __contains__(self, t) -> bool:
        return t in self._where

    def __getitem__(self, t):
        v = self.get(t)
        if v is None:
            raise KeyError(t)
        return v

    def __iter__(self):
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def keys(self):  # type: ignore[override]
        return self._where.keys()

    def items(self):  # type: ignore[override]
        return [(t, self.get(t)) for t in self._where]

    def values(self):  # type: ignore[override]
        return [self.get(t) for t in self._where]
