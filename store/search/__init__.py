"""Search: the query language, the index, term matching, ranking, hits and notes.

``Engine`` is what the Store holds: one index, loaded on first use (or warmed in the
background), every call serialised by the engine's own lock.  ``SearchIndex`` is the
index itself (build, persist, ``search``).
"""

from __future__ import annotations

from .engine import Engine
from .filters import STATE_TESTS, ReaderState
from .hits import Hit, Hits
from .index import SearchIndex
from .query import Query, parse_query

# names the incremental index update uses (store/index_update.py)
from .bits import iter_bits as _iter_bits, mask_of as _mask_of  # noqa: E402,F401
from .index import _clean  # noqa: E402,F401

__all__ = ["Hit", "Hits", "SearchIndex", "parse_query", "Query", "STATE_TESTS",
           "ReaderState", "Engine"]
