"""The corpus on disk: paper metadata, summaries and the import bookkeeping.

Start-up reads only ``corpus.json``; the papers themselves are sharded by month and a
month is read when one of its papers is first asked for.

``corpus.json`` (TinyDB) holds three tables: ``days`` (date -> ids in file order, and
the file it came from), ``files`` (path -> content hash and the dates it gave) and
``months``, the locator: month -> the ids whose metadata is in that month's shard, with
the shard's size and CRC-32 as last written.
``meta/YYYY-MM.json`` (TinyDB, table ``papers``) holds the metadata rows (without the
summary bullets) and ``bodies/YYYY-MM.json`` (table ``bodies``) the summary bullets, one
file each per month of the day a paper's text came from (its ``from``): opening a paper
reads one small file of each, and an import rewrites only the months it touched.
For each shard, ``stats/YYYY-MM.json`` (table ``stats``, one document) holds
what the statistics need of its papers (votes and authors), with the CRC-32 of the shard
it was made from: the statistics read those small files, not every shard, and a stats
file that does not match its shard is not used (the shard is read instead).
Shards are written before ``corpus.json``, so a ``corpus.json`` never points at shards
older than itself.

A metadata shard that does not match its locator row (damaged, restored from its
``.bak``, missing, edited) is said in one notice; its papers that are not in it read as
absent, it is rewritten by the next save, and the next import re-reads every digest.
A ``corpus.json`` from before the shards (a ``papers`` table) is read whole; the next
import writes it in this layout.

Every one of these files is opened as a TinyDB database through the project's storage
(``store.tinydb_storage.open_db``): rows are read as the documents of their table, and a
save replaces a file's tables through TinyDB in one atomic write (``_replace``).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path

from .storage import StoreError, gc_paused, lock_busy, malformed_notice
from .tinydb_storage import crc, open_db

META_KEYS = ("id", "title", "url", "dates", "votes", "authors", "authors_truncated",
             "thumbnail", "video")

_MONTH = re.compile(r"\d{4}-\d{2}|unknown")


def _rows(db, table: str) -> list[dict]:
    """The documents of ``table`` (none if the file has no such table)."""
    return db.table(table).all() if table in db.tables() else []


def _replace(path: Path, notices: list[str], tables: dict[str, list[dict]], **options):
    """Write ``path`` as exactly ``tables`` (name -> rows, ids 1..n in order) through
    TinyDB, in one atomic write; returns the storage (``written`` with ``checksum``)."""
    db = open_db(path, notices, **options)
    with db.storage.batch():
        db.drop_tables()  # (writes without reading what was there)
        for name, rows in tables.items():
            db.table(name).insert_multiple(dict(row) for row in rows)
    return db.storage


_digest = crc  # a shard's checksum (CRC-32: it catches damage; zlib is loaded already)


def month_of(meta: dict) -> str:
    """The shard (``YYYY-MM``) of a paper: the month of the day its text came from."""
    month = str(meta.get("from") or "")[:7]
    return month if _MONTH.fullmatch(month) else "unknown"


class MetaTable(MutableMapping):
    """Paper id -> metadata row, read from ``meta/`` one month shard at a time.

    ``in``, ``len`` and iteration (months in order, then shard order) are answered
    from the locator and read no shard; ``get``/``[]`` read the paper's month on first
    use; ``values``/``items`` read every month.  Rows are shared, not copied: change a
    row by assigning it (``meta[id] = row``), which is what marks its month for saving.
    Reading is safe from several threads (the reader ranks searches in a worker).
    """

    def __init__(self, folder: Path, notices: list[str], locator: dict[str, dict],
                 stale: Callable[[], bool]) -> None:
        self.folder = folder
        self.notices = notices
        self._stale = stale  # True when a shard may be newer than our locator
        self._ids: dict[str, list] = {m: row["ids"] for m, row in locator.items()}  # not read
        self._sums: dict[str, tuple] = {m: (row.get("size"), row.get("hash"))
                                        for m, row in locator.items()}
        self._shards: dict[str, dict[str, dict]] = {}  # read (or new) months: id -> row
        self._where: dict[str, str] | None = None  # id -> month, built on first lookup
        self.dirty: set[str] = set()  # months to write
        self.damaged: set[str] = set()  # months whose shard did not match the locator
        self._lock = threading.RLock()  # one thread reads a shard or builds the map

    # -- the mapping -------------------------------------------------------
    def _listed(self, month: str):
        """The ids of ``month``: its shard's once read, else the locator's.  (A shard is
        installed before the locator's list is dropped: one of the two is always there.)"""
        shard = self._shards.get(month)
        if shard is None:
            ids = self._ids.get(month)
            return ids if ids is not None else self._shards.get(month, {})
        return shard

    def _locate(self) -> dict[str, str]:
        where = self._where
        if where is None:
            with self._lock:
                if self._where is None:
                    where = {}
                    for month in self.months():
                        ids = self._listed(month)
                        if set(map(type, ids)) <= {str}:
                            where.update(dict.fromkeys(ids, month))
                        else:  # not written by us: only the ids that can be ids
                            where.update((pid, month) for pid in ids if type(pid) is str)
                    self._where = where
                where = self._where
        return where

    def _order(self) -> list[tuple[str, str]]:
        """(id, month) of every paper: months in order, then shard order."""
        where = self._locate()
        out = []
        for month in self.months():
            out += [(pid, month) for pid in self._listed(month)
                    if type(pid) is str and where.get(pid) == month]
        return out

    def __len__(self) -> int:
        return len(self._locate())

    def __iter__(self) -> Iterator[str]:
        return iter([pid for pid, _ in self._order()])  # a snapshot: reading may drop ids

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self._locate()

    def get(self, paper_id: str, default=None):
        if self._where is None:  # the months read so far first: no locator needed yet
            for shard in list(self._shards.values()):  # (a paper is in one shard at most)
                row = shard.get(paper_id)
                if row is not None:
                    return row
        month = self._locate().get(paper_id)
        if month is None:
            return default
        return self._shard(month).get(paper_id, default)

    def __getitem__(self, paper_id: str) -> dict:
        row = self.get(paper_id)
        if row is None:
            raise KeyError(paper_id)
        return row

    def __setitem__(self, paper_id: str, row: dict) -> None:
        where = self._locate()
        month = month_of(row)
        old = where.get(paper_id)
        if old is not None and old != month:  # the paper's text now comes from another month
            self._shard(old).pop(paper_id, None)
            self.dirty.add(old)
        self._shard(month)[paper_id] = row
        self.dirty.add(month)
        where[paper_id] = month

    def __delitem__(self, paper_id: str) -> None:
        month = self._locate().pop(paper_id)
        self._shard(month).pop(paper_id, None)
        self.dirty.add(month)

    def items(self) -> list[tuple[str, dict]]:  # type: ignore[override]
        """Every (id, row), in iteration order (reads every month)."""
        with gc_paused():
            for month in self.months():
                self._shard(month)
            shards = self._shards
            return [(pid, shards[month][pid]) for pid, month in self._order()]

    def values(self) -> list[dict]:  # type: ignore[override]
        return [row for _, row in self.items()]

    # -- the shards --------------------------------------------------------
    def months(self) -> list[str]:
        return sorted(self._ids.keys() | self._shards.keys())

    def read_month(self, month: str) -> None:
        """Read ``month``'s shard now (if the locator has it): its papers are then
        found without building the id -> month map (a day's papers are mostly there)."""
        if month in self._ids:
            self._shard(month)

    @property
    def loaded(self) -> list[str]:
        """The months held in memory (read from disk, or new)."""
        return sorted(self._shards)

    def _path(self, month: str) -> Path:
        return self.folder / f"{month}.json"

    def _shard(self, month: str) -> dict[str, dict]:
        shard = self._shards.get(month)
        if shard is None:
            with self._lock:
                shard = self._shards.get(month)
                if shard is None:
                    with gc_paused():
                        shard = self._read(month) if month in self._ids else {}
                    self._install(month, shard)
        return shard

    def _install(self, month: str, shard: dict[str, dict]) -> None:
        self._shards[month] = shard
        self._ids.pop(month, None)

    def _read(self, month: str, *, explain: bool = True) -> dict[str, dict]:
        """One month's rows: exactly the shard as written when its hash matches; else
        what can be recovered of the ids the locator lists there (``_recover``)."""
        ids = self._ids[month]
        told: list[str] = []  # what recovering a damaged file said
        db = open_db(self._path(month), told, expect=self._sums.get(month, (None, None)))
        try:
            rows = _rows(db, "papers")  # damage moved aside, .bak restored
            if db.storage.verified:  # exactly the shard as written
                return {row["id"]: row for row in rows}
        except (ValueError, KeyError, TypeError, AttributeError):  # not ours after all
            db.storage.expect = None
            db.storage.forget()
            rows = _rows(db, "papers")
        return self._recover(month, ids, rows, told, missing=db.storage.missing,
                             explain=explain)

    def _recover(self, month: str, ids: list, rows: list[dict], told: list[str], *,
                 missing: bool, explain: bool) -> dict:
        found: dict[str, dict] = {}
        for row in rows:
            pid = row.get("id")
            if type(pid) is str and month_of(row) == month:
                found[pid] = row
        shard = {pid: found[pid] for pid in ids if type(pid) is str and pid in found}
        where = self._where
        if where is not None:
            for pid in ids:
                if type(pid) is str and pid not in shard and where.get(pid) == month:
                    del where[pid]
        self.dirty.add(month)  # the next save writes it as the locator will say
        lost = len({p for p in ids if type(p) is str}) - len(shard)
        if not (told or lost or missing) and self._sums.get(month, (None, None))[1] is None:
            return shard  # a row without a hash (not ours): all there, nothing to say
        if explain and self._stale():  # another import is writing or has written since
            return shard
        self.damaged.add(month)
        papers = f"{lost} paper{'s' if lost != 1 else ''}"
        name = f"{self.folder.name}/{month}.json"
        if told:
            note = f"{self.folder.name}/{told[0]}" + (f"; {papers} missing" if lost else "")
        elif missing and not rows:
            note = f"{name} is missing ({papers})"
        else:
            note = f"{name} does not match corpus.json" + (f" ({papers} missing)" if lost else "")
        self.notices.append(note + "; import the digests again")
        return shard

    def check(self, *, full: bool) -> None:
        """Compare the unread shards with the locator: their sizes (a stat each), or with
        ``full`` their bytes' hashes (reads them all; for imports, under the import lock).
        A shard that does not match is read now, so its notice is given now."""
        for month in sorted(self._ids):
            size, digest = self._sums.get(month, (None, None))
            path = self._path(month)
            try:
                if full:
                    raw = path.read_bytes()
                    ok = len(raw) == size and _digest(raw) == digest
                else:
                    ok = os.stat(path).st_size == size
            except OSError:
                ok = False
            if not ok:
                with self._lock:
                    if month in self._ids and month not in self._shards:
                        self._install(month, self._read(month, explain=not full))

    def save(self) -> None:
        """Write the changed months (each with its ``.bak``, atomically), and each one's
        stats file after it."""
        if self.dirty:
            self.folder.mkdir(exist_ok=True)
        for month in sorted(self.dirty):
            written = _replace(self._path(month), self.notices,
                               {"papers": list(self._shards[month].values())}, checksum=True)
            self._sums[month] = written.written
            self._write_stats(month, written.written[1], self._shards[month])
        self.dirty.clear()
        self.damaged.clear()

    # -- what the statistics need ---------------------------------------------
    def stats_rows(self) -> dict[str, dict]:
        """Paper id -> ``{"votes", "authors"}`` of every paper, in iteration order: from
        the months in memory, else from each month's stats file when it was made from the
        shard the locator names, else from the shard (whose stats file is written then,
        so the next process reads the small file)."""
        where = self._locate()
        out: dict[str, dict] = {}
        with gc_paused():
            for month in self.months():
                rows = self._month_stats(month)
                for pid in self._listed(month):
                    row = rows.get(pid) if type(pid) is str else None
                    if row is not None and where.get(pid) == month:
                        out[pid] = row
        return out

    def _stats_path(self, month: str) -> Path:
        return self.folder.parent / "stats" / f"{month}.json"

    def _month_stats(self, month: str) -> dict[str, dict]:
        shard = self._shards.get(month)
        digest = self._sums.get(month, (None, None))[1]
        if shard is None and digest is not None:
            cached = self._read_stats(month, digest)
            if cached is not None:
                return cached
        if shard is None:
            shard = self._shard(month)
            if digest is not None and month not in self.dirty and month not in self.damaged:
                self._write_stats(month, digest, shard)  # read as written: worth keeping
        return {pid: {"votes": row.get("votes"), "authors": row.get("authors") or []}
                for pid, row in shard.items()}

    def _read_stats(self, month: str, digest: str) -> dict[str, dict] | None:
        """The stats file of ``month`` if it was made from the shard with ``digest``."""
        path = self._stats_path(month)
        if not path.exists():
            return None
        try:
            docs = _rows(open_db(path, [], backup=False), "stats")
            doc = docs[0] if len(docs) == 1 else {}
            if doc.get("shard") != digest:
                return None
            ids, votes, authors = doc["ids"], doc["votes"], doc["authors"]
            if not (len(ids) == len(votes) == len(authors)):
                return None
            return {pid: {"votes": v, "authors": a} for pid, v, a in zip(ids, votes, authors)}
        except (StoreError, ValueError, KeyError, TypeError, AttributeError, OSError):
            return None  # a cache: the shard says the same

    def _write_stats(self, month: str, digest: str, shard: dict[str, dict]) -> None:
        """Best effort (a cache): a stats file that cannot be written is not needed."""
        rows = list(shard.values())
        path = self._stats_path(month)
        doc = {"shard": digest, "ids": [r.get("id") for r in rows],
               "votes": [r.get("votes") for r in rows],
               "authors": [r.get("authors") or [] for r in rows]}
        try:
            path.parent.mkdir(exist_ok=True)
            _replace(path, [], {"stats": [doc]}, backup=False)
        except (StoreError, OSError):
            pass

    def locator(self) -> list[dict]:
        """The ``months`` rows for ``corpus.json`` (months in order)."""
        rows = []
        for month in self.months():
            shard = self._shards.get(month)
            ids = list(shard) if shard is not None else self._ids[month]
            size, digest = self._sums.get(month, (None, None))
            if ids or digest is not None:
                rows.append({"month": month, "ids": ids, "size": size, "hash": digest})
        return rows


class Corpus:
    def __init__(self, home: Path, notices: list[str]) -> None:
        self.path = home / "corpus.json"
        self.lock_path = home / "corpus.json.lock"  # held by an import
        self.notices = notices
        db = open_db(self.path, notices)
        tables = db.tables()  # read now: damage recovered, said in ``notices``
        self._sig = db.storage.signature
        bad = 0
        self.days: dict[str, dict] = {}
        for row in _rows(db, "days"):
            if isinstance(row.get("date"), str) and isinstance(row.get("ids"), list):
                self.days[row["date"]] = row
            else:
                bad += 1
        self.files: dict[str, dict] = {}
        for row in _rows(db, "files"):
            if isinstance(row.get("path"), str):
                self.files[row["path"]] = row
            else:
                bad += 1
        legacy = "papers" in tables  # written before the shards
        locator: dict[str, dict] = {}
        for row in () if legacy else _rows(db, "months"):
            month = row.get("month")
            if (isinstance(month, str) and _MONTH.fullmatch(month)
                    and isinstance(row.get("ids"), list) and month not in locator):
                locator[month] = row
            else:
                bad += 1
        self.meta_dir = home / "meta"
        self.meta = MetaTable(self.meta_dir, notices, locator, self._stale)
        self.legacy = legacy  # True until saved in this layout (the next import does)
        if legacy:  # every paper here: the next save writes every month's shard
            for row in _rows(db, "papers"):
                if isinstance(row.get("id"), str):
                    self.meta[row["id"]] = row
                else:
                    bad += 1
        if bad:  # said, the file kept; and the next import re-reads every file
            notices.append(malformed_notice(self.path, bad) + "; import the digests again")
            self.files = {}
        self.meta.check(full=False)  # a shard missing or of another size is said now
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

    def _stale(self) -> bool:
        """True if the shards may be newer than this copy of ``corpus.json``: another
        import has replaced it since, or is writing (it holds the import lock)."""
        return self.changed_on_disk() or lock_busy(self.lock_path)

    def verify(self) -> None:
        """Check every metadata shard against the locator (the import calls this with
        the import lock held): if one is damaged, this import re-reads every digest."""
        self.meta.check(full=True)
        if self.meta.damaged:
            self.files = {}

    # -- bodies ------------------------------------------------------------
    def _shard(self, month: str) -> dict[str, list]:
        shard = self._shards.get(month)
        if shard is None:
            shard = {}
            path = self.bodies_dir / f"{month}.json"
            for row in _rows(open_db(path, self.notices), "bodies"):
                if isinstance(row.get("id"), str) and isinstance(row.get("bullets"), list):
                    shard[row["id"]] = row["bullets"]
            self._shards[month] = shard
        return shard

    _month = staticmethod(month_of)

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
        """The changed shards (bodies, metadata) first, then ``corpus.json`` that points
        at them: a reader that sees the new ``corpus.json`` finds its shards."""
        if self._dirty:
            self.bodies_dir.mkdir(exist_ok=True)
        for month in sorted(self._dirty):
            rows = [{"id": k, "bullets": v} for k, v in self._shards[month].items()]
            _replace(self.bodies_dir / f"{month}.json", self.notices, {"bodies": rows})
        self._dirty.clear()
        self.meta.save()
        storage = _replace(self.path, self.notices, {
            "days": sorted(self.days.values(), key=lambda d: d["date"]),
            "files": list(self.files.values()),
            "months": self.meta.locator(),
        })
        self._sig = storage.signature
        self.legacy = False
