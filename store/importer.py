"""``papers import``: files and folders of digests into the corpus.

Idempotent and incremental: a file whose content hash is unchanged is
skipped; a changed file replaces the days it gives.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import META_KEYS, Corpus
from .parse import parse_bytes


@dataclass(slots=True)
class ImportReport:
    files_read: int = 0
    unchanged: int = 0
    skipped: int = 0  # binary, empty, unreadable or paper-less files
    days: int = 0
    added: int = 0
    updated: int = 0
    warnings: list[str] = field(default_factory=list)
    skipped_reasons: list[str] = field(default_factory=list)
    changed: bool = False
    touched: set[str] = field(default_factory=set)  # ids whose record or days may differ

    @property
    def imported_anything(self) -> bool:
        return self.files_read > 0 or self.unchanged > 0

    def summary(self) -> str:
        from .words import plural

        return (
            f"{plural(self.files_read, 'file')} read, {self.unchanged} unchanged, "
            f"{self.skipped} skipped; {plural(self.days, 'day')}, "
            f"{plural(self.added, 'paper')} added, {self.updated} updated; "
            f"{plural(len(self.warnings), 'warning')}"
        )


def shown(path: object) -> str:
    """A file name safe to print: control, bidi and undecodable characters escaped
    (a name can hold an escape sequence that would act on the terminal)."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in str(path))


def collect(paths: Iterable[str | os.PathLike], report: ImportReport) -> list[Path]:
    """Files named directly, and ``*.md`` under folders, each once, in path order."""
    found: dict[str, Path] = {}
    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            for sub in sorted(p.rglob("*.md")):
                if sub.is_file():
                    found.setdefault(str(sub.resolve()), sub)
        elif p.is_file():
            found.setdefault(str(p.resolve()), p)
        else:
            report.skipped += 1
            report.skipped_reasons.append(f"{shown(raw)}: no such file or directory")
    return [found[k] for k in sorted(found)]


# Bumped when the parser reads the same file differently (2: repeated authors kept
# once), so that the next import re-reads files it already has.
PARSER_VERSION = 2


def _binary_reason(data: bytes) -> str | None:
    if not data.strip():
        return "empty file"
    head = data[:8192]
    if b"\x00" in head:
        return "binary file (contains NUL bytes)"
    return None


def run_import(
    corpus: Corpus,
    paths: Iterable[str | os.PathLike],
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    report = ImportReport()
    files = collect(paths, report)
    initial = set(corpus.meta)
    touched: set[str] = set()  # ids whose dates may have changed
    updated: set[str] = set()
    for n, path in enumerate(files, 1):
        if progress:
            progress(n, len(files))
        key = os.fsencode(path.resolve()).decode("utf-8", "backslashreplace")  # JSON-safe
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.skipped += 1
            report.skipped_reasons.append(f"{shown(path)}: cannot read ({exc.strerror or exc})")
            continue
        reason = _binary_reason(data)
        if reason:
            report.skipped += 1
            report.skipped_reasons.append(f"{shown(path)}: {reason}")
            continue
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        known = corpus.files.get(key)
        if known and known.get("hash") == digest and known.get("parser") == PARSER_VERSION:
            report.unchanged += 1
            continue
        parsed = parse_bytes(data, str(path))
        report.warnings.extend(str(w) for w in parsed.warnings)
        if parsed.paper_count == 0:
            report.skipped += 1
            report.skipped_reasons.append(f"{shown(path)}: no papers found")
            continue
        report.files_read += 1
        report.changed = True
        new_dates = [d.date for d in parsed.days]
        for old_date in (known or {}).get("dates", []):  # days this file no longer gives
            if old_date not in new_dates and corpus.days.get(old_date, {}).get("source") == key:
                touched.update(corpus.days.pop(old_date)["ids"])
        for day in parsed.days:
            if day.date in corpus.days:
                touched.update(corpus.days[day.date]["ids"])
            for paper in day.papers:
                touched.add(paper.id)
                if _store_paper(corpus, paper.to_json(), day.date):
                    updated.add(paper.id)
            corpus.days[day.date] = {
                "date": day.date, "ids": [p.id for p in day.papers], "source": key,
            }
        corpus.files[key] = {"path": key, "hash": digest, "dates": new_dates,
                             "parser": PARSER_VERSION}
    if touched:
        _recompute_dates(corpus, touched)
    report.touched = touched
    report.added = len(set(corpus.meta) - initial)
    report.updated = len(updated & initial & set(corpus.meta))
    report.days = len(corpus.days)
    return report


def _store_paper(corpus: Corpus, record: dict, date: str) -> bool:
    """Keep the newest day's version of a paper; True if an existing record changed."""
    current = corpus.meta.get(record["id"])
    if current is not None and current.get("from", "") > date:
        return False
    meta = {k: record[k] for k in META_KEYS}
    meta["from"] = date
    meta["dates"] = current["dates"] if current else []
    if current == meta and corpus.body(record["id"]) == record["bullets"]:
        return False
    corpus.set_body(record["id"], meta, record["bullets"])
    corpus.meta[record["id"]] = meta
    return current is not None


def _recompute_dates(corpus: Corpus, touched: set[str]) -> None:
    listed: dict[str, list[str]] = {}
    for date, day in corpus.days.items():
        for pid in day["ids"]:
            if pid in touched:
                listed.setdefault(pid, []).append(date)
    for pid in touched:
        meta = corpus.meta.get(pid)
        if meta is None:
            continue
        dates = sorted(set(listed.get(pid, ())), reverse=True)
        if dates:
            if meta.get("dates") != dates:  # assigned, not changed in place: marks its month
                corpus.meta[pid] = {**meta, "dates": dates}
        else:  # no day lists it any more
            corpus.drop_body(pid)
            del corpus.meta[pid]
