"""Related papers: each paper's nearest papers across the archive, by content.

A weighted TF-IDF space over the search index's own text (its tokenizer and
normalisation, and the cross-lingual glossary it mines from the summaries), so related
papers and search agree on what a word is (``terms.py`` makes a paper's terms):

* title words and title bigrams weigh most (a two-word title term is most often the
  topic), then summary words and English summary bigrams, each count saturated as in
  BM25 (a term said five times is not five times the topic);
* glossary terms: a Korean rendering in a summary ("강화 학습") adds the terms of its
  English form ("reinforcement learning"): one concept, whichever language says it;
* a term in one paper only, or in more than a fiftieth of the archive (a twentieth for
  two-word terms), carries no topic and is left out; weights are ``w x idf``, vectors
  L2-normalised.

A paper seeks its neighbours from its ``TOP`` heaviest terms: its similarity to another
paper is the sum over those terms of both weights.  The product is numpy over sparse
arrays (``space.py``).  What the reader needs (ids, per paper its ``KEEP`` nearest with
their similarity, and the title and first day of each paper, so that showing the list
reads nothing else) is ``Related`` here, stdlib only: the reader never imports numpy;
``packed.py`` is its file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

KEEP = 20                   # neighbours kept per paper


class Related:
    """Paper id -> its nearest papers (id, similarity), as built or as read back.

    Built (at import): lists and arrays.  Read back (``open``, the reader): the ids and
    their sorted order in compact arrays, the neighbour rows, titles and days read from
    related.bin as looked up (``packed.py``); an id's number is found by bisection."""

    def __init__(self, ids: Sequence[str], nbr, sim, titles: Sequence[str] | None = None,
                 days: Sequence[str] | None = None, keep: int = KEEP, order=None) -> None:
        self.ids = ids
        self.keep = keep
        self.nbr = nbr     # n x keep neighbour numbers, -1 past the end of a short list
        self.sim = sim     # n x keep similarities x 10000
        # what the detail pane shows of a neighbour, so showing one reads no other file
        self.titles = titles if titles is not None else [""] * len(ids)
        self.days = days if days is not None else [""] * len(ids)
        self._order = order  # paper numbers sorted by id (read back), else a dict
        self._pos: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def pos(self) -> dict[str, int]:
        """id -> paper number, as a dict (made on first use: the import's update)."""
        if self._pos is None:
            self._pos = {pid: i for i, pid in enumerate(self.ids)}
        return self._pos

    def row(self, paper_id: str) -> int | None:
        """The paper's number, or None."""
        order = self._order
        if order is None:
            return self.pos.get(paper_id)
        ids, n = self.ids, len(self.ids)
        lo, hi = 0, n
        try:
            while lo < hi:
                mid = (lo + hi) // 2
                if ids[order[mid]] < paper_id:
                    lo = mid + 1
                else:
                    hi = mid
            if lo < n and ids[order[lo]] == paper_id:
                return order[lo]
        except IndexError:  # a damaged order: as unknown
            pass
        return None

    def _row(self, i: int, limit: int) -> list[tuple[int, float]]:
        base = i * self.keep
        end = base + min(limit, self.keep)
        n = len(self.ids)
        out = []
        for j, s in zip(self.nbr[base:end], self.sim[base:end]):  # one read each
            if not 0 <= j < n:
                break
            out.append((j, s / 10000))
        return out

    def of(self, paper_id: str, limit: int = 5) -> list[tuple[str, float]]:
        """The ``limit`` most similar papers to ``paper_id``, most similar first."""
        return [(pid, s) for pid, _, _, s in self.shown(paper_id, limit)]

    def shown(self, paper_id: str, limit: int = 5) -> list[tuple[str, str, str, float]]:
        """(id, title, first day, similarity) of the ``limit`` most similar papers."""
        i = self.row(paper_id)
        if i is None:
            return []
        ids, titles, days = self.ids, self.titles, self.days
        return [(ids[j], titles[j], days[j], s) for j, s in self._row(i, limit)]

    def entry(self, paper_id: str) -> tuple[str, str] | None:
        """(title, first day) of a paper as kept here."""
        i = self.row(paper_id)
        return None if i is None else (self.titles[i], self.days[i])

    def for_you(self, candidates: Sequence[str], kept: dict[str, float]) -> dict[str, float]:
        """How close each candidate is to the kept papers (id -> weight): the sum of
        weight x similarity over the kept papers it is a neighbour of, either way round."""
        wanted = {}
        for c in candidates:
            i = self.row(c)
            if i is not None:
                wanted[i] = c
        scores = dict.fromkeys(candidates, 0.0)
        weight_at = {}
        for k, w in kept.items():
            i = self.row(k)
            if i is not None:
                weight_at[i] = w
        sims: dict[tuple[int, int], float] = {}
        for k in weight_at:
            for j, s in self._row(k, self.keep):
                if j in wanted and s > sims.get((j, k), 0.0):
                    sims[(j, k)] = s
        for j in wanted:
            for k, s in self._row(j, self.keep):
                if k in weight_at and s > sims.get((j, k), 0.0):
                    sims[(j, k)] = s
        for (j, k), s in sims.items():
            scores[wanted[j]] += weight_at[k] * s
        return scores

    # ------------------------------------------------------------ persisting
    def to_bytes(self) -> bytes:
        from .packed import pack

        return pack(len(self.ids), self.keep, self.nbr, self.sim, self.ids, self.titles,
                    self.days)

    @classmethod
    def from_bytes(cls, data) -> Related:
        """Read back from the file's bytes (or its map: ``open``), nothing copied."""
        from .packed import unpack

        _, keep, t = unpack(data)
        return cls(t["ids"], t["nbr"], t["sim"], t["titles"], t["days"], keep, t["order"])

    @classmethod
    def open(cls, path) -> Related:
        """Read related.bin as the reader holds it: what finding a paper needs, the rest
        read from the file as a lookup needs it (``packed.open_file``)."""
        from .packed import open_file

        _, keep, t = open_file(path)
        return cls(t["ids"], t["nbr"], t["sim"], t["titles"], t["days"], keep, t["order"])


def kept_weights(bookmarked: Iterable[str], tagged: Iterable[str], noted: Iterable[str],
                 read: Iterable[str]) -> dict[str, float]:
    """What the reader kept, weighed: bookmarks, tags and notes 1 each, reading 0.2."""
    kept: dict[str, float] = {pid: 0.2 for pid in read}
    for group in (bookmarked, tagged, noted):
        for pid in set(group):
            kept[pid] = (kept[pid] if kept.get(pid, 0.0) >= 1 else 0.0) + 1.0
    return kept
