"""Sets of papers as Python ints (bit i = paper i): AND/OR run in C."""

from __future__ import annotations

import re

_NONZERO = re.compile(rb"[^\x00]")
_BITS = [tuple(b for b in range(8) if v >> b & 1) for v in range(256)]
BIT = [1 << b for b in range(8)]


def iter_bits(mask: int):
    """Set bits of ``mask`` in ascending order."""
    if not mask:
        return
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    for m in _NONZERO.finditer(data):
        base = m.start() * 8
        for b in _BITS[data[m.start()]]:
            yield base + b


def mask_of(docs, n: int) -> int:
    """Bitset of ``docs`` (paper numbers below ``n``)."""
    if len(docs) * 32 < n:  # sparse: set bits in an n/8-byte buffer
        b = bytearray((n + 7) // 8)
        for i in docs:
            b[i >> 3] |= BIT[i & 7]
        return int.from_bytes(b, "little")
    s = bytearray(b"0") * n  # dense: one ASCII digit per paper, parsed in C
    for i in docs:
        s[i] = 49
    s.reverse()
    return int(s, 2)


class Lookup:
    """Membership tests of a few papers in a few big masks, by byte lookups: a shift of a
    55k-bit mask per paper (``mask >> doc & 1``) copies the mask each time."""

    __slots__ = ("_bytes",)

    def __init__(self, masks: list[int], n: int) -> None:
        nb = (n + 7) // 8
        self._bytes = [m.to_bytes(nb, "little") if m > 0 else bytes(nb) for m in masks]

    def has(self, k: int, doc: int) -> bool:
        """Whether paper ``doc`` is in the ``k``-th mask."""
        return bool(self._bytes[k][doc >> 3] >> (doc & 7) & 1)
