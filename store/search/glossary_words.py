"""Single-word glossary entries, aligned inside the multi-word terms of the glossary.

Korean and English noun compounds both put the head last, so
"비디오 확산 모델 (video diffusion models)" also says 확산 = diffusion and 모델 = model.
Counted from the renderings the glossary already keeps: the first word of a Korean
rendering of ``k`` words stands for the English term's ``k``-th word from the end.  A word
pair is kept when it is written often and is more than half of what each of its two words
is aligned with, so a word rendered several ways (감독 = supervision, supervised,
oversight) is not trusted.
"""

from __future__ import annotations

from collections.abc import Iterable

_WORD_MIN = 3     # times an aligned word pair must be written
_WORD_SHARE = 0.5  # ... and more than this share of each side's alignments
# English words that break the head-last order ("text to image"), or say nothing alone
_EN_STOP = frozenset("a an the of to for and in on with by from via at as or is".split())


def aligned_words(renderings: Iterable[tuple[str, int, str, int]]) -> dict[tuple[str, str], int]:
    """(English term, k, Korean rendering of k words, times written) -> times each
    (Korean word, English word) pair was written aligned."""
    out: dict[tuple[str, str], int] = {}
    for en, k, ko, c in renderings:
        ew = en.split()
        if len(ew) < 2 or k > len(ew) or any(w in _EN_STOP for w in ew[-k:]):
            continue
        e, kw = ew[-k], ko.split()[0]
        if len(e) >= 3 and not e.isdigit() and len(kw) >= 2:
            out[(kw, e)] = out.get((kw, e), 0) + c
    return out


def add_words(words: dict[tuple[str, str], int], en_map: dict[str, list[str]],
              ko_map: dict[str, list[tuple[int, str]]]) -> None:
    """Single-word entries from ``words`` (``aligned_words``): an English word gets its
    Korean word where the whole-term entries have none; a Korean word gets its English
    word among its whole-term entries (``ko_map`` values are (count, English) before
    they are sorted)."""
    by_ko: dict[str, int] = {}
    by_en: dict[str, int] = {}
    for (k, e), c in words.items():
        by_ko[k] = by_ko.get(k, 0) + c
        by_en[e] = by_en.get(e, 0) + c
    for (k, e), c in sorted(words.items(), key=lambda x: (-x[1], x[0])):
        if c < _WORD_MIN or c <= _WORD_SHARE * by_ko[k] or c <= _WORD_SHARE * by_en[e]:
            continue
        if e not in en_map:
            en_map[e] = [k]
        have = ko_map.setdefault(k, [])
        old = [x for x in have if x[1] == e]
        if not old:
            have.append((c, e))
        elif old[0][0] < c:  # written more often inside longer terms than alone
            have[have.index(old[0])] = (c, e)
