"""A paper's terms for related papers, weighed: title and summary words and two-word
terms, and the English terms of the Korean glossary renderings in its summary.

Tokens are the search index's (``search.query.tokenize``); English words singular
(``gloss_key``), Korean words without the particle glued to their end (모델을 -> 모델).
A two-word term is ``"a b"`` (a word never holds a space).  Each count is saturated as
in BM25 (``c (k + 1) / (c + k)``), then weighed by where it was found.
"""

from __future__ import annotations

from collections import Counter
from itertools import compress, pairwise

from ..search.alternates import gloss_key
from ..search.query import tokenize
from ..search.terms import PARTICLES

TITLE_WORD, TITLE_PAIR = 6.0, 24.0
SUMMARY_WORD, SUMMARY_PAIR, GLOSS = 1.0, 3.0, 2.0
K1 = 1.2
# A rendering needs this many syllables: the two-syllable ones are common words mapped to
# generic terms (모델 -> llm, 세트 -> forget set), and they would make most tokens a place
# to look (half the time of the terms, at 5.5k)
MIN_KEY = 3

# English words that say nothing about a topic (numbers and 1-letter tokens go too)
STOP = frozenset("""
a an and are as at be based by can do for from has have how in into is it its of on or
our that the their this to towards toward via we what when where which while with without
using use new vs versus through beyond make makes making more than one all any not
no your you they them just only also was were been being
""".split())

_PARTICLE_LENGTHS = sorted({len(p) for p in PARTICLES}, reverse=True)


def _stem_korean(tok: str) -> str:
    for n in _PARTICLE_LENGTHS:
        if len(tok) > n + 1 and tok[-n:] in PARTICLES:
            return tok[:-n]
    return tok


class _Words(dict):
    """token -> its term word ("" for none); filled on first sight (tokens repeat)."""

    def __missing__(self, tok: str) -> str:
        if len(tok) < 2 or tok.isdigit() or tok in STOP:
            word = ""
        elif "\uac00" <= tok[0] <= "\ud7a3":
            word = _stem_korean(tok)
        else:
            word = gloss_key([tok])
        if len(self) < 1_000_000:
            self[tok] = word
        return word


_WORDS = _Words()


class Glossary:
    """The search index's Korean -> English glossary (``mine_glossary``: keys are the
    Korean words run together, the English side already singular), arranged for a scan
    of a summary's tokens."""

    def __init__(self, gloss_ko: dict[str, list[str]]) -> None:
        self.terms: dict[str, list[str]] = {}  # key -> the English term's terms
        for ko, ens in gloss_ko.items():
            if len(ko) < MIN_KEY:
                continue
            words = ens[0].split() if ens else []
            if len(words) == 1:
                self.terms[ko] = words
            elif words:  # ("state of the art": no pair with "of" or "the", as in text)
                pairs = [a + " " + b for a, b in pairwise(words)
                         if a not in STOP and b not in STOP]
                if pairs:
                    self.terms[ko] = pairs
        # every beginning of a key: the tokens a rendering can start with
        self.starts = frozenset(k[:j] for k in self.terms for j in range(1, len(k) + 1))

    def __bool__(self) -> bool:
        return bool(self.terms)


def _weights(weight: float) -> list[float]:
    """``weight`` x the saturated count, by count."""
    return [weight * (c * (K1 + 1) / (c + K1) if c else 0.0) for c in range(64)]


class _Weigh(dict):
    """count -> weight x its saturated count (a list would need a bound check)."""

    def __init__(self, weight: float) -> None:
        super().__init__(enumerate(_weights(weight)))
        self.top = weight * (K1 + 1)

    def __missing__(self, count: int) -> float:
        return self.top


_TW, _TP = _Weigh(TITLE_WORD), _Weigh(TITLE_PAIR)
_SW, _SP, _GL = _Weigh(SUMMARY_WORD), _Weigh(SUMMARY_PAIR), _Weigh(GLOSS)


def features(title: str, summary: str, gloss: Glossary | None = None) -> dict[str, float]:
    """The weighted terms of one paper (before IDF)."""
    get = _WORDS.__getitem__
    raw = tokenize(summary)
    sw = list(map(get, raw))
    # summary words and summary pairs never share a term (a pair holds a space): made
    # at C speed; the few title and glossary terms are added one by one
    counts = Counter(sw)
    out = dict(zip(counts, map(_SW.__getitem__, counts.values())))
    counts = Counter([a + " " + b for a, b in pairwise(sw)
                      if a and b and a.isascii() and b.isascii()])
    out.update(zip(counts, map(_SP.__getitem__, counts.values())))
    add = out.get
    tw = list(map(get, tokenize(title)))
    parts = [(_TW, Counter(tw)), (_TP, Counter([a + " " + b for a, b in pairwise(tw)
                                                 if a and b]))]
    if gloss:
        parts.append((_GL, Counter(_glossary_terms(raw, sw, gloss))))
    for weigh, counts in parts:
        for term, c in counts.items():
            out[term] = add(term, 0.0) + weigh[c]
    out.pop("", None)
    return out


def _glossary_terms(raw: list[str], stems: list[str], gloss: Glossary) -> list[str]:
    """The English terms of the glossary renderings (3..1 words) in a summary."""
    starts = gloss.starts.intersection(raw)
    if not starts:
        return []
    terms = gloss.terms
    out: list[str] = []
    last = len(raw)
    for i in compress(range(last), map(starts.__contains__, raw)):
        for k in (3, 2, 1):
            if i + k > last:
                continue
            stem = stems[i + k - 1] or raw[i + k - 1]
            key = stem if k == 1 else "".join(raw[i:i + k - 1]) + stem
            en = terms.get(key)
            if en:
                out += en
                break
    return out
