"""The search index's file for the Store: written, updated in place, read, re-read.

``search.idx`` is derived from the corpus: built at import (or updated in place, see
``index_update.py``), read by the engine on first use (memory-mapped), and read again
when another process rewrote it (``_poll_index``).  A mixin of ``Store``: it uses the
Store's ``home``, ``corpus`` and ``papers()``/``paper()``.
"""

from __future__ import annotations

import os

from .storage import atomic_write

SEARCH_FILE = "search.idx"
_UNSEEN = object()  # no search.idx signature recorded yet


class IndexFile:
    _engine = None  # the search engine: made (and search.idx read) on first use

    def _poll_index(self) -> None:
        """Drop the loaded index if another process rewrote the file.  The signature
        kept is the one of the file the engine read (or this process wrote); none yet:
        nothing is loaded, or it is being loaded now (the load records it)."""
        index_sig = self._index_sig()
        known = getattr(self, "_polled_index", _UNSEEN)
        if known is _UNSEEN:
            self._polled_index = index_sig
        elif index_sig != known:
            self._polled_index = index_sig
            self._drop_index()

    def _index_sig(self) -> tuple | None:
        try:
            st = os.stat(self.home / SEARCH_FILE)
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _write_index(self):
        from .search import SearchIndex

        index = SearchIndex.build(self.papers())
        atomic_write(self.home / SEARCH_FILE, index.to_bytes(), backup=False)
        self._polled_index = self._index_sig()  # our own write: nothing to read again
        self._write_index_sum()
        self.engine.replace(index)
        return index

    # The index is updated in place after an import (store/index_update.py) only when it is
    # known to match the corpus it started from: ``search.idx.corpus`` holds the checksum of
    # the ``corpus.json`` it was written for.  Anything else (no checksum, another corpus, an
    # error) rebuilds.
    def _corpus_sum(self) -> str | None:
        import zlib

        try:
            return format(zlib.crc32((self.home / "corpus.json").read_bytes()), "08x")
        except OSError:
            return None

    def _write_index_sum(self) -> None:
        total = self._corpus_sum()
        if total is not None:
            atomic_write(self.home / (SEARCH_FILE + ".corpus"), total.encode(), backup=False)

    def _index_matches_corpus(self) -> bool:
        try:
            kept = (self.home / (SEARCH_FILE + ".corpus")).read_bytes().decode()
        except (OSError, UnicodeDecodeError):
            return False
        return kept == self._corpus_sum()

    def _update_index(self, touched: set[str], indexed: bool) -> None:
        if indexed:
            from .index_update import updated
            from .search import SearchIndex

            try:
                old = SearchIndex.open(self.home / SEARCH_FILE, derived=False)  # to update
                papers = [p for p in map(self.paper, touched) if p is not None]
                gone = [i for i in touched if i not in self.corpus.meta]
                index = updated(old, papers, gone)
            except Exception:  # noqa: BLE001, S110 - exact or nothing: rebuilt below
                pass
            else:
                atomic_write(self.home / SEARCH_FILE, index.to_bytes(), backup=False)
                self._polled_index = self._index_sig()
                self._write_index_sum()
                self.engine.replace(index)
                return
        self._write_index()

    def _drop_index(self) -> None:
        """Read search.idx again (another process rewrote it): in the background if it
        was in use, else when it is next used."""
        if self._engine is not None:
            loaded = self._engine.loaded
            self._engine.replace(None)
            if loaded:
                self._engine.warm()

    def _load_index(self):
        from .search import SearchIndex

        try:
            self._polled_index = self._index_sig()  # before reading: a later write shows
            return SearchIndex.open(self.home / SEARCH_FILE)
        # missing or damaged (a damaged file raises ValueError, zlib.error, KeyError, ...):
        except Exception:  # noqa: BLE001 - rebuilt from the corpus, which is always right
            return self._write_index()

    @property
    def engine(self):
        if self._engine is None:
            from .search import Engine

            self._engine = Engine(self._load_index)
        return self._engine

    @property
    def index(self):
        return self.engine.index

    def warm_search(self, hold=None) -> None:
        """Ready the first search in the background (``Engine.warm``), the corpus's id
        locator with it (a result row is checked against the corpus); ``hold``: see
        ``Engine.warm``."""
        self.engine.warm(hold=hold, also=(lambda: "" in self.corpus.meta,))

    def search_ready(self, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for what the first search needs
        (``Engine.wait_ready``)."""
        return self.engine.wait_ready(timeout)
