"""Parser for the daily_papers_ko digest pages (Markdown) into ``ParsedFile`` records.

One pass, line by line, with precompiled regexes.  Odd input never raises: it becomes a
``ParseWarning`` (1-based line of the original file).  Every stored string is cleaned by
``clean_text``.  No UI imports here.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from datetime import date

from .models import Bullet, Paper
from .parsed import ParsedDay, ParsedFile, ParseWarning

__all__ = ["clean_text", "paper_id_from_url", "parse_bytes", "parse_file", "parse_text"]

# ---------------------------------------------------------------- text hygiene
# Anything that needs work: C0 (but not \n), DEL, C1, bidi marks/overrides/isolates,
# zero-width space, BOM, line/paragraph separators, lone surrogates.
_BIDI = "\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff"
_BAD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + _BIDI + "]")
_ESC = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\][^\x07\x1b\n]*(?:\x07|\x1b\\)"  # OSC ... BEL or ST
    r"|[PX^_][^\x1b\n]*\x1b\\"  # DCS, SOS, PM, APC ... ST
    r"|[ -/]*[0-~])"  # other two-char (nF/Fp/Fe/Fs) sequences
)
_SPACES = re.compile("[\t\u2028\u2029]")
_DROP = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f" + _BIDI + "]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(s: str) -> str:
    """NFC; drop escape sequences, control/bidi/zero-width chars; tabs -> spaces; CR(LF) -> LF."""
    if _BAD.search(s) is not None:
        if "\r" in s:
            s = s.replace("\r\n", "\n").replace("\r", "\n")
        if "\x1b" in s:
            s = _ESC.sub("", s)
        s = _SPACES.sub(" ", s)
        s = _DROP.sub("", s)
        s = _SURROGATE.sub("\ufffd", s)
    if not s.isascii() and not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    return s


# ---------------------------------------------------------------- ids and dates
_ARXIV = re.compile(
    r"(?:^|arxiv\.org/(?:abs|pdf|html)/|huggingface\.co/papers/|arxiv:)\s*"
    r"(\d{4}\.\d{4,5}|[a-z][a-z.-]*/\d{7})(?:v\d+)?(?!\d)",
    re.IGNORECASE,
)


def paper_id_from_url(url: str) -> str:
    """arXiv id (no version) from an arXiv/HF-papers URL or bare id; else the cleaned URL."""
    url = clean_text(url).strip()
    m = _ARXIV.search(url)
    return m[1] if m else url


_PATH_DATE = re.compile(r"(\d{4})[/\\](\d{1,2})[/\\](\d{1,2})\.md$", re.IGNORECASE)
_NAME_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*")


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _date_from_name(source: str) -> str | None:
    m = _PATH_DATE.search(source) or _NAME_DATE.search(re.split(r"[/\\]", source)[-1])
    return _iso(*m.groups()) if m else None


# ---------------------------------------------------------------- limits
# The archive's longest line is ~10,500 characters (an author list), its longest title
# ~300.  Beyond these a line or title is hostile or broken, and would stall the reader.
MAX_LINE = 50_000
MAX_TITLE = 1_000

# ---------------------------------------------------------------- line patterns
_HEAD = re.compile(r"(#{1,6})(?: (.*))?$")
_DAY_LINE = re.compile(r"^#{1,2} +daily papers\b", re.IGNORECASE | re.MULTILINE)
_DAY = re.compile(r"daily papers\s*\((.*)\)", re.IGNORECASE)
_URL = re.compile(r"\s*([^\s()]*(?:\([^\s()]*\)[^\s()]*)*)\s*\)")
_BULLET = re.compile(r"[-*+](?: +(.*))?$")
_LABEL = re.compile(r"\*{2,3}([^*]+?)(?:\*{2,3} *:|: *\*{2,3}) *(.*)$")
_IMG = re.compile(r"!\[[^\]]*\]\(\s*(\S*?)\s*\)$")
_VOTE = re.compile(r"votes? *:(.*)$", re.IGNORECASE)
_INT = re.compile(r"\d{1,15}", re.ASCII)
_AUTHORS = re.compile(r"authors? *:(.*)$", re.IGNORECASE)
_WATCH = re.compile(r"\[watch video\] *(?:\(\s*(\S*?)\s*\)|(\S+))$", re.IGNORECASE)
_VIDEO_TAG = re.compile(r"""<video\b[^>]*?\ssrc *= *(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
                        re.IGNORECASE)


def _split_link(s: str) -> tuple[str, str, str] | None:
    """``[title](url)rest`` -> (title, url, rest), using the last ``](`` that closes the line."""
    if not s.startswith("["):
        return None
    i, tries = s.rfind("]("), 0
    while i > 0 and tries < 50:
        m = _URL.match(s, i + 2)
        if m and m.end() == len(s):
            return s[1:i], m[1], ""
        i, tries = s.rfind("](", 0, i), tries + 1
    i = s.find("](")
    m = _URL.match(s, i + 2) if i > 0 else None
    return (s[1:i], m[1], s[m.end():].strip()) if m else None


def _list_tokens(s: str) -> list[str] | None:
    """Tokens of a Python-style list string ``['a', "O'b"]``; None if malformed."""
    out: list[str] = []
    i, n = 1, len(s)
    while True:
        while i < n and s[i] in " ,":
            i += 1
        if i >= n:
            return None
        c = s[i]
        if c == "]":
            return out if not s[i + 1:].strip() else None
        if c in "'\"":
            j, buf = i + 1, []
            while j < n and s[j] != c:
                if s[j] == "\\" and j + 1 < n and s[j + 1] in "\\'\"":
                    j += 1
                buf.append(s[j])
                j += 1
            if j >= n:
                return None
            out.append("".join(buf))
            i = j + 1
        else:
            j = i
            while j < n and s[j] not in ",]":
                j += 1
            out.append(s[i:j])
            i = j


class _Parser:
    def __init__(self, source: str):
        self.out = ParsedFile(source)
        self.where = clean_text(source).replace("\n", " ")
        self.path_date = _date_from_name(source)
        self.days: dict[str, ParsedDay] = {}
        self.seen: dict[str, set[str]] = {}
        self.day_line: dict[str, int] = {}
        self.got: set[str] = set()

    def warn(self, line: int, message: str) -> None:
        self.out.warnings.append(ParseWarning(self.where, line, message))

    def open_day(self, d: str, n: int) -> ParsedDay:
        if d in self.days:
            self.warn(n, f"day header {d} repeated; merged into one day")
            return self.days[d]
        day = self.days[d] = ParsedDay(d)
        self.seen[d], self.day_line[d] = set(), n
        self.out.days.append(day)
        return day

    def header(self, n: int, head: str) -> ParsedDay | None:
        """A ``#``/``##`` heading: a day (new or merged) or None (another section)."""
        m = _DAY.fullmatch(head)
        if m is None:
            if head[:12].casefold() == "daily papers":
                self.warn(n, f"unreadable day header {head[:60]!r}; section skipped")
            return None
        dm = _DATE.fullmatch(m[1])
        d = _iso(*dm.groups()) if dm else None
        if d is None:
            if self.path_date is None:
                self.warn(n, f"bad date in day header {head[:60]!r}; section skipped")
                return None
            self.warn(n, f"bad date in day header {head[:60]!r}; using {self.path_date}")
            d = self.path_date
        elif self.path_date and d != self.path_date:
            self.warn(n, f"day header date {d} differs from the file name date {self.path_date}")
        return self.open_day(d, n)

    def new_paper(self, n: int, head: str, day: ParsedDay) -> Paper:
        title, url, rest = _split_link(head) or (head, "", "")
        if rest:
            title = f"{title} {rest}"
            self.warn(n, "text after the title link kept in the title")
        title, url = title.strip(), url.strip()
        if len(title) > MAX_TITLE:
            self.warn(n, f"title of {len(title):,} characters cut to {MAX_TITLE:,}")
            title = title[:MAX_TITLE] + "…"
        if url:
            pid = paper_id_from_url(url)
        else:
            pid = clean_text("title:" + " ".join(title.casefold().split()))
            self.warn(n, f"paper heading without a link; id {pid[:70]!r}")
        paper = Paper(pid, title, url, dates=[day.date])
        self.got = set()
        seen = self.seen[day.date]
        if pid in seen:
            self.warn(n, f"paper {pid[:70]} repeated on {day.date}; kept the first")
        else:
            seen.add(pid)
            day.papers.append(paper)
        return paper

    def text(self, p: Paper, n: int, s: str, why: str | None = None) -> None:
        """A line that is not a field: child of the last bullet, else an unlabelled bullet."""
        if p.bullets:
            p.bullets[-1].children.append(s)
            if why:
                self.warn(n, why)
        else:
            p.bullets.append(Bullet(None, s))
            self.warn(n, why or "text before the first bullet kept as an unlabelled bullet")

    def field(self, p: Paper, n: int, name: str, value: str, raw: str) -> None:
        current = getattr(p, name)
        if current is None and value:
            setattr(p, name, value)
        elif value != current:  # the same URL twice (Watch Video + <video>) is no news
            self.text(p, n, raw, f"extra or empty {name} line kept as text")

    def vote(self, p: Paper, n: int, value: str, raw: str) -> None:
        if "vote" in self.got:
            return self.text(p, n, raw, "second Vote line kept as text")
        self.got.add("vote")
        if _INT.fullmatch(value):
            p.votes = int(value)
        elif value not in ("", "-"):
            self.text(p, n, raw, f"bad vote {value[:30]!r} kept as text")

    def authors(self, p: Paper, n: int, value: str, raw: str) -> None:
        if "authors" in self.got:
            return self.text(p, n, raw, "second Authors line kept as text")
        self.got.add("authors")
        tokens = value.split(",")
        if value.startswith("["):
            listed = _list_tokens(value)
            if listed is None:
                self.warn(n, "malformed author list; split on commas")
                tokens = [t.strip().strip("'\"") for t in value.strip("[]").split(",")]
            else:
                tokens = listed
        seen: set[str] = set()
        for t in tokens:
            t = t.strip()
            if t == "+":
                p.authors_truncated = True
            elif t and t not in seen:  # the archive repeats names (Lihe Yang ×3): once
                seen.add(t)
                p.authors.append(t)

    def paper_line(self, p: Paper, n: int, line: str, c: str) -> None:
        s = line.strip()
        if c == " ":  # nested line: strip a bullet marker, keep numbering
            m = _BULLET.match(s)
            return self.text(p, n, m[1].strip() if m and m[1] else s)
        if c in "-*+":
            m = _BULLET.match(s)
            if m:
                body = (m[1] or "").strip()
                lm = _LABEL.match(body)
                bullet = Bullet(lm[1].strip(), lm[2].strip()) if lm else Bullet(None, body)
                p.bullets.append(bullet)
                return None
        elif c == "!":
            m = _IMG.match(s)
            if m:
                return self.field(p, n, "thumbnail", m[1], s)
        elif c in "Vv":
            m = _VOTE.match(s)
            if m:
                return self.vote(p, n, m[1].strip(), s)
        elif c in "Aa":
            m = _AUTHORS.match(s)
            if m:
                return self.authors(p, n, m[1].strip(), s)
        elif c == "[":
            m = _WATCH.match(s)
            if m:
                return self.field(p, n, "video", m[1] or m[2] or "", s)
        elif c == "<":
            i = s.find("<video")  # then one anchored match: no quadratic search
            m = _VIDEO_TAG.match(s, i) if i >= 0 else None
            if m:
                return self.field(p, n, "video", (m[1] or m[2] or m[3] or "").strip(), s)
        return self.text(p, n, s)

    def run(self, text: str) -> ParsedFile:
        text = clean_text(text)  # never adds or removes a newline: line numbers stay
        has_header = _DAY_LINE.search(text) is not None
        if has_header:
            day = None
        elif self.path_date:
            day = self.open_day(self.path_date, 1)
        else:
            self.warn(1, "no day header and no date in the file name; nothing taken")
            return self.out
        paper: Paper | None = None
        quiet = False  # warned already about text before the first paper
        for n, line in enumerate(text.split("\n"), 1):
            if not line or line.isspace():
                continue
            if len(line) > MAX_LINE:  # no digest line comes near; a huge one stalls the reader
                self.warn(n, f"line of {len(line):,} characters cut to {MAX_LINE:,}")
                line = line[:MAX_LINE] + "…"
            c = line[0]
            if c == "#":
                m = _HEAD.match(line)
                if m:
                    level, head = len(m[1]), (m[2] or "").strip()
                    if level <= 2:
                        paper, quiet = None, False
                        day = self.header(n, head)
                        continue
                    if level == 3:
                        quiet = False
                        if day is not None:
                            paper = self.new_paper(n, head, day)
                        elif head.startswith("[") and "](" in head:
                            self.warn(n, "paper heading outside a day ignored")
                        continue
            if day is None:
                continue
            if paper is None:
                if not quiet:
                    self.warn(n, "text before the first paper ignored")
                    quiet = True
                continue
            self.paper_line(paper, n, line, c)
        for d in list(self.out.days):
            if not d.papers:
                self.warn(self.day_line[d.date], f"day {d.date} has no papers")
                if not has_header:
                    self.out.days.remove(d)
        return self.out


def parse_text(text: str, source: str) -> ParsedFile:
    """Parse one digest page (already decoded)."""
    return _Parser(str(source)).run(text)


def parse_bytes(data: bytes, source: str) -> ParsedFile:
    """Decode (UTF-8, BOM or not; UTF-16 with BOM) and parse; bad bytes are replaced."""
    warning = None
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = data.count(b"\n", 0, e.start) + 1
            text = data.decode("utf-8-sig", errors="replace")
            warning = (line, "invalid UTF-8 bytes replaced with U+FFFD")
    out = parse_text(text, source)
    if warning:
        out.warnings.insert(0, ParseWarning(clean_text(str(source)).replace("\n", " "), *warning))
    return out


def parse_file(path: str | os.PathLike) -> ParsedFile:
    """Read ``path`` as bytes and parse it; an unreadable file gives a warning, not an error."""
    source = str(path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        out = ParsedFile(source)
        out.warnings.append(ParseWarning(clean_text(source).replace("\n", " "), 1,
                                           f"cannot read: {e.strerror}"))
        return out
    return parse_bytes(data, source)
