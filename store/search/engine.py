"""The engine the Store holds: one index, its lock, and the one search entry point.

The index is loaded on first use, or ahead of it by ``warm()`` (a background thread
started by the UI: it opens the index and readies what every search needs, then fills
the caches of other kinds of query in small steps, each giving way to a search that is
waiting).  Every call takes the engine's lock, so the lazy caches of the index are
never built by two threads at once; callers (the search screen's workers, the author
index, the palette, the CLI) need no lock of their own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from .hits import Hits
from .index import SearchIndex
from .notes import note_hits
from .query import Query, parse_query


class Engine:
    def __init__(self, load: Callable[[], SearchIndex]) -> None:
        self._load = load
        self._index: SearchIndex | None = None
        self._lock = threading.RLock()
        self._warming: threading.Thread | None = None
        self._waiting = 0  # searches waiting for the lock (the warm-up gives way)
        self._count = threading.Lock()  # guards _waiting
        self._ready = threading.Event()  # the warm-up's ready part is done (or failed)

    # ------------------------------------------------------------ the index
    @property
    def index(self) -> SearchIndex:
        with self._lock:
            if self._index is None:
                self._index = self._load()
            return self._index

    @property
    def loaded(self) -> bool:
        return self._index is not None

    def replace(self, index: SearchIndex | None) -> None:
        """Use ``index`` from now on (None: read search.idx again when next used)."""
        with self._lock:
            self._index = index
            self._warming = None

    def warm(self, hold: Callable[[], bool] | None = None,
             also: tuple[Callable[[], object], ...] = ()) -> None:
        """Load the index and ready it for the first search in a background thread:
        opening it, ``ready_steps`` (what any search needs) and ``also`` (the caller's
        part of a first search: the Store's id locator) run at once, a search that is
        waiting going first (``wait_ready`` waits for this part); before each of the
        other cache steps (``warm_steps``) ``hold`` is asked too (the reader's: a key
        was just pressed), and the warm-up waits while it says so, the UI having the
        CPU."""
        if self._warming is not None:  # (one warm-up per index: ``replace`` resets it)
            return
        self._ready.clear()

        def run() -> None:
            try:
                with self._lock:
                    ix = self.index
                    ready, steps = ix.ready_steps(), ix.warm_steps()
                for step in ready:
                    if not self._step(ix, step):
                        return
                self._ready_now(also)
                for step in steps:
                    while hold is not None and hold():
                        time.sleep(0.005)
                    if not self._step(ix, step):
                        return
            # a damaged index is rebuilt on the first real search
            except Exception:  # noqa: BLE001, S110
                pass
            finally:
                self._ready_now(also)

        self._warming = threading.Thread(target=run, name="search-warm", daemon=True)
        self._warming.start()

    def _step(self, ix: SearchIndex, step: Callable[[], object]) -> bool:
        """Run one warm-up step once no search is waiting; False if the index was
        replaced meanwhile (the warm-up stops)."""
        while self._waiting:
            time.sleep(0.005)
        with self._lock:
            if self._index is not ix:
                return False
            step()
        return True

    def _ready_now(self, also: tuple[Callable[[], object], ...]) -> None:
        if self._ready.is_set():
            return
        try:
            for step in also:
                step()
        finally:
            self._ready.set()

    def wait_ready(self, timeout: float) -> bool:
        """Wait (at most ``timeout`` seconds) for a warm-up's ready part: what the first
        search needs.  True once it is done; False if still under way, or when no
        warm-up was started."""
        if self._warming is None:
            return self._index is not None
        return self._ready.wait(timeout)

    # ------------------------------------------------------------ searching
    def search(self, query: str | Query, limit: int = 50, *,
               state: Callable[[str], Any] | None = None,
               notes: Mapping[str, str] | None = None,
               meta: Callable[[str], dict | None] | None = None,
               wanted: Callable[[], bool] | None = None) -> Hits | None:
        """Ranked hits for ``query``: the index's, plus papers whose note matches.

        ``wanted`` is asked once the engine is free: a query superseded while waiting
        for it is not ranked at all (returns None)."""
        q = query if isinstance(query, Query) else parse_query(query)
        with self._count:
            self._waiting += 1
        try:
            self._lock.acquire()
        finally:
            with self._count:
                self._waiting -= 1
        try:
            if wanted is not None and not wanted():
                return None
            hits = self.index.search(q, limit, state=state)
        finally:
            self._lock.release()
        if notes and meta is not None:
            hits = note_hits(q, hits, limit, notes, meta, state)
        return hits

    def records(self, paper_ids: list[str]) -> list[tuple | None]:
        """``(title, authors, dates, votes)`` of each paper as the index holds it (None
        for one it does not): what a list of results shows, without the corpus."""
        with self._lock:
            ix = self.index
            pos = ix.id_pos
            out: list[tuple | None] = []
            for pid in paper_ids:
                doc = pos.get(pid)
                out.append(None if doc is None else
                           (ix.titles[doc], ix.authors_[doc], ix.dates[doc], ix.votes[doc]))
            return out

    def authors(self) -> list[tuple[str, int]]:
        with self._lock:
            return self.index.authors()

    def search_authors(self, query: str, limit: int = 50) -> list[tuple[str, int]]:
        with self._lock:
            return self.index.search_authors(query, limit)

    def papers_by_author(self, name: str) -> list[str]:
        with self._lock:
            return self.index.papers_by_author(name)
