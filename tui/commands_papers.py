"""Command palette provider: find a paper by title or author (Ctrl+P, then type).

Each hit is a command ``Open: <title>`` that shows the paper in its day (like a search
result).  Ranking is the search engine's (``Store.search``), run in a thread; only
papers that matched on their title, authors or id are offered, so the palette stays
a quick "go to paper" and the full search (``/``) remains the place for summaries and
filters.  Titles and authors are data: ``Content``, never markup.
"""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import Hit, Hits, Provider
from textual.content import Content

from .searching import rank
from .text import one_line

MIN_QUERY = 2  # characters before papers are looked up
MAX_HITS = 8
FIELDS = ("title", "authors", "id")


class PaperCommands(Provider):
    """Open a paper by (part of) its title or an author's name."""

    def _open(self, paper_id: str) -> None:
        from .screens.finder import FinderScreen

        screen = self.screen
        if isinstance(screen, FinderScreen):
            screen.finish(paper_id)  # it closes with the paper; then the app shows it
        else:
            self.app.show_paper(paper_id)  # type: ignore[attr-defined]

    def _available(self) -> bool:
        from .screens.finder import FinderScreen
        from .screens.main import MainScreen

        return isinstance(self.screen, (MainScreen, FinderScreen))

    async def search(self, query: str) -> Hits:
        query = query.strip()
        store = getattr(self.app, "store", None)
        if store is None or len(query) < MIN_QUERY or not self._available():
            return
        try:
            rows = await asyncio.to_thread(rank, store, query, MAX_HITS * 3)
        except Exception:  # noqa: BLE001 - the palette must keep working whatever the engine does
            return
        rows = [r for r in rows or () if r.field in FIELDS][:MAX_HITS]
        for i, row in enumerate(rows):
            title = one_line(row.title) or "(untitled)"
            display = Content("Open: ") + _highlight(title, row.spans, len(row.title))
            helptext = " · ".join(x for x in (
                one_line(row.date),
                "" if row.votes is None else f"▲ {row.votes}",
                one_line(", ".join(row.authors[:4]) + (" …" if len(row.authors) > 4 else "")),
            ) if x)
            # Below an exact command-name match (1.0), in the engine's order.
            score = 0.9 - i * 0.01
            yield Hit(score, display, partial(self._open, row.id), text=f"Open: {title}",
                      help=Content(helptext))  # type: ignore[arg-type]


def _highlight(title: str, spans: list[tuple[int, int]], raw_len: int) -> Content:
    content = Content(title)
    if len(title) != raw_len:
        return content
    for start, end in spans:
        start, end = max(0, start), min(len(title), end)
        if start < end:
            content = content.stylize("bold underline", start, end)
    return content
