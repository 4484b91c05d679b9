"""Ranking: a parsed query -> hits, best first.

A paper's score is the sum over terms of its best level (``terms.py``), each level's
score weighed by how rare a match that good is (``weigh``: BM25F-like IDF, so a rare
word in a summary can outweigh common words in a title, while a term's own levels keep
their order); the sum is computed set-wise (dynamic programming over distinct partial
sums), so ranking costs a few hundred big-int ANDs however many papers match.  Papers
with equal score come out in tie order.  Phrase/state filters are then checked lazily
in rank order, and the top 200 get a bonus (< one field step) when the words stand
together as a phrase.  ``Hit.score`` is the paper's score divided by the sum of the
terms' top weights (the fields' scale: one term scores as its level).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from itertools import combinations
from typing import TYPE_CHECKING

from .. import hangul
from . import alternates, layout
from .bits import Lookup, iter_bits
from .filters import NO_STATE, STATE_TESTS, StateFn, as_state, state_ok
from .hits import Hit, Hits, make_hit
from .query import FIELDS, Query, Term, parse_query

if TYPE_CHECKING:  # pragma: no cover
    from .index import SearchIndex

PHRASE_BONUS = {"title": 40, "authors": 30, "summary": 20}
_WINDOW = 200          # papers re-checked for the phrase bonus
RELEVANCE_MAX = 4.5    # below the smallest step between levels (5)
_K1, _B = 1.2, 0.75    # BM25's usual constants
_CHOSEONG_WINDOW = 800
_RELEVANCE_MAX_DOCS = 200
IDF_POWER = 1.5      # rarer words weigh more: idf ** IDF_POWER (1: too little; see weigh)
FEW = 3                # fewer hits than this: also try the other keyboard layout
_PARTIAL_MAX = 4       # words a query may have for the all-but-one retry


def search(ix: SearchIndex, query: str | Query, limit: int = 50, *,
           state: StateFn | None = None) -> Hits:
    """The papers matching ``query``, best first (at most ``limit``)."""
    q = query if isinstance(query, Query) else parse_query(query)
    out = Hits()
    if q.is_empty() or limit <= 0 or ix.n == 0:
        return out
    hits = rank(ix, q, limit, state)
    if len(hits) < FEW:
        # Typed with the keyboard in the other mode?  rlvdl cnwjd -> 깊이 추정,
        # ㅇ데소 무ㅛ소ㅑㅜㅎ -> depth anything.  Used only when it finds more.
        alt = ""
        if layout.plausible_hangul(q.raw):
            alt = layout.to_hangul(q.raw)
        elif layout.has_hangul(q.raw) and not (hits and _initials_only(q)):
            # (initials that find something are what they look like: ㅅㅁㄷㄹ is a
            # choseong query, not "taef" typed in Korean mode)
            alt = layout.to_latin(q.raw)
        if alt and alt != q.raw:
            other = rank(ix, parse_query(alt), limit, state)
            if len(other) > len(hits):
                hits = other
                out.searched_for = alt
    if len(hits) < FEW and not out.searched_for:
        out.partial = partial(ix, q, limit - len(hits), state, {h.id for h in hits})
    out.extend(hits)
    return out


def _weak(t: Term) -> bool:
    """A term of one or two letters (one Korean letter or syllable): still being typed."""
    return len(t.text) <= (1 if t.korean else 2)


def _initials_only(q: Query) -> bool:
    words = [t for t in q.positive_terms if t.field not in ("id", "date")]
    return bool(words) and all(t.korean and all(map(hangul.is_consonant, t.text))
                               for t in words)


def partial(ix: SearchIndex, q: Query, limit: int, state: StateFn | None,
            have: set[str]) -> list[Hit]:
    """No paper (or almost none) has every word: the papers that have all but one, then
    all but two ..., each row saying which words it lacks (a word the archive writes
    differently, ``오토레그레시브``, must not hide the paper the other words name).
    Ranked below the papers with every word, by the score of the words they have."""
    words = [t for t in dedupe(q.positive_terms) if t.field not in ("id", "date")]
    if not 2 <= len(words) <= _PARTIAL_MAX or len(q.raw.split()) < 2 or limit <= 0:
        # (one word typed, "[bold]x", is not several words)
        return []
    rest = [t for t in q.terms if t.negate or t.field in ("id", "date")]
    out: list[Hit] = []
    for k in range(len(words) - 1, 0, -1):
        found: list[Hit] = []
        for keep in combinations(range(len(words)), k):
            if all(_weak(words[i]) for i in keep):
                continue  # every paper with a word starting "a" says nothing
            sub = Query(raw=q.raw, terms=[words[i] for i in keep] + rest, dates=q.dates,
                        date_bounds=q.date_bounds, votes=q.votes, flags=q.flags)
            lacks = "without " + " ".join(words[i].text for i in range(len(words))
                                          if i not in keep)
            for h in rank(ix, sub, limit, state):
                if h.id not in have:
                    h.reason = f"{lacks}; {h.reason}" if h.reason else lacks
                    found.append(h)
        found.sort(key=lambda h: -h.score)
        for h in found:
            if h.id not in have:
                have.add(h.id)
                out.append(h)
        if len(out) >= limit:
            break
    return out[:limit]


def rank(ix: SearchIndex, q: Query, limit: int, state: StateFn | None) -> list[Hit]:
    terms = ix.terms
    cand = ix.filters.mask(q)
    pos_terms, glued = alternates.split_glued(ix, dedupe(q.positive_terms))
    matches = [terms.match(t) for t in pos_terms]
    for i, pieces in glued.items():
        matches[i] = alternates.glued_match(ix, pos_terms[i], matches[i], pieces)
    matches, reasons = alternates.glossary(ix, pos_terms, matches)
    for m in matches:
        cand &= m.total
        if not cand:
            return []
    for t in q.terms:
        if t.negate:
            cand &= ~terms.match(t).strict
    if not cand:
        return []

    # Sum of best levels per paper, each weighed by how rare it is, set-wise:
    # states (partial score -> bitset).
    weighed, norm = weigh(ix, matches, pos_terms)
    states: dict[int, int] = {0: cand}
    for lvs in sorted(weighed, key=lambda lvs: sum(lm.bit_count() for _, lm, _ in lvs)):
        nxt: dict[int, int] = {}
        for s, sm in states.items():
            for ls, lm, _ in lvs:
                x = sm & lm
                if x:
                    k = s + ls
                    nxt[k] = nxt.get(k, 0) | x
        states = nxt

    checks = lazy_checks(ix, q, state)
    nterms = max(1, len(pos_terms))
    scale = norm / nterms  # the phrase bonus in the weighed scores' units
    window = max(limit, _WINDOW)
    if len(pos_terms) >= 2 and all(t.korean and all(map(hangul.is_consonant, t.text))
                                   for t in pos_terms):
        # initials only (ㄱㅇ ㅊㅈ) match thousands of papers: look further for the
        # ones where the words stand together
        window = max(limit, _CHOSEONG_WINDOW)
    picked: list[tuple[float, int]] = []
    for s in sorted(states, reverse=True):
        for doc in iter_bits(states[s]):
            if checks and not all(c(doc) for c in checks):
                continue
            picked.append((s, doc))
            if len(picked) >= window:
                break
        if len(picked) >= window:
            break

    rx = None
    if len(pos_terms) >= 2:
        keep = [i for i, t in enumerate(pos_terms) if t.field not in ("id", "date")]
        words = [pos_terms[i] for i in keep]
        rx = phrase_regex(words, [matches[i].pattern for i in keep])
        if rx is not None:
            # Korean-only patterns have no case: search the stored text as it is
            fold = not all(t.korean for t in words)
            picked = [(s + _step(phrase_bonus(ix, rx, doc, fold) * scale), doc)
                      for s, doc in picked]
    picked.sort(key=lambda x: (-x[0], x[1]))
    if len(picked) > 1 and not all(m.weak for m in matches):
        # relevance only reorders papers of equal score: those that can still reach
        # the first ``limit`` (the score at the cut and above, at most _RELEVANCE_MAX_DOCS)
        cut = picked[min(limit, len(picked)) - 1][0]
        head = [x for x in picked if x[0] >= cut][:_RELEVANCE_MAX_DOCS]
        picked = with_relevance(ix, head, matches, Where(ix, matches)) + picked[len(head):]
        picked.sort(key=lambda x: (-x[0], x[1]))
    picked = picked[:limit]
    where = Where(ix, matches)
    return [make_hit(ix, doc, s / norm, pos_terms, matches, q, rx, reasons, where)
            for s, doc in picked]


def weigh(ix: SearchIndex, matches: list,
          terms: list[Term]) -> tuple[list[list[tuple[int, int, str]]], float]:
    """Each match's levels with their scores weighed by rarity (BM25F-like IDF): a
    level weighs ``idf`` of the papers matching the term at least that well, so within
    a term the order of levels stays (a direct match above a glossary one), while a
    rare word matched in the summary can outweigh common words in a title.  Scores are
    kept to steps of 5 (papers in the same levels tie exactly; the relevance bonus
    stays below one step).  Also returns the sum of every term's top weight: scores
    divided by it are on the unweighed levels' scale.

    Initials (ㄱㅇ) match many words at each level, so a level's count says nothing of
    any one word's rarity: such a term weighs its top level's weight throughout (its
    levels keep their steps, and the phrase bonus its say)."""
    n = ix.n
    out: list[list[tuple[int, int, str]]] = []
    norm = 0.0
    for m, t in zip(matches, terms):
        flat = t.korean and all(map(hangul.is_consonant, t.text))
        cum, top, lvs = 0, 0.0, []
        for ls, lm, fname in m.levels:
            c = lm.bit_count()
            cum += c
            w = top if flat and top else idf_weight(n, n if m.weak else max(1, cum))
            if c and not top:
                top = w
            ws = _step(ls * w)
            if lvs and ws >= lvs[-1][0]:  # rounding must not tie a level with the one above
                ws = max(5, lvs[-1][0] - 5)
            lvs.append((ws, lm, fname))
        norm += top or 1.0
        out.append(lvs)
    return out, norm or 1.0


def idf_weight(n: int, df: int) -> float:
    return math.log(1 + n / df) ** IDF_POWER


def _step(x: float) -> int:
    return 5 * round(x / 5)


def lazy_checks(ix: SearchIndex, q: Query,
                state: StateFn | None) -> list[Callable[[int], bool]]:
    """Per-paper checks run in rank order on the few papers shown: reader state and
    quoted phrases."""
    checks: list[Callable[[int], bool]] = []
    flags = [(STATE_TESTS[f.key], f) for f in q.flags if f.key in STATE_TESTS]
    if flags:
        ids = ix.ids

        def reader_ok(doc: int) -> bool:
            st = as_state(state(ids[doc])) if state is not None else NO_STATE
            return state_ok(st, flags)

        checks.append(reader_ok)
    for ph in q.phrases:
        words = [Term(w, ph.field, hangul.is_hangul(w[0])) for w in ph.words]
        rx = phrase_regex(words)
        if rx is None:
            continue
        fields = FIELDS if ph.field is None else (ph.field,)
        text = ix.raw_text if all(t.korean for t in words) else ix.folded_text

        def phrase_ok(doc: int, rx=rx, fields=fields, neg=ph.negate, text=text) -> bool:
            hit = any(rx.search(text(doc, f)) for f in fields)
            return hit != neg

        checks.append(phrase_ok)
    return checks


class Where:
    """For each term's match: which of its levels (field, score) a paper is in, and
    whether only through another form (``via``); computed once per ranking."""

    def __init__(self, ix: SearchIndex, matches: list) -> None:
        masks: list[int] = []
        self.levels: list[list[tuple[int, int, str]]] = []  # (mask number, score, field)
        for m in matches:
            row = []
            for ls, lm, fname in m.levels:
                row.append((len(masks), ls, fname))
                masks.append(lm)
            self.levels.append(row)
        self.via = [len(masks) + i for i in range(len(matches))]
        self.lookup = Lookup(masks + [m.via for m in matches], ix.n)
        self.idf = [math.log(1 + ix.n / max(1, m.total.bit_count())) for m in matches]

    def level(self, i: int, doc: int) -> tuple[int, str] | None:
        """(score, field) of paper ``doc`` in term ``i``'s match, or None."""
        has = self.lookup.has
        for k, ls, fname in self.levels[i]:
            if has(k, doc):
                return ls, fname
        return None

    def via_other(self, i: int, doc: int) -> bool:
        return self.lookup.has(self.via[i], doc)


def with_relevance(ix: SearchIndex, picked: list[tuple[float, int]],
                   matches: list, where: Where | None = None) -> list[tuple[float, int]]:
    """``picked`` with a bonus below one quality step for relevance within the field.

    Among papers of equal score, one whose relevance is under a third of the best
    one's is clearly less about the query and moves down (a ninth: further down);
    papers within a factor of three of each other are a near-tie and keep the tie
    order (votes, then recency)."""
    where = where or Where(ix, matches)
    rel = [relevance(ix, doc, matches, where) for _, doc in picked]
    best: dict[float, float] = {}
    for (s, _), r in zip(picked, rel):
        if r > best.get(s, 0.0):
            best[s] = r
    out = []
    for (s, doc), r in zip(picked, rel):
        top = best.get(s, 0.0)
        steps = 2 if r * 3 >= top else 1 if r * 9 >= top else 0
        out.append((s + RELEVANCE_MAX * steps / 2, doc))
    return out


def relevance(ix: SearchIndex, doc: int, matches: list,
              where: Where | None = None) -> float:
    """BM25-like weight in [0, 1] of the terms in the field each matched: more
    occurrences, a shorter field and rarer terms weigh more."""
    where = where or Where(ix, matches)
    num = den = 0.0
    for i, m in enumerate(matches):
        if m.pattern is None or m.weak:
            continue
        idf = where.idf[i]
        den += idf * (_K1 + 1)
        lv = where.level(i, doc)
        fname = lv[1] if lv is not None else None
        if fname not in FIELDS:
            continue
        text = ix.raw_text(doc, fname)
        tf = len(m.pattern.findall(text))
        if not tf:
            tf = len(m.pattern.findall(ix.folded_text(doc, fname)))
        norm = 1 - _B + _B * len(text) / ix.avg_len(fname)
        num += idf * tf * (_K1 + 1) / (tf + _K1 * norm)
    if not den:
        return 0.0
    return num / den


def phrase_regex(terms: list[Term],
                 patterns: list[re.Pattern | None] | None = None) -> re.Pattern | None:
    """The terms next to each other (any punctuation or particles between them).  With
    ``patterns`` (the terms' matches), a Korean term stands for every form it matched
    (one jamo wrong: 쥬공하는 is also 제공하는), so its papers get the same bonus."""
    if len(terms) < 2:
        return None
    parts = []
    for i, t in enumerate(terms):
        if t.korean:
            own = patterns[i] if patterns is not None else None
            body = own.pattern if own is not None and not own.flags & re.IGNORECASE \
                else hangul.term_pattern(t.text)
            parts.append(f"(?<![{hangul.HANGUL_CLASS}])(?:{body})")
        else:
            # literal first (fast scan), then "not inside a word" as a lookbehind
            w = re.escape(t.text)
            parts.append(f"{w}(?<![^\\W_]{w})")
    return re.compile("[^\\W_]*[\\W_]+".join(parts))


def phrase_bonus(ix: SearchIndex, rx: re.Pattern, doc: int, fold: bool) -> int:
    text = ix.folded_text if fold else ix.raw_text
    for fname in FIELDS:
        if rx.search(text(doc, fname)):
            return PHRASE_BONUS[fname]
    return 0


def dedupe(terms: list[Term]) -> list[Term]:
    """Drop repeated terms (same text, field): they would only scale every score."""
    seen: set[tuple] = set()
    out = []
    for t in terms:
        key = (t.text, t.field, t.korean)
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out
