"""Search: the query language, the index, term matching, ranking, hits and notes.

``Engine`` is what the Store holds: one index, loaded on first use (or warmed in the
background), every call serialised by the engine's own lock.  ``SearchIndex`` is the
index itself (build, persist, ``search``).
"""

from __future__ import annotations

# names the incremental index update uses (store/index_update.py)
from .bits import iter_bits as _iter_bits  # noqa: F401
from .bits import mask_of as _mask_of  # noqa: F401
from .engine import Engine
from .filters import STATE_TESTS, ReaderState
from .hits import Hit, Hits
from .index import (
           SearchIndex,
           _clean,  # noqa: F401
)
from .query import Query, parse_query

__all__ = [
           "STATE_TESTS",
           "Engine",
           "Hit",
           "Hits",
           "Query",
           "ReaderState",
           "SearchIndex",
           "parse_query",
]
