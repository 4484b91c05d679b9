"""The query language lives in ``store.search.query``; this name stays for callers."""

from .search.query import *  # noqa: F403
from .search.query import (
    __all__,  # noqa: F401
    _parse,  # noqa: F401  (the fuzz test drives it directly)
)
