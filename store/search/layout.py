"""Wrong keyboard layout: the standard Korean 2-set (dubeolsik) layout, both ways.

``to_hangul("rlvdl cnwjd") == "깊이 추정"``: Latin keys pressed with the keyboard left in
English mode, composed into syllables as the input method would have.
``to_latin("ㅇ데소 무ㅛ소ㅑㅜㅎ") == "depth anything"``: Hangul typed with the keyboard
left in Korean mode, back to the keys pressed.
"""

from __future__ import annotations

import re

from .. import hangul

KEYS = {
    "q": "ㅂ", "w": "ㅈ", "e": "ㄷ", "r": "ㄱ", "t": "ㅅ", "y": "ㅛ", "u": "ㅕ", "i": "ㅑ",
    "o": "ㅐ", "p": "ㅔ", "a": "ㅁ", "s": "ㄴ", "d": "ㅇ", "f": "ㄹ", "g": "ㅎ", "h": "ㅗ",
    "j": "ㅓ", "k": "ㅏ", "l": "ㅣ", "z": "ㅋ", "x": "ㅌ", "c": "ㅊ", "v": "ㅍ", "b": "ㅠ",
    "n": "ㅜ", "m": "ㅡ",
    "Q": "ㅃ", "W": "ㅉ", "E": "ㄸ", "R": "ㄲ", "T": "ㅆ", "O": "ㅒ", "P": "ㅖ",
}
_JAMO_KEY = {j: k for k, j in KEYS.items() if k.islower()}
_JAMO_KEY.update({j: k for k, j in KEYS.items() if k.isupper()})

_L = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_V = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_T = "\0ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_VV = {"ㅗㅏ": "ㅘ", "ㅗㅐ": "ㅙ", "ㅗㅣ": "ㅚ", "ㅜㅓ": "ㅝ", "ㅜㅔ": "ㅞ", "ㅜㅣ": "ㅟ",
       "ㅡㅣ": "ㅢ"}
_TT = {"ㄱㅅ": "ㄳ", "ㄴㅈ": "ㄵ", "ㄴㅎ": "ㄶ", "ㄹㄱ": "ㄺ", "ㄹㅁ": "ㄻ", "ㄹㅂ": "ㄼ",
       "ㄹㅅ": "ㄽ", "ㄹㅌ": "ㄾ", "ㄹㅍ": "ㄿ", "ㄹㅎ": "ㅀ", "ㅂㅅ": "ㅄ"}
_T_SPLIT = {v: k for k, v in _TT.items()}

_LATIN_RUN = re.compile(r"[A-Za-z]+")
_HANGUL_RUN = re.compile(f"[{hangul.HANGUL_CLASS}]+")
_KEY_PREFIX = re.compile(r"(?<!\S)-?[A-Za-z]+(?=[:<>=])")  # a:, t:, v>... stay as typed


def compose(jamo: str) -> str:
    """Compat jamo keystrokes -> text as a 2-set input method composes them."""
    out: list[str] = []
    lead = vowel = tail = ""

    def flush() -> None:
        nonlocal lead, vowel, tail
        if lead and vowel:
            out.append(hangul.compose(_L.index(lead), _V.index(vowel),
                                      _T.index(tail) if tail else 0))
        else:
            out.append(lead + vowel)
        lead = vowel = tail = ""

    for ch in jamo:
        if ch in _V:
            if lead and vowel and tail:  # the final moves on as the next initial
                keep, move = (_T_SPLIT[tail][0], _T_SPLIT[tail][1]) if tail in _T_SPLIT \
                    else ("", tail)
                tail = keep
                flush()
                lead, vowel = move, ch
            elif lead and vowel:
                if vowel + ch in _VV:
                    vowel = _VV[vowel + ch]
                else:
                    flush()
                    vowel = ch
            elif lead:
                vowel = ch
            else:
                if vowel and vowel + ch in _VV:
                    vowel = _VV[vowel + ch]
                else:
                    flush()
                    vowel = ch
        elif ch in _L:
            if lead and vowel and not tail and ch in _T:
                tail = ch
            elif lead and vowel and tail and tail + ch in _TT:
                tail = _TT[tail + ch]
            else:
                flush()
                lead = ch
        else:
            flush()
            out.append(ch)
    flush()
    return "".join(out)


def _hangul_of(m: re.Match) -> str:
    return compose("".join(KEYS.get(c, KEYS.get(c.lower(), c)) for c in m.group()))


def _latin_of(m: re.Match) -> str:
    return "".join(_JAMO_KEY.get(j, j) for j in hangul.keystrokes(m.group()))


def to_hangul(text: str) -> str:
    """Latin letters read as 2-set keystrokes (filter keys like ``a:`` are kept)."""
    keep = {m.start(): m.end() for m in _KEY_PREFIX.finditer(text)}
    out, i = [], 0
    for m in _LATIN_RUN.finditer(text):
        if m.start() in keep or (m.start() > 0 and m.start() - 1 in keep
                                 and text[m.start() - 1] == "-"):
            continue
        out.append(text[i:m.start()])
        out.append(_hangul_of(m))
        i = m.end()
    out.append(text[i:])
    return "".join(out)


def to_latin(text: str) -> str:
    """Hangul read back as the keys that typed it."""
    return _HANGUL_RUN.sub(_latin_of, hangul.normalize(text))


def plausible_hangul(text: str) -> bool:
    """Whether every Latin word of ``text`` composes into whole syllables (so it may
    well be Korean typed in English mode: ``rlvdl`` -> 깊이, but ``depth`` -> ㅇ데소)."""
    words = [w for w in _LATIN_RUN.findall(text)]
    if not words:
        return False
    for w in words:
        h = _hangul_of(re.match(r".*", w))
        if not all(hangul.is_syllable(c) for c in h):
            return False
    return True


def has_hangul(text: str) -> bool:
    return _HANGUL_RUN.search(text) is not None
