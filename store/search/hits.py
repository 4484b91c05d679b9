"""Hits: what one ranked paper carries to the UI, with every span it should paint.

The spans come from the same patterns that matched the terms (``terms.Match.pattern``),
so the title, the authors and the snippet agree with what was found, typo matches too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .query import Query, Term, normalize_text

if TYPE_CHECKING:  # pragma: no cover
    from .index import SearchIndex
    from .terms import Match

Spans = list[tuple[int, int]]


@dataclass(slots=True)
class Hit:
    id: str
    score: float
    field: str                     # 'title' | 'authors' | 'summary' | 'id' | 'date' | 'note'
    spans: Spans                   # spans matched in the title, for highlighting
    snippet: str = ""              # excerpt of the author/summary/note text that matched
    snippet_spans: Spans = field(default_factory=list)  # spans matched in the snippet
    reason: str = ""               # how it matched when not as typed, e.g. "강화 학습 ≈ …"


class Hits(list):
    """The ranked hits, plus how the query was read (``searched_for``: the text actually
    searched when it differs from what was typed, e.g. another keyboard layout).

    Every hit has every word of the query.  When fewer than a few papers do,
    ``partial`` holds the papers that lack one word (then two ...), best first, each
    hit's ``reason`` saying which words it lacks ("without 오토레그레시브"): shown after
    the hits, apart from them."""

    searched_for: str = ""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.partial: list[Hit] = []


def make_hit(ix: SearchIndex, doc: int, score: float, terms: list[Term],
             matches: list[Match], q: Query, phrase: re.Pattern | None = None,
             reasons: dict[int, str] | None = None, where=None) -> Hit:
    """The hit of paper ``doc``; ``where`` (``ranking.Where``: which level each paper
    is in, made once per ranking) saves testing every level's mask."""
    best_field, best_score = None, -1
    other: tuple[str, re.Pattern | None] | None = None
    reason = ""
    for i, (_t, m) in enumerate(zip(terms, matches)):
        if where is not None:
            lv = where.level(i, doc)
        else:
            lv = next(((ls, f) for ls, lm, f in m.levels if lm >> doc & 1), None)
        if lv is not None:
            ls, fname = lv
            if ls > best_score:
                best_field, best_score = fname, ls
            if fname in ("authors", "summary") and other is None:
                other = (fname, m.pattern)
        if reasons and i in reasons and (where.via_other(i, doc) if where is not None
                                         else m.via >> doc & 1):
            reason = reasons[i]
    if best_field is None:
        best_field = "date" if (q.dates or q.date_bounds) else "title"
    title = ix.titles[doc]
    patterns = [m.pattern for t, m in zip(terms, matches)
                if m.pattern is not None and t.field not in ("id", "date")]
    spans = merge_spans([s for t, m in zip(terms, matches)
                         if m.pattern is not None and t.field in (None, "title")
                         for s in pattern_spans(m.pattern, title)])
    snippet = ""
    if other is not None and other[1] is not None:
        if other[0] == "summary" and phrase is not None:
            snippet = summary_snippet(ix, doc, phrase)
        if not snippet:
            snippet = (author_snippet(ix, doc, other[1]) if other[0] == "authors"
                       else summary_snippet(ix, doc, other[1]))
    snippet_spans = merge_spans([s for p in patterns for s in pattern_spans(p, snippet)])
    return Hit(ix.ids[doc], float(score), best_field, spans, snippet, snippet_spans, reason)


def pattern_spans(rx: re.Pattern, text: str) -> Spans:
    """Where ``rx`` matches ``text``: in the text as it is, or in its folded form when
    that keeps the offsets (accents stripped one for one)."""
    if not text:
        return []
    out = [mt.span() for mt in rx.finditer(text) if mt.end() > mt.start()]
    if not out:
        folded = normalize_text(text)
        if len(folded) == len(text) and folded != text:
            out = [mt.span() for mt in rx.finditer(folded) if mt.end() > mt.start()]
    # where the words also start a word, only those: ㄱㅇ paints 깊이, not the 구에 of 연구에서
    starts = [sp for sp in out if sp[0] == 0 or not text[sp[0] - 1].isalnum()]
    return starts or out


def author_snippet(ix: SearchIndex, doc: int, rx: re.Pattern) -> str:
    for name in ix.authors_[doc]:
        if rx.search(name) or rx.search(normalize_text(name)):
            return name
    return ""


def summary_snippet(ix: SearchIndex, doc: int, rx: re.Pattern, width: int = 90) -> str:
    text = ix.summaries[doc]
    folded = ix.folded_text(doc, "summary")  # what phrase patterns expect
    mt = rx.search(folded) if len(folded) == len(text) else None
    if mt is None:
        mt = rx.search(text)
    if mt is None:
        return ""
    ls = text.rfind("\n", 0, mt.start()) + 1
    le = text.find("\n", mt.end())
    if le < 0:
        le = len(text)
    start = max(ls, mt.start() - width // 3)
    end = min(le, start + width)
    if end - start < width:
        start = max(ls, end - width)
    out = text[start:end].strip()
    return ("…" if start > ls else "") + out + ("…" if end < le else "")


def merge_spans(spans: Spans) -> Spans:
    spans.sort()
    out: Spans = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out
