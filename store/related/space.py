"""The term space behind related papers, in numpy: built for the archive, updated for
the papers an import adds or changes.

* ``Space`` holds every paper's weighed terms (``terms.features``) as a sparse row per
  paper over one vocabulary; it is kept beside the corpus (``related.terms``) so that an
  import tokenises only its new papers.
* ``weigh`` turns it into TF-IDF weights (generic and one-paper terms left out, rows
  L2-normalised), each paper's ``TOP`` heaviest terms (what it seeks with) and the
  postings (term -> papers) that a seek walks.
* ``similar(queries)`` is the sparse product: for each query paper, every other paper
  sharing one of its top terms, scored by the sum over those terms of both weights.

``build`` makes the neighbour lists of every paper (chunks of queries, sorted and
summed in numpy).  ``update`` computes the new papers' lists, recomputes the lists that
named a paper that left or changed, and puts each new paper into the lists it enters
(through the same product with the roles swapped: its terms against everyone's top
terms); every other list is left as it was.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable, Sequence

import numpy as np
import orjson

from . import KEEP, Related
from .terms import TITLE_PAIR, Glossary, features

TOP = 12                    # the heaviest terms of a paper that seek its neighbours
MAX_SHARE = 1 / 25          # a word in more papers than this is generic
PAIR_SHARE = 1 / 10         # (a two-word term is more topical: more papers may share it)
# A two-word term's weight is x its cohesion ** COHESION: the share of the papers with
# either word that have both together (Dice: 2 df(a b) / (df(a) + df(b))).  "document
# understanding" is a unit (0.5), "enhancing text" (of "Enhancing Text-to-Image") or
# "generative language" a chance meeting of common words (0.02-0.05), rare only because
# word pairs are many.
COHESION = 0.2
# A paper's similarity to another gains SHARED x the share of its own title's two-word
# terms (by IDF) that the other carries, anywhere: the title's topic first
SHARED = 0.3
MIN_CAP = 10                # (but a small archive keeps terms up to this many papers)
SEEK = 64                   # papers per term a seek walks, the heaviest first
CHUNK = 2_000_000           # postings entries walked per numpy step (memory bound)
_MAGIC = b"PAPERS-RELTERMS\x02"


class Space:
    """Every paper's weighed terms: rows ``indptr[i]:indptr[i+1]`` of ``fid``/``tf``."""

    def __init__(self, ids: list[str], vocab: list[str], indptr: np.ndarray,
                 fid: np.ndarray, tf: np.ndarray, generic: np.ndarray | None = None,
                 seen: np.ndarray | None = None) -> None:
        self.ids = ids
        self.vocab = vocab
        self.term_id = {t: i for i, t in enumerate(vocab)}
        self.indptr, self.fid, self.tf = indptr, fid, tf
        # terms found far too common to say anything (``prune``): no paper keeps them
        self.generic = generic if generic is not None else np.zeros(len(vocab), bool)
        # per term, the papers carrying it, generic terms included (what cohesion needs;
        # a generic term's count is not lowered when a paper leaves: it stays generic)
        self.seen = seen if seen is not None else \
            np.bincount(fid.astype(np.int64), minlength=len(vocab)).astype(np.uint32)
        self._pair = _pairs(vocab)  # which terms are two-word terms

    @property
    def n(self) -> int:
        return len(self.ids)

    def pair_mask(self) -> np.ndarray:
        """Per term, whether it is a two-word term."""
        return self._pair

    @classmethod
    def of_texts(cls, ids: list[str], titles: Sequence[str], summaries: Iterable[str],
                 gloss_ko: dict[str, list[str]] | None) -> Space:
        space = cls([], [], np.zeros(1, np.int64), np.zeros(0, np.uint32),
                    np.zeros(0, np.float32))
        space.add(ids, titles, summaries, gloss_ko)
        return space

    def add(self, ids: list[str], titles: Sequence[str], summaries: Iterable[str],
            gloss_ko: dict[str, list[str]] | None) -> None:
        """Append papers (their terms found here)."""
        gloss = Glossary(gloss_ko or {})
        term_id, vocab = self.term_id, self.vocab
        fids, tfs, lens = array("I"), array("f"), array("q")
        for title, summary in zip(titles, summaries):
            vec = features(title, summary, gloss)
            fresh = set(vec).difference(term_id)  # (a dict: looked up, not walked)
            if fresh:
                term_id.update(zip(fresh, range(len(vocab), len(vocab) + len(fresh))))
                vocab.extend(fresh)
            fids.extend(map(term_id.__getitem__, vec))
            tfs.extend(vec.values())
            lens.append(len(vec))
        self.ids = self.ids + list(ids)
        new_fid = np.frombuffer(fids, np.uint32)
        new_tf = np.frombuffer(tfs, np.float32)
        new_lens = np.frombuffer(lens, np.int64)
        self._pair = np.concatenate([self._pair, _pairs(vocab[len(self._pair):])])
        self.generic = np.concatenate([self.generic,
                                       np.zeros(len(vocab) - len(self.generic), bool)])
        self.seen = np.concatenate([self.seen, np.zeros(len(vocab) - len(self.seen),
                                                        np.uint32)])
        self.seen += np.bincount(new_fid, minlength=len(vocab)).astype(np.uint32)
        if len(new_fid) and self.generic.any():  # a generic term stays left out
            ok = ~self.generic[new_fid]
            rows = np.repeat(np.arange(len(new_lens)), new_lens)
            new_lens = np.bincount(rows[ok], minlength=len(new_lens))
            new_fid, new_tf = new_fid[ok], new_tf[ok]
        ends = self.indptr[-1] + np.cumsum(new_lens)
        self.indptr = np.concatenate([self.indptr, ends]).astype(np.int64)
        self.fid = np.concatenate([self.fid, new_fid])
        self.tf = np.concatenate([self.tf, new_tf])

    def caps(self) -> np.ndarray:
        """Per term, the most papers it may be in and still tell a topic."""
        n = self.n
        return np.where(self._pair, max(MIN_CAP, int(n * PAIR_SHARE)),
                        max(MIN_CAP, int(n * MAX_SHARE)))

    def prune(self) -> None:
        """Leave out the terms in more than twice the papers a useful term may be in (a
        term that common stays useless until the archive doubles): half the entries, at
        no change to any similarity."""
        n = self.n
        if not len(self.fid):
            return
        df = np.bincount(self.fid.astype(np.int64), minlength=len(self.vocab))
        drop = df > 2 * self.caps()
        if not drop.any():
            return
        self.generic |= drop
        keep = ~drop[self.fid]
        lens = np.diff(self.indptr)
        rows = np.repeat(np.arange(n), lens)
        self.fid, self.tf = self.fid[keep], self.tf[keep]
        self.indptr = np.concatenate([[0], np.cumsum(np.bincount(rows[keep], minlength=n))]
                                     ).astype(np.int64)

    def keep_rows(self, keep: np.ndarray) -> None:
        """Only the papers where ``keep`` (a bool per paper) is true, in order."""
        lens = np.diff(self.indptr)
        entry = np.repeat(keep, lens)
        self.seen -= np.bincount(self.fid[~entry], minlength=len(self.vocab)
                                 ).astype(np.uint32)
        self.fid, self.tf = self.fid[entry], self.tf[entry]
        self.indptr = np.concatenate([[0], np.cumsum(lens[keep])]).astype(np.int64)
        self.ids = [pid for pid, k in zip(self.ids, keep.tolist()) if k]

    # ------------------------------------------------------------ persisting
    def to_bytes(self) -> bytes:
        vocab = zlib.compress("\n".join(self.vocab).encode(), 1)
        head = orjson.dumps({"ids": self.ids, "vocab": len(vocab), "nnz": len(self.fid)})
        return b"".join([_MAGIC, len(head).to_bytes(4, "little"), head, vocab,
                         self.indptr.astype("<i8").tobytes(), self.fid.astype("<u4").tobytes(),
                         self.tf.astype("<f2").tobytes(), self.seen.astype("<u4").tobytes(),
                         np.packbits(self.generic).tobytes()])

    @classmethod
    def from_bytes(cls, data: bytes) -> Space:
        m = len(_MAGIC)
        if data[:m] != _MAGIC:
            raise ValueError("related terms: unknown format")
        hlen = int.from_bytes(data[m:m + 4], "little")
        head = orjson.loads(data[m + 4:m + 4 + hlen])
        pos = m + 4 + hlen
        text = zlib.decompress(data[pos:pos + head["vocab"]]).decode()
        pos += head["vocab"]
        n, nnz = len(head["ids"]), head["nnz"]
        indptr = np.frombuffer(data, "<i8", n + 1, pos).astype(np.int64)
        pos += 8 * (n + 1)
        fid = np.frombuffer(data, "<u4", nnz, pos).astype(np.uint32)
        tf = np.frombuffer(data, "<f2", nnz, pos + 4 * nnz).astype(np.float32)
        vocab = text.split("\n") if text else []
        pos += 6 * nnz
        seen = np.frombuffer(data, "<u4", len(vocab), pos).astype(np.uint32)
        bits = np.frombuffer(data, np.uint8, offset=pos + 4 * len(vocab))
        generic = np.unpackbits(bits)[:len(vocab)].astype(bool)
        if indptr[-1] != nnz or (nnz and int(fid.max()) >= len(vocab)) or \
                len(generic) != len(vocab):
            raise ValueError("related terms: damaged")
        return cls(head["ids"], vocab, indptr, fid, tf, generic, seen)

    def cohesion(self, terms: np.ndarray) -> np.ndarray:
        """Per term, its weight factor: 1 for a word, its cohesion ** COHESION for each
        two-word term where ``terms`` (a bool per term) is true (and 1 elsewhere)."""
        out = np.ones(len(self.vocab), np.float32)
        pairs = np.flatnonzero(terms & self._pair)
        if not len(pairs):
            return out
        vocab, get = self.vocab, self.term_id.get
        halves = [vocab[j].split(" ", 1) for j in pairs.tolist()]
        a = np.fromiter((get(h[0], -1) for h in halves), np.int64, len(pairs))
        b = np.fromiter((get(h[1], -1) for h in halves), np.int64, len(pairs))
        seen = self.seen.astype(np.float64)
        both = seen[pairs]
        # (a word seen only inside its pair, as a glossary term's may be: as often)
        da = np.maximum(np.where(a >= 0, seen[a], 0), both)
        db = np.maximum(np.where(b >= 0, seen[b], 0), both)
        out[pairs] = (2 * both / np.maximum(da + db, 1)) ** COHESION
        return out


class Weighed:
    """A ``Space`` as TF-IDF weights: entries (doc, term, weight) of the useful terms,
    each paper's top terms, and postings by term."""

    def __init__(self, space: Space) -> None:
        n = space.n
        nv = len(space.vocab)
        lens = np.diff(space.indptr)
        doc = np.repeat(np.arange(n, dtype=np.int32), lens)
        fid = space.fid.astype(np.int64)
        df = np.bincount(fid, minlength=nv)
        good = (df >= 2) & (df <= space.caps())
        idf = (np.log(n / np.maximum(df, 1)) * space.cohesion(good)).astype(np.float32)
        use = good[fid]
        tf = space.tf[use]
        doc, fid = doc[use], fid[use]
        w = tf * idf[fid]
        norm = np.sqrt(np.bincount(doc, w * w, minlength=n)).astype(np.float32)
        w = w / np.where(norm > 0, norm, 1)[doc]
        # the entries of title two-word terms (only a title's weigh that much), and what
        # each adds when another paper carries it (``SHARED``)
        plain = np.where(good, np.log(n / np.maximum(df, 1)), 0).astype(np.float32)
        title = space.pair_mask()[fid] & (tf >= TITLE_PAIR * 0.99)
        own = np.bincount(doc[title], plain[fid[title]], minlength=n)
        self.o = np.where(title, SHARED * plain[fid] / np.maximum(own, 1e-9)[doc], 0
                          ).astype(np.float32)
        self.n = n
        self.doc, self.fid, self.w = doc, fid, w
        self.row = np.concatenate([[0], np.cumsum(np.bincount(doc, minlength=n))])
        # top terms: entries are grouped by paper; sort each group by weight
        order = _heaviest_first(doc, w)
        rank = np.arange(len(doc)) - self.row[doc[order]]
        top = order[rank < TOP]
        top.sort()  # back in paper order
        self.top = top  # entry numbers of every paper's top terms, grouped by paper
        self.top_row = np.concatenate([[0], np.cumsum(np.bincount(doc[top], minlength=n))])
        self.nv = nv
        self.post = self.top_post = None
        self.threshold = np.zeros(nv, np.float32)

    def index(self, terms: np.ndarray | None = None) -> None:
        """Make the postings, of every term or of ``terms`` only (a bool per term: an
        update walks only its papers' terms).  Per term its SEEK heaviest papers (impact
        order); a paper lighter than a term's threshold (the SEEK-th weight) is not
        reached through it.  And the postings of the top terms (who seeks with a term)."""
        nv = self.nv
        sel = np.arange(len(self.fid)) if terms is None else np.flatnonzero(terms[self.fid])
        fid, w = self.fid[sel], self.w[sel]
        order = _heaviest_first(fid, w)
        ptr = np.concatenate([[0], np.cumsum(np.bincount(fid, minlength=nv))])
        rank = np.arange(len(order)) - ptr[fid[order]]
        walk = order[rank < SEEK]
        self.post = (np.concatenate([[0], np.cumsum(np.bincount(fid[walk], minlength=nv))]),
                     sel[walk])
        last = order[rank == SEEK - 1]
        self.threshold[fid[last]] = w[last]
        top = self.top if terms is None else self.top[terms[self.fid[self.top]]]
        self.top_post = _postings(self.fid[top], nv, top)

    def top_entries(self, docs: np.ndarray):
        """(doc, term, weight, shared bonus) of the top terms of ``docs``."""
        idx = _ranges(self.top_row[docs], self.top_row[docs + 1])
        e = self.top[idx]
        return self.doc[e], self.fid[e], self.w[e], self.o[e]

    def entries(self, docs: np.ndarray):
        """(doc, term, weight) of every useful term of ``docs``."""
        idx = _ranges(self.row[docs], self.row[docs + 1])
        return self.doc[idx], self.fid[idx], self.w[idx]


def _pairs(vocab: list[str]) -> np.ndarray:
    return np.fromiter((" " in t for t in vocab), bool, len(vocab))


def _heaviest_first(group: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Entry order by ``group``, the heaviest first within one (weights are in (0, 1])."""
    return np.argsort(group * 2.0 + (1.0 - w), kind="stable")


def _postings(fid: np.ndarray, nv: int, entry: np.ndarray | None = None):
    """term -> the entry numbers carrying it: (ptr, entries), entries in paper order."""
    order = np.argsort(fid, kind="stable")
    ptr = np.concatenate([[0], np.cumsum(np.bincount(fid, minlength=nv))])
    return ptr, (order if entry is None else entry[order])


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The concatenation of ``arange(s, e)`` for each pair."""
    lens = ends - starts
    total = int(lens.sum())
    if not total:
        return np.zeros(0, np.int64)
    shift = np.repeat(starts - np.cumsum(lens) + lens, lens)
    return shift + np.arange(total)


def similar(wt: Weighed, qdoc: np.ndarray, qfid: np.ndarray, qw: np.ndarray,
            postings, qo: np.ndarray | None = None, posted_o: bool = False
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (query, paper, score) pair: score = sum over the query entries' terms of
    the query weight x the paper's weight (in ``postings``: (ptr, entry numbers)), plus
    the query's shared bonus of the term: ``qo`` of the query entries, or, with
    ``posted_o`` (the roles swapped: the postings are the queries'), of the postings."""
    ptr, ent = postings
    out_q, out_d, out_s = [], [], []
    lens = ptr[qfid + 1] - ptr[qfid]
    cum = np.cumsum(lens)
    start = 0
    while start < len(qdoc):
        # a run of query entries walking about CHUNK postings, ending at a query boundary
        stop = int(np.searchsorted(cum, (cum[start - 1] if start else 0) + CHUNK, "right"))
        stop = max(stop, start + 1)
        while stop < len(qdoc) and qdoc[stop] == qdoc[stop - 1]:
            stop += 1
        f, ln = qfid[start:stop], lens[start:stop]
        e = ent[_ranges(ptr[f], ptr[f] + ln)]
        d = wt.doc[e].astype(np.int64)
        q = np.repeat(qdoc[start:stop].astype(np.int64), ln)
        s = wt.w[e] * np.repeat(qw[start:stop], ln)
        if qo is not None:
            s += np.repeat(qo[start:stop], ln)
        if posted_o:
            s += wt.o[e]
        key = q * wt.n + d
        order = np.argsort(key)
        key, s = key[order], s[order]
        if len(key):
            first = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
            sums = np.add.reduceat(s, first)
            uk = key[first]
            out_q.append(uk // wt.n)
            out_d.append(uk % wt.n)
            out_s.append(sums)
        start = stop
    if not out_q:
        z = np.zeros(0, np.int64)
        return z, z, np.zeros(0, np.float32)
    return np.concatenate(out_q), np.concatenate(out_d), np.concatenate(out_s)


def best(q: np.ndarray, d: np.ndarray, s: np.ndarray, keep: int
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``keep`` highest-scoring pairs of each query (a paper is never its own
    neighbour), grouped by query, best first (ties: the lower paper number)."""
    other = q != d
    q, d, s = q[other], d[other], s[other]
    # one float key: query, then score descending (scores are below 4); a stable sort
    # keeps the lower paper first among equal scores (pairs come sorted by (q, d))
    order = np.argsort(q * 8.0 + (4.0 - np.minimum(s, 3.9)), kind="stable")
    q, d, s = q[order], d[order], s[order]
    if not len(q):
        return q, d, s
    first = np.flatnonzero(np.concatenate([[True], q[1:] != q[:-1]]))
    rank = np.arange(len(q)) - np.repeat(first, np.diff(np.concatenate([first, [len(q)]])))
    ok = rank < keep
    return q[ok], d[ok], s[ok]


def _lists(wt: Weighed, docs: np.ndarray, keep: int):
    """Neighbour lists of ``docs``: (query, paper, score) pairs, grouped by query."""
    qd, qf, qw, qo = wt.top_entries(docs)
    return best(*similar(wt, qd, qf, qw, wt.post, qo), keep)


def _fill(nbr: np.ndarray, sim: np.ndarray, q, d, s) -> None:
    """Rows ``q`` of the (n, keep) tables set to their pairs (the rest -1 / 0)."""
    rows = np.unique(q)
    nbr[rows] = -1
    sim[rows] = 0
    if len(q):
        first = np.searchsorted(q, q, "left")
        col = np.arange(len(q)) - first
        nbr[q, col] = d
        sim[q, col] = np.minimum(np.round(s * 10000), 65535)


def build(ids: list[str], titles: Sequence[str], summaries: Iterable[str], days: list[str],
          gloss_ko: dict[str, list[str]] | None, keep: int = KEEP) -> tuple[Related, Space]:
    space = Space.of_texts(list(ids), titles, summaries, gloss_ko)
    return lists_of(space, list(titles), days, keep), space


def lists_of(space: Space, titles: list[str], days: list[str], keep: int = KEEP) -> Related:
    """Every paper's neighbour list, from scratch."""
    space.prune()
    wt = Weighed(space)
    wt.index()
    n = space.n
    nbr = np.full((n, keep), -1, np.int32)
    sim = np.zeros((n, keep), np.uint16)
    step = 2000
    for a in range(0, n, step):
        _fill(nbr, sim, *_lists(wt, np.arange(a, min(n, a + step)), keep))
    return _related(space.ids, nbr, sim, titles, days, keep)


def _related(ids, nbr, sim, titles, days, keep) -> Related:
    return Related(list(ids), array("i", nbr.astype(np.int32).ravel().tobytes()),
                   array("H", sim.astype(np.uint16).ravel().tobytes()), list(titles),
                   list(days), keep)


def update(old: Related, space: Space, changed: dict[str, tuple[str, str]],
           gone: set[str], titles: list[str], days: list[str],
           gloss_ko: dict[str, list[str]] | None) -> tuple[Related, Space]:
    """The lists after an import: ``changed`` (id -> (title, summary)) papers are new or
    changed, ``gone`` ids left.  ``titles``/``days`` are of the resulting papers in the
    order this returns them (the kept papers in their old order, then the new ones:
    ``order_after``).  ``space`` is changed in place."""
    keep = old.keep
    n0 = len(old)
    if space.ids != list(old.ids):  # old.ids: a list, or the file's strings read back
        raise ValueError("related terms do not match the related lists")
    leaving = np.array([pid in gone or pid in changed for pid in space.ids], bool)
    kept = ~leaving
    remap = np.full(n0 + 1, -1, np.int64)  # old number (and -1) -> new number
    remap[:n0][kept] = np.arange(int(kept.sum()))
    new_ids = list(changed)
    space.keep_rows(kept)
    space.add(new_ids, [changed[i][0] for i in new_ids], [changed[i][1] for i in new_ids],
              gloss_ko)
    n = space.n
    n_kept = n - len(new_ids)
    nbr0 = np.frombuffer(old.nbr, np.int32).reshape(n0, keep)[kept].astype(np.int64)
    sim0 = np.frombuffer(old.sim, np.uint16).reshape(n0, keep)[kept]
    mapped = remap[nbr0]  # -1 stays -1 (remap[-1] is the extra -1 slot)
    dirty = ((mapped < 0) & (nbr0 >= 0)).any(axis=1)  # a neighbour left: recompute
    nbr = np.full((n, keep), -1, np.int32)
    sim = np.zeros((n, keep), np.uint16)
    nbr[:n_kept], sim[:n_kept] = mapped, sim0
    space.prune()
    wt = Weighed(space)
    fresh = np.arange(n_kept, n)
    redo = np.concatenate([np.flatnonzero(dirty), fresh]).astype(np.int64)
    walked = np.zeros(wt.nv, bool)  # the terms the seeks below walk
    walked[wt.top_entries(redo)[1]] = True
    walked[wt.entries(fresh)[1]] = True
    wt.index(walked)
    if len(redo):
        _fill(nbr, sim, *_lists(wt, redo, keep))
    if len(fresh):  # the new papers enter the lists of others
        nd, nf, nw = wt.entries(fresh)
        reach = nw >= wt.threshold[nf]  # as a seek from those papers would find it
        nd, nf, nw = nd[reach], nf[reach], nw[reach]
        d, q, s = similar(wt, nd, nf, nw, wt.top_post, posted_o=True)  # (new, query, score)
        stay = ~np.isin(q, redo)
        _enter(nbr, sim, q[stay], d[stay], s[stay], keep)
    if len(titles) != n or len(days) != n:
        raise ValueError("related update: titles or days do not match")
    return _related(space.ids, nbr, sim, titles, days, keep), space


def _enter(nbr: np.ndarray, sim: np.ndarray, q, d, s, keep: int) -> None:
    """Merge candidate pairs (query q gains paper d at score s) into their rows."""
    if not len(q):
        return
    scaled = np.minimum(np.round(s * 10000), 65535).astype(np.int64)
    rows = np.unique(q)
    old_q = np.repeat(rows, keep)
    old_d = nbr[rows].ravel().astype(np.int64)
    old_s = sim[rows].ravel().astype(np.int64)
    real = old_d >= 0
    allq = np.concatenate([old_q[real], q])
    alld = np.concatenate([old_d[real], d])
    alls = np.concatenate([old_s[real], scaled]).astype(np.float64)
    bq, bd, bs = best(allq, alld, alls, keep)
    _fill(nbr, sim, bq, bd, bs / 10000)


def order_after(old_ids: list[str], changed: Sequence[str], gone: set[str]) -> list[str]:
    """The paper order ``update`` returns."""
    return [pid for pid in old_ids if pid not in gone and pid not in changed] + list(changed)


def first_days(index) -> list[str]:
    """Each paper's first day in a ``search.SearchIndex`` (its dates run newest first)."""
    return [ds[-1] if ds else "" for ds in index.dates]


def build_from_index(index, keep: int = KEEP) -> tuple[Related, Space]:
    """Related papers over a ``search.SearchIndex`` (its papers, text and glossary)."""
    return build(list(index.ids), list(index.titles), index.summaries,  # read one by one
                 first_days(index), index.gloss_ko, keep)
