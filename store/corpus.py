"""The corpus on disk: paper metadata, summaries and the import bookkeeping.

``corpus.json`` (TinyDB) holds three tables: ``papers`` (metadata without the
summary bullets), ``days`` (date -> ids in file order, and the file it came
from) and ``files`` (path -> content hash and the dates it gave).
The summary bullets live in ``bodies/YYYY-MM.json`` (TinyDB), one file per
month of the day a paper's text came from: opening a paper loads one small
file, and an import rewrites only the months it touched.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson

from .storage import atomic_write, load_json, malformed_notice

META_KEYS = ("id", "title", "url", "dates", "votes", "authors", "authors_truncated",
             "thumbnail", "video")


def _rows(data: dict | None, table: str) -> list[dict]:
    return list(((data or {}).get(table) or {}).values())


def _table(rows: list[dict]) -> dict[str, dict]:
    return {str(i): row for i, row in enumerate(rows, 1)}


class Corpus:
    def __init__(self, home: Path, notices: list[str]) -> None:
        self.path = home / "corpus.json"
        self.notices = notices
        self._sig = self._signature()
        data = load_json(self.path, notices)
        self.meta: dict[str, dict] = {}
        bad = 0
        for row in _rows(data, "papers"):
            if isinstance(row.get("id"), str):
                self.meta[row["id"]] = row
            else:
                bad += 1
        self.days: dict[str, dict] = {}
        for row in _rows(data, "days"):
            if isinstance(row.get("date"), str) and isinstance(row.get("ids"), list):
                self.days[row["date"]] = row
            else:
                bad += 1
        self.files: dict[str, dict] = {}
        for row in _rows(data, "files"):
            if isinstance(row.get("path"), str):
                self.files[row["path"]] = row
            else:
                bad += 1
        if bad:  # said, the file kept; and the next import re-reads every file
            notices.append(malformed_notice(self.path, bad) + "; import the digests again")
            self.files = {}
        self.bodies_dir = home / "bodies"
        self._shards: dict[str, dict[str, list]] = {}
        self._dirty: set[str] = set()

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def changed_on_disk(self) -> bool:
        """True if ``corpus.json`` was replaced since this copy was loaded or saved."""
        return self._signature() != self._sig

    # -- bodies ------------------------------------------------------------
    def _shard(self, month: str) -> dict[str, list]:
        shard = self._shards.get(month)
        if shard is None:
            shard = {}
            path = self.bodies_dir / f"{month}.json"
            for row in _rows(load_json(path, self.notices), "bodies"):
                if isinstance(row.get("id"), str) and isinstance(row.get("bullets"), list):
                    shard[row["id"]] = row["bullets"]
            self._shards[month] = shard
        return shard

    @staticmethod
    def _month(meta: dict) -> str:
        return str(meta.get("from") or "unknown")[:7]

    def body(self, paper_id: str) -> list:
        meta = self.meta.get(paper_id)
        if meta is None:
            return []
        return self._shard(self._month(meta)).get(paper_id) or []

    def set_body(self, paper_id: str, meta: dict, bullets: list) -> None:
        """Store ``bullets`` for a paper whose metadata is (becoming) ``meta``."""
        old = self.meta.get(paper_id)
        if old is not None and self._month(old) != self._month(meta):
            self.drop_body(paper_id)
        month = self._month(meta)
        self._shard(month)[paper_id] = bullets
        self._dirty.add(month)

    def drop_body(self, paper_id: str) -> None:
        meta = self.meta.get(paper_id)
        if meta is not None:
            month = self._month(meta)
            if self._shard(month).pop(paper_id, None) is not None:
                self._dirty.add(month)

    # -- saving ------------------------------------------------------------
    def save(self) -> None:
        """Bodies first, then the metadata that points at them."""
        if self._dirty:
            self.bodies_dir.mkdir(exist_ok=True)
        for month in sorted(self._dirty):
            rows = [{"id": k, "bullets": v} for k, v in self._shards[month].items()]
            atomic_write(self.bodies_dir / f"{month}.json",
                         orjson.dumps({"bodies": _table(rows)}))
        self._dirty.clear()
        data = {
            "papers": _table(list(self.meta.values())),
            "days": _table(sorted(self.days.values(), key=lambda d: d["date"])),
            "files": _table(list(self.files.values())),
        }
        atomic_write(self.path, orjson.dumps(data))
        self._sig = self._signature()
