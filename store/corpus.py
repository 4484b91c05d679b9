"""The corpus on disk: paper metadata, summaries and the import bookkeeping.

``corpus.json`` (TinyDB) holds three tables: ``papers`` (metadata without the
summary bullets), ``days`` (date -> ids in file order, and the file it came
from) and ``files`` (path -> content hash and the dates it gave).
``bodies.json`` (TinyDB) holds the bullets, loaded only when a paper is
opened, so the first screen never waits for them.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from .storage import atomic_write, load_json

META_KEYS = ("id", "title", "url", "dates", "votes", "authors", "authors_truncated",
             "thumbnail", "video")


def _rows(data: dict | None, table: str) -> list[dict]:
    return list(((data or {}).get(table) or {}).values())


def _table(rows: list[dict]) -> dict[str, dict]:
    return {str(i): row for i, row in enumerate(rows, 1)}


class Corpus:
    def __init__(self, home: Path, notices: list[str]) -> None:
        self.path = home / "corpus.json"
        self.bodies_path = home / "bodies.json"
        self.notices = notices
        data = load_json(self.path, notices)
        self.meta: dict[str, dict] = {}
        for row in _rows(data, "papers"):
            if isinstance(row.get("id"), str):
                self.meta[row["id"]] = row
        self.days: dict[str, dict] = {}
        for row in _rows(data, "days"):
            if isinstance(row.get("date"), str) and isinstance(row.get("ids"), list):
                self.days[row["date"]] = row
        self.files: dict[str, dict] = {}
        for row in _rows(data, "files"):
            if isinstance(row.get("path"), str):
                self.files[row["path"]] = row
        self._bodies: dict[str, list] | None = None

    # -- bodies ------------------------------------------------------------
    @property
    def bodies(self) -> dict[str, list]:
        if self._bodies is None:
            self._bodies = {}
            for row in _rows(load_json(self.bodies_path, self.notices), "bodies"):
                if isinstance(row.get("id"), str) and isinstance(row.get("bullets"), list):
                    self._bodies[row["id"]] = row["bullets"]
        return self._bodies

    # -- saving ------------------------------------------------------------
    def save(self, with_bodies: bool) -> None:
        if with_bodies:
            rows = [{"id": k, "bullets": v} for k, v in self.bodies.items()]
            atomic_write(self.bodies_path, orjson.dumps({"bodies": _table(rows)}))
        data = {
            "papers": _table(list(self.meta.values())),
            "days": _table(sorted(self.days.values(), key=lambda d: d["date"])),
            "files": _table(list(self.files.values())),
        }
        atomic_write(self.path, orjson.dumps(data))
