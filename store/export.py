"""Exports: papers (with their reader state) as BibTeX, digest Markdown, CSV or JSON.

Pure formatters: they take an ``ExportSet`` the Store builds and return text; no I/O.
Text is written as is (UTF-8, Korean intact); every format escapes what its syntax needs,
so nothing in a title, an author list, a summary or a note can break the file:

* BibTeX: LaTeX specials are escaped with brace-balanced macros (``\\textbraceleft{}``),
  so every field value keeps balanced braces; names with a comma or `` and `` are braced.
* Markdown: the digest format itself, written so ``store.parse`` reads back exactly the
  papers it was given (``export -> import`` is the identity on the corpus).
* CSV: RFC 4180 quoting by the ``csv`` module; JSON: orjson.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import orjson

from .models import Bullet, Paper

__all__ = [
    "FORMATS",
    "ExportPaper",
    "ExportSet",
    "bibtex_escape",
    "bibtex_keys",
    "paper_record",
    "render",
    "suggest_name",
    "to_bibtex",
    "to_csv",
    "to_json",
    "to_markdown",
]


@dataclass(slots=True)
class ExportPaper:
    """A full paper (with bullets) and its reader state."""

    paper: Paper
    read: bool = False
    bookmarked: bool = False
    tags: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass(slots=True)
class ExportSet:
    """Papers grouped by day, newest day first; a paper may sit under several days."""

    days: list[tuple[str, list[ExportPaper]]] = field(default_factory=list)

    def unique(self) -> Iterator[tuple[str, ExportPaper]]:
        """Each paper once, with the first (newest) day it is listed under."""
        seen: set[str] = set()
        for date, items in self.days:
            for item in items:
                if item.paper.id not in seen:
                    seen.add(item.paper.id)
                    yield date, item

    def __len__(self) -> int:
        return sum(1 for _ in self.unique())


def paper_record(item: ExportPaper) -> dict:
    """The CLI's JSON paper object: ``Paper.to_json()`` + read, bookmarked, tags, note."""
    data = item.paper.to_json()
    data["read"] = item.read
    data["bookmarked"] = item.bookmarked
    data["tags"] = list(item.tags)
    data["note"] = item.note
    return data


# ---------------------------------------------------------------- JSON / CSV
def to_json(s: ExportSet) -> str:
    records = [paper_record(item) for _, item in s.unique()]
    return orjson.dumps(records, option=orjson.OPT_INDENT_2).decode() + "\n"


CSV_COLUMNS = ("date", "id", "title", "url", "votes", "authors", "tags", "bookmarked", "read")


def to_csv(s: ExportSet) -> str:
    """One row per paper; authors ``; ``-joined (names may hold commas), tags ``, ``-joined."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for date, item in s.unique():
        p = item.paper
        authors = list(p.authors) + (["et al."] if p.authors_truncated else [])
        w.writerow([
            date, p.id, _one_line(p.title), p.url, "" if p.votes is None else p.votes,
            "; ".join(authors), ", ".join(item.tags),
            "true" if item.bookmarked else "false", "true" if item.read else "false",
        ])
    return buf.getvalue()


def _one_line(text: str) -> str:
    return " ".join(text.split("\n")) if "\n" in text or "\r" in text else text


# ---------------------------------------------------------------- BibTeX
_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_TEX_RE = re.compile(r"[\\{}#$%&_^~]")
_CTRL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def bibtex_escape(text: str) -> str:
    """Text for a brace-delimited BibTeX value: LaTeX specials escaped, braces balanced."""
    text = _CTRL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    return _TEX_RE.sub(lambda m: _TEX_SPECIAL[m.group(0)], text)


def _bibtex_url(url: str) -> str:
    """A URL stays a URL (``%``/``#`` as is, for ``\\url``); braces, backslashes and
    whitespace, which would break the value or the URL, are percent-encoded."""
    out = []
    for ch in url:
        if ch in "{}\\" or ch.isspace() or ord(ch) < 0x20:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
        else:
            out.append(ch)
    return "".join(out)


def _bibtex_name(name: str) -> str:
    name = " ".join(name.split())
    esc = bibtex_escape(name)
    # a comma would turn "A, B" into "Last, First"; " and " would split the name in two
    if "," in name or re.search(r"\band\b", name, re.IGNORECASE):
        return "{" + esc + "}"
    return esc


def _ascii_fold(text: str) -> str:
    d = unicodedata.normalize("NFKD", text)
    return "".join(c for c in d if c.isascii() and c.isalnum()).lower()


_ARXIV_ID = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")
_OLD_ARXIV_ID = re.compile(r"^[a-z][a-z.-]*/(\d{2})\d{5}$")
# Words a citation key does not start with ("On Path to ..." gives yan2025path, not
# yan2025on); a title of nothing else keeps its first word.
_STOP_WORDS = {
    "a", "an", "the", "and", "or", "of", "on", "in", "at", "to", "for", "from", "by",
    "with", "into", "onto", "via", "as", "is", "are", "be", "do", "does", "can", "how",
    "what", "why", "when", "where", "which", "who",
}


def _year(p: Paper) -> str:
    m = _ARXIV_ID.match(p.id) or _OLD_ARXIV_ID.match(p.id)
    if m:
        yy = int(m.group(1))
        return str(1900 + yy if yy >= 91 else 2000 + yy)
    dates = sorted(p.dates)
    return dates[0][:4] if dates else ""


def _is_arxiv(pid: str) -> bool:
    return bool(_ARXIV_ID.match(pid) or _OLD_ARXIV_ID.match(pid))


def _base_key(p: Paper) -> str:
    surname = ""
    if p.authors:
        parts = p.authors[0].split()
        if "," in p.authors[0]:  # "Last, First"
            parts = [p.authors[0].split(",")[0]]
        for part in reversed(parts):
            surname = _ascii_fold(part)
            if surname:
                break
    words = [_ascii_fold(w) for w in p.title.split()]
    words = [w for w in words if w]
    first = next((w for w in words if w not in _STOP_WORDS), words[0] if words else "")
    return (surname or "anon") + _year(p) + first


def _suffix(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, ..."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(97 + r) + out
    return out


def bibtex_keys(papers: list[Paper]) -> dict[str, str]:
    """Paper id -> citation key: surname + year + first title word, ASCII-folded;
    keys shared by several papers get a, b, ... suffixes in arXiv-id order."""
    groups: dict[str, list[str]] = {}
    for p in papers:
        groups.setdefault(_base_key(p), []).append(p.id)
    keys: dict[str, str] = {}
    taken = {k for k, ids in groups.items() if len(ids) == 1}
    for base, ids in groups.items():
        if len(ids) == 1:
            keys[ids[0]] = base
            continue
        n = 0
        for pid in sorted(ids):
            while base + _suffix(n) in taken:
                n += 1
            keys[pid] = base + _suffix(n)
            taken.add(keys[pid])
            n += 1
    return keys


def to_bibtex(s: ExportSet) -> str:
    items = [item for _, item in s.unique()]
    keys = bibtex_keys([i.paper for i in items])
    out = []
    for item in items:
        p = item.paper
        fields: list[tuple[str, str]] = [("title", bibtex_escape(_one_line(p.title)))]
        names = [_bibtex_name(a) for a in p.authors if a.strip()]
        if p.authors_truncated:
            names.append("others")
        if names:
            fields.append(("author", " and ".join(names)))
        year = _year(p)
        if year:
            fields.append(("year", year))
        if _is_arxiv(p.id):
            fields.append(("eprint", bibtex_escape(p.id)))
            fields.append(("archivePrefix", "arXiv"))
        if p.url:
            fields.append(("url", _bibtex_url(p.url)))
        if item.note:
            fields.append(("note", bibtex_escape(item.note)))
        if item.tags:
            fields.append(("keywords", bibtex_escape(", ".join(item.tags))))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        out.append(f"@misc{{{keys[p.id]},\n{body}\n}}\n")
    return "\n".join(out)


# ---------------------------------------------------------------- Markdown (the digest)
# Patterns of store.parse that a line of ours must (or must not) match.
_LABEL_LIKE = re.compile(r"\*{2,3}([^*]+?)(?:\*{2,3} *:|: *\*{2,3}) *(.*)$")
_URL_OK = re.compile(r"[^\s()]*(?:\([^\s()]*\)[^\s()]*)*$")


def _md_url(url: str) -> str:
    """A link target the parser reads back whole: as is when it can be (always, for a
    URL the parser produced); else whitespace and unbalanced parentheses percent-encoded."""
    url = url.strip()
    if _URL_OK.match(url):
        return url
    return re.sub(r"[\s()]", lambda m: f"%{ord(m.group(0)):02X}", url)


def _md_target(url: str) -> str:
    """An image target: anything without whitespace reads back as is."""
    url = _one_line(url).strip()
    return re.sub(r"\s", lambda m: f"%{ord(m.group(0)):02X}", url)


def _md_author_line(p: Paper) -> str | None:
    names = [_one_line(a).strip() for a in p.authors]
    if not names and not p.authors_truncated:
        return None
    plain = all(
        a and "," not in a and a != "+" and not a.startswith(("[", "'", '"')) for a in names
    )
    if plain:
        return "Authors: " + ", ".join(names + (["+"] if p.authors_truncated else []))
    quoted = ["'" + a.replace("\\", "\\\\").replace("'", "\\'") + "'" for a in names]
    if p.authors_truncated:
        quoted.append("'+'")
    return "Authors: [" + ", ".join(quoted) + "]"


def _md_bullet(b: Bullet, first: bool) -> list[str]:
    text = _one_line(b.text).strip()
    if b.label is not None:
        label = _one_line(b.label).strip() or " "  # "** **:" reads back as label ""
        # "**a:**: x" would read back as label "a"; "**a::** x" reads back as "a:"
        head = (f"- **{label}:** {text}" if label.endswith(":")
                else f"- **{label}**: {text}").rstrip()
    elif first and _LABEL_LIKE.match(text):
        # only the parser's "text before the first bullet" yields this: write it back so
        head = text
    else:
        head = f"- {text}".rstrip()
    lines = [head]
    for child in b.children:
        c = _one_line(child).strip()
        if c:
            lines.append(f"  - {c}")
    return lines


def _md_paper(p: Paper) -> list[str]:
    lines = [f"### [{_one_line(p.title).strip()}]({_md_url(p.url)})", ""]
    if p.thumbnail:
        lines += [f"![]({_md_target(p.thumbnail)})", ""]
    if p.video:
        v = p.video.strip()
        if any(ch.isspace() for ch in v) and '"' not in v:
            lines += [f'<video controls src="{v}"></video>', ""]
        else:
            lines += [f"[Watch Video]({v})", ""]
    if p.votes is not None:
        lines += [f"Vote: {p.votes}", ""]
    authors = _md_author_line(p)
    if authors:
        lines += [authors, ""]
    for n, b in enumerate(p.bullets):
        lines += _md_bullet(b, n == 0)
    if p.bullets:
        lines.append("")
    return lines


def to_markdown(s: ExportSet) -> str:
    """``## Daily Papers (date)`` per day, newest first, each paper as the digest has it."""
    lines: list[str] = []
    for date, items in s.days:
        if not items:
            continue
        lines += [f"## Daily Papers ({date})", ""]
        for item in items:
            lines += _md_paper(item.paper)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


# ---------------------------------------------------------------- registry
FORMATS: dict[str, tuple[Callable[[ExportSet], str], str]] = {
    "bibtex": (to_bibtex, "bib"),
    "markdown": (to_markdown, "md"),
    "csv": (to_csv, "csv"),
    "json": (to_json, "json"),
}


def render(fmt: str, s: ExportSet) -> str:
    try:
        func = FORMATS[fmt][0]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})") from None
    return func(s)


def suggest_name(label: str, fmt: str) -> str:
    """A file name for an export of ``label`` (e.g. a day, "bookmarks", a tag)."""
    stem = re.sub(r"[^\w.-]+", "-", label.strip(), flags=re.UNICODE).strip("-.") or "papers"
    return f"papers-{stem}.{FORMATS[fmt][1]}"
