"""Term matching: one query term -> the papers it matches, in disjoint quality levels.

Non-Korean terms match vocabulary words exactly (plural/singular too), as a prefix
(bisect range), with a typo (rapidfuzz OSA distance 1, 2 from 8 letters, over a length
band of the vocabulary; also as a typo'd prefix) or inside a word (blob scan) -- the
last two from 4 letters.  Korean terms match word starts by the regex of
``hangul.term_pattern`` (choseong, half-typed last syllable), candidates found by
``str.find`` of the literal head or of the choseong skeleton; 2+ syllables also match
inside words.

A level is ``(score, bitset, field)``: field base + quality (title 300 > authors 200 >
summary 100; exact 30 > prefix 25 > typo/infix 15; an exact arXiv id 530; terms of one
or two letters get small bases 60/50/40 so they cannot outweigh real words).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from .. import hangul
from .query import FIELDS, Term

if TYPE_CHECKING:  # pragma: no cover
    from .index import SearchIndex

BASE = {"id": 500, "title": 300, "date": 250, "authors": 200, "summary": 100}
WEAK_BASE = {"title": 60, "authors": 50, "summary": 40}  # terms of 1-2 letters
Q_EXACT, Q_PREFIX, Q_COMMON, Q_FUZZY = 30, 25, 20, 15
# A typo or infix match scores below an exact match in the next field down (a rare
# surname typed exactly beats a title word one letter off), still above any summary.
FUZZY_SCORE = {"title": 220, "authors": 190, "summary": 115}
# Endings that leave a word the same word for matching (모델을, 추정의, 모델에서)
PARTICLES = frozenset(
    "을 를 은 는 이 가 의 에 와 과 도 로 만 으로 에서 에게 까지 부터 보다 처럼 이나 나 란 이란 "
    "과의 와의 에서의 으로의 로의 에는 에도 에서는 으로는 로는 들 들을 들의 들은 들이 들과 들에 "
    "이며 이고 이다 입니다 적 적인 적으로 하는 하고 하여 한 된 되는 및".split())
COMMON_MIN = 40        # papers a word must be in before it counts as common
JAMO_TYPO_MIN = 2      # syllables a Korean word needs before one jamo may be wrong
_INFIX_CAP = 3000      # vocabulary entries an infix scan may add
_FUZZY_MIN = 3         # shortest term that gets typo tolerance / infix matches


@dataclass(slots=True)
class Match:
    """How one query term matches: disjoint levels, best first."""

    levels: list[tuple[int, int, str]]  # (score, bitset, field)
    total: int                           # every paper the term matches
    strict: int                          # exact/prefix matches only (for -term)
    pattern: re.Pattern | None           # finds the term in a text (spans, snippets)
    via: int = 0                         # papers matched only through another form
    weak: bool = False                   # a term of one or two letters (still typing)


class TermMatcher:
    """Matches terms against one ``SearchIndex``; caches what it computed."""

    def __init__(self, index: SearchIndex) -> None:
        self.ix = index
        self._cache: dict[tuple, Match] = {}
        self._by_len: dict[int, list[str]] | None = None
        self._prefixes: dict[tuple[int, str], list[str]] = {}
        self._id_sorted: tuple[list[str], list[int]] | None = None
        self._kstarts_map: _WordAt | None = None
        self._jamo: dict[int, tuple[list[str], list[list[int]]]] = {}
        self.typo_words: dict[str, list[str]] = {}  # Korean term -> word starts it matched

    def warm(self) -> None:
        """Build the caches the first keystrokes need (off the UI thread)."""
        self._kstart_index()
        self._of_length(0)

    def _vocab_ascii(self, term: str) -> tuple[dict[int, set[int]], list[str], bool]:
        """Token ids matching ``term`` by quality; the word starts that matched (for
        highlighting); whether it matched inside a word."""
        avocab = self.ix.avocab
        exact: set[int] = set()
        for cand in _variants(term):
            t = self.ix.atok.get(cand)
            if t is not None:
                exact.add(t)
        lo = bisect_left(avocab, term)
        hi = bisect_left(avocab, term + "\U0010ffff", lo)
        prefix = set(range(lo, hi)) - exact
        fuzzy: set[int] = set()
        whole: list[str] = [avocab[t] for t in exact]
        if len(term) >= _FUZZY_MIN and not term.isdigit():
            k = 1 if len(term) < 8 else 2
            seen = exact | prefix
            atok = self.ix.atok
            for length in range(len(term) - k, len(term) + k + 1):
                for tok, _, _ in process.extract(term, self._of_length(length),
                                                 scorer=OSA.distance, score_cutoff=k,
                                                 limit=None):
                    t = atok[tok]
                    if t not in seen:
                        fuzzy.add(t)
                        whole.append(tok)
            # a typo in what is still a prefix: "difus" -> diffusion
            # (same first letter, or the second one for a swap: keeps the scan short)
            for plen in (len(term) - 1, len(term), len(term) + 1):
                if plen < _FUZZY_MIN:
                    continue
                choices = self._prefix_list(plen, term[0])
                if term[1] != term[0]:
                    choices = choices + self._prefix_list(plen, term[1])
                for pre, _, _ in process.extract(term, choices, scorer=OSA.distance,
                                                 score_cutoff=1, limit=None):
                    whole.append(pre)
                    a = bisect_left(avocab, pre)
                    b = bisect_left(avocab, pre + "\U0010ffff", a)
                    fuzzy.update(t for t in range(a, b) if t not in seen)
            # inside a word: "former" in transformer
            inner = [t for t in self._blob_find(self.ix.ablob, self.ix.astarts, term, infix=True)
                     if t not in seen]
            fuzzy.update(inner)
            infix = bool(inner)
        else:
            infix = False
        return {Q_EXACT: exact, Q_PREFIX: prefix, Q_FUZZY: fuzzy}, whole, infix

    def _vocab_korean(self, term: str) -> dict[int, set[int]]:
        """Korean word ids matching ``term`` (as typed: choseong, half-typed last syllable)."""
        rx = re.compile(hangul.term_pattern(term))
        head = hangul.literal_head(term)
        verify = head or not all(hangul.is_consonant(ch) for ch in term)
        kblob, base = self.ix.kblob, len(self.ix.avocab)
        exact: set[int] = set()
        prefix: set[int] = set()
        common: set[int] = set()
        infix: set[int] = set()
        for infix_mode in (False, True):
            if infix_mode and len(term) < 2:
                break
            if head:
                cands = self._find_all(kblob, head if infix_mode else "\n" + head)
            else:
                cands = self._find_all(self.ix.kcho, (hangul.skeleton(term) if infix_mode
                                                   else "\n" + hangul.skeleton(term)))
            starts = self._kstart_index()
            for pos in cands:
                start = pos if infix_mode else pos + 1
                if infix_mode and kblob[start - 1] == "\n":
                    continue  # already seen as a word start
                if verify:
                    mt = rx.match(kblob, start)
                    if mt is None:
                        continue
                    end = mt.end()
                else:  # all choseong: the skeleton hit is the match
                    end = start + len(term)
                if infix_mode:
                    infix.add(base + bisect_right(self.ix.kstarts, start) - 1)
                    if len(infix) > _INFIX_CAP:
                        break
                elif not verify and len(term) >= 2:
                    # initials only: a word whose every syllable is typed, and not one
                    # of the commonest (것을, 있는), ranks first
                    wid = base + starts[start]
                    if kblob[end] != "\n" and kblob[end:kblob.index("\n", end)] not in PARTICLES:
                        prefix.add(wid)
                    elif self._common(wid):
                        common.add(wid)
                    else:
                        exact.add(wid)
                elif kblob[end] == "\n" or len(term) >= 2:
                    exact.add(base + starts[start])
                else:
                    prefix.add(base + starts[start])
        typos: set[int] = set()
        if (not exact and not prefix and len(term) >= JAMO_TYPO_MIN
                and all(hangul.is_syllable(ch) for ch in term)):
            typos = self._jamo_typos(term)
        return {Q_EXACT: exact, Q_PREFIX: prefix, Q_COMMON: common, Q_FUZZY: infix | typos}

    def _common(self, wid: int) -> bool:
        """A word in so many summaries that it says little (것을, 있는)."""
        d = self.ix.dense[2].get(wid)
        df = d.bit_count() if d is not None else (self.ix.offsets[2][wid + 1]
                                                   - self.ix.offsets[2][wid])
        return df >= max(COMMON_MIN, self.ix.n // 16)

    def _jamo_typos(self, term: str) -> set[int]:
        """Korean words starting with ``term`` but for one jamo substituted, missing or
        extra (강화핫습 -> 강화학습), compared letter by letter."""
        table = self._jamo_table(len(term))
        keys, groups = table
        out: set[int] = set()
        found = process.extract(hangul.jamo(term), keys, scorer=Levenshtein.distance,
                                score_cutoff=1, limit=None)
        for _, _, k in found:
            out.update(groups[k])
            if len(out) > _INFIX_CAP:
                break
        self.typo_words[term] = [self.ix.kvocab[w - len(self.ix.avocab)][:len(term)]
                                 for w in list(out)[:40]]
        return out

    def _jamo_table(self, n: int) -> tuple[list[str], list[list[int]]]:
        """Letters (``hangul.jamo``) of every distinct ``n``-syllable start of a Korean word, and the
        words with each start (built on first use per length)."""
        table = self._jamo.get(n)
        if table is None:
            base = len(self.ix.avocab)
            by_start: dict[str, list[int]] = {}
            for i, w in enumerate(self.ix.kvocab):
                if len(w) >= n:
                    lst = by_start.get(w[:n])
                    if lst is None:
                        lst = by_start[w[:n]] = []
                    lst.append(base + i)
            keys = [hangul.jamo(k) for k in by_start]
            table = self._jamo[n] = (keys, list(by_start.values()))
        return table

    def _kstart_index(self) -> _WordAt:
        """Blob offset of each Korean word's start -> word number."""
        if self._kstarts_map is None:
            self._kstarts_map = _WordAt(self.ix.kstarts)
        return self._kstarts_map

    @staticmethod
    def _find_all(blob: str, needle: str, cap: int = 200_000) -> list[int]:
        out = []
        find = blob.find
        p = find(needle)
        while p >= 0 and len(out) < cap:
            out.append(p)
            p = find(needle, p + 1)
        return out

    def _blob_find(self, blob: str, starts: array, needle: str, infix: bool) -> set[int]:
        out: set[int] = set()
        for p in self._find_all(blob, needle):
            if infix and blob[p - 1] == "\n":
                continue
            out.add(bisect_right(starts, p) - 1)
            if len(out) > _INFIX_CAP:
                break
        return out

    def _of_length(self, length: int) -> list[str]:
        """The vocabulary's non-Korean words of ``length`` letters (grouped on first use)."""
        if self._by_len is None:  # (a stable sort by length: each group stays sorted)
            self._by_len = {n: list(words) for n, words in
                            groupby(sorted(self.ix.avocab, key=len), key=len)}
        return self._by_len.get(length, [])

    def _prefix_list(self, plen: int, first: str) -> list[str]:
        """Distinct ``plen``-long prefixes of the vocabulary words starting with ``first``."""
        key = (plen, first)
        b = self._prefixes.get(key)
        if b is None:
            lo = bisect_left(self.ix.avocab, first)
            hi = bisect_left(self.ix.avocab, first + "\U0010ffff", lo)
            # sorted vocabulary -> its prefixes come out sorted; dict.fromkeys dedupes
            b = list(dict.fromkeys(map(itemgetter(slice(0, plen)), self.ix.avocab[lo:hi])))
            self._prefixes[key] = b
        return b

    def match(self, term: Term) -> Match:
        key = (term.text, term.field, term.korean)
        m = self._cache.get(key)
        if m is not None:
            return m
        if term.field == "id":
            m = self._match_id(term.text)
        elif term.field == "date":
            mask = self.ix.filters.date_prefix_mask(term.text)
            m = Match([(BASE["date"] + Q_EXACT, mask, "date")] if mask else [], mask, mask,
                       None)
        else:
            m = self._match_text(term)
        if len(self._cache) > 512:
            self._cache.clear()
        self._cache[key] = m
        return m

    def _match_text(self, term: Term) -> Match:
        if term.korean:
            by_q = self._vocab_korean(term.text)
            alts = [hangul.term_pattern(term.text)] + [
                re.escape(w) for w in dict.fromkeys(self.typo_words.pop(term.text, ()))]
            pattern = re.compile("|".join(alts))
        else:
            by_q, whole, infix = self._vocab_ascii(term.text)
            alts = sorted(set(whole), key=len, reverse=True)[:40] + [term.text]
            src = "(?<![^\\W_])(?:" + "|".join(map(re.escape, alts)) + ")"
            if infix:
                src += "|" + re.escape(term.text)
            pattern = re.compile(src, re.IGNORECASE)
        fields = range(3) if term.field is None else (FIELDS.index(term.field),)
        # A term of one or two letters (one Korean letter/syllable) says little: "he" in
        # "Heterogeneous" must not outrank a whole word elsewhere, so its matches get
        # small weights (still title > authors > summary among themselves).
        weak = len(term.text) <= (1 if term.korean else 2)
        raw: list[tuple[int, int, str, bool]] = []
        if term.field == "authors" and (by_q.get(Q_EXACT) or by_q.get(Q_PREFIX)):
            # a:NAME is as precise as the author index: typos only when nothing else
            by_q = {q: tids for q, tids in by_q.items() if q != Q_FUZZY}
        for f in fields:
            base = BASE[FIELDS[f]]
            for q, tids in by_q.items():
                if tids:
                    mask = self.ix.union(f, tids)
                    if mask:
                        if weak:
                            score = WEAK_BASE[FIELDS[f]] + q
                        elif q == Q_FUZZY:
                            score = FUZZY_SCORE[FIELDS[f]]
                        else:
                            score = base + q
                        raw.append((score, mask, FIELDS[f], q != Q_FUZZY))
        raw.sort(key=lambda x: -x[0])
        levels, seen, strict = [], 0, 0
        for score, mask, fname, is_strict in raw:
            if is_strict:
                strict |= mask
            mask &= ~seen
            if mask:
                levels.append((score, mask, fname))
                seen |= mask
        return Match(levels, seen, strict, pattern, weak=weak)

    def _match_id(self, text: str) -> Match:
        if self._id_sorted is None:
            folded = [pid.casefold() for pid in self.ix.ids]
            order = sorted(range(self.ix.n), key=folded.__getitem__)
            self._id_sorted = ([folded[i] for i in order], order)
        keys, docs = self._id_sorted
        lo = bisect_left(keys, text)
        hi = bisect_left(keys, text + "\U0010ffff", lo)
        exact = [docs[i] for i in range(lo, hi) if keys[i] == text]
        rest = [docs[i] for i in range(lo, hi) if keys[i] != text]
        levels = []
        em = self.ix.docs_mask(exact) if exact else 0
        pm = self.ix.docs_mask(rest) if rest else 0
        if em:
            levels.append((BASE["id"] + Q_EXACT, em, "id"))
        if pm:
            levels.append((BASE["id"] + Q_PREFIX, pm, "id"))
        return Match(levels, em | pm, em | pm, None)


class _WordAt:
    """Blob offset of a word's start -> the word's number, by bisection in the starts
    (a dict of every Korean word's offset held 3.5 MB)."""

    __slots__ = ("_starts",)

    def __init__(self, starts) -> None:
        self._starts = starts

    def __getitem__(self, pos: int) -> int:
        return bisect_right(self._starts, pos) - 1


def _variants(term: str) -> list[str]:
    """Forms counted as the same word: singular/plural."""
    out = [term]
    if len(term) > 3 and not term.isdigit():
        out.append(term + "s")
        out.append(term + "es")
        if term.endswith("es"):
            out.append(term[:-2])
        if term.endswith("s"):
            out.append(term[:-1])
    return out

