"""Distinct author names with paper counts, and fuzzy lookup over them.

Built lazily by ``SearchIndex`` from the author lists it already holds.  A query
matches a name when every query word matches a word of the name (exact, prefix, or
a typo: OSA distance 1, 2 from 8 letters); names are ranked by how well, then by
paper count.  A rapidfuzz WRatio pass catches the rest (``zilonghuang``).
"""

from __future__ import annotations

from bisect import bisect_left

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .query import normalize_text, tokenize

__all__ = ["AuthorIndex"]


class AuthorIndex:
    def __init__(self, author_lists: list[list[str]], newest: list[str]) -> None:
        docs: dict[str, list[int]] = {}
        for i, names in enumerate(author_lists):
            for a in names:
                lst = docs.setdefault(a, [])
                if not lst or lst[-1] != i:
                    lst.append(i)
        self.docs = docs
        # most papers first, then by name
        self.names = sorted(docs, key=lambda a: (-len(docs[a]), a.casefold(), a))
        self.keys = [normalize_text(a) for a in self.names]
        self._newest = newest
        self._by_key: dict[str, list[int]] | None = None
        self._words: list[str] | None = None
        self._word_names: dict[str, list[int]] | None = None

    def _word_index(self) -> tuple[list[str], dict[str, list[int]]]:
        if self._words is None:
            wn: dict[str, list[int]] = {}
            for i, name in enumerate(self.names):
                for w in set(tokenize(name)):
                    wn.setdefault(w, []).append(i)
            self._word_names = wn
            self._words = sorted(wn)
        return self._words, self._word_names  # type: ignore[return-value]

    def counts(self) -> list[tuple[str, int]]:
        return [(a, len(self.docs[a])) for a in self.names]

    def search(self, query: str, limit: int = 50) -> list[tuple[str, int]]:
        qwords = tokenize(query)
        if not qwords:
            return self.counts()[:limit]
        words, word_names = self._word_index()
        scores: dict[int, float] | None = None
        for qw in qwords:
            per: dict[int, float] = {}
            for w, quality in self._word_matches(qw, words):
                for i in word_names[w]:
                    if per.get(i, 0) < quality:
                        per[i] = quality
            if scores is None:
                scores = per
            else:
                scores = {i: s + per[i] for i, s in scores.items() if i in per}
            if not scores:
                break
        scores = scores or {}
        qkey = " ".join(qwords)
        for i in scores:
            key = " ".join(tokenize(self.names[i]))
            if key == qkey:
                scores[i] += 10
            elif key.startswith(qkey) or f" {qkey}" in key:
                scores[i] += 5
        if not scores:
            q = normalize_text(query).strip()
            for _, score, i in process.extract(q, self.keys, scorer=fuzz.WRatio,
                                               limit=limit, score_cutoff=86):
                scores[i] = score / 100
        order = sorted(scores, key=lambda i: (-scores[i], i))[:limit]
        return [(self.names[i], len(self.docs[self.names[i]])) for i in order]

    @staticmethod
    def _word_matches(qw: str, words: list[str]):
        """(name word, quality) pairs: exact 3, prefix 2, typo 1."""
        lo = bisect_left(words, qw)
        hi = bisect_left(words, qw + "\U0010ffff", lo)
        for k in range(lo, hi):
            yield words[k], (3.0 if words[k] == qw else 2.0)
        if len(qw) >= 4:
            cutoff = 1 if len(qw) < 8 else 2
            for w, _, _ in process.extract(qw, words, scorer=OSA.distance,
                                           score_cutoff=cutoff, limit=None):
                if not w.startswith(qw):
                    yield w, 1.0

    def papers(self, name: str) -> list[int]:
        """Paper numbers of ``name`` (exact, else the same name folded), newest first."""
        found = self.docs.get(name)
        if found is None:
            if self._by_key is None:
                self._by_key = {}
                for i, k in enumerate(self.keys):
                    self._by_key.setdefault(k, []).append(i)
            found = []
            for i in self._by_key.get(normalize_text(name).strip(), ()):
                found.extend(self.docs[self.names[i]])
        newest = self._newest
        return sorted(set(found), key=lambda d: (newest[d], -d), reverse=True)
