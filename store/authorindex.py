"""The author index lives in ``store.search.authors``; this name stays for callers."""

from .search.authors import AuthorIndex  # noqa: F401
