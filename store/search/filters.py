"""Filters: dates and votes as bitsets, reader state (``is:``, ``tag:``, ``has:``).

Reader state reaches the engine as a ``ReaderState`` record: ``state(id)`` returns one
(or any object with the same attributes, looked up lazily by the Store).  A filter key
maps to ``test(state, value) -> bool``, or None to ignore an unknown value; add a key
to ``STATE_TESTS`` to add a filter.  Flags whose key has no test are parsed and ignored.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from .query import Query

if TYPE_CHECKING:  # pragma: no cover
    from .index import SearchIndex


class ReaderState(NamedTuple):
    """What the state filters test, for one paper."""

    read: bool = False
    bookmarked: bool = False
    tags: list[str] | None = None    # None: not known (its filters are ignored)
    has_note: bool | None = None


NO_STATE = ReaderState()
StateFn = Callable[[str], Any]  # paper id -> ReaderState (or a tuple in that order)


def as_state(st: Any) -> ReaderState | Any:
    """A plain tuple in ``ReaderState`` order becomes the record; records pass through."""
    if isinstance(st, ReaderState) or hasattr(st, "has_note"):
        return st
    return ReaderState(*tuple(st)[:4])


def _is_test(st: ReaderState, value: str) -> bool | None:
    if value in ("unread", "new"):
        return not st.read
    if value == "read":
        return bool(st.read)
    if value in ("bookmarked", "bookmark", "starred", "bm"):
        return bool(st.bookmarked)
    return None  # unknown is:VALUE -> ignored


def _tag_test(st: ReaderState, value: str) -> bool | None:
    return None if st.tags is None else value in st.tags


def _has_test(st: ReaderState, value: str) -> bool | None:
    if value in ("note", "notes"):
        return None if st.has_note is None else bool(st.has_note)
    if value in ("tag", "tags"):
        return None if st.tags is None else bool(st.tags)
    return None


STATE_TESTS: dict[str, Callable[[Any, str], bool | None]] = {
    "is": _is_test, "tag": _tag_test, "has": _has_test}


def state_ok(st: Any, flags: list) -> bool:
    """Whether reader state ``st`` passes every ``(test, Flag)`` in ``flags``."""
    for test, f in flags:
        r = test(st, f.value)
        if r is not None and bool(r) == f.negate:
            return False
    return True


class Filters:
    """Date and vote masks over one index (built on first use)."""

    def __init__(self, index: SearchIndex) -> None:
        self.ix = index
        self._date_index: tuple[list[str], dict[str, int]] | None = None
        self._neg_votes: list[int] | None = None

    def dates_index(self) -> tuple[list[str], dict[str, int]]:
        if self._date_index is None:
            by_date: dict[str, list[int]] = {}
            for i, ds in enumerate(self.ix.dates):
                for d in ds:
                    by_date.setdefault(d, []).append(i)
            keys = sorted(by_date)
            self._date_index = (keys, {d: self.ix.docs_mask(by_date[d]) for d in keys})
        return self._date_index

    def date_prefix_mask(self, prefix: str) -> int:
        keys, masks = self.dates_index()
        lo = bisect_left(keys, prefix)
        hi = bisect_left(keys, prefix + "\uffff", lo)
        acc = 0
        for d in keys[lo:hi]:
            acc |= masks[d]
        return acc

    def date_bound_mask(self, op: str, value: str) -> int:
        keys, masks = self.dates_index()
        n = len(value)
        test = {">": lambda d: d[:n] > value, ">=": lambda d: d[:n] >= value,
                "<": lambda d: d[:n] < value, "<=": lambda d: d[:n] <= value,
                "=": lambda d: d.startswith(value)}.get(op)
        acc = 0
        if test is not None:
            for d in keys:
                if test(d):
                    acc |= masks[d]
        return acc

    def votes_mask(self, op: str, x: int) -> int:
        if self._neg_votes is None:  # votes are descending, None last
            self._neg_votes = [-v for v in self.ix.votes if v is not None]
        neg = self._neg_votes  # ascending
        known = len(neg)

        def first_le(y: int) -> int:   # first index with votes <= y
            return bisect_left(neg, -y)

        def first_lt(y: int) -> int:   # first index with votes < y
            return bisect_right(neg, -y)

        if op == ">":
            lo, hi = 0, first_le(x)
        elif op == ">=":
            lo, hi = 0, first_lt(x)
        elif op == "<":
            lo, hi = first_lt(x), known
        elif op == "<=":
            lo, hi = first_le(x), known
        else:  # '='
            lo, hi = first_le(x), first_lt(x)
        if hi <= lo:
            return 0
        return ((1 << hi) - 1) & ~((1 << lo) - 1)

    def mask(self, q: Query) -> int:
        mask = self.ix.all
        if q.dates:
            acc = 0
            for d in q.dates:
                acc |= self.date_prefix_mask(d)
            mask &= acc
        for op, v in q.date_bounds:
            mask &= self.date_bound_mask(op, v)
        for op, x in q.votes:
            mask &= self.votes_mask(op, x)
        return mask

