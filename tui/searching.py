"""Search helpers shared by the search screen, the author index and the palette.

Pure Python (no widgets): ranking a query into display rows, the list of recent
queries (kept in the store's UI state) and one lock so that ranking threads never
run the engine concurrently (its lazy caches are built on first use).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from store.db import Store
    from store.search import Hit

HISTORY_KEY = "search_history"
HISTORY_MAX = 50
RESULT_LIMIT = 50
FILTER_HINT = "a: t: s: d:2024-04 v>50 is:unread is:bookmarked"
SYNTAX_HELP = """\
Words match titles, authors, summaries
(typos too). Korean also by initials:
ㄱㅇ ㅊㅈ finds 깊이 추정.

a:NAME t:WORD s:WORD  in one field
"two words"  -word    phrase, exclude
d:2024-04             listed that month
d>=2024-04-01         date bounds
v>50  v<=10           votes
is:unread             is:bookmarked too
tag:NAME  has:note    tags and notes
id:2406.09414         arXiv id

↑ in an empty box: recent searches
↓ Ctrl+N: results · Tab: focus
Enter opens · Esc back"""

# One engine call at a time: the index builds caches lazily, and the worker threads
# of the search screen, the author index and the palette may overlap.
ENGINE_LOCK = threading.Lock()


@dataclass(slots=True)
class ResultRow:
    """One ranked paper, with what a result row shows."""

    id: str
    title: str
    date: str
    votes: int | None
    authors: list[str]
    field: str
    spans: list[tuple[int, int]]
    snippet: str
    snippet_spans: list[tuple[int, int]] = field(default_factory=list)
    read: bool = False
    bookmarked: bool = False


def rank(store: Store, query: str, limit: int = RESULT_LIMIT,
         wanted: Callable[[], bool] | None = None) -> list[ResultRow] | None:
    """Rank ``query`` into display rows (safe to call from a worker thread).

    ``wanted`` is asked once the engine is free: a query superseded while waiting for
    it is not ranked at all (returns None)."""
    with ENGINE_LOCK:
        if wanted is not None and not wanted():
            return None
        hits: list[Hit] = store.search(query, limit)
    finder = term_finder(query)
    rows: list[ResultRow] = []
    for hit in hits:
        paper = store.get(hit.id)
        if paper is None:
            continue
        rows.append(
            ResultRow(
                id=hit.id,
                title=paper.title or "",
                date=paper.dates[0] if paper.dates else "",
                votes=paper.votes,
                authors=list(paper.authors),
                field=hit.field,
                spans=list(hit.spans),
                snippet=hit.snippet or "",
                snippet_spans=find_spans(finder, hit.snippet or ""),
                read=store.is_read(hit.id),
                bookmarked=store.is_bookmarked(hit.id),
            )
        )
    return rows


def term_finder(query: str) -> re.Pattern | None:
    """A regex finding the query's free-text words (as typed) at word starts, to
    highlight them in snippets.  Typo matches are not found (nothing is highlighted)."""
    from store import hangul
    from store.query import parse_query

    parts = []
    for term in parse_query(query).terms:
        if term.negate or term.field not in (None, "authors", "summary"):
            continue
        if term.korean:
            parts.append(f"(?<![{hangul.HANGUL_CLASS}])" + hangul.term_pattern(term.text))
        else:
            parts.append(r"(?<![^\W_])" + re.escape(term.text))
    if not parts:
        return None
    try:
        return re.compile("|".join(parts), re.IGNORECASE)
    except re.error:
        return None


def find_spans(finder: re.Pattern | None, text: str) -> list[tuple[int, int]]:
    if finder is None or not text:
        return []
    return [m.span() for m in finder.finditer(text) if m.end() > m.start()]


def search_authors(store: Store, query: str, limit: int) -> list[tuple[str, int]]:
    """Author names matching ``query``; every author (most papers first) when empty."""
    with ENGINE_LOCK:
        index = store.index
        if not query.strip():
            return index.authors()
        return index.search_authors(query, limit)


def papers_by_author(store: Store, name: str) -> list[str]:
    with ENGINE_LOCK:
        return store.index.papers_by_author(name)


# ---------------------------------------------------------------- recent queries
def load_history(store: Store) -> list[str]:
    """Recent queries, most recent first (junk in the state file is ignored)."""
    value: Any = store.ui_get(HISTORY_KEY, [])
    if not isinstance(value, list):
        return []
    out: list[str] = []
    for item in value:
        if isinstance(item, str) and item.strip() and item not in out:
            out.append(item)
    return out[:HISTORY_MAX]


def remember(store: Store, query: str) -> list[str]:
    """Put ``query`` first in the recent queries (deduplicated, at most HISTORY_MAX)."""
    query = query.strip()
    history = load_history(store)
    if not query:
        return history
    history = [query] + [q for q in history if q != query]
    history = history[:HISTORY_MAX]
    try:
        store.ui_set(HISTORY_KEY, history)
    except Exception:  # a read-only or damaged state file must not break searching
        pass
    return history
