"""Related papers: each paper's nearest papers across the archive, by content.

A weighted TF-IDF space built from the search index's own text (its tokenizer,
normalisation and the cross-lingual glossary mined from the summaries), so related
papers and search agree on what a word is:

* title words (weight 6) and title bigrams (weight 40: a two-word title term is most
  often the topic), English words singular;
* summary words (weight 1; Korean particles stripped) and English summary bigrams;
* glossary terms: a Korean rendering in a summary ("강화 학습") adds the feature of its
  English term ("reinforcement learning"), so a Korean-only summary meets an English title.

Features in one paper only or in more than a fiftieth of the archive carry no topic
and are dropped (two-word terms may be in a twentieth).  Weights are square-rooted,
vectors L2-normalised, and the cosine is a hand-written sparse dot product over an
inverted list, seeking from each paper's 16 heaviest features (no numpy/scipy: neither
is a dependency, and the archive's 5.5k papers build in about 3 s as it is).

The result is kept as ``related.json`` in the data directory: the ids and, per paper,
its ``KEEP`` nearest neighbours with their similarity (x1000).  Pure: no I/O here
beyond what ``Related.to_bytes``/``from_bytes`` hand back.
"""

from __future__ import annotations

import math
from heapq import nlargest
from typing import Iterable, Sequence

import orjson

from .search.alternates import gloss_key
from .search.query import tokenize
from .search.terms import PARTICLES

VERSION = 1
KEEP = 20                   # neighbours kept per paper
TITLE_WORD, TITLE_PAIR = 6.0, 40.0
SUMMARY_WORD, SUMMARY_PAIR, GLOSS = 1.0, 1.5, 2.0
MAX_SHARE = 1 / 50          # a feature in more papers than this is generic
PAIR_SHARE = 1 / 20         # (a two-word term is more topical: more papers may share it)
MIN_CAP = 10                # (but a small archive keeps features up to this many papers)
TOP_FEATURES = 16           # the heaviest features of a paper that seek its neighbours

# English words that say nothing about a topic (numbers and 1-letter tokens go too)
STOP = frozenset("""
a an and are as at be based by can do for from has have how in into is it its of on or
our that the their this to towards toward via we what when where which while with without
using use new via vs versus through beyond make makes making more than one all any not
no your you they them just only also can't don't is are was were been being
""".split())

_PARTICLE_LENGTHS = sorted({len(p) for p in PARTICLES}, reverse=True)


def _korean(tok: str) -> bool:
    return "\uac00" <= tok[0] <= "\ud7a3"


def _stem_korean(tok: str) -> str:
    """A Korean word without the particle glued to its end (모델을 -> 모델)."""
    for n in _PARTICLE_LENGTHS:
        if len(tok) > n + 1 and tok[-n:] in PARTICLES:
            return tok[:-n]
    return tok


_WORDS: dict[str, str | None] = {}  # token -> its feature word (a cache: tokens repeat)
_STEMS: dict[str, str] = {}


def _word(tok: str) -> str | None:
    try:
        return _WORDS[tok]
    except KeyError:
        pass
    if len(tok) < 2 or tok.isdigit() or tok in STOP:
        word = None
    elif _korean(tok):
        word = _stem(tok)
    else:
        word = gloss_key([tok])
    if len(_WORDS) < 500_000:
        _WORDS[tok] = word
    return word


def _stem(tok: str) -> str:
    stem = _STEMS.get(tok)
    if stem is None:
        stem = _stem_korean(tok)
        if len(_STEMS) < 500_000:
            _STEMS[tok] = stem
    return stem


def features(title: str, summary: str, gloss_ko: dict[str, list[str]],
             gloss_starts: frozenset[str] | None = None) -> dict[str, float]:
    """The weighted term counts of one paper (before IDF).  ``gloss_starts``: the first
    two letters of every glossary key (``glossary_starts``), a cheap filter."""
    vec: dict[str, float] = {}
    get = vec.get
    words = [_word(t) for t in tokenize(title)]
    for w in words:
        if w:
            w = "w:" + w
            vec[w] = get(w, 0.0) + TITLE_WORD
    for a, b in zip(words, words[1:]):
        if a and b:
            f = "p:" + a + " " + b
            vec[f] = get(f, 0.0) + TITLE_PAIR
    raw = tokenize(summary)
    words = [_word(t) for t in raw]
    for w in words:
        if w:
            w = "w:" + w
            vec[w] = get(w, 0.0) + SUMMARY_WORD
    for a, b in zip(words, words[1:]):
        if a and b and a.isascii() and b.isascii():
            f = "p:" + a + " " + b
            vec[f] = get(f, 0.0) + SUMMARY_PAIR
    if not gloss_ko:
        return vec
    if gloss_starts is None:
        gloss_starts = glossary_starts(gloss_ko)
    last = len(raw)
    for i, tok in enumerate(raw):  # Korean renderings of glossary terms, 3..1 words
        if tok[:2] not in gloss_starts or not _korean(tok):
            continue
        for k in (3, 2, 1):
            if i + k > last:
                continue
            stem = words[i + k - 1] or raw[i + k - 1]
            key = stem if k == 1 else "".join(raw[i:i + k - 1]) + stem
            ens = gloss_ko.get(key)
            if ens:
                en_words = ens[0].split()
                if len(en_words) == 1:
                    f = "w:" + ens[0]
                    vec[f] = get(f, 0.0) + GLOSS
                for a, b in zip(en_words, en_words[1:]):
                    f = "p:" + a + " " + b
                    vec[f] = get(f, 0.0) + GLOSS
                break
    return vec


def glossary_starts(gloss_ko: dict[str, list[str]]) -> frozenset[str]:
    return frozenset(k[:2] for k in gloss_ko)


class Related:
    """Paper id -> its nearest papers (id, similarity), as built or as read back."""

    def __init__(self, ids: list[str], neighbours: list[list[int]],
                 titles: list[str] | None = None, days: list[str] | None = None) -> None:
        self.ids = ids
        self.neighbours = neighbours  # per paper: flat [j, score, j, score, ...]
        # what the detail pane shows of a neighbour, so showing one reads no other file
        self.titles = titles if titles is not None else [""] * len(ids)
        self.days = days if days is not None else [""] * len(ids)
        self.pos = {pid: i for i, pid in enumerate(ids)}

    def __len__(self) -> int:
        return len(self.ids)

    def of(self, paper_id: str, limit: int = 5) -> list[tuple[str, float]]:
        """The ``limit`` most similar papers to ``paper_id``, most similar first."""
        i = self.pos.get(paper_id)
        if i is None:
            return []
        flat = self.neighbours[i]
        ids = self.ids
        return [(ids[flat[k]], flat[k + 1] / 1000) for k in range(0, min(len(flat), 2 * limit), 2)]

    def entry(self, paper_id: str) -> tuple[str, str] | None:
        """(title, first day) of a paper as kept here."""
        i = self.pos.get(paper_id)
        return None if i is None else (self.titles[i], self.days[i])

    def similarities(self, paper_id: str) -> dict[str, float]:
        """Every kept neighbour of ``paper_id`` with its similarity."""
        return dict(self.of(paper_id, KEEP))

    def for_you(self, candidates: Sequence[str], kept: dict[str, float]) -> dict[str, float]:
        """How close each candidate is to the kept papers (id -> weight): the sum of
        weight x similarity over the kept papers it is a neighbour of, either way round."""
        wanted = {self.pos[c]: c for c in candidates if c in self.pos}
        scores = dict.fromkeys(candidates, 0.0)
        sims: dict[tuple[int, int], float] = {}
        for kid in kept:
            k = self.pos.get(kid)
            if k is None:
                continue
            flat = self.neighbours[k]
            for n in range(0, len(flat), 2):
                j = flat[n]
                if j in wanted:
                    sims[(j, k)] = max(sims.get((j, k), 0.0), flat[n + 1] / 1000)
        weight_at = {self.pos[k]: w for k, w in kept.items() if k in self.pos}
        for j, cid in wanted.items():
            flat = self.neighbours[j]
            for n in range(0, len(flat), 2):
                k = flat[n]
                if k in weight_at:
                    sims[(j, k)] = max(sims.get((j, k), 0.0), flat[n + 1] / 1000)
        for (j, k), s in sims.items():
            scores[wanted[j]] += weight_at[k] * s
        return scores

    # ------------------------------------------------------------ persisting
    def to_bytes(self) -> bytes:
        return orjson.dumps({"version": VERSION, "ids": self.ids, "titles": self.titles,
                             "days": self.days, "neighbours": self.neighbours})

    @classmethod
    def from_bytes(cls, data: bytes) -> "Related":
        obj = orjson.loads(data)
        if not isinstance(obj, dict) or obj.get("version") != VERSION:
            raise ValueError("related papers: unknown format")
        ids, neighbours = obj.get("ids"), obj.get("neighbours")
        titles, days = obj.get("titles"), obj.get("days")
        if not all(isinstance(x, list) and len(x) == len(ids or ())
                   for x in (ids, neighbours, titles, days)):
            raise ValueError("related papers: damaged")
        return cls(ids, neighbours, titles, days)

    # ------------------------------------------------------------ building
    @classmethod
    def build(cls, ids: list[str], titles: list[str], summaries: list[str],
              gloss_ko: dict[str, list[str]] | None = None, keep: int = KEEP,
              days: list[str] | None = None) -> "Related":
        n = len(ids)
        gloss_ko = gloss_ko or {}
        starts = glossary_starts(gloss_ko)
        raw = [features(t, s, gloss_ko, starts) for t, s in zip(titles, summaries)]
        df: dict[str, int] = {}
        for vec in raw:
            for f in vec:
                df[f] = df.get(f, 0) + 1
        cap = max(MIN_CAP, int(n * MAX_SHARE))
        pair_cap = max(MIN_CAP, int(n * PAIR_SHARE))
        idf = {f: math.log(n / c) for f, c in df.items()
               if 2 <= c <= (pair_cap if f[0] == "p" else cap)}
        vectors: list[list[tuple[str, float]]] = []
        for vec in raw:
            weighted = [(f, math.sqrt(tf) * idf[f]) for f, tf in vec.items() if f in idf]
            norm = math.sqrt(sum(w * w for _, w in weighted)) or 1.0
            vectors.append([(f, w / norm) for f, w in weighted])
        postings: dict[str, list[tuple[int, float]]] = {}
        for d, vec in enumerate(vectors):
            for f, w in vec:
                postings.setdefault(f, []).append((d, w))
        neighbours: list[list[int]] = []
        for d, vec in enumerate(vectors):
            acc: dict[int, float] = {}
            get = acc.get
            seek = vec if len(vec) <= TOP_FEATURES else nlargest(TOP_FEATURES, vec, key=_weight)
            for f, w in seek:
                for e, we in postings[f]:
                    acc[e] = get(e, 0.0) + w * we
            acc.pop(d, None)
            flat: list[int] = []
            for e in nlargest(keep, acc, key=acc.__getitem__):
                flat += (e, round(acc[e] * 1000))
            neighbours.append(flat)
        return cls(list(ids), neighbours, list(titles), list(days or [""] * n))


def _weight(item: tuple[str, float]) -> float:
    return item[1]


def build_from_index(index) -> Related:
    """Related papers over a ``search.SearchIndex`` (its papers, text and glossary)."""
    days = [ds[-1] if ds else "" for ds in index.dates]  # the first day it was listed
    return Related.build(index.ids, index.titles, index.summaries, index.gloss_ko, days=days)


def kept_weights(bookmarked: Iterable[str], tagged: Iterable[str], noted: Iterable[str],
                 read: Iterable[str]) -> dict[str, float]:
    """What the reader kept, weighed: bookmarks, tags and notes 1 each, reading 0.2."""
    kept: dict[str, float] = {pid: 0.2 for pid in read}
    for group in (bookmarked, tagged, noted):
        for pid in set(group):
            kept[pid] = (kept[pid] if kept.get(pid, 0.0) >= 1 else 0.0) + 1.0
    return kept
