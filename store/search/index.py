"""The index format: papers in tie order, vocabulary, postings; built and persisted.

* Papers are numbered in *tie order*: more votes first (no votes last), then the
  newer day, then the id.  A set of papers is a Python ``int`` used as a bitset
  (``bits.py``), so reading the lowest set bits of a mask yields papers in tie order.
* Vocabulary: every distinct normalised token (casefolded, accents stripped; Korean
  words as whole runs of Hangul), split into a sorted non-Korean list and a Korean
  list, each also kept as one ``"\\n"``-joined blob for C-speed ``str.find`` scans;
  Korean words have a parallel choseong blob (same offsets).
* Postings per field (title, authors, summary): sorted paper numbers; a token that
  occurs in at least 1/32 of the papers keeps a ready bitset instead.  On disk a
  field's numbers are written byte plane by byte plane (every number's high byte, then
  every low byte: sorted lists make long runs of high bytes) and compressed: 28% smaller
  than the numbers as they are, and put back together in C on first use (``planes.py``).

Matching terms against it is ``terms.py``; ranking ``ranking.py``; hits ``hits.py``.
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict
from collections.abc import Iterable
from itertools import accumulate, chain
from itertools import count as counting
from operator import add

import orjson

from .. import hangul
from ..models import Paper
from . import ranking
from .authors import AuthorIndex
from .bits import BIT, mask_of
from .docstore import Authors, DocStore, Field, Packing, pack_authors
from .filters import Filters
from .glossary import GlossCounts, GlossMap, mine_glossary  # noqa: F401 (mine_glossary: API)
from .planes import later_planes, post_code, post_section
from .query import FIELDS, TOKEN_RE, normalize_text
from .sections import DenseBits, Lines, Rows, Sections, SortedIds, as_array, open_file, pack_offsets
from .sections import write as sections_write
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
        self.postings: list = []          # per field: flat sorted paper numbers (or
                                          # a function reading them: see _post)
        self.dense: list[dict[int, int]] = []  # per field: token id -> bitset
        self._gloss: list | None = [{}, {}]  # gloss_en, gloss_ko (see the properties)
        self._docs: DocStore | None = None   # the compressed records (made on demand)
        self._gcounts: GlossCounts | None = GlossCounts()  # the glossary's pair counts
        self._setup()

    # ------------------------------------------------------------ derived state
    def _setup(self) -> None:
        self.all = (1 << self.n) - 1
        self.atok = SortedIds(self.avocab)
        self.ablob = "\n" + "\n".join(self.avocab) + "\n"
        self.kblob = "\n" + "\n".join(self.kvocab) + "\n"
        # start offset of each word in its blob (word i starts at starts[i])
        self.astarts = _starts(self.avocab)
        self.kstarts = _starts(self.kvocab)
        self._author_index: AuthorIndex | None = None
        self._folded: dict[tuple[int, int], str] = {}
        self._avg: dict[str, float] = {}
        if not hasattr(self, "_total"):
            self._total: dict[str, int] = {}  # field -> its length over every paper
        # helpers over this index, each with its own lazy caches
        self.terms = TermMatcher(self)
        self.filters = Filters(self)

    # ------------------------------------------------------------ building
    @classmethod
    def build(cls, papers: Iterable[Paper]) -> SearchIndex:
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

        # the records are compressed in a thread meanwhile (zlib lets go of the GIL)
        self._docs = None
        self._packing = Packing(self.titles, self.summaries)
        findall = TOKEN_RE.findall
        tables: list[defaultdict[str, list[int]]] = []
        for texts in (self.titles, [", ".join(a) for a in self.authors_], self.summaries):
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
        self._gcounts = GlossCounts.of(self.summaries)
        self.gloss_en, self.gloss_ko = self._gcounts.maps()
        threshold = max(2, self.n // 32)
        tid = {t: i for i, t in enumerate(self.avocab + self.kvocab)}
        zeros = bytes(4 * (len(tid) + 1))
        self.offsets, self.postings, self.dense = [], [], []
        for f in range(3):
            table = tables[f]
            counts = array("I", zeros)
            dense: dict[int, int] = {}
            lists = []
            for tok in sorted(table, key=tid.__getitem__):  # this field's words only
                docs, t = table[tok], tid[tok]
                if len(docs) >= threshold:
                    dense[t] = mask_of(docs, self.n)
                else:
                    counts[t + 1] = len(docs)
                    lists.append(docs)
            self.offsets.append(array("I", accumulate(counts)))
            self.postings.append(array("I", chain.from_iterable(lists)))
            self.dense.append(dense)
        self._setup()
        return self

    # ------------------------------------------------------------ persistence
    # Named sections after a header (``sections.py``), read from a memory map.  Texts
    # live in a ``DocStore`` (per-paper compressed records) and are never decoded at
    # load; the rest is zlib-compressed by section, and what a plain search does not
    # need (the postings too) is decompressed when first used.  The
    # glossary's pair counts (``gcount``) are read only by an update.
    _MAGIC = b"PAPERS-SEARCH\x10"

    @property
    def docs(self) -> DocStore:
        """The compressed records of the titles and summaries."""
        if self._docs is None:
            packing = getattr(self, "_packing", None)
            self._packing = None
            self._docs = packing.result() if packing is not None else \
                DocStore.pack(self.titles, self.summaries)
        return self._docs

    @property
    def gloss_counts(self) -> GlossCounts:
        if self._gcounts is None:
            self._gcounts = GlossCounts.of(self.summaries)
        elif callable(self._gcounts):  # persisted: read on first use
            self._gcounts = self._gcounts()
        return self._gcounts

    def to_bytes(self) -> bytes:
        nbytes = (self.n + 7) // 8
        recs, roff = self.docs.to_bytes()
        if isinstance(self.authors_, Authors):
            ablob, aoff = self.authors_.packed()
        else:
            ablob, aoff = pack_authors(self.authors_)
        # zlib level 4: within 2% of level 6's size in half the time (6 for the offsets,
        # small and a third smaller at 6).  The postings: byte planes (``planes.py``),
        # decompressed when a search first needs them
        sections: list[tuple[str, bytes, int | None]] = [
            ("ids", "\n".join(self.ids).encode(), 4),  # (a Lines: its text again)
            ("idoff", pack_offsets(Lines.starts_of(self.ids)), 6),
            ("votes", orjson.dumps(self.votes), 4),
            ("dates", Rows.pack(self.dates), 4),
            ("recs", recs, None),
            ("roff", pack_offsets(roff), 6),
            ("authors", ablob, 4),
            ("aoff", pack_offsets(aoff), 6),
            ("avocab", "\n".join(self.avocab).encode(), 4),
            ("kvocab", "\n".join(self.kvocab).encode("utf-16-le"), 4),  # Hangul: 2 bytes
            ("gloss", "\n\x1d\n".join([GlossMap.pack(self.gloss_en),
                                         GlossMap.pack(self.gloss_ko)]).encode(), 4),
            ("gcount", self.gloss_counts.to_bytes(), 4),
        ]
        code = post_code(self.n)
        for f in range(3):
            ids = array("I", sorted(self.dense[f]))
            bits, boff = DenseBits.pack([self.dense[f][t] for t in ids], nbytes)
            sections += [(f"off{f}", pack_offsets(self.offsets[f]), 6),
                         post_section(f, as_array(self._post(f), code), self.n),
                         (f"dids{f}", ids.tobytes(), 4), (f"dbits{f}", bits, None),
                         (f"dboff{f}", pack_offsets(boff), 6)]
        return sections_write(self._MAGIC, {"n": self.n, "lengths": [
            self.total_len(f) for f in FIELDS]}, sections)

    @classmethod
    def open(cls, path, *, derived: bool = True) -> SearchIndex:
        """The index in file ``path``, memory-mapped (see ``sections.py``)."""
        return cls.from_bytes(open_file(path), derived=derived)

    @classmethod
    def from_bytes(cls, data, *, derived: bool = True) -> SearchIndex:
        """The index persisted in ``data``; ``derived=False`` skips what only searching
        needs (word blobs, matchers), for an index that is only to be updated.  What
        a search may never need (authors, dates, the glossary, the dense bitsets, the
        glossary's counts) is decompressed when first asked for."""
        sec = Sections(data, cls._MAGIC)
        header = sec.header
        self = cls.__new__(cls)
        self.n = header["n"]
        ids = sec.get("ids").decode()
        self.ids = Lines(ids, sec.offsets("idoff")) if self.n else []
        if self.n and Lines.starts_of(self.ids)[-1] != len(ids) + 1:
            raise ValueError("damaged search index (ids)")
        self.votes = orjson.loads(sec.get("votes"))
        self.dates = Rows(lambda: sec.get("dates").decode())
        docs = self._docs = DocStore(sec.get("recs"), sec.offsets("roff", "Q"))
        self.titles, self.summaries = Field(docs, 0), Field(docs, 1)
        self._gcounts = lambda: GlossCounts.from_bytes(sec.get("gcount"))
        self.authors_ = Authors(sec.later("authors"), sec.offsets("aoff", "Q"))
        av = sec.get("avocab").decode()
        kv = sec.get("kvocab").decode("utf-16-le")
        self.avocab = av.split("\n") if av else []
        self.kvocab = kv.split("\n") if kv else []
        self.kcho = ""  # made from the Korean words when first used (a few ms)
        self._gloss = lambda: list(map(GlossMap, sec.get("gloss").decode().split("\n\x1d\n")))
        self.offsets, self.postings, self.dense = [], [], []
        code = post_code(self.n)
        for f in range(3):
            self.offsets.append(sec.offsets(f"off{f}"))
            if sec.stored(f"post{f}")[1]:  # compressed planes, put back when first used
                self.postings.append(later_planes(sec, f"post{f}", code, self.offsets[f][-1]))
            else:  # stored as they are: read in place
                self.postings.append(sec.view(f"post{f}", code))
            self.dense.append(DenseBits(sec.array(f"dids{f}"), sec.get(f"dbits{f}"),
                                        sec.offsets(f"dboff{f}", "Q")))
        if len(self.offsets[0]) != len(self.avocab) + len(self.kvocab) + 1 or \
                len(docs) != self.n or len(self.ids) != self.n:
            raise ValueError("damaged search index")
        if derived:
            self._setup()
        self._total = dict(zip(FIELDS, header["lengths"]))
        return self

    # ------------------------------------------------------------ made when first used
    @property
    def id_pos(self) -> dict[str, int]:
        """Paper id -> its number."""
        pos = self.__dict__.get("_id_pos")
        if pos is None:
            ids = self.ids.as_list() if isinstance(self.ids, Lines) else self.ids
            pos = self._id_pos = dict(zip(ids, range(len(ids))))  # (in C: 8 ms at 55k)
            if isinstance(self.ids, Lines) and len(pos) == len(ids):
                self.ids = ids  # from now on the ids are the dict's own strings, shared
        return pos

    @property
    def kcho(self) -> str:
        """The choseong of the Korean words' blob (same offsets), for choseong queries."""
        cho = self.__dict__.get("_kcho")
        if not cho:
            cho = self._kcho = hangul.choseong(self.kblob)
        return cho

    @kcho.setter
    def kcho(self, value: str) -> None:
        self._kcho = value

    # ------------------------------------------------------------ the glossary
    # (read from its section when first used: a search without Korean/English
    # alternatives never needs it)
    def _gloss_pair(self) -> list:
        g = self.__dict__.get("_gloss")
        if g is None:
            g = self._gloss = [{}, {}]
        elif callable(g):
            g = self._gloss = list(g())
        return g

    @property
    def gloss_en(self) -> dict[str, list[str]]:
        """English term -> its Korean terms ("reinforcement learning" -> ["강화 학습"])."""
        return self._gloss_pair()[0]

    @gloss_en.setter
    def gloss_en(self, value: dict[str, list[str]]) -> None:
        self._gloss_pair()[0] = value

    @property
    def gloss_ko(self) -> dict[str, list[str]]:
        """Korean term without spaces -> its English terms ("강화학습" -> [...])."""
        return self._gloss_pair()[1]

    @gloss_ko.setter
    def gloss_ko(self, value: dict[str, list[str]]) -> None:
        self._gloss_pair()[1] = value

    # ------------------------------------------------------------ masks
    def union(self, f: int, tids: Iterable[int]) -> int:
        """Bitset of the papers where any of ``tids`` occurs in field ``f``."""
        dense = self.dense[f]
        off = self.offsets[f]
        post = self._post(f)
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

    def _post(self, f: int):
        """Field ``f``'s postings (decompressed on first use when read from disk)."""
        post = self.postings[f]
        if callable(post):
            post = self.postings[f] = post()
        return post

    def field_docs(self, f: int):
        """Field ``f``'s postings: every word's sorted paper numbers, one after another."""
        return self._post(f)

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
            avg = self._avg[fname] = max(1.0, self.total_len(fname) / max(1, self.n))
        return avg

    def total_len(self, fname: str) -> int:
        """Length of field ``fname`` over every paper (kept; an update adjusts it)."""
        total = self._total.get(fname)
        if total is None:
            if fname == "authors":
                total = sum(len(", ".join(a)) for a in self.authors_)
            else:
                total = sum(map(len, self.titles if fname == "title" else self.summaries))
            self._total[fname] = total
        return total

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
        for step in self.ready_steps() + self.warm_steps():
            step()

    def ready_steps(self) -> list:
        """What any first search needs beyond the open index, the likeliest first: the
        paper id table and one record of each kind a result row shows (decompressing
        the authors' and the dates' sections), the postings, the glossary's tables,
        the word lists' caches.  ``Engine.warm`` runs these at once (a search that
        waits goes first), then ``warm_steps``."""
        def records() -> None:
            if self.n:
                self.id_pos.get(self.ids[0])
                (self.titles[0], self.authors_[0], self.dates[0])

        def glossary() -> None:
            for table in self._gloss_pair():
                len(table)

        def postings() -> None:  # (put back from their byte planes up to PLANES_MAX)
            for f in range(3):
                self._post(f)

        return [records, postings, glossary, self.terms.warm]

    def warm_steps(self) -> list:
        """The caches of other kinds of query, in small steps (``Engine.warm`` lets a
        search, and the reader's keys, go between them): one plain search, the dense
        bitsets, the choseong blob."""
        def dense() -> None:
            for f in range(3):
                for t in list(self.dense[f])[:1]:
                    self.dense[f].get(t)

        return [lambda: self.search("a", 1), dense, lambda: len(self.kcho)]

    # ------------------------------------------------------------ searching
    def search(self, query, limit: int = 50, *, state=None):
        """Ranked ``Hit`` list for ``query`` (a string or a parsed ``Query``); see
        ``ranking.search``.  Not thread-safe: ``Engine`` serialises calls."""
        return ranking.search(self, query, limit, state=state)

    def __len__(self) -> int:
        return self.n

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self.id_pos


def _starts(words: list[str]) -> array:
    """Where each word of ``"\\n" + "\\n".join(words) + "\\n"`` starts (and one past
    the end): 1 + the lengths before it + one newline each (iterated in C)."""
    return array("I", map(add, accumulate(map(len, words), initial=0), counting(1)))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    """Lone surrogates (not UTF-8 encodable) -> U+FFFD, so the index always persists."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text
