"""Search engine: an inverted index with bitset postings and tiered ranking.

Layout (see ``SearchIndex``):

* Papers are numbered in *tie order*: more votes first (no votes last), then the
  newer day, then the id.  A set of papers is a Python ``int`` used as a bitset
  (bit i = paper i), so AND/OR/AND-NOT of whole posting lists run in C, and reading
  the lowest set bits of a mask yields papers already in tie order.
* Vocabulary: every distinct normalised token (casefolded, accents stripped; Korean
  words as whole runs of Hangul), split into a sorted non-Korean list (prefix ranges by
  bisect, typo matches with rapidfuzz over a length band) and a Korean list.  Each list
  is also kept as one ``"\\n"``-joined blob so substring / prefix scans are a C-speed
  ``str.find`` loop; Korean words have a parallel choseong blob (same offsets), which
  makes ``ㄱㅇ`` and half-typed syllables cheap to look up.
* Postings per field (title, authors, summary): sorted paper numbers; a token that
  occurs in at least 1/32 of the papers keeps a ready bitset instead.

A query term turns into *levels*: disjoint bitsets scored ``field base + quality``
(title 300 > authors 200 > summary 100; exact 30 > prefix 25 > typo/infix 15; an exact
arXiv id 530; terms of one or two letters get small bases 60/50/40 so they cannot
outweigh real words).  A paper's score is the sum over terms of its best level; the sum
is computed set-wise (dynamic programming over distinct partial sums), so ranking costs
a few hundred big-int ANDs however many papers match.  Papers with equal score come out
in tie order.  Phrase/state filters are then checked lazily in rank order, and the top
200 get a bonus (< one field step) when the words stand together as a phrase.
``Hit.score`` is the paper's score divided by the number of terms.

Term matching: non-Korean terms match vocabulary words exactly (plural/singular too),
as a prefix (bisect range), with a typo (rapidfuzz OSA distance 1, 2 from 8 letters,
over a length band of the vocabulary; also as a typo'd prefix) or inside a word
(blob scan) -- the last two from 4 letters.  Korean terms match word starts by the
regex of ``hangul.term_pattern`` (choseong, half-typed last syllable), candidates found
by ``str.find`` of the literal head or of the choseong skeleton; 2+ syllables also
match inside words; a glued term with no match (깊이추정) is retried as two words.
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import accumulate
from operator import itemgetter
from typing import Callable, Iterable

import orjson
from rapidfuzz import process
from rapidfuzz.distance import OSA

from . import hangul
from .authorindex import AuthorIndex
from .models import Paper
from .query import TOKEN_RE, Query, Term, normalize_text, parse_query

__all__ = ["Hit", "SearchIndex", "parse_query", "Query", "STATE_TESTS"]

FIELDS = ("title", "authors", "summary")
_BASE = {"id": 500, "title": 300, "date": 250, "authors": 200, "summary": 100}
_WEAK_BASE = {"title": 60, "authors": 50, "summary": 40}  # terms of 1-2 letters
Q_EXACT, Q_PREFIX, Q_FUZZY = 30, 25, 15
PHRASE_BONUS = {"title": 40, "authors": 30, "summary": 20}
_WINDOW = 200          # papers re-checked for the phrase bonus
_INFIX_CAP = 3000      # vocabulary entries an infix scan may add
_FUZZY_MIN = 4         # shortest term that gets typo tolerance / infix matches

# ---------------------------------------------------------------- reader-state hook
StateFn = Callable[[str], tuple]


def _is_test(st: tuple, value: str) -> bool | None:
    if value in ("unread", "new"):
        return not st[0]
    if value == "read":
        return bool(st[0])
    if value in ("bookmarked", "bookmark", "starred", "bm"):
        return bool(st[1])
    return None  # unknown is:VALUE -> ignored


# Filters on reader state, by key: test(state_tuple, value) -> bool, or None to ignore.
# ``state(id)`` returns (read, bookmarked) today.  To add ``tag:NAME`` / ``has:note``,
# let the Store return a longer tuple, e.g. (read, bookmarked, tags, has_note), and
# register  STATE_TESTS["tag"] = lambda st, v: v in st[2]
#           STATE_TESTS["has"] = lambda st, v: st[3] if v == "note" else None
# Flags whose key has no test yet (tag:, has:) are parsed and ignored.
STATE_TESTS: dict[str, Callable[[tuple, str], bool | None]] = {"is": _is_test}
_NO_STATE = (False, False)


@dataclass(slots=True)
class Hit:
    id: str
    score: float
    field: str                     # 'title' | 'authors' | 'summary' | 'id' | 'date'
    spans: list[tuple[int, int]]   # spans matched in the title, for highlighting
    snippet: str = ""              # excerpt of the author/summary text that matched


@dataclass(slots=True)
class _Match:
    """How one query term matches: disjoint levels, best first."""

    levels: list[tuple[int, int, str]]  # (score, bitset, field)
    total: int                           # every paper the term matches
    strict: int                          # exact/prefix matches only (for -term)
    pattern: re.Pattern | None           # finds the term in a text (spans, snippets)


# ---------------------------------------------------------------- bit helpers
_NONZERO = re.compile(rb"[^\x00]")
_BITS = [tuple(b for b in range(8) if v >> b & 1) for v in range(256)]


def _iter_bits(mask: int):
    """Set bits of ``mask`` in ascending order."""
    if not mask:
        return
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    for m in _NONZERO.finditer(data):
        base = m.start() * 8
        for b in _BITS[data[m.start()]]:
            yield base + b


_accent_fold = normalize_text  # casefold + Latin accents stripped, Hangul untouched


class SearchIndex:
    """Everything search needs; built from papers, persisted with ``to_bytes``."""

    def __init__(self) -> None:
        self.n = 0
        self.ids: list[str] = []
        self.titles: list[str] = []
        self.authors_: list[list[str]] = []
        self.summaries: list[str] = []
        self.dates: list[list[str]] = []
        self.votes: list[int | None] = []
        self.avocab: list[str] = []       # sorted non-Korean tokens; token id = position
        self.kvocab: list[str] = []       # Korean words; token id = len(avocab) + position
        self.kcho = ""                    # choseong blob parallel to the Korean blob
        self.offsets: list[array] = []    # per field: postings offsets by token id (V+1)
        self.postings: list[array] = []   # per field: flat sorted paper numbers
        self.dense: list[dict[int, int]] = []  # per field: token id -> bitset
        self._setup()

    # ------------------------------------------------------------ derived state
    def _setup(self) -> None:
        self.all = (1 << self.n) - 1
        self.atok = {t: i for i, t in enumerate(self.avocab)}
        self.ablob = "\n" + "\n".join(self.avocab) + "\n"
        self.kblob = "\n" + "\n".join(self.kvocab) + "\n"
        if not self.kcho:
            self.kcho = hangul.choseong(self.kblob)
        # start offset of each word in its blob (word i starts at starts[i])
        self.astarts = array("I", accumulate((len(t) + 1 for t in self.avocab), initial=1))
        self.kstarts = array("I", accumulate((len(t) + 1 for t in self.kvocab), initial=1))
        self.id_pos = {pid: i for i, pid in enumerate(self.ids)}
        self._cache: dict[tuple, _Match] = {}
        self._by_len: dict[int, list[str]] = {}
        for t in self.avocab:
            lst = self._by_len.get(len(t))
            if lst is None:
                lst = self._by_len[len(t)] = []
            lst.append(t)
        self._buckets: dict[int, list[str]] = {}
        self._prefixes: dict[tuple[int, str], list[str]] = {}
        self._date_index: tuple[list[str], dict[str, int]] | None = None
        self._id_sorted: tuple[list[str], list[int]] | None = None
        self._author_index: AuthorIndex | None = None
        self._folded: dict[tuple[int, int], str] = {}
        self._neg_votes: list[int] | None = None
        self._kstarts_map: dict[int, int] | None = None

    # ------------------------------------------------------------ building
    @classmethod
    def build(cls, papers: Iterable[Paper]) -> "SearchIndex":
        merged: dict[str, Paper] = {}
        dates: dict[str, list[str]] = {}
        for p in papers:
            old = merged.get(p.id)
            if old is None or (not old.bullets and p.bullets):
                merged[p.id] = p
            ds = dates.setdefault(p.id, [])
            for d in p.dates:
                if d not in ds:
                    ds.append(d)
        plist = list(merged.values())
        newest = {pid: max(ds) if ds else "" for pid, ds in dates.items()}
        plist.sort(key=lambda p: p.id)
        plist.sort(key=lambda p: newest[p.id], reverse=True)
        plist.sort(key=lambda p: -1 if p.votes is None else p.votes, reverse=True)

        self = cls.__new__(cls)
        self.n = len(plist)
        self.ids = [_clean(p.id) for p in plist]
        self.titles = [_clean(p.title or "") for p in plist]
        self.authors_ = [[_clean(a) for a in p.authors] for p in plist]
        self.summaries = [_clean(p.summary_text()) for p in plist]
        self.dates = [sorted(dates[p.id], reverse=True) for p in plist]
        self.votes = [p.votes for p in plist]

        findall = TOKEN_RE.findall
        tables: list[defaultdict[str, list[int]]] = []
        for f, texts in enumerate((self.titles, [", ".join(a) for a in self.authors_],
                                   self.summaries)):
            table: defaultdict[str, list[int]] = defaultdict(list)
            for doc, text in enumerate(texts):
                if text:
                    for tok in set(findall(normalize_text(text))):
                        table[tok].append(doc)  # docs ascending, each once
            tables.append(table)
        toks = sorted(set(tables[0]).union(tables[1], tables[2]))
        self.avocab = [t for t in toks if not hangul.is_hangul(t[0])]
        self.kvocab = [t for t in toks if hangul.is_hangul(t[0])]
        self.kcho = ""
        threshold = max(2, self.n // 32)
        empty: list[int] = []
        self.offsets, self.postings, self.dense = [], [], []
        for f in range(3):
            table = tables[f]
            lengths = [0]
            flat = array("I")
            dense: dict[int, int] = {}
            for tid, tok in enumerate(self.avocab + self.kvocab):
                docs = table.get(tok, empty)
                if len(docs) >= threshold:
                    dense[tid] = _mask_of(docs, self.n)
                else:
                    flat.extend(docs)
                lengths.append(len(flat))
            off = array("I", lengths)
            self.offsets.append(off)
            self.postings.append(flat)
            self.dense.append(dense)
        self._setup()
        return self

    # ------------------------------------------------------------ persistence
    _MAGIC = b"PAPERS-SEARCH\x02"

    def to_bytes(self) -> bytes:
        nbytes = (self.n + 7) // 8
        sections: list[tuple[str, bytes]] = [
            ("docs", orjson.dumps([self.ids, self.titles, self.authors_, self.summaries,
                                   self.dates, self.votes])),
            ("avocab", "\n".join(self.avocab).encode()),
            ("kvocab", "\n".join(self.kvocab).encode()),
            ("kcho", self.kcho.encode()),
        ]
        for f in range(3):
            ids = array("I", sorted(self.dense[f]))
            bits = b"".join(self.dense[f][t].to_bytes(nbytes, "little") for t in ids)
            sections += [(f"off{f}", self.offsets[f].tobytes()),
                         (f"post{f}", self.postings[f].tobytes()),
                         (f"dids{f}", ids.tobytes()), (f"dbits{f}", bits)]
        layout, pos = [], 0
        for name, data in sections:
            layout.append([name, pos, len(data)])
            pos += len(data)
        header = orjson.dumps({"n": self.n, "order": sys.byteorder, "layout": layout})
        return b"".join([self._MAGIC, len(header).to_bytes(4, "little"), header]
                        + [d for _, d in sections])

    @classmethod
    def from_bytes(cls, data: bytes) -> "SearchIndex":
        mv = memoryview(data)
        m = len(cls._MAGIC)
        if bytes(mv[:m]) != cls._MAGIC:
            raise ValueError("not a search index (or an older format)")
        hlen = int.from_bytes(mv[m:m + 4], "little")
        header = orjson.loads(mv[m + 4:m + 4 + hlen])
        base = m + 4 + hlen
        sec = {name: mv[base + off: base + off + ln] for name, off, ln in header["layout"]}
        swap = header["order"] != sys.byteorder

        def arr(name: str) -> array:
            a = array("I")
            a.frombytes(sec[name])
            if swap:
                a.byteswap()
            return a

        self = cls.__new__(cls)
        self.n = header["n"]
        (self.ids, self.titles, self.authors_, self.summaries, self.dates,
         self.votes) = orjson.loads(sec["docs"])
        av = bytes(sec["avocab"]).decode()
        kv = bytes(sec["kvocab"]).decode()
        self.avocab = av.split("\n") if av else []
        self.kvocab = kv.split("\n") if kv else []
        self.kcho = bytes(sec["kcho"]).decode()
        nbytes = (self.n + 7) // 8
        self.offsets, self.postings, self.dense = [], [], []
        for f in range(3):
            self.offsets.append(arr(f"off{f}"))
            self.postings.append(arr(f"post{f}"))
            ids = arr(f"dids{f}")
            bits = sec[f"dbits{f}"]
            frm = int.from_bytes
            self.dense.append({t: frm(bits[k * nbytes:(k + 1) * nbytes], "little")
                               for k, t in enumerate(ids)})
        if len(self.offsets[0]) != len(self.avocab) + len(self.kvocab) + 1:
            raise ValueError("damaged search index")
        self._setup()
        return self

    # ------------------------------------------------------------ masks
    def _union(self, f: int, tids: Iterable[int]) -> int:
        """Bitset of the papers where any of ``tids`` occurs in field ``f``."""
        dense = self.dense[f]
        off = self.offsets[f]
        post = self.postings[f]
        acc = 0
        ranges = []
        count = 0
        for t in tids:
            d = dense.get(t)
            if d is not None:
                acc |= d
                continue
            a, b = off[t], off[t + 1]
            if a != b:
                ranges.append((a, b))
                count += b - a
        if count == 1:
            acc |= 1 << post[ranges[0][0]]
        elif count * 32 < self.n:
            buf = bytearray((self.n + 7) // 8)
            bit = _BIT
            for a, b in ranges:
                for i in post[a:b]:
                    buf[i >> 3] |= bit[i & 7]
            acc |= int.from_bytes(buf, "little")
        elif count:
            s = bytearray(b"0") * self.n
            for a, b in ranges:
                for i in post[a:b]:
                    s[i] = 49
            s.reverse()
            acc |= int(s, 2)
        return acc

    def _docs_mask(self, docs: list[int]) -> int:
        return _mask_of(docs, self.n) if docs else 0

    # ------------------------------------------------------------ term matching
    def _vocab_ascii(self, term: str) -> tuple[dict[int, set[int]], list[str], bool]:
        """Token ids matching ``term`` by quality; the word starts that matched (for
        highlighting); whether it matched inside a word."""
        avocab = self.avocab
        exact: set[int] = set()
        for cand in _variants(term):
            t = self.atok.get(cand)
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
            for tok, _, _ in process.extract(term, self._bucket(len(term), k),
                                             scorer=OSA.distance, score_cutoff=k, limit=None):
                t = self.atok[tok]
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
            inner = [t for t in self._blob_find(self.ablob, self.astarts, term, infix=True)
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
        kblob, base = self.kblob, len(self.avocab)
        exact: set[int] = set()
        prefix: set[int] = set()
        infix: set[int] = set()
        for infix_mode in (False, True):
            if infix_mode and len(term) < 2:
                break
            if head:
                cands = self._find_all(kblob, head if infix_mode else "\n" + head)
            else:
                cands = self._find_all(self.kcho, (hangul.skeleton(term) if infix_mode
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
                    infix.add(base + bisect_right(self.kstarts, start) - 1)
                    if len(infix) > _INFIX_CAP:
                        break
                elif kblob[end] == "\n" or len(term) >= 2:
                    exact.add(base + starts[start])
                else:
                    prefix.add(base + starts[start])
        return {Q_EXACT: exact, Q_PREFIX: prefix, Q_FUZZY: infix}

    def _kstart_index(self) -> dict[int, int]:
        """Blob offset of each Korean word's start -> word number."""
        if self._kstarts_map is None:
            self._kstarts_map = {p: i for i, p in enumerate(self.kstarts[:-1])}
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

    def _bucket(self, length: int, k: int) -> list[str]:
        key = length * 8 + k
        b = self._buckets.get(key)
        if b is None:
            b = []
            for ln in range(length - k, length + k + 1):
                b.extend(self._by_len.get(ln, ()))
            self._buckets[key] = b
        return b

    def _prefix_list(self, plen: int, first: str) -> list[str]:
        """Distinct ``plen``-long prefixes of the vocabulary words starting with ``first``."""
        key = (plen, first)
        b = self._prefixes.get(key)
        if b is None:
            lo = bisect_left(self.avocab, first)
            hi = bisect_left(self.avocab, first + "\U0010ffff", lo)
            # sorted vocabulary -> its prefixes come out sorted; dict.fromkeys dedupes
            b = list(dict.fromkeys(map(itemgetter(slice(0, plen)), self.avocab[lo:hi])))
            self._prefixes[key] = b
        return b

    def _match(self, term: Term) -> _Match:
        key = (term.text, term.field, term.korean)
        m = self._cache.get(key)
        if m is not None:
            return m
        if term.field == "id":
            m = self._match_id(term.text)
        elif term.field == "date":
            mask = self._date_prefix_mask(term.text)
            m = _Match([(_BASE["date"] + Q_EXACT, mask, "date")] if mask else [], mask, mask,
                       None)
        else:
            m = self._match_text(term)
        if len(self._cache) > 512:
            self._cache.clear()
        self._cache[key] = m
        return m

    def _match_text(self, term: Term) -> _Match:
        if term.korean:
            by_q = self._vocab_korean(term.text)
            pattern = re.compile(hangul.term_pattern(term.text))
        else:
            by_q, whole, infix = self._vocab_ascii(term.text)
            alts = sorted(set(whole), key=len, reverse=True)[:40] + [term.text]
            src = "(?<![^\\W_])(?:" + "|".join(map(re.escape, alts)) + ")"
            if infix:
                src += "|" + re.escape(term.text)
            pattern = re.compile(src, re.I)
        fields = range(3) if term.field is None else (FIELDS.index(term.field),)
        # A term of one or two letters (one Korean letter/syllable) says little: "he" in
        # "Heterogeneous" must not outrank a whole word elsewhere, so its matches get
        # small weights (still title > authors > summary among themselves).
        weak = len(term.text) <= (1 if term.korean else 2)
        raw: list[tuple[int, int, str, bool]] = []
        for f in fields:
            base = _BASE[FIELDS[f]]
            for q, tids in by_q.items():
                if tids:
                    mask = self._union(f, tids)
                    if mask:
                        b = _WEAK_BASE[FIELDS[f]] if weak else base
                        raw.append((b + q, mask, FIELDS[f], q != Q_FUZZY))
        raw.sort(key=lambda x: -x[0])
        levels, seen, strict = [], 0, 0
        for score, mask, fname, is_strict in raw:
            if is_strict:
                strict |= mask
            mask &= ~seen
            if mask:
                levels.append((score, mask, fname))
                seen |= mask
        return _Match(levels, seen, strict, pattern)

    def _match_id(self, text: str) -> _Match:
        if self._id_sorted is None:
            folded = [pid.casefold() for pid in self.ids]
            order = sorted(range(self.n), key=folded.__getitem__)
            self._id_sorted = ([folded[i] for i in order], order)
        keys, docs = self._id_sorted
        lo = bisect_left(keys, text)
        hi = bisect_left(keys, text + "\U0010ffff", lo)
        exact = [docs[i] for i in range(lo, hi) if keys[i] == text]
        rest = [docs[i] for i in range(lo, hi) if keys[i] != text]
        levels = []
        em = self._docs_mask(exact) if exact else 0
        pm = self._docs_mask(rest) if rest else 0
        if em:
            levels.append((_BASE["id"] + Q_EXACT, em, "id"))
        if pm:
            levels.append((_BASE["id"] + Q_PREFIX, pm, "id"))
        return _Match(levels, em | pm, em | pm, None)

    # ------------------------------------------------------------ filters
    def _dates(self) -> tuple[list[str], dict[str, int]]:
        if self._date_index is None:
            by_date: dict[str, list[int]] = {}
            for i, ds in enumerate(self.dates):
                for d in ds:
                    by_date.setdefault(d, []).append(i)
            keys = sorted(by_date)
            self._date_index = (keys, {d: self._docs_mask(by_date[d]) for d in keys})
        return self._date_index

    def _date_prefix_mask(self, prefix: str) -> int:
        keys, masks = self._dates()
        lo = bisect_left(keys, prefix)
        hi = bisect_left(keys, prefix + "\uffff", lo)
        acc = 0
        for d in keys[lo:hi]:
            acc |= masks[d]
        return acc

    def _date_bound_mask(self, op: str, value: str) -> int:
        keys, masks = self._dates()
        n = len(value)
        test = {">": lambda d: d[:n] > value, ">=": lambda d: d[:n] >= value,
                "<": lambda d: d[:n] < value, "<=": lambda d: d[:n] <= value,
                "=": lambda d: d.startswith(value)}.get(op)
        acc = 0
        if test is not None:
            for d in keys:
                if test(d):
                    acc |= masks[d]
        return acc

    def _votes_mask(self, op: str, x: int) -> int:
        if self._neg_votes is None:  # votes are descending, None last
            self._neg_votes = [-v for v in self.votes if v is not None]
        neg = self._neg_votes  # ascending
        known = len(neg)

        def first_le(y: int) -> int:   # first index with votes <= y
            return bisect_left(neg, -y)

        def first_lt(y: int) -> int:   # first index with votes < y
            return bisect_right(neg, -y)

        if op == ">":
            lo, hi = 0, first_le(x)
        elif op == ">=":
            lo, hi = 0, first_lt(x)
        elif op == "<":
            lo, hi = first_lt(x), known
        elif op == "<=":
            lo, hi = first_le(x), known
        else:  # '='
            lo, hi = first_le(x), first_lt(x)
        if hi <= lo:
            return 0
        return ((1 << hi) - 1) & ~((1 << lo) - 1)

    def _filter_mask(self, q: Query) -> int:
        mask = self.all
        if q.dates:
            acc = 0
            for d in q.dates:
                acc |= self._date_prefix_mask(d)
            mask &= acc
        for op, v in q.date_bounds:
            mask &= self._date_bound_mask(op, v)
        for op, x in q.votes:
            mask &= self._votes_mask(op, x)
        return mask

    # ------------------------------------------------------------ search
    def search(self, query: str, limit: int = 50, *,
               state: StateFn | None = None) -> list[Hit]:
        q = query if isinstance(query, Query) else parse_query(query)
        if q.is_empty() or limit <= 0 or self.n == 0:
            return []
        cand = self._filter_mask(q)
        pos_terms = self._split_glued(_dedupe(q.positive_terms))
        matches = [self._match(t) for t in pos_terms]
        for m in matches:
            cand &= m.total
            if not cand:
                return []
        for t in q.terms:
            if t.negate:
                cand &= ~self._match(t).strict
        if not cand:
            return []

        # Sum of best levels per paper, set-wise: states (partial score -> bitset).
        states: dict[int, int] = {0: cand}
        for m in sorted(matches, key=lambda m: m.total.bit_count()):
            nxt: dict[int, int] = {}
            for s, sm in states.items():
                for ls, lm, _ in m.levels:
                    x = sm & lm
                    if x:
                        k = s + ls
                        nxt[k] = nxt.get(k, 0) | x
            states = nxt

        checks = self._lazy_checks(q, state)
        nterms = max(1, len(pos_terms))
        window = max(limit, _WINDOW) if len(pos_terms) >= 2 else limit
        picked: list[tuple[float, int]] = []
        for s in sorted(states, reverse=True):
            for doc in _iter_bits(states[s]):
                if checks and not all(c(doc) for c in checks):
                    continue
                picked.append((s, doc))
                if len(picked) >= window:
                    break
            if len(picked) >= window:
                break

        rx = None
        if len(pos_terms) >= 2:
            words = [t for t in pos_terms if t.field not in ("id", "date")]
            rx = self._phrase_regex(words)
            if rx is not None:
                # Korean-only patterns have no case: search the stored text as it is
                fold = not all(t.korean for t in words)
                picked = [(s + self._phrase_bonus(rx, doc, fold), doc) for s, doc in picked]
                picked.sort(key=lambda x: (-x[0], x[1]))
        picked = picked[:limit]
        return [self._hit(doc, s / nterms, pos_terms, matches, q, rx) for s, doc in picked]

    def _split_glued(self, terms: list[Term]) -> list[Term]:
        """A Korean term with no match at all, typed without a space (깊이추정), is tried
        as two words (깊이 추정) that must both match; the phrase bonus then prefers
        papers where they stand together."""
        out: list[Term] = []
        for t in terms:
            if t.korean and len(t.text) >= 3 and not self._match(t).total:
                n = len(t.text)
                for i in sorted(range(1, n), key=lambda i: abs(n - 2 * i)):
                    a = Term(t.text[:i], t.field, True)
                    b = Term(t.text[i:], t.field, True)
                    if self._match(a).total & self._match(b).total:
                        out += [a, b]
                        break
                else:
                    out.append(t)
            else:
                out.append(t)
        return out

    def _lazy_checks(self, q: Query, state: StateFn | None) -> list[Callable[[int], bool]]:
        checks: list[Callable[[int], bool]] = []
        flags = [(STATE_TESTS[f.key], f) for f in q.flags if f.key in STATE_TESTS]
        if flags:
            ids = self.ids

            def state_ok(doc: int) -> bool:
                st = state(ids[doc]) if state is not None else _NO_STATE
                for test, f in flags:
                    r = test(st, f.value)
                    if r is not None and bool(r) == f.negate:
                        return False
                return True

            checks.append(state_ok)
        for ph in q.phrases:
            words = [Term(w, ph.field, hangul.is_hangul(w[0])) for w in ph.words]
            rx = self._phrase_regex(words)
            if rx is None:
                continue
            fields = FIELDS if ph.field is None else (ph.field,)
            text = self._raw_text if all(t.korean for t in words) else self._folded_text

            def phrase_ok(doc: int, rx=rx, fields=fields, neg=ph.negate, text=text) -> bool:
                hit = any(rx.search(text(doc, f)) for f in fields)
                return hit != neg

            checks.append(phrase_ok)
        return checks

    def _folded_text(self, doc: int, fname: str) -> str:
        if fname == "title":
            text = self.titles[doc]
        elif fname == "authors":
            text = ", ".join(self.authors_[doc])
        else:
            text = self.summaries[doc]
        if text.isascii():
            return text.lower()
        key = (doc, FIELDS.index(fname))
        out = self._folded.get(key)
        if out is None:
            if len(self._folded) > 4096:
                self._folded.clear()
            out = self._folded[key] = _accent_fold(text)
        return out

    @staticmethod
    def _phrase_regex(terms: list[Term]) -> re.Pattern | None:
        if len(terms) < 2:
            return None
        parts = []
        for t in terms:
            if t.korean:
                parts.append(f"(?<![{hangul.HANGUL_CLASS}])" + hangul.term_pattern(t.text))
            else:
                # literal first (fast scan), then "not inside a word" as a lookbehind
                w = re.escape(t.text)
                parts.append(f"{w}(?<![^\\W_]{w})")
        return re.compile("[^\\W_]*[\\W_]+".join(parts))

    def _phrase_bonus(self, rx: re.Pattern, doc: int, fold: bool) -> int:
        text = self._folded_text if fold else self._raw_text
        for fname in FIELDS:
            if rx.search(text(doc, fname)):
                return PHRASE_BONUS[fname]
        return 0

    def _raw_text(self, doc: int, fname: str) -> str:
        if fname == "title":
            return self.titles[doc]
        if fname == "authors":
            return ", ".join(self.authors_[doc])
        return self.summaries[doc]

    # ------------------------------------------------------------ hits
    def _hit(self, doc: int, score: float, terms: list[Term], matches: list[_Match],
             q: Query, phrase: re.Pattern | None = None) -> Hit:
        best_field, best_score = None, -1
        other: tuple[str, re.Pattern | None] | None = None
        for t, m in zip(terms, matches):
            for ls, lm, fname in m.levels:
                if lm >> doc & 1:
                    if ls > best_score:
                        best_field, best_score = fname, ls
                    if fname in ("authors", "summary") and other is None:
                        other = (fname, m.pattern)
                    break
        if best_field is None:
            best_field = "date" if (q.dates or q.date_bounds) else "title"
        title = self.titles[doc]
        spans: list[tuple[int, int]] = []
        for t, m in zip(terms, matches):
            if m.pattern is not None and t.field in (None, "title"):
                spans.extend(mt.span() for mt in m.pattern.finditer(title) if mt.end() > mt.start())
        snippet = ""
        if other is not None and other[1] is not None:
            if other[0] == "summary" and phrase is not None:
                snippet = self._snippet(doc, "summary", phrase)
            if not snippet:
                snippet = self._snippet(doc, other[0], other[1])
        return Hit(self.ids[doc], float(score), best_field, _merge_spans(spans), snippet)

    def _snippet(self, doc: int, fname: str, rx: re.Pattern, width: int = 90) -> str:
        if fname == "authors":
            for name in self.authors_[doc]:
                if rx.search(name) or rx.search(_accent_fold(name)):
                    return name
            return ""
        text = self.summaries[doc]
        folded = self._folded_text(doc, "summary")  # what phrase patterns expect
        mt = rx.search(folded) if len(folded) == len(text) else None
        if mt is None:
            mt = rx.search(text)
        if mt is None:
            return ""
        ls = text.rfind("\n", 0, mt.start()) + 1
        le = text.find("\n", mt.end())
        if le < 0:
            le = len(text)
        start = max(ls, mt.start() - width // 3)
        end = min(le, start + width)
        if end - start < width:
            start = max(ls, end - width)
        out = text[start:end].strip()
        return ("…" if start > ls else "") + out + ("…" if end < le else "")

    # ------------------------------------------------------------ authors
    def _authors_index(self) -> AuthorIndex:
        if self._author_index is None:
            self._author_index = AuthorIndex(self.authors_, [d[0] if d else "" for d in self.dates])
        return self._author_index

    def authors(self) -> list[tuple[str, int]]:
        """Every distinct author with their paper count, most papers first."""
        return self._authors_index().counts()

    def search_authors(self, query: str, limit: int = 50) -> list[tuple[str, int]]:
        """Author names matching ``query`` (each word: exact, prefix or typo), best first."""
        return self._authors_index().search(query, limit)

    def papers_by_author(self, name: str) -> list[str]:
        """Ids of ``name``'s papers, newest first."""
        return [self.ids[d] for d in self._authors_index().papers(name)]

    # ------------------------------------------------------------ misc
    def __len__(self) -> int:
        return self.n

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self.id_pos


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    """Lone surrogates (not UTF-8 encodable) -> U+FFFD, so the index always persists."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _dedupe(terms: list[Term]) -> list[Term]:
    """Drop repeated terms (same text, field): they would only scale every score."""
    seen: set[tuple] = set()
    out = []
    for t in terms:
        key = (t.text, t.field, t.korean)
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


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


def _mask_of(docs, n: int) -> int:
    """Bitset of ``docs`` (paper numbers below ``n``)."""
    if len(docs) * 32 < n:  # sparse: set bits in an n/8-byte buffer
        b = bytearray((n + 7) // 8)
        for i in docs:
            b[i >> 3] |= _BIT[i & 7]
        return int.from_bytes(b, "little")
    s = bytearray(b"0") * n  # dense: one ASCII digit per paper, parsed in C
    for i in docs:
        s[i] = 49
    s.reverse()
    return int(s, 2)


_BIT = [1 << b for b in range(8)]


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out
