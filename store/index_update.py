"""The search index brought up to date with a few changed papers, without a rebuild.

``SearchIndex.build`` re-tokenises every paper (~0.8 s at 5.5k papers, ten times that at
55k); an update that brings one day changes ~30.  ``updated(index, papers, gone)`` makes
the index that ``build`` would make from the new corpus, byte for byte (the tests compare
``to_bytes()``), by working only on what changed:

* the papers given (new or changed) and the ids in ``gone`` leave their old numbers;
  the others keep their relative tie order, so old paper numbers map to new ones by a
  monotone table, and a posting list of an untouched word is its old list mapped;
* the words of the removed papers' old text (tokenised from the texts the index keeps)
  and of the new papers' text are the only ones whose lists change; a word left with no
  paper leaves the vocabulary; new words enter it in sorted place;
* flat posting lists are copied in runs between those words; the dense bitsets have
  bits taken out and put in (a few big-int operations each); a word whose count crosses
  the dense threshold moves between the two forms, as ``build`` would place it.

It is exact or it raises: the caller falls back to a full build on any exception.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable
from itertools import accumulate
from operator import sub

from . import hangul
from .models import Paper
from .query import FIELDS, TOKEN_RE, normalize_text
from .search import SearchIndex, _clean, _iter_bits, _mask_of
from .search.docstore import Authors, DocStore, Field

GONE = 0xFFFFFFFF  # a removed paper's number in the old -> new table


def _tokens(text: str) -> set[str]:
    return set(TOKEN_RE.findall(normalize_text(text))) if text else set()


def _doc_texts(title: str, authors: list[str], summary: str) -> tuple[str, str, str]:
    return title, ", ".join(authors), summary


def _remove_bits(mask: int, positions_desc: list[int]) -> int:
    for p in positions_desc:
        mask = (mask & ((1 << p) - 1)) | ((mask >> (p + 1)) << p)
    return mask


def _insert_bits(mask: int, positions_asc: list[int]) -> int:
    for p in positions_asc:
        mask = (mask & ((1 << p) - 1)) | ((mask >> p) << (p + 1))
    return mask


def updated(index: SearchIndex, papers: Iterable[Paper], gone: Iterable[str] = ()
            ) -> SearchIndex:
    """The index of the corpus in which ``papers`` are new or changed and ``gone`` ids
    removed (a paper in both counts as changed)."""
    new_papers: dict[str, Paper] = {}
    for p in papers:
        old = new_papers.get(p.id)
        if old is None or (not old.bullets and p.bullets):
            new_papers[p.id] = p
    out_ids = set(gone) | set(new_papers)
    n_old = index.n
    pos = index.id_pos
    removed = sorted(pos[i] for i in out_ids if i in pos)
    removed_set = set(removed)

    # -- the new tie order: kept docs (old order) and new ones, sorted as build does
    rows: list[tuple] = []  # (votes, newest, id, old doc or None, paper or None)
    for d in range(n_old):
        if d not in removed_set:
            ds = index.dates[d]
            rows.append((index.votes[d], ds[0] if ds else "", index.ids[d], d, None))
    for p in new_papers.values():
        ds = sorted(set(p.dates), reverse=True)
        rows.append((p.votes, ds[0] if ds else "", p.id, None, p))
    rows.sort(key=lambda r: r[2])
    rows.sort(key=lambda r: r[1], reverse=True)
    rows.sort(key=lambda r: -1 if r[0] is None else r[0], reverse=True)
    n = len(rows)
    remap = [GONE] * n_old
    added: list[int] = []  # new positions of the new papers, ascending
    new = SearchIndex.__new__(SearchIndex)
    new.n = n
    new.ids, new.dates, new.votes = [], [], []
    added_texts: list[tuple[int, tuple[str, str, str]]] = []
    # the records: runs of the old ones (copied compressed) and the new papers' texts
    # and the author lists likewise (runs of the old ones, new lists)
    docs, old_authors = index.docs, index.authors_
    if not isinstance(old_authors, Authors):
        old_authors = Authors.compose(old_authors)
    parts: list = []  # [first, end) of old papers kept in a row, or a new paper's texts
    for k, (votes, _, _, d, p) in enumerate(rows):
        if d is not None:
            remap[d] = k
            new.ids.append(index.ids[d])
            new.dates.append(index.dates[d])
            new.votes.append(votes)
            last = parts[-1] if parts else None
            if isinstance(last, list) and last[1] == d:
                last[1] = d + 1
            else:
                parts.append([d, d + 1])
        else:
            added.append(k)
            title, authors = _clean(p.title or ""), [_clean(a) for a in p.authors]
            summary = _clean(p.summary_text())
            new.ids.append(_clean(p.id))
            new.dates.append(sorted(set(p.dates), reverse=True))
            new.votes.append(p.votes)
            parts.append((title, summary, authors))
            added_texts.append((k, _doc_texts(title, authors, summary)))
    new._docs = DocStore.compose([(docs, *p) if isinstance(p, list) else p[:2]
                                  for p in parts])
    new.authors_ = Authors.compose([(old_authors, *p) if isinstance(p, list) else p[2]
                                    for p in parts])
    new.titles, new.summaries = Field(new._docs, 0), Field(new._docs, 1)

    # the glossary: the pairs of the papers that leave out, those of the new ones in
    counts = index.gloss_counts.copy()
    for d in removed:
        counts.add(index.summaries[d], -1)
    for _, texts in added_texts:
        counts.add(texts[2])
    new._gcounts = counts
    new.gloss_en, new.gloss_ko = counts.maps()
    # the fields' total lengths (for relevance): the old, less the removed, plus the new
    new._total = {}
    for f, fname in enumerate(FIELDS):
        total = index.total_len(fname)
        for d in removed:
            total -= len(_doc_texts(index.titles[d], index.authors_[d], index.summaries[d])[f])
        new._total[fname] = total + sum(len(texts[f]) for _, texts in added_texts)

    # -- which words change, per field
    old_vocab = index.avocab + index.kvocab
    old_tid = {t: i for i, t in enumerate(old_vocab)}
    lost: list[set[str]] = [set(), set(), set()]  # words of removed docs, per field
    for d in removed:
        for f, text in enumerate(_doc_texts(index.titles[d], index.authors_[d],
                                            index.summaries[d])):
            lost[f] |= _tokens(text)
    gained: list[dict[str, list[int]]] = [{}, {}, {}]  # word -> new positions
    for k, texts in added_texts:
        for f, text in enumerate(texts):
            for tok in _tokens(text):
                gained[f].setdefault(tok, []).append(k)
    affected = [lost[f] | gained[f].keys() for f in range(3)]

    # the new lists of affected flat words (new positions, ascending), and the dense
    # words' bitsets with the removed bits taken out and the new ones put in
    lists: list[dict[str, list[int]]] = [{}, {}, {}]
    masks: list[dict[str, int]] = [{}, {}, {}]
    ins_desc = sorted(removed, reverse=True)
    old_docs = [index.field_docs(f) for f in range(3)]  # paper numbers (from the gaps)
    for f in range(3):
        off, post, dense = index.offsets[f], old_docs[f], index.dense[f]
        for t, mask in dense.items():
            tok = old_vocab[t]
            mask = _insert_bits(_remove_bits(mask, ins_desc), added)
            for k in gained[f].get(tok, ()):
                mask |= 1 << k
            masks[f][tok] = mask
        for tok in affected[f]:
            t = old_tid.get(tok)
            if t is not None and t in dense:
                continue
            if t is None:
                docs: list[int] = []
            else:
                docs = [remap[d] for d in post[off[t]:off[t + 1]] if remap[d] != GONE]
            docs += gained[f].get(tok, ())
            docs.sort()
            lists[f][tok] = docs

    def has_docs(g: int, tok: str) -> bool:
        if tok in masks[g]:
            return masks[g][tok] != 0
        if tok in lists[g]:
            return bool(lists[g][tok])
        return _has_docs(index, g, old_tid[tok])

    # -- the vocabulary: words with no paper in any field leave, new words enter
    dropped = {tok for f in range(3) for tok in lost[f]
               if tok in old_tid and not any(has_docs(g, tok) for g in range(3))}
    fresh = {tok for f in range(3) for tok in gained[f] if tok not in old_tid}
    if dropped or fresh:
        a_old = [t for t in index.avocab if t not in dropped] if dropped else index.avocab
        k_old = [t for t in index.kvocab if t not in dropped] if dropped else index.kvocab
        a_new = sorted(t for t in fresh if not hangul.is_hangul(t[0]))
        k_new = sorted(t for t in fresh if hangul.is_hangul(t[0]))
        new.avocab = sorted(a_old + a_new) if a_new else list(a_old)
        new.kvocab = sorted(k_old + k_new) if k_new else list(k_old)
    else:
        new.avocab, new.kvocab = list(index.avocab), list(index.kvocab)
    vocab = new.avocab + new.kvocab
    new_tid = {t: i for i, t in enumerate(vocab)} if (dropped or fresh) else old_tid
    new.kcho = ""  # made from the new Korean words when first used

    # where a new word falls among the old ones (the old vocabulary's order is kept)
    n_a_old = len(index.avocab)

    def old_cut(tok: str) -> int:
        if hangul.is_hangul(tok[0]):
            return n_a_old + bisect_left(index.kvocab, tok)
        return bisect_left(index.avocab, tok)

    threshold = max(2, n // 32)
    old_threshold = max(2, n_old // 32)
    new.offsets, new.postings, new.dense = [], [], []
    for f in range(3):
        off, post, dense = index.offsets[f], old_docs[f], index.dense[f]
        # dense words: bits moved; a word whose count falls under the threshold goes flat
        new_dense: dict[int, int] = {}
        to_flat: dict[str, list[int]] = {}
        for tok, mask in masks[f].items():
            if tok in dropped:
                continue
            if mask.bit_count() >= threshold:
                new_dense[new_tid[tok]] = mask
            else:
                to_flat[tok] = list(_iter_bits(mask))
        # flat words that now reach the threshold go dense
        events: dict[str, list[int] | None] = {}  # word -> its new flat list (None: none)
        for tok, docs in lists[f].items():
            if len(docs) >= threshold:
                new_dense[new_tid[tok]] = _mask_of(docs, n)
                events[tok] = None
            elif docs or tok in new_tid:
                events[tok] = docs
        if threshold < old_threshold:  # untouched flat words may now be dense
            for t in range(len(old_vocab)):
                if t not in dense and off[t + 1] - off[t] >= threshold:
                    tok = old_vocab[t]
                    if tok not in lists[f] and tok not in dropped:
                        docs = [remap[d] for d in post[off[t]:off[t + 1]]]
                        new_dense[new_tid[tok]] = _mask_of(docs, n)
                        events[tok] = None
        events.update(to_flat)
        for tok in fresh:  # a new word has an entry in every field, if only an empty one
            events.setdefault(tok, [])
        for tok in dropped:
            events.setdefault(tok, None)  # no entry at all: handled below
        mapped = array("I", map(remap.__getitem__, post)) if post else array("I")
        flat = array("I")
        counts = array("I")  # postings per word, in the new vocabulary's order
        ptr = 0  # next old word not yet copied
        # old words at their number; a new word just before the old word it precedes
        # (non-Korean words first: the vocabulary is the non-Korean list, then Korean)
        order = sorted(events, key=lambda tok: (
            old_tid[tok] if tok in old_tid else old_cut(tok), tok in old_tid,
            hangul.is_hangul(tok[0]), tok))
        for tok in order:
            t = old_tid.get(tok)
            cut = t if t is not None else old_cut(tok)
            if cut > ptr:  # the untouched words before it, copied as they are (mapped)
                flat.extend(mapped[off[ptr]:off[cut]])
                counts.extend(map(sub, off[ptr + 1:cut + 1], off[ptr:cut]))
                ptr = cut
            if t is not None:
                ptr = t + 1
            if tok in dropped:
                continue
            docs = events[tok]
            if docs:
                flat.extend(docs)
            counts.append(len(docs) if docs else 0)
        if ptr < len(old_vocab):
            end = len(old_vocab)
            flat.extend(mapped[off[ptr]:off[end]])
            counts.extend(map(sub, off[ptr + 1:end + 1], off[ptr:end]))
        lengths = array("I", accumulate(counts, initial=0))
        if len(lengths) != len(vocab) + 1 or lengths[-1] != len(flat):
            raise ValueError("index update: offsets do not match the vocabulary")
        new.offsets.append(lengths)
        new.postings.append(flat)
        new.dense.append(new_dense)
    new._setup()
    return new


def _has_docs(index: SearchIndex, f: int, t: int) -> bool:
    """True if word ``t`` has papers in field ``f`` of the old index."""
    if t in index.dense[f]:
        return True
    off = index.offsets[f]
    return off[t + 1] > off[t]
