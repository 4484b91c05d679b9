"""The bilingual glossary, mined from the summaries' ``한국어 (English)`` pairs.

The glossary is a function of pair counts, and counts add up paper by paper:
``GlossCounts`` keeps them (persisted in the index), so an update that brings one day
adds that day's pairs and takes out those of the papers it replaces, instead of reading
every summary again.  ``maps()`` turns counts into the two lookup tables; it visits the
terms in sorted order, so the tables (and their bytes on disk) depend only on the
counts, whichever way they were reached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from .glossary_words import add_words, aligned_words
from .query import normalize_text

# "강화 학습 (Reinforcement Learning)", "직접 선호 최적화 (Direct Preference Optimization,
# DPO)": Korean words, then their English in parentheses (an abbreviation may follow)
_PAREN = re.compile(r"\(([A-Za-z][A-Za-z0-9 \-]{1,48}[A-Za-z0-9])(?:, ?[A-Za-z0-9\-]{1,12})?\)")
_HANGUL_TAIL = re.compile(r"[가-힣]+$")
_GLOSS_MIN = 2    # times a pair must be written before it is trusted
_GLOSS_SHARE = 0.4  # share of an English term's pairs its Korean rendering must have


def _korean_before(text: str, end: int) -> str:
    """The last one to four Hangul words (single spaces between them) that end at
    ``end``, or one space before it, within 64 characters: what
    ``((?:[가-힣]+ ){0,3}[가-힣]+) ?$`` finds there, without trying every start."""
    window = text[max(0, end - 64):end].removesuffix(" ")
    words: list[str] = []
    for part in reversed(window.rsplit(" ", 4)[-4:]):
        m = _HANGUL_TAIL.search(part)
        if m is None:
            break
        words.append(m.group())
        if m.start():  # the word began with something else: the run stops here
            break
    return " ".join(reversed(words))


def pairs(text: str) -> Iterable[tuple[str, list[tuple[int, str]]]]:
    """(English key, its Korean renderings as (words, text)) for each pair in ``text``."""
    if "(" not in text:
        return
    from .alternates import gloss_key

    for m in _PAREN.finditer(text):
        ko = _korean_before(text, m.start())
        if not ko:
            continue
        en = m.group(1)
        en_words = normalize_text(en).replace("-", " ").split()
        if not en_words or len(en_words) > 4:
            continue
        kwords = ko.split()
        renderings = []
        for k in range(1, min(len(en_words), 3, len(kwords)) + 1):
            if len(kwords[-k]) < 2:
                break
            renderings.append((k, " ".join(kwords[-k:])))
        yield gloss_key(en_words), renderings


class GlossCounts:
    """How often each English term was written, and with which Korean rendering.

    ``counts[en]`` maps a rendering, written ``f"{words}{korean}"`` (``"2강화 학습"``), to
    its count: plain strings and ints, so the persisted form loads as it is."""

    def __init__(self, counts: dict[str, dict[str, int]] | None = None,
                 totals: dict[str, int] | None = None) -> None:
        self.counts: dict[str, dict[str, int]] = counts if counts is not None else {}
        self.totals: dict[str, int] = totals if totals is not None else {}
        self._own: set[str] | None = None  # after copy(): the entries already copied

    @classmethod
    def of(cls, summaries: Iterable[str]) -> GlossCounts:
        out = cls()
        for text in summaries:
            out.add(text)
        return out

    def copy(self) -> GlossCounts:
        """A copy that shares the entries until it changes them."""
        out = GlossCounts(dict(self.counts), dict(self.totals))
        out._own = set()
        return out

    def add(self, text: str, sign: int = 1) -> None:
        """Count the pairs of ``text`` (``sign=-1``: a text that leaves the corpus)."""
        counts, totals, own = self.counts, self.totals, self._own
        for key, renderings in pairs(text):
            by = counts.get(key)
            if by is None:
                by = counts[key] = {}
            elif own is not None and key not in own:
                by = counts[key] = dict(by)
            if own is not None:
                own.add(key)
            total = totals[key] = totals.get(key, 0) + sign
            for k, ko in renderings:
                r = f"{k}{ko}"
                c = by[r] = by.get(r, 0) + sign
                if not c:
                    del by[r]
            if not total:
                del totals[key], counts[key]

    # ------------------------------------------------------------ persisted form
    # One line per English term, sorted: the term, its total, then count and rendering
    # for each rendering, sorted, all tab-separated (terms and renderings never hold a
    # tab: letters, digits, Hangul, spaces and hyphens only).  A quarter smaller than JSON.
    def to_bytes(self) -> bytes:
        lines = []
        for en in sorted(self.counts):
            by = self.counts[en]
            lines.append("\t".join([en, str(self.totals[en]),
                                    *(f"{c}\t{r}" for r, c in sorted(by.items()))]))
        return "\n".join(lines).encode()

    @classmethod
    def from_bytes(cls, data) -> GlossCounts:
        counts: dict[str, dict[str, int]] = {}
        totals: dict[str, int] = {}
        text = bytes(data).decode()
        for line in text.split("\n") if text else ():
            en, total, *rest = line.split("\t")
            totals[en] = int(total)
            counts[en] = {rest[i + 1]: int(rest[i]) for i in range(0, len(rest), 2)}
        return cls(counts, totals)

    # ------------------------------------------------------------ the tables
    def maps(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """English term -> Korean terms and back.  How many Korean words belong to the
        term is not written: the longest rendering (up to the English word count) that
        most pairs agree on wins, so "강화 학습 (reinforcement learning)" keeps both words
        and "있는 역할극 (role-play)" keeps one."""
        en_map: dict[str, list[str]] = {}
        ko_map: dict[str, list[tuple[int, str]]] = {}
        for en in sorted(self.counts):
            by = self.counts[en]
            need = max(_GLOSS_MIN, _GLOSS_SHARE * self.totals[en])
            for r, c in by.items():  # Korean -> English may be broader: 2+ words suffice
                if c >= _GLOSS_MIN and (r[0] != "1" or c >= need):
                    ko_map.setdefault(r[1:].replace(" ", ""), []).append((c, en))
            for k in "321":
                good = sorted(((c, r[1:]) for r, c in by.items() if r[0] == k and c >= need),
                              reverse=True)
                if good:
                    en_map[en] = [ko for _, ko in good[:2]]
                    break
        # single words aligned inside those terms (확산 = diffusion)
        add_words(aligned_words((en, int(r[0]), r[1:], c) for en, by in self.counts.items()
                                for r, c in by.items()), en_map, ko_map)
        # the English most often written for each Korean term first
        return en_map, {k: [en for _, en in sorted(v, key=lambda x: (-x[0], x[1]))[:5]]
                        for k, v in sorted(ko_map.items())}


def mine_glossary(summaries: Iterable[str]) -> tuple[dict[str, list[str]],
                                                      dict[str, list[str]]]:
    """The glossary of ``summaries`` (see ``GlossCounts.maps``)."""
    return GlossCounts.of(summaries).maps()


class GlossMap(Mapping):
    """A glossary table (term -> its terms in the other language) as the index stores
    it: one line per term, ``term<TAB>other<TAB>other...``, sorted.  Read back into a
    dict of lines split once, when first looked up (3 ms at 55k papers; parsing it as
    JSON took 17 ms of the first search), each entry's list made when it is asked for."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._rows: dict[str, str] | None = None

    @staticmethod
    def pack(table: Mapping[str, list[str]]) -> str:
        def clean(s: str) -> str:
            return " ".join(s.split())  # no tab or newline inside a term

        return "\n".join("\t".join([clean(k), *map(clean, table[k])]) for k in sorted(table))

    def _table(self) -> dict[str, str]:
        if self._rows is None:
            text = self._text
            self._rows = dict(line.split("\t", 1) for line in text.split("\n")) \
                if text else {}
        return self._rows

    def __getitem__(self, key: str) -> list[str]:
        return self._table()[key].split("\t")

    def get(self, key, default=None):
        row = self._table().get(key)
        return default if row is None else row.split("\t")

    def __contains__(self, key: object) -> bool:
        return key in self._table()

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())
