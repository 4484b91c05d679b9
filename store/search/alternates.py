"""Other forms of the query's words, matched below the words as typed.

* Glued Korean (확산모델): segmented with the corpus's own vocabulary into words that
  stand apart in the text (확산 모델); a trailing particle (을, 에서 …) is dropped.
  A glued term with no match at all is replaced by its words; otherwise papers with
  all of its words are added below the direct matches.
* Glossary (``index.gloss_en`` / ``gloss_ko``, mined at import from the summaries'
  ``한국어 (English)`` pairs): an English phrase also matches its Korean terms, a
  Korean one its English terms, ranked below every direct match; the hit says why.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from .. import hangul
from .query import FIELDS, Term
from .terms import BASE, FUZZY_SCORE, PARTICLES, Q_PREFIX, Match

if TYPE_CHECKING:  # pragma: no cover
    from .index import SearchIndex

GLOSS_SCORE = 110   # below any direct match (a typo in a summary is 115)
_MAX_PIECES = 4


def gloss_key(words: list[str]) -> str:
    """Glossary key of English words: casefolded, singular (models -> model)."""
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in words)


def segment(ix: "SearchIndex", text: str) -> list[str] | None:
    """``text`` (Hangul syllables, no spaces) as the fewest corpus words of 2+ syllables,
    a trailing particle dropped, the last word possibly still being typed; None when it
    does not split into two or more such words."""
    n = len(text)
    if n < 3 or not all(hangul.is_syllable(c) for c in text):
        return None
    kv = ix.kvocab

    def known(w: str, last: bool) -> bool:
        i = bisect_left(kv, w)
        if i < len(kv) and (kv[i] == w or (last and kv[i].startswith(w))):
            return True
        return False

    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        if best[i] is None or len(best[i]) >= _MAX_PIECES:
            continue
        for j in range(i + 2, n + 1):
            w = text[i:j]
            if known(w, j == n):
                cand = best[i] + [w]
                if best[j] is None or len(cand) < len(best[j]):
                    best[j] = cand
    pieces = best[n]
    if pieces is None:  # a particle at the end: 확산모델을
        for k in (3, 2, 1):
            if n - k >= 2 and text[n - k:] in PARTICLES and best[n - k] is not None:
                pieces = best[n - k]
                break
    if pieces is None or len(pieces) < 2:
        return None
    return pieces


def split_glued(ix: "SearchIndex", terms: list[Term]) -> tuple[list[Term], dict[int, list[str]]]:
    """Terms with glued Korean that matches nothing replaced by its words; and, for glued
    terms that do match, their words (by position in the returned list)."""
    match = ix.terms.match
    out: list[Term] = []
    glued: dict[int, list[str]] = {}
    for t in terms:
        pieces = segment(ix, t.text) if t.korean and t.field not in ("id", "date") else None
        if pieces and not match(t).total:
            out += [Term(p, t.field, True) for p in pieces]
            continue
        if pieces:
            glued[len(out)] = pieces
        out.append(t)
    return out, glued


def _field_masks(m: Match) -> dict[str, int]:
    out: dict[str, int] = {}
    for _, mask, fname in m.levels:
        out[fname] = out.get(fname, 0) | mask
    return out


def _with(m: Match, extra: list[tuple[int, int, str]], via: int = 0) -> Match:
    """``m`` plus levels ``extra`` (papers it already has keep their level)."""
    levels = list(m.levels)
    seen = m.total
    for score, mask, fname in sorted(extra, key=lambda x: -x[0]):
        mask &= ~seen
        if mask:
            levels.append((score, mask, fname))
            seen |= mask
    levels.sort(key=lambda x: -x[0])
    return Match(levels, seen, m.strict, m.pattern, m.via | (via & ~m.total))


def glued_match(ix: "SearchIndex", t: Term, m: Match, pieces: list[str]) -> Match:
    """Papers where every piece of glued ``t`` stands (확산모델 -> 확산 … 모델)."""
    pm = [ix.terms.match(Term(p, t.field, True)) for p in pieces]
    extra = []
    fmasks = [_field_masks(x) for x in pm]
    for fname in FIELDS:
        mask = -1
        for fm in fmasks:
            mask &= fm.get(fname, 0)
        if mask > 0:
            extra.append((BASE[fname] + Q_PREFIX - 1, mask, fname))
    every = -1
    for x in pm:
        every &= x.total
    if every > 0:
        extra.append((FUZZY_SCORE["summary"], every, "summary"))
    return _with(m, extra)


def _phrase_mask(ix: "SearchIndex", words: list[str], field: str | None) -> int:
    mask = -1
    for w in words:
        mask &= ix.terms.match(Term(w, field, hangul.is_hangul(w[0]))).strict
        if not mask:
            return 0
    return max(mask, 0)


def glossary(ix: "SearchIndex", terms: list[Term],
             matches: list[Match]) -> tuple[list[Match], dict[int, str]]:
    """``matches`` with glossary alternatives added, and the reason per term index."""
    if not (ix.gloss_en or ix.gloss_ko):
        return matches, {}
    matches = list(matches)
    reasons: dict[int, str] = {}
    i, n = 0, len(terms)
    while i < n:
        done = False
        for k in (3, 2, 1):
            group = terms[i:i + k]
            if len(group) < k or any(t.field not in (None, "title", "summary") for t in group):
                continue
            korean = [t.korean for t in group]
            if all(korean):
                key, table = "".join(t.text for t in group), ix.gloss_ko
            elif not any(korean):
                key, table = gloss_key([t.text for t in group]), ix.gloss_en
            else:
                continue
            alts = table.get(key)
            if not alts:
                continue
            alt_mask, used = 0, []
            for phrase in alts:
                words = phrase.split()
                mask = _phrase_mask(ix, words, None)
                if len(words) > 1 and not korean[0]:  # fine tuning: also finetuning
                    mask |= _phrase_mask(ix, ["".join(words)], None)
                if mask:
                    alt_mask |= mask
                    used.append(phrase)
            if not alt_mask:
                continue
            fname = "summary" if not any(korean) else "title"
            typed = " ".join(t.text for t in group)
            for j in range(i, i + k):
                matches[j] = _with(matches[j], [(GLOSS_SCORE, alt_mask, fname)], alt_mask)
                reasons[j] = f"{typed} = {' / '.join(used)}"
            i += k
            done = True
            break
        if not done:
            i += 1
    return matches, reasons
