"""The query language lives in ``store.search.query``; this name stays for callers."""

from .search.query import *  # noqa: F401,F403
from .search.query import __all__  # noqa: F401
from .search.query import _parse  # noqa: F401  (the fuzz test drives it directly)
