"""Search helpers shared by the search screen, the author index and the palette.

Pure Python (no widgets): ranking a query into display rows and the list of recent
queries (kept in the store's UI state).  The query is interpreted once, by the engine:
each hit carries its match spans and the UI only paints them; the engine serialises
its own calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.db import Store
    from store.search import Hits

HISTORY_KEY = "search_history"
HISTORY_MAX = 50
RESULT_LIMIT = 50
FILTER_HINT = "a: t: s: d:2024-04 v>50 is:unread is:bookmarked"
SYNTAX_HELP = """\
Words match titles, authors, summaries
(typos too). Korean also by initials:
ㄱㅇ ㅊㅈ finds 깊이 추정; spacing, one
wrong jamo and the other keyboard mode
(rlvdl) are forgiven; reinforcement
learning also finds 강화 학습.

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
    reason: str = ""  # why it matched when not as typed (a glossary term)
    read: bool = False
    bookmarked: bool = False


def rank(store: Store, query: str, limit: int = RESULT_LIMIT,
         wanted: Callable[[], bool] | None = None) -> list[ResultRow] | None:
    """Rank ``query`` into display rows (safe to call from a worker thread).

    ``wanted`` is asked before and after ranking: a superseded query is not ranked, or
    not turned into rows (returns None).  The rows' ``searched_for`` attribute says
    what was searched when the engine read the query another way (keyboard layout);
    when almost no paper has every word, the papers lacking one follow the others
    (``partial_at``)."""
    if wanted is not None and not wanted():
        return None
    hits: Hits = store.search(query, limit)
    if wanted is not None and not wanted():
        return None
    rows = ResultRows()
    rows.searched_for = getattr(hits, "searched_for", "")
    partial = getattr(hits, "partial", ())
    first_partial = partial[0] if partial else None
    every = list(hits) + list(partial)
    for hit, paper in zip(every, store.listed([hit.id for hit in every])):
        if hit is first_partial:
            rows.partial_at = len(rows)
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
                snippet_spans=list(hit.snippet_spans),
                reason=hit.reason,
                read=store.is_read(hit.id),
                bookmarked=store.is_bookmarked(hit.id),
            )
        )
    return rows


class ResultRows(list):
    """Display rows, plus ``searched_for`` (see ``rank``) and ``partial_at``: the first
    row that lacks some of the query's words (rows from there on say which), or -1."""

    searched_for: str = ""
    partial_at: int = -1


def search_authors(store: Store, query: str, limit: int) -> list[tuple[str, int]]:
    """Author names matching ``query``; every author (most papers first) when empty."""
    if not query.strip():
        return store.engine.authors()
    return store.engine.search_authors(query, limit)


def papers_by_author(store: Store, name: str) -> list[str]:
    return store.engine.papers_by_author(name)


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
    # a read-only or damaged state file must not break searching
    except Exception:  # noqa: BLE001, S110
        pass
    return history
