"""The index format: papers in tie order, vocabulary, postings; built and persisted.

* Papers are numbered in *tie order*: more votes first (no votes last), then the
  newer day, then the id.  A set of papers is a Python ``int`` used as a bitset
  (``bits.py``), so reading the lowest set bits of a mask yields papers in tie order.
* Vocabulary: every distinct normalised token (casefolded, accents stripped; Korean
  words as whole runs of Hangul), split into a sorted non-Korean list and a Korean
  list, each also kept as one ``"\\n"``-joined blob for C-speed ``str.find`` scans;
  Korean words have a parallel choseong blob (same offsets).
* Postings per field (title, authors, summary): sorted paper numbers; a token that
  occurs in at least 1/32 of the papers keeps a ready bitset instead.

Matching terms against it is ``terms.py``; ranking ``ranking.py``; hits ``hits.py``.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections import defaultdict
from itertools import accumulate
from typing import Iterable

import zlib

import orjson

from .. import hangul
from .authors import AuthorIndex
from ..models import Paper
from .bits import BIT, mask_of
from .docstore import Authors, DocStore, Field, make_zdict, pack_authors, pack_records
from . import ranking
from .filters import Filters
from .glossary import mine_glossary
from .query import FIELDS, TOKEN_RE, normalize_text
from .terms import TermMatcher


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
        self.gloss_en: dict[str, list[str]] = {}  # "reinforcement learning" -> ["강화 학습"]
        self.gloss_ko: dict[str, list[str]] = {}  # "강화학습" -> ["reinforcement learning"]
        self._setup()

    # ------------------------------------------------------------ derived state
    def _setup(self) -> None:
        if not hasattr(self, "gloss_en"):  # made field by field (an incremental update)
            self.gloss_en, self.gloss_ko = mine_glossary(list(self.summaries))
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
        self._author_index: AuthorIndex | None = None
        self._folded: dict[tuple[int, int], str] = {}
        self._avg: dict[str, float] = {}
        # helpers over this index, each with its own lazy caches
        self.terms = TermMatcher(self)
        self.filters = Filters(self)

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
        self.gloss_en, self.gloss_ko = mine_glossary(self.summaries)
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
                    dense[tid] = mask_of(docs, self.n)
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
    # Sections are written one after another; the header lists (name, offset, length,
    # compressed).  Texts live in a ``DocStore`` (per-paper compressed records) and are
    # never decoded at load; postings and vocabulary are zlib-compressed whole.
    _MAGIC = b"PAPERS-SEARCH\x04"

    def to_bytes(self) -> bytes:
        nbytes = (self.n + 7) // 8
        summaries = list(self.summaries)
        zdict = make_zdict(summaries)
        recs, roff = pack_records(list(self.titles), summaries, zdict)
        ablob, aoff = pack_authors(list(self.authors_))
        sections: list[tuple[str, bytes, bool]] = [
            ("meta", orjson.dumps([self.ids, self.dates, self.votes]), True),
            ("zdict", zdict, False),
            ("recs", recs, False),
            ("roff", roff.tobytes(), True),
            ("authors", ablob, True),
            ("aoff", aoff.tobytes(), True),
            ("avocab", "\n".join(self.avocab).encode(), True),
            ("kvocab", "\n".join(self.kvocab).encode(), True),
            ("gloss", orjson.dumps([self.gloss_en, self.gloss_ko]), True),
        ]
        code = _post_code(self.n)
        for f in range(3):
            ids = array("I", sorted(self.dense[f]))
            bits = b"".join(self.dense[f][t].to_bytes(nbytes, "little") for t in ids)
            post = self.postings[f] if self.postings[f].typecode == code else \
                array(code, self.postings[f])
            sections += [(f"off{f}", self.offsets[f].tobytes(), True),
                         (f"post{f}", post.tobytes(), True),
                         (f"dids{f}", ids.tobytes(), True), (f"dbits{f}", bits, True)]
        layout, pos, blobs = [], 0, []
        for name, data, pack in sections:
            if pack:
                data = zlib.compress(data, 6)
            layout.append([name, pos, len(data), pack])
            blobs.append(data)
            pos += len(data)
        avg = {f: self.avg_len(f) for f in FIELDS}
        header = orjson.dumps({"n": self.n, "order": sys.byteorder, "layout": layout,
                               "avg": avg})
        return b"".join([self._MAGIC, len(header).to_bytes(4, "little"), header] + blobs)

    @classmethod
    def from_bytes(cls, data: bytes) -> "SearchIndex":
        mv = memoryview(data)
        m = len(cls._MAGIC)
        if bytes(mv[:m]) != cls._MAGIC:
            raise ValueError("not a search index (or an older format)")
        hlen = int.from_bytes(mv[m:m + 4], "little")
        header = orjson.loads(mv[m + 4:m + 4 + hlen])
        base = m + 4 + hlen
        swap = header["order"] != sys.byteorder
        raw = {name: (mv[base + off: base + off + ln], pack)
               for name, off, ln, pack in header["layout"]}

        def sec(name: str):
            view, pack = raw[name]
            return zlib.decompress(view) if pack else view

        def arr(name: str, code: str = "I") -> array:
            a = array(code)
            a.frombytes(sec(name))
            if swap:
                a.byteswap()
            return a

        self = cls.__new__(cls)
        self.n = header["n"]
        self.ids, self.dates, self.votes = orjson.loads(sec("meta"))
        docs = DocStore(sec("recs"), arr("roff", "Q"), bytes(sec("zdict")))
        self.titles, self.summaries = Field(docs, 0), Field(docs, 1)
        self.authors_ = Authors(lambda: sec("authors").decode(), arr("aoff", "Q"))
        av = sec("avocab").decode()
        kv = sec("kvocab").decode()
        self.avocab = av.split("\n") if av else []
        self.kvocab = kv.split("\n") if kv else []
        self.kcho = ""  # made from the Korean words by _setup (a few ms)
        self.gloss_en, self.gloss_ko = orjson.loads(sec("gloss"))
        nbytes = (self.n + 7) // 8
        self.offsets, self.postings, self.dense = [], [], []
        code = _post_code(self.n)
        for f in range(3):
            self.offsets.append(arr(f"off{f}"))
            self.postings.append(arr(f"post{f}", code))
            self.dense.append(DenseBits(arr(f"dids{f}"), sec(f"dbits{f}"), nbytes))
        if len(self.offsets[0]) != len(self.avocab) + len(self.kvocab) + 1 or \
                len(docs) != self.n:
            raise ValueError("damaged search index")
        self._setup()
        self._avg = dict(header.get("avg") or {})
        return self

    # ------------------------------------------------------------ masks
    def union(self, f: int, tids: Iterable[int]) -> int:
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
            bit = BIT
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

    def docs_mask(self, docs: list[int]) -> int:
        return mask_of(docs, self.n) if docs else 0

    # ------------------------------------------------------------ text of a field
    def folded_text(self, doc: int, fname: str) -> str:
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
            out = self._folded[key] = normalize_text(text)
        return out


    def avg_len(self, fname: str) -> float:
        """Mean length of field ``fname`` (for relevance), computed once."""
        avg = self._avg.get(fname)
        if avg is None:
            if fname == "authors":
                total = sum(len(", ".join(a)) for a in self.authors_)
            else:
                total = sum(map(len, self.titles if fname == "title" else self.summaries))
            avg = self._avg[fname] = max(1.0, total / max(1, self.n))
        return avg

    def raw_text(self, doc: int, fname: str) -> str:
        if fname == "title":
            return self.titles[doc]
        if fname == "authors":
            return ", ".join(self.authors_[doc])
        return self.summaries[doc]


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

    def warm(self) -> None:
        """Decode what the first keystrokes need (sections, caches), off the UI thread."""
        self.authors_[0:1]
        for f in range(3):
            for t in list(self.dense[f])[:1]:
                self.dense[f].get(t)
        self.terms.warm()
        self.search("a", 1)

    # ------------------------------------------------------------ searching
    def search(self, query, limit: int = 50, *, state=None):
        """Ranked ``Hit`` list for ``query`` (a string or a parsed ``Query``); see
        ``ranking.search``.  Not thread-safe: ``Engine`` serialises calls."""
        return ranking.search(self, query, limit, state=state)

    def __len__(self) -> int:
        return self.n

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self.id_pos


def _post_code(n: int) -> str:
    """Paper numbers fit two bytes up to 65,536 papers."""
    return "H" if n <= 0xFFFF else "I"


class DenseBits(dict):
    """Token id -> bitset of the papers, for the commonest tokens; each bitset made
    from its bytes the first time it is asked for."""

    def __init__(self, ids: array, bits, nbytes: int) -> None:
        super().__init__()
        self._where = {t: k for k, t in enumerate(ids)}
        self._bits, self._nbytes = bits, nbytes

    def get(self, t, default=None):
        v = dict.get(self, t)
        if v is None:
            k = self._where.get(t)
            if k is None:
                return default
            nb = self._nbytes
            v = int.from_bytes(self._bits[k * nb:(k + 1) * nb], "little")
            self[t] = v
        return v

    def __contains__(self, t) -> bool:
        return t in self._where

    def __getitem__(self, t):
        v = self.get(t)
        if v is None:
            raise KeyError(t)
        return v

    def __iter__(self):
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def keys(self):  # type: ignore[override]
        return self._where.keys()

    def items(self):  # type: ignore[override]
        return [(t, self.get(t)) for t in self._where]

    def values(self):  # type: ignore[override]
        return [self.get(t) for t in self._where]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    """Lone surrogates (not UTF-8 encodable) -> U+FFFD, so the index always persists."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text
