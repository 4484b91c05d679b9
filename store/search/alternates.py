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

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from .. import hangul
from .query import FIELDS, Term
from .terms import BASE, FUZZY_SCORE, PARTICLES, Q_EXACT, Q_PREFIX, Match

if TYPE_CHECKING:  # pragma: no cover
    from .index import SearchIndex

GLOSS_SCORE = 110   # below any direct match (a typo in a summary is 115)
_MAX_PIECES = 4


def gloss_key(words: list[str]) -> str:
    """Glossary key of English words: casefolded, singular (models -> model)."""
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in words)


def segment(ix: SearchIndex, text: str) -> list[tuple[list[str], bool]]:
    """Other readings of ``text`` (Hangul syllables, no spaces): as the fewest corpus
    words of 2+ syllables (확산모델 -> 확산 모델; the last word possibly still being
    typed), and with a trailing particle dropped (확산모델을 -> 확산 모델, 추정을 -> 추정).
    Each reading is (words, particle dropped)."""
    n = len(text)
    if n < 3 or not all(hangul.is_syllable(c) for c in text):
        return []
    kv = ix.kvocab

    def known(w: str, last: bool) -> bool:
        i = bisect_left(kv, w)
        return i < len(kv) and (kv[i] == w or (last and kv[i].startswith(w)))

    def pieces_of(s: str) -> list[str] | None:
        m = len(s)
        best: list[list[str] | None] = [None] * (m + 1)
        best[0] = []
        for i in range(m):
            if best[i] is None or len(best[i]) >= _MAX_PIECES:
                continue
            for j in range(i + 2, m + 1):
                if known(s[i:j], j == m) and not (i and only_particles(s[i:j])):
                    cand = best[i] + [s[i:j]]
                    if best[j] is None or len(cand) < len(best[j]):
                        best[j] = cand
        return best[m]

    out: list[tuple[list[str], bool]] = []
    pieces = pieces_of(text)
    if pieces is not None and len(pieces) >= 2:
        out.append((pieces, False))
    for k in (3, 2, 1):  # a particle at the end: the words before it
        if n - k >= 2 and text[n - k:] in PARTICLES:
            stem = pieces_of(text[:n - k])
            if stem:
                out.append((stem, True))
                break
    return out


def only_particles(word: str) -> bool:
    """Whether ``word`` is particles alone (와는 = 와 + 는, 에서의): the archive has such
    words where a particle follows Latin letters (Transformer와는), but after another
    piece of a glued query they are its ending, not a word to look for (보다 or 하여
    first is a word: 보다견고하게)."""
    if word in PARTICLES:
        return True
    return any(word[:k] in PARTICLES and word[k:] in PARTICLES for k in range(1, len(word)))


def split_glued(ix: SearchIndex, terms: list[Term]) -> tuple[list[Term], dict[int, list[str]]]:
    """Terms with glued Korean that matches nothing replaced by its words; and, for glued
    terms that do match, their words (by position in the returned list)."""
    match = ix.terms.match
    out: list[Term] = []
    glued: dict[int, list[tuple[list[str], bool]]] = {}
    for t in terms:
        readings = segment(ix, t.text) if t.korean and t.field not in ("id", "date") else []
        if readings and not match(t).total:
            # the words of the first reading that finds anything (as typed, then with
            # the particle dropped)
            for pieces, _ in readings:
                words = [Term(p, t.field, True) for p in pieces]
                every = -1
                for w in words:
                    every &= match(w).total
                if every > 0:
                    out += words
                    break
            else:
                out += [Term(p, t.field, True) for p in readings[0][0]]
            continue
        if readings:
            glued[len(out)] = readings
        out.append(t)
    return out, glued


def _field_masks(m: Match) -> dict[str, int]:
    out: dict[str, int] = {}
    for _, mask, fname in m.levels:
        out[fname] = out.get(fname, 0) | mask
    return out


def _with(m: Match, extra: list[tuple[int, int, str]], via: int = 0,
          also: list[str] = ()) -> Match:
    """``m`` plus levels ``extra`` (papers it already has keep their level); its pattern
    also finds the words ``also`` (for spans and snippets)."""
    levels = list(m.levels)
    seen = m.total
    for score, mask, fname in sorted(extra, key=lambda x: -x[0]):
        mask &= ~seen
        if mask:
            levels.append((score, mask, fname))
            seen |= mask
    levels.sort(key=lambda x: -x[0])
    pattern = m.pattern
    if also and pattern is not None:
        words = sorted({w for w in also if w}, key=len, reverse=True)
        alt = "|".join(hangul.term_pattern(w) if hangul.is_hangul(w[0])
                       else r"(?<![^\W_])" + re.escape(w) for w in words)
        pattern = re.compile(f"{pattern.pattern}|{alt}", pattern.flags | re.IGNORECASE)
    return Match(levels, seen, m.strict, pattern, m.via | (via & ~m.total), m.weak)


def glued_match(ix: SearchIndex, t: Term, m: Match,
                readings: list[tuple[list[str], bool]]) -> Match:
    """Papers where every word of a reading of glued ``t`` stands (확산모델 -> 확산 …
    모델): as good as the glued form when only spaces differ, a little below it when a
    particle was dropped."""
    extra = []
    also: list[str] = []
    for pieces, dropped in readings:
        also += pieces
        pm = [ix.terms.match(Term(p, t.field, True)) for p in pieces]
        fmasks = [_field_masks(x) for x in pm]
        for fname in FIELDS:
            mask = -1
            for fm in fmasks:
                mask &= fm.get(fname, 0)
            if mask > 0:
                extra.append((BASE[fname] + (Q_PREFIX - 1 if dropped else Q_EXACT), mask,
                              fname))
        every = -1
        for x in pm:
            every &= x.total
        if every > 0:
            extra.append((FUZZY_SCORE["summary"], every, "summary"))
    return _with(m, extra, also=also)


def _phrase_mask(ix: SearchIndex, words: list[str], field: str | None) -> int:
    mask = -1
    for w in words:
        mask &= ix.terms.match(Term(w, field, hangul.is_hangul(w[0]))).strict
        if not mask:
            return 0
    return max(mask, 0)


def glossary(ix: SearchIndex, terms: list[Term],
             matches: list[Match]) -> tuple[list[Match], dict[int, str]]:
    """``matches`` with glossary alternatives added, and the reason per term index."""
    if not (ix.gloss_en or ix.gloss_ko):
        return matches, {}
    matches = list(matches)
    reasons: dict[int, str] = {}
    i, n = 0, len(terms)
    while i < n:
        done = False
        for k in (4, 3, 2, 1):  # the longest phrase the glossary knows
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
                if len(words) > 1 and not hangul.is_hangul(phrase[0]):  # also finetuning
                    mask |= _phrase_mask(ix, ["".join(words)], None)
                if mask:
                    alt_mask |= mask
                    used.append(phrase)
            if not alt_mask:
                continue
            fname = "summary" if not any(korean) else "title"
            typed = " ".join(t.text for t in group)
            for j in range(i, i + k):
                matches[j] = _with(matches[j], [(GLOSS_SCORE, alt_mask, fname)], alt_mask,
                                   [w for phrase in used for w in phrase.split()])
                reasons[j] = f"{typed} = {' / '.join(used)}"
            i += k
            done = True
            break
        if not done:
            i += 1
    return matches, reasons
