"""The bilingual glossary, mined from the summaries' ``한국어 (English)`` pairs.

Two kinds of entries, both counted over the whole archive:

* Whole terms: "강화 학습 (Reinforcement Learning)" -> reinforcement learning = 강화 학습.
  How many Korean words belong to the term is not written: the longest rendering (up
  to the English word count) that most pairs agree on wins, so "있는 역할극 (role-play)"
  keeps one word.
* Single words, aligned inside those terms (``glossary_words.py``): 확산 = diffusion.
"""

from __future__ import annotations

import re

from .glossary_words import add_words, aligned_words
from .query import normalize_text

# "강화 학습 (Reinforcement Learning)", "직접 선호 최적화 (Direct Preference Optimization,
# DPO)": Korean words, then their English in parentheses (an abbreviation may follow)
_PAREN = re.compile(r"\(([A-Za-z][A-Za-z0-9 \-]{1,48}[A-Za-z0-9])(?:, ?[A-Za-z0-9\-]{1,12})?\)")
_KO_BEFORE = re.compile(r"((?:[가-힣]+ ){0,3}[가-힣]+) ?$")
_GLOSS_MIN = 2    # times a pair must be written before it is trusted
_GLOSS_SHARE = 0.4  # share of an English term's pairs its Korean rendering must have


def mine_glossary(summaries: list[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """English term -> Korean terms, and Korean term (spaces removed) -> English terms."""
    from .alternates import gloss_key

    counts: dict[str, dict[tuple[int, str], int]] = {}
    totals: dict[str, int] = {}
    for text in summaries:
        if "(" not in text:
            continue
        for m in _PAREN.finditer(text):
            before = _KO_BEFORE.search(text, max(0, m.start() - 64), m.start())
            if before is None:
                continue
            ko, en = before.group(1), m.group(1)
            en_words = normalize_text(en).replace("-", " ").split()
            if not en_words or len(en_words) > 4:
                continue
            key = gloss_key(en_words)
            kwords = ko.split()
            by = counts.setdefault(key, {})
            totals[key] = totals.get(key, 0) + 1
            for k in range(1, min(len(en_words), 3, len(kwords)) + 1):
                if len(kwords[-k]) < 2:
                    break
                rendering = (k, " ".join(kwords[-k:]))
                by[rendering] = by.get(rendering, 0) + 1
    en_map: dict[str, list[str]] = {}
    ko_map: dict[str, list[tuple[int, str]]] = {}
    for en, by in counts.items():
        need = max(_GLOSS_MIN, _GLOSS_SHARE * totals[en])
        for (k, ko), c in by.items():  # Korean -> English may be broader: 2+ words suffice
            if c >= _GLOSS_MIN and (k >= 2 or c >= need):
                ko_map.setdefault(ko.replace(" ", ""), []).append((c, en))
        for k in (3, 2, 1):
            good = sorted(((c, ko) for (kk, ko), c in by.items() if kk == k and c >= need),
                          reverse=True)
            if good:
                en_map[en] = [ko for _, ko in good[:2]]
                break
    add_words(aligned_words((en, k, ko, c) for en, by in counts.items()
                            for (k, ko), c in by.items()), en_map, ko_map)
    # the English most often written for each Korean term first
    return en_map, {k: [en for _, en in sorted(v, key=lambda x: (-x[0], x[1]))[:5]]
                    for k, v in ko_map.items()}
