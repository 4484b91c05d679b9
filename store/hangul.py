"""Hangul helpers for search: jamo normalisation, choseong, half-typed syllables.

Hand-written code-point arithmetic (syllable = 0xAC00 + (L*21 + V)*28 + T) rather
than a library: it is a few lines, needs no dependency and costs nothing at query
time (every helper here is O(length of the query term)).

Terminology:
  syllable     a precomposed Hangul syllable U+AC00..U+D7A3
  compat jamo  the letters an IME shows on their own, U+3131..U+3163 (ㄱ .. ㅣ)
  conjoining   U+1100.. (initial), U+1161.. (medial), U+11A8.. (final) jamo; mapped
               to compat jamo so that both spellings count as the same letters
  choseong     a syllable's initial consonant; ``choseong("깊이 추정") == "ㄱㅇ ㅊㅈ"``
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "HANGUL_CLASS",
    "SBASE",
    "SLAST",
    "choseong",
    "compose",
    "decompose",
    "half_typed_class",
    "initial_range",
    "is_consonant",
    "is_hangul",
    "is_syllable",
    "keystrokes",
    "normalize",
    "skeleton",
    "term_pattern",
]

SBASE = 0xAC00
SLAST = 0xD7A3
_NV = 21
_NT = 28

# Compat jamo for the 19 initials, 21 medials and 27 finals (index 1..27).
_L_COMPAT = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_V_COMPAT = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_T_COMPAT = "\0ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_L_INDEX = {c: i for i, c in enumerate(_L_COMPAT)}
_V_INDEX = {c: i for i, c in enumerate(_V_COMPAT)}
_T_INDEX = {c: i for i, c in enumerate(_T_COMPAT) if i}

# Characters that make up Korean words for tokenising: syllables and compat jamo.
HANGUL_CLASS = "\uac00-\ud7a3\u3131-\u318e"

# Conjoining jamo -> compat jamo (also the archaic-free "filler" ranges are left alone).
_CONJ = {}
for _i, _c in enumerate(_L_COMPAT):
    _CONJ[0x1100 + _i] = _c
for _i, _c in enumerate(_V_COMPAT):
    _CONJ[0x1161 + _i] = _c
for _i, _c in enumerate(_T_COMPAT[1:]):
    _CONJ[0x11A8 + _i] = _c
_CONJ_RE = re.compile("[\u1100-\u11ff]")

# Keystrokes (2-beolsik) of compound vowels and finals: ㅘ is typed ㅗ then ㅏ.
_SPLIT = {
    "ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅐ", "ㅚ": "ㅗㅣ", "ㅝ": "ㅜㅓ", "ㅞ": "ㅜㅔ", "ㅟ": "ㅜㅣ", "ㅢ": "ㅡㅣ",
    "ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ",
    "ㄽ": "ㄹㅅ", "ㄾ": "ㄹㅌ", "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ",
}


def is_syllable(ch: str) -> bool:
    return SBASE <= ord(ch) <= SLAST


def is_hangul(ch: str) -> bool:
    """A syllable or a compat jamo letter (after ``normalize``)."""
    o = ord(ch)
    return SBASE <= o <= SLAST or 0x3131 <= o <= 0x318E


def is_consonant(ch: str) -> bool:
    """A compat consonant that can start a syllable (ㄱ ㄲ ㄴ .. ㅎ)."""
    return ch in _L_INDEX


def decompose(ch: str) -> tuple[int, int, int]:
    """Syllable -> (initial, medial, final) indices; final 0 means none."""
    s = ord(ch) - SBASE
    return s // (_NV * _NT), (s // _NT) % _NV, s % _NT


def compose(l: int, v: int, t: int = 0) -> str:
    return chr(SBASE + (l * _NV + v) * _NT + t)


def normalize(text: str) -> str:
    """NFC, then any conjoining jamo left over -> compat jamo.

    NFC already turns well-formed initial+medial(+final) sequences into syllables;
    what remains (a lone initial typed mid-composition, say) becomes the compat letter.
    """
    if text.isascii():
        return text
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _CONJ_RE.search(text):
        text = text.translate(_CONJ)
    return text


def _cho(ch: str) -> str:
    o = ord(ch)
    if SBASE <= o <= SLAST:
        return _L_COMPAT[(o - SBASE) // (_NV * _NT)]
    return ch


_CHO_TABLE = {SBASE + i: _L_COMPAT[i // (_NV * _NT)] for i in range(SLAST - SBASE + 1)}


def choseong(text: str) -> str:
    """Each syllable -> its initial consonant (compat jamo); other characters unchanged.

    Length-preserving, so offsets in the result are offsets in ``text``.
    """
    return text.translate(_CHO_TABLE)


def keystrokes(text: str) -> str:
    """The compat jamo a 2-beolsik typist presses, in order: ``keystrokes("값") == "ㄱㅏㅂㅅ"``."""
    out: list[str] = []
    for ch in text:
        if is_syllable(ch):
            l, v, t = decompose(ch)
            out.append(_L_COMPAT[l])
            out.append(_SPLIT.get(_V_COMPAT[v], _V_COMPAT[v]))
            if t:
                out.append(_SPLIT.get(_T_COMPAT[t], _T_COMPAT[t]))
        else:
            out.append(_SPLIT.get(ch, ch))
    return "".join(out)


def jamo(text: str) -> str:
    """Each syllable as its letters, compound vowels and finals kept whole
    (``jamo("값") == "ㄱㅏㅄ"``): one letter typed wrong is one edit here."""
    out: list[str] = []
    for ch in text:
        if is_syllable(ch):
            l, v, t = decompose(ch)
            out.append(_L_COMPAT[l] + _V_COMPAT[v] + (_T_COMPAT[t] if t else ""))
        else:
            out.append(ch)
    return "".join(out)


def initial_range(consonant: str) -> tuple[str, str]:
    """First and last syllable whose initial is ``consonant`` (e.g. ㄱ -> 가, 깋)."""
    l = _L_INDEX[consonant]
    return compose(l, 0, 0), compose(l, _NV - 1, _NT - 1)


def _extensions(letter: str, table: str) -> list[int]:
    """Indices in ``table`` of letters whose keystrokes start with ``letter``'s."""
    ks = _SPLIT.get(letter, letter)
    return [i for i, c in enumerate(table) if c != "\0" and _SPLIT.get(c, c).startswith(ks)]


@lru_cache(maxsize=4096)
def half_typed_class(syl: str) -> str:
    """Regex (no groups) for the text syllables a half-typed ``syl`` may become.

    The query syllable's keystrokes must be a prefix of the text syllable's
    (추저 -> 정, 고 -> 과, 달 -> 닭), or, when ``syl`` ends in a final consonant, that
    consonant may yet move to the next syllable as its initial (춪 -> 추 + 정).
    """
    l, v, t = decompose(syl)
    parts: list[str] = []
    if t == 0:
        for v2 in _extensions(_V_COMPAT[v], _V_COMPAT):
            parts.append(f"{compose(l, v2, 0)}-{compose(l, v2, _NT - 1)}")
        alt = ""
    else:
        chars = "".join(compose(l, v, t2) for t2 in _extensions(_T_COMPAT[t], _T_COMPAT))
        parts.append(re.escape(chars))
        # Final consonant moving on: the last keystroke starts the next syllable.
        ks = _SPLIT.get(_T_COMPAT[t], _T_COMPAT[t])
        head, last = ks[:-1], ks[-1]
        alt = ""
        if last in _L_INDEX:
            t0 = _T_INDEX[head] if head else 0
            lo, hi = initial_range(last)
            alt = f"|{compose(l, v, t0)}[{lo}-{hi}]"
    return f"(?:[{''.join(parts)}]{alt})"


def _consonant_class(ch: str) -> str:
    lo, hi = initial_range(ch)
    return f"[{lo}-{hi}{ch}]"


@lru_cache(maxsize=4096)
def term_pattern(term: str) -> str:
    """Regex source matching a Korean query term as typed (prefix semantics).

    Complete syllables match themselves, except the last one, which is treated as
    half-typed (``half_typed_class``); a lone consonant matches any syllable with
    that initial (choseong search); anything else matches literally.
    """
    out: list[str] = []
    last = len(term) - 1
    for i, ch in enumerate(term):
        if is_syllable(ch):
            out.append(half_typed_class(ch) if i == last else ch)
        elif ch in _L_INDEX:
            out.append(_consonant_class(ch))
        else:
            out.append(re.escape(ch))
    return "".join(out)


def skeleton(term: str) -> str:
    """The choseong every match of ``term_pattern(term)`` has (a necessary condition)."""
    return "".join(_cho(ch) for ch in term)


def literal_head(term: str) -> str:
    """Leading complete syllables that every match contains verbatim (the last syllable
    of the term is half-typed, so it never counts)."""
    n = 0
    for ch in term[:-1]:
        if not is_syllable(ch):
            break
        n += 1
    return term[:n]
