"""related.bin's layout: what the reader reads, compact, and read where it lies.

The file (format 3) is one small JSON head and then fixed sections, each 8-byte
aligned, little-endian:

* ``nbr`` int32 n x keep: each paper's neighbour numbers, -1 past a short list's end;
* ``sim`` uint16 n x keep: their similarities x 10000;
* ``order`` uint32 n: the paper numbers sorted by id (an id's number is a bisection);
* ids, titles and first days, each as uint32 n + 1 offsets and one UTF-8 blob.

The reader (``open_file``) holds only what finding a paper needs: the id order, the
ids and the offsets (~1.3 MB at 55k papers, where the Python lists and dict the lists
used to be read into were ~30 MB).  The neighbour rows, titles and days stay in the
file and are read (``os.pread``) as a lookup needs them: a few small reads per paper
shown.  The file is not mapped: a mapping's pages count as the reader's memory once
touched, and the kernel maps whole runs of them around each touch (200 random touches
map all of a 12 MB file here).  Stdlib only: the reader never imports numpy.
"""

from __future__ import annotations

import os
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import orjson

MAGIC = b"PAPERS-RELATED\x03"  # \x02: the lists as JSON (read as unknown, then rebuilt)
_LITTLE = sys.byteorder == "little"
SECTIONS = ("nbr", "sim", "order", "id_off", "ids", "title_off", "titles", "day_off", "days")


class Strings(Sequence[str]):
    """n strings kept as n + 1 offsets into one UTF-8 blob; decoded one by one."""

    def __init__(self, offsets, blob) -> None:
        self.offsets, self.blob = offsets, blob
        self._n = len(offsets) - 1

    @classmethod
    def of(cls, strings: Iterable[str]) -> Strings:
        offsets, parts, at = array("I", [0]), [], 0
        for s in strings:
            b = s.encode("utf-8", "surrogatepass")
            parts.append(b)
            at += len(b)
            offsets.append(at)  # OverflowError past 4 GB
        return cls(offsets, b"".join(parts))

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return str(self.blob[self.offsets[i]:self.offsets[i + 1]], "utf-8", "replace")

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(self._n))


def _cast(view: memoryview, code: str):
    if _LITTLE:
        return view.cast(code)
    a = array(code, view.tobytes())  # pragma: no cover - big-endian machines
    a.byteswap()
    return a


def pack(n: int, keep: int, nbr, sim, ids: Sequence[str], titles: Sequence[str],
         days: Sequence[str]) -> bytes:
    """The file's bytes (``nbr``/``sim`` are arrays of n x keep)."""
    order = array("I", sorted(range(n), key=ids.__getitem__))
    tables = [Strings.of(x) for x in (ids, titles, days)]
    parts = [array("i", nbr), array("H", sim), order]
    for t in tables:
        parts += [array("I", t.offsets), t.blob]
    raw = []
    for p in parts:
        if isinstance(p, array) and not _LITTLE:  # pragma: no cover - big-endian
            p = array(p.typecode, p)
            p.byteswap()
        raw.append(p.tobytes() if isinstance(p, array) else bytes(p))
    head = orjson.dumps({"n": n, "keep": keep, "sections": [len(r) for r in raw]})
    out = [MAGIC, len(head).to_bytes(4, "little"), head]
    at = sum(map(len, out))
    for r in raw:
        pad = -at % 8
        out += [b"\0" * pad, r]
        at += pad + len(r)
    return b"".join(out)


def _sections(n: int, keep: int, sizes: list, at: int, total: int) -> list[tuple[int, int]]:
    """(start, size) of each section after the head ending at ``at``; ValueError when
    they do not fit ``total`` bytes and the counts."""
    if len(sizes) != len(SECTIONS):
        raise ValueError("related papers: damaged")
    out = []
    for size in sizes:
        at += -at % 8
        out.append((at, size))
        at += size
    if at != total or sizes[0] != 4 * n * keep or sizes[1] != 2 * n * keep or \
            sizes[2] != 4 * n or any(sizes[i] != 4 * (n + 1) for i in (3, 5, 7)):
        raise ValueError("related papers: damaged")
    return out


def _head(head: bytes) -> tuple[int, int, list]:
    h = orjson.loads(head)
    return int(h["n"]), int(h["keep"]), list(h["sections"])


def _strings(off, blob, n: int) -> Strings:
    if n and off[n] != len(blob):
        raise ValueError("related papers: damaged")
    return Strings(off, blob)


def unpack(data) -> tuple[int, int, dict]:
    """(n, keep, sections) of the file's bytes: views into ``data``, nothing copied
    (the import's update).  ValueError for another format or a damaged file."""
    view = memoryview(data)
    m = len(MAGIC)
    if bytes(view[:m]) != MAGIC:
        raise ValueError("related papers: unknown format")
    hlen = int.from_bytes(view[m:m + 4], "little")
    n, keep, sizes = _head(bytes(view[m + 4:m + 4 + hlen]))
    where = _sections(n, keep, sizes, m + 4 + hlen, len(view))
    out = {name: view[a:a + size] for name, (a, size) in zip(SECTIONS, where)}
    for name in ("nbr", "order", "id_off", "title_off", "day_off"):
        out[name] = _cast(out[name], "I" if name != "nbr" else "i")
    out["sim"] = _cast(out["sim"], "H")
    for off, blob in (("id_off", "ids"), ("title_off", "titles"), ("day_off", "days")):
        out[blob] = _strings(out[off], out[blob], n)
    return n, keep, out


class _File:
    """An open file descriptor, closed with the last lookup that needs it (a file
    another import puts in its place leaves this one readable)."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))

    def read(self, start: int, size: int) -> bytes:
        data = os.pread(self.fd, size, start)
        if len(data) != size:
            raise ValueError("related papers: the file was cut short")
        return data

    def __del__(self) -> None:
        try:
            os.close(self.fd)
        except (OSError, AttributeError):
            pass


class Blob:
    """Bytes of a section left in the file: ``blob[a:b]`` reads them."""

    def __init__(self, file: _File, start: int, size: int) -> None:
        self.file, self.start, self.size = file, start, size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, span: slice) -> bytes:
        a, b, _ = span.indices(self.size)
        return self.file.read(self.start + a, max(0, b - a))


class Column:
    """Numbers of a section left in the file: ``col[a:b]`` reads them (an array)."""

    def __init__(self, file: _File, start: int, code: str, count: int) -> None:
        self.file, self.start, self.code, self.count = file, start, code, count
        self.width = array(code).itemsize

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, span):
        if not isinstance(span, slice):
            return self[span:span + 1][0]
        a, b, _ = span.indices(self.count)
        out = array(self.code)
        if b > a:
            out.frombytes(self.file.read(self.start + a * self.width, (b - a) * self.width))
            if not _LITTLE:  # pragma: no cover - big-endian machines
                out.byteswap()
        return out


def _numbers(file: _File, start: int, size: int, code: str) -> array:
    out = array(code)
    out.frombytes(file.read(start, size))
    if not _LITTLE:  # pragma: no cover - big-endian machines
        out.byteswap()
    return out


def open_file(path: Path) -> tuple[int, int, dict]:
    """(n, keep, sections) of related.bin as the reader holds it: the id order, the ids
    and the offsets read, the rest (``Column``, ``Blob``) read as looked up."""
    file = _File(path)
    total = os.fstat(file.fd).st_size
    m = len(MAGIC)
    lead = os.pread(file.fd, m + 4, 0)
    if lead[:m] != MAGIC:
        raise ValueError("related papers: unknown format")
    hlen = int.from_bytes(lead[m:m + 4], "little")
    n, keep, sizes = _head(file.read(m + 4, hlen))
    where = dict(zip(SECTIONS, _sections(n, keep, sizes, m + 4 + hlen, total)))
    out: dict = {name: _numbers(file, *where[name], "I")
                 for name in ("order", "id_off", "title_off", "day_off")}
    out["nbr"] = Column(file, where["nbr"][0], "i", n * keep)
    out["sim"] = Column(file, where["sim"][0], "H", n * keep)
    out["ids"] = _strings(out["id_off"], file.read(*where["ids"]), n)
    out["titles"] = _strings(out["title_off"], Blob(file, *where["titles"]), n)
    out["days"] = _strings(out["day_off"], Blob(file, *where["days"]), n)
    return n, keep, out
