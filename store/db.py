"""The Store: the one object the UI and the CLI talk to.

Corpus (``corpus.json`` + ``meta/`` + ``bodies/``) and reader state (``state.json``)
live in separate TinyDB files under the data directory, so a state change
never rewrites the corpus.  Only ``store/`` touches these files.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .corpus import Corpus
from .index_file import IndexFile
from .models import Bullet, Paper
from .relatedstore import RelatedPapers
from .state import StateFile
from .storage import StoreError, file_lock, gc_paused

if TYPE_CHECKING:
    from .importer import ImportReport

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"


def default_home() -> Path:
    env = os.environ.get("PAPERS_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("papers", appauthor=False))


class DayInfo:
    """A day of the digest and its counts.  (A plain class: a dataclass costs a few
    tenths of a millisecond to make, at every start-up.)"""

    __slots__ = ("date", "total", "unread")

    def __init__(self, date: str, total: int, unread: int) -> None:
        self.date = date  # YYYY-MM-DD
        self.total = total
        self.unread = unread

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DayInfo):
            return NotImplemented
        return (self.date, self.total, self.unread) == (other.date, other.total, other.unread)

    def __repr__(self) -> str:
        return f"DayInfo({self.date!r}, total={self.total}, unread={self.unread})"


class _PaperState:
    """A lazy ``(read, bookmarked, tags, has_note)`` for the search engine's state filters
    (called for every candidate paper: each filter fetches only the field it tests)."""

    __slots__ = ("_id", "_state")
    _FIELDS = ("read", "bookmark", "tags", "note")

    def __init__(self, state: StateFile, paper_id: str) -> None:
        self._state, self._id = state, paper_id

    def __len__(self) -> int:
        return 4

    # the ``search.ReaderState`` record's names, each fetched only when asked for
    read = property(lambda self: self[0])
    bookmarked = property(lambda self: self[1])
    tags = property(lambda self: self[2])
    has_note = property(lambda self: self[3])

    def __getitem__(self, index: int) -> Any:
        entry = self._state.entry(self._FIELDS[index], self._id)
        value = None if entry is None else entry[0]
        if index == 2:
            return value if isinstance(value, list) else []
        return bool(value)

    def __iter__(self):
        return (self[i] for i in range(4))


class Changes:
    """What ``Store.poll`` found another process had changed: the reader state, the
    corpus (an import or update), and which days that added (newest first)."""

    __slots__ = ("corpus", "days_added", "state")

    def __init__(self, state: bool = False, corpus: bool = False,
                 days_added: list[str] | None = None) -> None:
        self.state, self.corpus, self.days_added = state, corpus, days_added or []

    def __bool__(self) -> bool:
        return self.state or self.corpus

    def __repr__(self) -> str:
        return f"Changes(state={self.state}, corpus={self.corpus}, days_added={self.days_added})"


class Store(IndexFile, RelatedPapers):
    """Corpus + reader state (and the search index's file, ``IndexFile``; related papers,
    ``RelatedPapers``).  Every state change is on disk when the call returns."""

    def __init__(self, home: Path, *, sample: bool = True) -> None:
        self.home = Path(home)
        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create data directory {self.home}: {exc.strerror}") from exc
        if not self.home.is_dir():
            raise StoreError(f"data directory {self.home} is not a directory")
        self.messages: list[str] = []
        # Loading makes ~10 objects per paper that live as long as the process: keep the
        # cyclic collector out of it (it halves the load at 55k papers), then freeze them
        # so later collections don't walk them again.
        with gc_paused():
            self.corpus = Corpus(self.home, self.messages)
            self.state = StateFile(self.home / "state.json", self.messages)
        gc.freeze()
        self._engine = None  # the search engine: made (and search.idx read) on first use
        self._related = None  # related papers: related.bin read on first use
        if sample and not self.corpus.days and SAMPLE_DIR.is_dir():
            self.import_paths([SAMPLE_DIR])

    @classmethod
    def open(cls, home: str | os.PathLike | None = None, *, sample: bool = True) -> Store:
        return cls(Path(home).expanduser() if home else default_home(), sample=sample)

    # -- corpus ------------------------------------------------------------
    def days(self) -> list[DayInfo]:
        """Every day, newest first, with its unread count."""
        read = set(self.state.ids_where("read"))  # one set, not a lookup per paper
        out = []
        days = self.corpus.days
        for date in sorted(days, reverse=True):
            ids = days[date]["ids"]
            unread = len(ids) - sum(map(read.__contains__, ids)) if read else len(ids)
            out.append(DayInfo(date, len(ids), unread))
        return out

    def listed_count(self) -> int:
        """How many papers the days list (one listed on two days counts twice): the
        archive's size, cheaply (no id locator is built)."""
        return sum(len(day["ids"]) for day in self.corpus.days.values())

    def day_ids(self, date: str) -> list[str]:
        day = self.corpus.days.get(date)
        return list(day["ids"]) if day else []

    def day_papers(self, date: str) -> list[Paper]:
        """The day's papers in file order (metadata; bullets not loaded)."""
        self.corpus.meta.read_month(date[:7])  # where most of them are
        return [p for p in (self.get(i) for i in self.day_ids(date)) if p is not None]

    def get(self, paper_id: str) -> Paper | None:
        meta = self.corpus.meta.get(paper_id)
        return None if meta is None else Paper.from_json(meta)

    def listed(self, paper_ids: list[str]) -> list[Paper | None]:
        """Each paper's title, authors, dates and votes (no summary, no url) for a list
        of search results: from the search index, so no month's file is read (the first
        search after start read one per result); from the corpus for a paper the index
        lacks; None for a paper no longer in the corpus."""
        meta = self.corpus.meta
        out: list[Paper | None] = []
        for pid, rec in zip(paper_ids, self.engine.records(paper_ids)):
            if pid not in meta:
                out.append(None)
            elif rec is None:
                out.append(self.get(pid))
            else:
                title, authors, dates, votes = rec
                out.append(Paper(id=pid, title=title, url="", dates=list(dates),
                                 votes=votes, authors=list(authors)))
        return out

    def paper(self, paper_id: str) -> Paper | None:
        """The full paper, with its summary bullets."""
        paper = self.get(paper_id)
        if paper is not None:
            bullets = self.corpus.body(paper_id)
            paper.bullets = [Bullet.from_json(b) for b in bullets]
        return paper

    def load_bullets(self, papers: Iterable[Paper]) -> None:
        """Fill in the summary bullets of papers from ``get`` / ``day_papers`` (each
        month's bodies are read once, however many of its papers are asked for)."""
        for paper in papers:
            paper.bullets = [Bullet.from_json(b) for b in self.corpus.body(paper.id)]

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

    # -- notes and tags (reader state, like bookmarks) ---------------------
    def note(self, paper_id: str) -> str | None:
        value = self.state.value("note", paper_id)
        return value if isinstance(value, str) and value else None

    def has_note(self, paper_id: str) -> bool:
        return self.note(paper_id) is not None

    def set_note(self, paper_id: str, text: str | None) -> str | None:
        """Set (or, with None / blank text, remove) a paper's note; returns what is kept."""
        from .sync import normalize_note

        text = normalize_note(text)
        if text != self.note(paper_id):
            self.state.change("note", {paper_id: text})
        return text

    def tags(self, paper_id: str) -> list[str]:
        value = self.state.value("tags", paper_id)
        return [t for t in value if isinstance(t, str)] if isinstance(value, list) else []

    def set_tags(self, paper_id: str, tags: Iterable[str]) -> list[str]:
        """Replace a paper's tags (normalised: lower case, no commas, no duplicates)."""
        from .sync import normalize_tags

        tags = normalize_tags(tags)
        if tags != self.tags(paper_id):
            self.state.change("tags", {paper_id: tags})
        return tags

    def edit_tags(self, paper_id: str, add: Iterable[str] = (), remove: Iterable[str] = ()
                  ) -> list[str]:
        from .sync import normalize_tags

        gone = set(normalize_tags(remove))
        kept = [t for t in self.tags(paper_id) if t not in gone]
        return self.set_tags(paper_id, kept + [t for t in normalize_tags(add) if t not in gone])

    def all_tags(self) -> list[tuple[str, int]]:
        """Every tag on a paper in the corpus, with its paper count; most used first."""
        counts: dict[str, int] = {}
        for pid, (value, _) in self.state.entries("tags").items():
            if isinstance(value, list) and pid in self.corpus.meta:
                for t in value:
                    if isinstance(t, str):
                        counts[t] = counts.get(t, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def tagged(self, tag: str) -> list[Paper]:
        """Papers carrying ``tag``, newest day first."""
        from .sync import normalize_tag

        tag = normalize_tag(tag)
        ids = [pid for pid, (value, _) in self.state.entries("tags").items()
               if isinstance(value, list) and tag in value]
        papers = [p for p in map(self.get, ids) if p is not None]
        papers.sort(key=lambda p: (p.dates[0] if p.dates else "", p.id), reverse=True)
        return papers

    def noted(self) -> list[Paper]:
        """Papers with a note, newest day first."""
        ids = [pid for pid, (value, _) in self.state.entries("note").items() if value]
        papers = [p for p in map(self.get, ids) if p is not None]
        papers.sort(key=lambda p: (p.dates[0] if p.dates else "", p.id), reverse=True)
        return papers

    # -- state between machines --------------------------------------------
    def state_export(self) -> dict:
        """All reader state (read, bookmark, note, tags with change times) as JSON data."""
        from .state import FIELDS
        from .sync import build_export

        self.state.refresh()
        return build_export({name: self.state.entries(name) for name in FIELDS})

    def state_merge(self, data: bytes | dict) -> dict[str, int]:
        """Fold another machine's export in (newest change wins, per paper and field);
        returns how many entries changed per field.  Raises ``sync.SyncError``."""
        import orjson

        from .state import FIELDS
        from .sync import parse_export

        raw = data if isinstance(data, (bytes, bytearray)) else orjson.dumps(data)
        fields = parse_export(bytes(raw))
        return {name: self.state.merge(name, fields[name]) if fields[name] else 0
                for name in FIELDS}

    # -- exports and statistics --------------------------------------------
    def export_set(
        self,
        *,
        ids: Iterable[str] | None = None,
        days: Iterable[str] | None = None,
        bookmarked: bool = False,
        tag: str | None = None,
    ):
        """Papers to export, grouped by day (newest first), each with its reader state.

        Filters combine (AND).  ``ids`` keeps its papers under every day they are listed
        on (so a Markdown export re-imports whole); ``days`` limits the days."""
        from .export import ExportPaper, ExportSet
        from .sync import normalize_tag

        wanted = None if ids is None else set(ids)
        day_set = None if days is None else set(days)
        tag_n = normalize_tag(tag) if tag else None
        out = ExportSet()
        cache: dict[str, ExportPaper | None] = {}
        for date in sorted(self.corpus.days, reverse=True):
            if day_set is not None and date not in day_set:
                continue
            items = []
            for pid in self.corpus.days[date]["ids"]:
                if wanted is not None and pid not in wanted:
                    continue
                if bookmarked and not self.is_bookmarked(pid):
                    continue
                if tag_n is not None and tag_n not in self.tags(pid):
                    continue
                if pid not in cache:
                    paper = self.paper(pid)
                    cache[pid] = None if paper is None else ExportPaper(
                        paper, self.is_read(pid), self.is_bookmarked(pid), self.tags(pid),
                        self.note(pid))
                if cache[pid] is not None:
                    items.append(cache[pid])
            if items:
                out.days.append((date, items))
        return out

    def stats(self, since: str | None = None, until: str | None = None):
        from .stats import compute

        days = {d: row["ids"] for d, row in self.corpus.days.items()}
        with gc_paused():  # ~2 objects per paper listing
            meta = self.corpus.meta.stats_rows()  # votes and authors: small files, not shards
            return compute(days, meta, set(self.state.ids_where("read")),
                           set(self.state.ids_where("bookmark")), since=since, until=until)

    def refresh(self) -> bool:
        """Pick up changes another process made to the state; True if any."""
        return self.state.refresh()

    def poll(self) -> Changes:
        """Pick up what another process changed since the last look: the reader state
        (as ``refresh``) and the corpus (an import or ``papers update``: the days are
        read again, and the search index is re-read when it is next used)."""
        changes = Changes(state=self.refresh())
        if self.corpus.changed_on_disk():
            before = set(self.corpus.days)
            with gc_paused():
                self.corpus = Corpus(self.home, self.messages)
            changes.corpus = True
            changes.days_added = sorted(set(self.corpus.days) - before, reverse=True)
            self._drop_index()
        self._poll_index()  # search.idx is written after corpus.json: looked at too
        return changes

    def ui_get(self, key: str, default: Any = None) -> Any:
        return self.state.ui.get(key, default)

    def ui_set(self, key: str, value: Any) -> None:
        self.ui_update({key: value})

    def ui_update(self, items: dict[str, Any]) -> None:
        """Remember UI settings (position, sort...) in one write, only if any changed.
        Best effort: a state file that cannot be written must not stop the reader (read
        marks and bookmarks still say so)."""
        changed = [(k, v) for k, v in items.items() if self.state.ui.get(k) != v]
        if changed:
            try:
                self.state.set_ui_many(changed)
            except StoreError:
                pass

    # -- what's new: days added since the reader last ran ---------------------
    # The dates the reader had seen, in the state file's UI document: kept apart from the
    # corpus and keyed by date, so they survive any re-import.
    SEEN_KEY = "days_seen"

    def new_days(self) -> list[str]:
        """Days added since the reader last ran, newest first ([] if it never ran and
        no update or import has set the baseline yet)."""
        seen = self.ui_get(self.SEEN_KEY)
        if not isinstance(seen, list):
            return []
        known = set(seen)
        return sorted((d for d in self.corpus.days if d not in known), reverse=True)

    def mark_days_seen(self, dates: Iterable[str] | None = None) -> None:
        """Record ``dates`` (default: every day now in the corpus) as seen."""
        self.ui_set(self.SEEN_KEY, sorted(self.corpus.days if dates is None else dates))

    def ensure_days_seen(self, dates: Iterable[str]) -> None:
        """Set the baseline to ``dates`` if there is none (the days before the first
        update or import, so ``papers days --new`` then names what it brought)."""
        if not isinstance(self.ui_get(self.SEEN_KEY), list):
            self.mark_days_seen(dates)

    # -- import ------------------------------------------------------------
    def import_paths(
        self,
        paths: Iterable[str | os.PathLike],
        progress: Callable[[int, int], None] | None = None,
        *,
        phase: Callable[[str], None] | None = None,
    ) -> ImportReport:
        """Import digests; ``progress(done, total)`` per file read, ``phase(name)`` as the
        slow steps after it begin (``"save"``, ``"index"``)."""
        with file_lock(self.corpus.lock_path):
            if self.corpus.changed_on_disk():  # another import finished since we loaded
                self.corpus = Corpus(self.home, self.messages)
            self.corpus.verify()  # a damaged metadata shard: every digest is read again
            from .importer import run_import  # the parser loads only when importing

            indexed = self._index_matches_corpus()  # before the import changes it
            report = run_import(self.corpus, paths, progress)
            if report.changed or self.corpus.legacy:  # legacy: written in the new layout
                if phase:
                    phase("save")
                self.corpus.save()
            if report.changed:
                if phase:
                    phase("index")
                self._update_index(report.touched, indexed)
                self._update_related(report.touched)
            elif self.corpus.meta and self._load_related() is None:
                # a data directory from before related papers (or a damaged file): the
                # reader never computes them, the next import or update does
                if phase:
                    phase("index")
                self._write_related()
        return report

    # -- search (the index file: store/index_file.py) -------------------------
    def _state_of(self, paper_id: str) -> _PaperState:
        """(read, bookmarked, tags, has_note), looked up only as a filter asks for them:
        what ``is:``, ``tag:`` and ``has:`` test."""
        return _PaperState(self.state, paper_id)

    def search(self, query: str, limit: int = 50, wanted=None):
        """Ranked hits (``search.Hits``); None when ``wanted()`` says the query is stale."""
        notes = {pid: v[0] for pid, v in self.state.entries("note").items()}
        return self.engine.search(query, limit, state=self._state_of, notes=notes,
                                  meta=self.corpus.meta.get, wanted=wanted)
