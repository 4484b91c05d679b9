"""Notes and tags in search, on top of the corpus index (``store/search.py``).

* ``tag:NAME``, ``has:note`` and ``has:tags`` are state filters: ``register_state_tests``
  adds them to ``search.STATE_TESTS``; the Store's state callback returns
  ``(read, bookmarked, tags, has_note)``.
* Notes are searchable text.  They change with every edit, so they are not in the
  index (built at import); ``note_hits`` scans the notes (a few hundred at most in
  practice) for the query's free-text words and adds papers whose note has them all,
  with ``field == "note"`` and the matching note line as the snippet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .query import Query, parse_query, tokenize

if TYPE_CHECKING:  # pragma: no cover
    from .db import Store

NOTE_SCORE = 260.0  # below an exact title match (330), above authors (200+)


def _tag_test(st: tuple, value: str) -> bool | None:
    if len(st) < 3:
        return None
    return value in st[2]


def _has_test(st: tuple, value: str) -> bool | None:
    if len(st) < 4:
        return None
    if value in ("note", "notes"):
        return bool(st[3])
    if value in ("tag", "tags"):
        return bool(st[2])
    return None


def register_state_tests() -> None:
    from .search import STATE_TESTS

    STATE_TESTS.setdefault("tag", _tag_test)
    STATE_TESTS.setdefault("has", _has_test)


def _term_in(tokens: list[str], text: str, korean: bool) -> bool:
    if korean:
        return any(text in tok for tok in tokens)
    return any(tok.startswith(text) for tok in tokens)


def _date_ok(dates: list[str], q: Query) -> bool:
    if q.dates and not any(d.startswith(p) for d in dates for p in q.dates):
        return False
    for op, v in q.date_bounds:
        n = len(v)
        if not any((d[:n] >= v if op == ">=" else d[:n] > v if op == ">"
                    else d[:n] <= v if op == "<=" else d[:n] < v) for d in dates):
            return False
    return True


def _votes_ok(votes: int | None, q: Query) -> bool:
    for op, x in q.votes:
        if votes is None:
            return False
        ok = {">": votes > x, ">=": votes >= x, "<": votes < x, "<=": votes <= x,
              "=": votes == x}.get(op, True)
        if not ok:
            return False
    return True


def _snippet(note: str, words: list[str], width: int = 90) -> str:
    for line in note.split("\n"):
        low = line.casefold()
        for w in words:
            i = low.find(w)
            if i >= 0:
                start = max(0, i - width // 3)
                out = line[start:start + width].strip()
                return ("…" if start else "") + out + ("…" if start + width < len(line) else "")
    return note.split("\n", 1)[0][:width]


def note_hits(store: "Store", query: str | Query, hits: list, limit: int) -> list:
    """``hits`` with the papers whose notes match added, best score first."""
    q = query if isinstance(query, Query) else parse_query(query)
    free = [t for t in q.positive_terms if t.field is None]
    if not free or len(free) != len(q.positive_terms) or limit <= 0:
        return hits
    from .search import STATE_TESTS, Hit

    have = {h.id for h in hits}
    neg = [t for t in q.terms if t.negate and t.field is None]
    flags = [(STATE_TESTS[f.key], f) for f in q.flags if f.key in STATE_TESTS]
    found = []
    for pid, (note, _) in store.state.entries("note").items():
        if not note or not isinstance(note, str) or pid in have:
            continue
        meta = store.corpus.meta.get(pid)
        if meta is None:
            continue
        tokens = tokenize(note)
        if not all(_term_in(tokens, t.text, t.korean) for t in free):
            continue
        if neg:
            other = tokens + tokenize(meta.get("title", "")) + tokenize(
                " ".join(meta.get("authors") or ()))
            if any(_term_in(other, t.text, t.korean) for t in neg):
                continue
        if not _date_ok(list(meta.get("dates") or ()), q) or not _votes_ok(meta.get("votes"), q):
            continue
        if flags:
            st = store._state_of(pid)
            if any((r := test(st, f.value)) is not None and bool(r) == f.negate
                   for test, f in flags):
                continue
        words = [t.text for t in free]
        found.append(Hit(pid, NOTE_SCORE, "note", [], _snippet(note, words)))
    if not found:
        return hits
    found.sort(key=lambda h: ((store.corpus.meta[h.id].get("dates") or [""])[0], h.id),
               reverse=True)
    merged = sorted(list(hits) + found, key=lambda h: -h.score)
    return merged[:limit]


__all__ = ["register_state_tests", "note_hits", "NOTE_SCORE"]
