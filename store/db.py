"""The Store: the one object the UI and the CLI talk to.

Corpus (``corpus.json`` + ``bodies/``) and reader state (``state.json``)
live in separate TinyDB files under the data directory, so a state change
never rewrites the corpus.  Only ``store/`` touches these files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .corpus import Corpus
from .importer import ImportReport, run_import
from .models import Bullet, Paper
from .state import StateFile
from .storage import StoreError, atomic_write, file_lock

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
SEARCH_FILE = "search.idx"


def default_home() -> Path:
    env = os.environ.get("PAPERS_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("papers", appauthor=False))


@dataclass(slots=True)
class DayInfo:
    date: str  # YYYY-MM-DD
    total: int
    unread: int


class Store:
    """Corpus + reader state.  Every state change is on disk when the call returns."""

    def __init__(self, home: Path, *, sample: bool = True) -> None:
        self.home = Path(home)
        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create data directory {self.home}: {exc.strerror}") from exc
        if not self.home.is_dir():
            raise StoreError(f"data directory {self.home} is not a directory")
        self.messages: list[str] = []
        self.corpus = Corpus(self.home, self.messages)
        self.state = StateFile(self.home / "state.json", self.messages)
        self._index = None
        if sample and not self.corpus.days and SAMPLE_DIR.is_dir():
            self.import_paths([SAMPLE_DIR])

    @classmethod
    def open(cls, home: str | os.PathLike | None = None, *, sample: bool = True) -> "Store":
        return cls(Path(home).expanduser() if home else default_home(), sample=sample)

    # -- corpus ------------------------------------------------------------
    def days(self) -> list[DayInfo]:
        """Every day, newest first, with its unread count."""
        is_read = self.is_read
        out = []
        for date in sorted(self.corpus.days, reverse=True):
            ids = self.corpus.days[date]["ids"]
            unread = sum(1 for i in ids if not is_read(i))
            out.append(DayInfo(date, len(ids), unread))
        return out

    def day_ids(self, date: str) -> list[str]:
        day = self.corpus.days.get(date)
        return list(day["ids"]) if day else []

    def day_papers(self, date: str) -> list[Paper]:
        """The day's papers in file order (metadata; bullets not loaded)."""
        return [p for p in (self.get(i) for i in self.day_ids(date)) if p is not None]

    def get(self, paper_id: str) -> Paper | None:
        meta = self.corpus.meta.get(paper_id)
        return None if meta is None else Paper.from_json(meta)

    def paper(self, paper_id: str) -> Paper | None:
        """The full paper, with its summary bullets."""
        paper = self.get(paper_id)
        if paper is not None:
            bullets = self.corpus.body(paper_id)
            paper.bullets = [Bullet.from_json(b) for b in bullets]
        return paper

    def ids(self) -> list[str]:
        return list(self.corpus.meta)

    def __contains__(self, paper_id: str) -> bool:
        return paper_id in self.corpus.meta

    def papers(self) -> Iterable[Paper]:
        """Every paper, full (used for indexing and exports)."""
        for pid in self.corpus.meta:
            paper = self.paper(pid)
            if paper is not None:
                yield paper

    def bookmarked(self) -> list[Paper]:
        """Bookmarked papers still in the corpus, newest day first."""
        papers = [p for p in map(self.get, self.state.ids_where("bookmark")) if p is not None]
        papers.sort(key=lambda p: (p.dates[0] if p.dates else "", p.id), reverse=True)
        return papers

    # -- state -------------------------------------------------------------
    def is_read(self, paper_id: str) -> bool:
        return bool(self.state.value("read", paper_id, False))

    def is_bookmarked(self, paper_id: str) -> bool:
        return bool(self.state.value("bookmark", paper_id, False))

    def set_read(self, ids: Iterable[str], value: bool = True) -> None:
        self.state.change("read", {i: bool(value) for i in ids})

    def set_bookmarked(self, ids: Iterable[str], value: bool = True) -> None:
        self.state.change("bookmark", {i: bool(value) for i in ids})

    def refresh(self) -> bool:
        """Pick up changes another process made to the state; True if any."""
        return self.state.refresh()

    def ui_get(self, key: str, default: Any = None) -> Any:
        return self.state.ui.get(key, default)

    def ui_set(self, key: str, value: Any) -> None:
        if self.state.ui.get(key) != value:
            self.state.set_ui(key, value)

    # -- import ------------------------------------------------------------
    def import_paths(
        self,
        paths: Iterable[str | os.PathLike],
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportReport:
        with file_lock(self.home / "corpus.json.lock"):
            report = run_import(self.corpus, paths, progress)
            if report.changed:
                self.corpus.save()
                self._write_index()
        return report

    # -- search ------------------------------------------------------------
    def _write_index(self) -> None:
        try:
            from .search import SearchIndex
        except ImportError:  # search engine not built yet
            return
        self._index = SearchIndex.build(self.papers())
        atomic_write(self.home / SEARCH_FILE, self._index.to_bytes(), backup=False)

    @property
    def index(self):
        if self._index is None:
            from .search import SearchIndex

            path = self.home / SEARCH_FILE
            try:
                self._index = SearchIndex.from_bytes(path.read_bytes())
            except Exception:  # missing or damaged: rebuild from the corpus
                self._write_index()
        return self._index

    def _state_of(self, paper_id: str) -> tuple[bool, bool]:
        return (self.is_read(paper_id), self.is_bookmarked(paper_id))

    def search(self, query: str, limit: int = 50):
        return self.index.search(query, limit, state=self._state_of)
