"""Postings on disk: a field's sorted paper numbers written byte plane by byte plane
(every number's high byte, then every low byte: sorted lists make long runs of high
bytes) and compressed, up to ``PLANES_MAX`` papers; above it, as they are, read in place
from the mapped file (``SearchIndex.from_bytes``)."""

from __future__ import annotations

import sys
import zlib
from array import array

from .sections import Sections


def planes(numbers: array) -> bytes:
    """``numbers`` as byte planes: the most significant byte of each, then the next..."""
    raw = numbers.tobytes()
    w = numbers.itemsize
    order = range(w - 1, -1, -1) if sys.byteorder == "little" else range(w)
    return b"".join(raw[j::w] for j in order)


def from_planes(data, code: str, count: int, packed: bool = True) -> bytearray:
    """The ``count`` numbers' bytes (this machine's order) from ``planes`` (zlib
    ``data``), interleaved in C a plane at a time (never the whole of it twice)."""
    w = array(code).itemsize
    out = bytearray(count * w)
    order = range(w - 1, -1, -1) if sys.byteorder == "little" else range(w)
    unzip = zlib.decompressobj() if packed else None
    rest = data
    for k, j in enumerate(order):
        if unzip is None:
            plane = bytes(data[k * count:(k + 1) * count])
        else:
            plane = unzip.decompress(rest, count)
            rest = unzip.unconsumed_tail
        if len(plane) != count:
            raise ValueError("damaged search index (postings)")
        out[j::w] = plane
    return out


# Up to this many papers the postings are written as compressed byte planes (put back
# in 3 ms at 5.5k papers); above it, as they are, read in place from the mapped file:
# putting them back took 37 ms at 55k, on the way to the first search, and held 8.6 MB
# more than the pages a search touches (the index stays under half its text: 45% there).
PLANES_MAX = 16384


def post_section(f: int, numbers: array, n: int) -> tuple[str, bytes, int | None]:
    if n <= PLANES_MAX:
        return (f"post{f}", planes(numbers), 4)
    return (f"post{f}", numbers.tobytes(), None)


def later_planes(sec: Sections, name: str, code: str, count: int):
    """A function reading section ``name``'s ``count`` numbers (of type ``code``)."""
    def read():
        view, packed = sec.stored(name)
        return memoryview(from_planes(view, code, count, packed)).cast(code)
    return read


def post_code(n: int) -> str:
    """Paper numbers fit two bytes up to 65,536 papers."""
    return "H" if n <= 0xFFFF else "I"
