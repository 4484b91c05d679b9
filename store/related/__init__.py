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
reads nothing else) is ``Related`` here, stdlib only: the reader never imports numpy.
"""

from __future__ import annotations

from array import array
from typing import Iterable, Sequence

import orjson

KEEP = 20                   # neighbours kept per paper
_MAGIC = b"PAPERS-RELATED\x02"


class Related:
    """Paper id -> its nearest papers (id, similarity), as built or as read back."""

    def __init__(self, ids: list[str], nbr: array, sim: array, titles: list[str] | None = None,
                 days: list[str] | None = None, keep: int = KEEP) -> None:
        self.ids = ids
        self.keep = keep
        self.nbr = nbr     # n x keep neighbour numbers, -1 past the end of a short list
        self.sim = sim     # n x keep similarities x 10000
        # what the detail pane shows of a neighbour, so showing one reads no other file
        self.titles = titles if titles is not None else [""] * len(ids)
        self.days = days if days is not None else [""] * len(ids)
        self.pos = {pid: i for i, pid in enumerate(ids)}

    def __len__(self) -> int:
        return len(self.ids)

    def _row(self, i: int, limit: int) -> list[tuple[int, float]]:
        base = i * self.keep
        out = []
        for k in range(base, base + min(limit, self.keep)):
            j = self.nbr[k]
            if j < 0:
                break
            out.append((j, self.sim[k] / 10000))
        return out

    def of(self, paper_id: str, limit: int = 5) -> list[tuple[str, float]]:
        """The ``limit`` most similar papers to ``paper_id``, most similar first."""
        i = self.pos.get(paper_id)
        if i is None:
            return []
        ids = self.ids
        return [(ids[j], s) for j, s in self._row(i, limit)]

    def entry(self, paper_id: str) -> tuple[str, str] | None:
        """(title, first day) of a paper as kept here."""
        i = self.pos.get(paper_id)
        return None if i is None else (self.titles[i], self.days[i])

    def for_you(self, candidates: Sequence[str], kept: dict[str, float]) -> dict[str, float]:
        """How close each candidate is to the kept papers (id -> weight): the sum of
        weight x similarity over the kept papers it is a neighbour of, either way round."""
        wanted = {self.pos[c]: c for c in candidates if c in self.pos}
        scores = dict.fromkeys(candidates, 0.0)
        weight_at = {self.pos[k]: w for k, w in kept.items() if k in self.pos}
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
        head = orjson.dumps({"n": len(self.ids), "keep": self.keep, "ids": self.ids,
                             "titles": self.titles, "days": self.days})
        nbr = array("i", self.nbr).tobytes()
        sim = array("H", self.sim).tobytes()
        return b"".join([_MAGIC, len(head).to_bytes(4, "little"), head,
                         len(nbr).to_bytes(8, "little"), nbr, sim])

    @classmethod
    def from_bytes(cls, data: bytes) -> "Related":
        m = len(_MAGIC)
        if data[:m] != _MAGIC:
            raise ValueError("related papers: unknown format")
        hlen = int.from_bytes(data[m:m + 4], "little")
        head = orjson.loads(data[m + 4:m + 4 + hlen])
        pos = m + 4 + hlen
        nlen = int.from_bytes(data[pos:pos + 8], "little")
        nbr, sim = array("i"), array("H")
        nbr.frombytes(data[pos + 8:pos + 8 + nlen])
        sim.frombytes(data[pos + 8 + nlen:])
        n, keep = head["n"], head["keep"]
        ids, titles, days = head["ids"], head["titles"], head["days"]
        if not (len(ids) == len(titles) == len(days) == n and len(nbr) == len(sim) == n * keep):
            raise ValueError("related papers: damaged")
        return cls(ids, nbr, sim, titles, days, keep)


def kept_weights(bookmarked: Iterable[str], tagged: Iterable[str], noted: Iterable[str],
                 read: Iterable[str]) -> dict[str, float]:
    """What the reader kept, weighed: bookmarks, tags and notes 1 each, reading 0.2."""
    kept: dict[str, float] = {pid: 0.2 for pid in read}
    for group in (bookmarked, tagged, noted):
        for pid in set(group):
            kept[pid] = (kept[pid] if kept.get(pid, 0.0) >= 1 else 0.0) + 1.0
    return kept
