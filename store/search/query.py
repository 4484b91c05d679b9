"""Query language and text normalisation shared by the search index and the query parser.

Grammar (whitespace separated; every part is optional and parts combine with AND):

  word                 free text: must match title, authors, summary, id or date
  "two words"          phrase: the words, next to each other, in one field
  -word  -"a phrase"   exclude papers that match
  a:NAME author:NAME   only in authors      t:WORD title:WORD   only in the title
  s:WORD summary:WORD  only in the summary  (all take "quoted phrases" too)
  id:2406.094          arXiv id prefix      d:2024-04  date:2024-04   date prefix (OR-ed)
  d>=2024-04-01 d<2024-05                   date bounds on any of the paper's dates
  v>50 v>=50 v<10 v<=10 v=3                 votes (papers without votes never pass)
  -d:2024-06 -d>2024-04 -v>50               negated: exclude those days / invert the bound
  is:unread is:read is:bookmarked           reader state (through ``state``), -is:... negates
  tag:NAME has:note                         parsed as state flags; evaluated only once a
                                            test is registered in ``search.STATE_TESTS``

``parse_query`` never raises; anything it does not understand is free text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .. import hangul

__all__ = [
    "FIELDS",
    "STATE_KEYS",
    "TOKEN_RE",
    "Flag",
    "Phrase",
    "Query",
    "Term",
    "fold_token",
    "normalize_text",
    "parse_query",
    "tokenize",
]

FIELDS = ("title", "authors", "summary")  # the indexed text fields, in weight order

# A token is a run of Hangul (syllables / compat jamo) or a run of other letters+digits.
TOKEN_RE = re.compile(
    f"[{hangul.HANGUL_CLASS}]+|[^\\W_{hangul.HANGUL_CLASS}\u1100-\u11ff]+"
)

FIELD_KEYS = {
    "a": "authors", "author": "authors", "authors": "authors",
    "t": "title", "title": "title",
    "s": "summary", "summary": "summary",
}
DATE_KEYS = {"d", "date"}
ID_KEYS = {"id"}
VOTE_KEYS = {"v", "vote", "votes"}
STATE_KEYS = {"is", "tag", "has"}  # evaluated through search.STATE_TESTS
_ALL_KEYS = set(FIELD_KEYS) | DATE_KEYS | ID_KEYS | VOTE_KEYS | STATE_KEYS

_ID_RE = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{1,5})(?:v\d*)?$", re.IGNORECASE)
_DATE_TERM_RE = re.compile(r"^\d{4}-\d{2}(?:-\d{0,2})?$")
_NUM_RE = re.compile(r"^\d{1,9}$")
_KEY_RE = re.compile(r"([A-Za-z]+)(>=|<=|:|>|<|=)")
_INVERSE = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}
_OPEN_QUOTES = "\"“”„"  # plain and typographic
_CLOSE_QUOTES = {'"': '"', "“": "”", "”": "”", "„": "“"}


def fold_token(tok: str) -> str:
    """Strip accents from a non-Hangul token (Veličković -> velickovic)."""
    if tok.isascii():
        return tok
    if hangul.is_hangul(tok[0]):
        return tok
    d = unicodedata.normalize("NFKD", tok)
    out = "".join(c for c in d if not unicodedata.combining(c))
    return out or tok


_ACCENTED = re.compile("[\u00c0-\u024f\u1e00-\u1eff]+")


def normalize_text(text: str) -> str:
    """NFC + compat jamo + casefold + Latin accents stripped (Hangul untouched).

    The form both index and query tokens come from; one C-speed pass for plain text.
    """
    text = hangul.normalize(text).casefold()
    if text.isascii():
        return text
    return _ACCENTED.sub(_strip_accents, text)


def _strip_accents(m: re.Match) -> str:
    return fold_token(m.group())


def tokenize(text: str) -> list[str]:
    """Normalised tokens of ``text`` in order (duplicates kept)."""
    return TOKEN_RE.findall(normalize_text(text))


@dataclass(slots=True)
class Term:
    """One token that must match (or, with ``negate``, must not)."""

    text: str                   # normalised token
    field: str | None = None    # None = any | 'title' | 'authors' | 'summary' | 'id' | 'date'
    korean: bool = False
    negate: bool = False


@dataclass(slots=True)
class Phrase:
    """Quoted words that must stand next to each other in one field."""

    words: list[str]
    field: str | None = None
    negate: bool = False


@dataclass(slots=True)
class Flag:
    """A reader-state filter: ``is:unread`` -> Flag('is', 'unread')."""

    key: str
    value: str
    negate: bool = False


@dataclass(slots=True)
class Query:
    raw: str = ""
    terms: list[Term] = field(default_factory=list)
    phrases: list[Phrase] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)            # d: prefixes, any may match
    date_bounds: list[tuple[str, str]] = field(default_factory=list)  # ('>=', '2024-04')
    votes: list[tuple[str, int]] = field(default_factory=list)   # ('>', 50), all must hold
    flags: list[Flag] = field(default_factory=list)

    @property
    def positive_terms(self) -> list[Term]:
        return [t for t in self.terms if not t.negate]

    def is_empty(self) -> bool:
        return not (self.terms or self.dates or self.date_bounds or self.votes or self.flags)


def _is_korean(tok: str) -> bool:
    return hangul.is_hangul(tok[0])


def _text_terms(value: str, fld: str | None, negate: bool) -> list[Term]:
    terms = []
    for tok in tokenize(value):
        terms.append(Term(tok, fld, _is_korean(tok), negate))
    return terms


def _scan(text: str):
    """Yield (negate, key, op, value, quoted) for each part of the query."""
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            return
        negate = False
        if text[i] == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != "-":
            negate = True
            i += 1
        key = op = None
        m = _KEY_RE.match(text, i)
        if m:
            end = m.end()
            if end < n and not text[end].isspace():
                key, op = m.group(1).lower(), m.group(2)
                i = end
            elif m.group(1).lower() in _ALL_KEYS:  # "a:" still being typed: nothing yet
                i = end
                continue
        if text[i] in _OPEN_QUOTES:
            close = _CLOSE_QUOTES[text[i]]
            j = text.find(close, i + 1)
            if j < 0:
                j = n
            value, quoted = text[i + 1 : j], True
            i = j + 1
        else:
            j = i
            while j < n and not text[j].isspace():
                j += 1
            value, quoted = text[i:j], False
            i = j
        yield negate, key, op, value, quoted


def _date_value(v: str) -> str:
    return v.strip().replace("/", "-").replace(".", "-")


def parse_query(text: str) -> Query:
    """Parse a search string into a ``Query``; never raises."""
    try:
        return _parse(text)
    except Exception:  # noqa: BLE001 - never raises: junk becomes plain text  # pragma: no cover
        q = Query(raw=str(text))
        try:
            q.terms = _text_terms(str(text), None, False)
        except Exception:  # noqa: BLE001, S110 - then no terms at all
            pass
        return q


def _parse(text: str) -> Query:
    if not isinstance(text, str):
        text = str(text)
    text = hangul.normalize(text)
    q = Query(raw=text)
    for negate, key, op, value, quoted in _scan(text):
        if key is not None and op == ":" and key in FIELD_KEYS:
            _add_text(q, value, FIELD_KEYS[key], negate, quoted)
        elif key is not None and key in DATE_KEYS:
            v = _date_value(value)
            if not v:
                continue
            if op in (":", "="):
                if negate:  # -d:2024-04 -> exclude papers listed on such a day
                    q.terms.append(Term(v, "date", False, True))
                else:
                    q.dates.append(v)
            elif not negate:
                q.date_bounds.append((op, v))
            elif op in _INVERSE:
                q.date_bounds.append((_INVERSE[op], v))
        elif key is not None and op == ":" and key in ID_KEYS:
            m = _ID_RE.match(value.strip())
            v = (m.group(1) if m else value.strip()).casefold()
            if v:
                q.terms.append(Term(v, "id", False, negate))
        elif key is not None and key in VOTE_KEYS and op != ":" and _NUM_RE.match(value):
            if not negate:
                q.votes.append((op, int(value)))
            elif op in _INVERSE:  # -v>50 == v<=50 (papers without votes still fail)
                q.votes.append((_INVERSE[op], int(value)))
        elif key is not None and op == ":" and key in STATE_KEYS and value.strip():
            q.flags.append(Flag(key, value.strip().casefold(), negate))
        else:
            raw = value if key is None else f"{key}{op}{value}"
            _add_text(q, raw, None, negate, quoted)
    return q


def _add_text(q: Query, value: str, fld: str | None, negate: bool, quoted: bool) -> None:
    v = value.strip()
    if not v:
        return
    if not quoted and fld is None:
        m = _ID_RE.match(v)
        if m:
            q.terms.append(Term(m.group(1), "id", False, negate))
            return
        if _DATE_TERM_RE.match(v):
            q.terms.append(Term(v, "date", False, negate))
            return
    terms = _text_terms(v, fld, negate)
    if not terms:
        return
    if quoted and len(terms) > 1:
        q.phrases.append(Phrase([t.text for t in terms], fld, negate))
        if negate:  # "-"phrase"": exclusion is decided by the phrase alone
            return
    q.terms.extend(terms)
