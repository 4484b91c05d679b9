"""Notes in search: the reader's own notes are searchable text.

They change with every edit, so they are not in the index (built at import);
``note_hits`` scans the notes (a few hundred at most in practice) for the query's
free-text words and adds papers whose note has them all, with ``field == "note"`` and
the matching note line as the snippet.  It works on plain data handed in by the
engine's caller (the notes by id, a metadata lookup, the reader state), so this
package never imports the Store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .filters import STATE_TESTS, as_state, state_ok
from .hits import Hit, merge_spans
from .query import Query, tokenize

NOTE_SCORE = 260.0  # below an exact title match (330), above authors (200+)


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


def _snippet(note: str, words: list[str], width: int = 90) -> tuple[str, list]:
    for line in note.split("\n"):
        low = line.casefold()
        for w in words:
            i = low.find(w)
            if i >= 0:
                start = max(0, i - width // 3)
                body = line[start:start + width].strip()
                lead = "…" if start else ""
                text = lead + body + ("…" if start + width < len(line) else "")
                shown = text.casefold()
                spans = []
                if len(shown) == len(text):
                    for word in words:
                        j = shown.find(word)
                        while j >= 0:
                            spans.append((j, j + len(word)))
                            j = shown.find(word, j + len(word))
                return text, merge_spans(spans)
    return note.split("\n", 1)[0][:width], []


def note_hits(q: Query, hits: list, limit: int, notes: Mapping[str, Any],
              meta: Callable[[str], dict | None],
              state: Callable[[str], Any] | None = None) -> list:
    """``hits`` with the papers whose notes match added, best score first.

    ``notes``: paper id -> note text; ``meta(id)``: the paper's title, authors, dates
    and votes (None when the paper is not in the corpus); ``state(id)``: its reader
    state, for ``is:``/``tag:``/``has:``."""
    free = [t for t in q.positive_terms if t.field is None]
    if not free or len(free) != len(q.positive_terms) or limit <= 0:
        return hits
    have = {h.id for h in hits}
    neg = [t for t in q.terms if t.negate and t.field is None]
    flags = [(STATE_TESTS[f.key], f) for f in q.flags if f.key in STATE_TESTS]
    found = []
    dates: dict[str, str] = {}
    for pid, note in notes.items():
        if not note or not isinstance(note, str) or pid in have:
            continue
        info = meta(pid)
        if info is None:
            continue
        tokens = tokenize(note)
        if not all(_term_in(tokens, t.text, t.korean) for t in free):
            continue
        if neg:
            other = tokens + tokenize(info.get("title", "")) + tokenize(
                " ".join(info.get("authors") or ()))
            if any(_term_in(other, t.text, t.korean) for t in neg):
                continue
        if not _date_ok(list(info.get("dates") or ()), q) or not _votes_ok(info.get("votes"), q):
            continue
        if flags and not state_ok(as_state(state(pid)) if state else as_state(()), flags):
            continue
        snippet, spans = _snippet(note, [t.text for t in free])
        dates[pid] = (info.get("dates") or [""])[0]
        found.append(Hit(pid, NOTE_SCORE, "note", [], snippet, spans))
    if not found:
        return hits
    found.sort(key=lambda h: (dates[h.id], h.id), reverse=True)
    merged = sorted(list(hits) + found, key=lambda h: -h.score)
    out = type(hits)(merged[:limit]) if isinstance(hits, list) else merged[:limit]
    if hasattr(hits, "searched_for"):
        out.searched_for = hits.searched_for
        out.partial = [h for h in getattr(hits, "partial", ()) if h.id not in dates]
    return out


__all__ = ["NOTE_SCORE", "note_hits"]
