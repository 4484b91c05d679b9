"""The author index (``@``): a fuzzy finder over every author, then their papers.

Level 1 (authors): a name box over every distinct author with their paper count; an
empty box lists the most prolific first.  Matching (words, prefixes, typos) runs in the
finder's worker (``tui/screens/finder.py``), which each keystroke supersedes.  The
highlighted author's papers are listed beside it.  Enter chooses the author.

Level 2 (papers): that author's papers across every day, newest first, with a
preview; Enter dismisses with the paper id (the app shows it in its day),
Escape goes back to level 1.  Escape there dismisses with None.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Static

from ..cursor import steady
from ..searching import papers_by_author, search_authors
from ..text import one_line
from ..widgets.counted_list import CountedList
from ..widgets.key_bar import KeyBar
from ..widgets.paper_detail import DetailPane, PaperDetail
from ..widgets.paper_list import PaperList
from ..widgets.virtual_list import VirtualList
from .finder import FinderScreen, set_title

if TYPE_CHECKING:
    from store.db import Store

AUTHOR_LIMIT = 500  # names listed for a query (an empty box lists every author)
NARROW = 70  # below this many columns one list at a time


class AuthorScreen(FinderScreen):
    """Every author with their paper count; dismisses with a chosen paper id, or None."""

    INPUT_ID, STATUS_ID, PREVIEW_ID = "author-input", "author-status", "author-preview"

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"), (NARROW, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="authors.back"),
        Binding("enter", "open", "Open", id="authors.open"),
        Binding("down,ctrl+n", "move(1)", "Next", show=False, id="authors.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="authors.previous"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="authors.page-down"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="authors.page-up"),
        # the app's help and quit, as on the reader (on the name list, typing goes to the box)
        Binding("question_mark", "app.help", "Help", show=False),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, store: Store, query: str = "") -> None:
        super().__init__(store, query)
        self.level = "authors"  # or "papers"
        self.author: str | None = None  # the author whose papers are listed

    # -- layout -------------------------------------------------------------
    def compose(self) -> ComposeResult:
        box = Input(self.initial, placeholder="Author name (typos are fine)",
                    id="author-input", select_on_focus=False)
        steady(self.app, box)
        yield self.query_box(box, "Authors", "Enter lists papers · Esc back")
        yield Static("", id="author-status", markup=False)
        with Horizontal(id="author-panes"):
            yield CountedList(id="author-names", classes="author-pane")
            yield PaperList(self.store, id="author-papers", classes="author-pane")
            yield DetailPane(PaperDetail(id="author-preview"), id="author-preview-pane",
                             classes="author-pane")
        yield KeyBar()

    @property
    def names(self) -> CountedList:
        return self.query_one("#author-names", CountedList)

    @property
    def papers(self) -> PaperList:
        return self.query_one("#author-papers", PaperList)

    def on_mount(self) -> None:
        self.names.border_title = "Authors"
        self.papers.border_title = "Papers"
        self.preview_title("Preview")
        self.input.focus()
        self._query_changed(self.input.value)

    # -- level 1: the names -------------------------------------------------------
    @on(Input.Changed, "#author-input")
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._query_changed(event.value)

    def find(self, query: str, wanted: Callable[[], bool]) -> list[tuple[str, int]]:
        return search_authors(self.store, query, AUTHOR_LIMIT)

    def _paint(self, generation: int, query: str, found: list[tuple[str, int]] | None,
               elapsed: float, error: str | None = None) -> None:
        if not self.is_current(generation):
            return
        found = found or []
        self.shown_query = query
        self.names.set_items(found, notify=False)
        set_title(self.names, f"Authors {len(found):,}")
        self._names_status(error)
        self.now(self._list_papers)
        self.painted()

    def _names_status(self, error: str | None = None) -> None:
        query, n = self.shown_query or "", len(self.names.items)
        if error is not None:
            self._set_status(Text(f"Author search failed: {one_line(error)}"), empty=True)
        elif not n and not query:
            self._set_status(Text("No authors yet. Import digests with: papers import PATH"),
                             empty=True)
        elif not n:
            self._set_status(Text.assemble("No author matches “", one_line(query), "”."),
                             empty=True)
        elif not query:
            self._set_status(Text(f"{n:,} authors, most papers first · type to find one · "
                                  "Enter lists their papers"))
        else:
            self._set_status(Text(f"{n:,} match{'es' if n != 1 else ''} · ↓/Ctrl+N move · "
                                  "Enter lists their papers"))

    @on(VirtualList.Highlighted, "#author-names")
    def _name_highlighted(self, event: VirtualList.Highlighted) -> None:
        event.stop()
        self.soon(self._list_papers)

    def _list_papers(self) -> None:
        """List the highlighted author's papers (newest first)."""
        if self.level != "authors":
            return
        name = self.names.current
        self.author = name
        ids = papers_by_author(self.store, name) if name else []
        found = [p for p in map(self.store.get, ids) if p is not None]
        self.papers.set_papers(found, show_dates=True, notify=False)
        if name is None:
            self.papers.border_title = "Papers"
        else:
            n = len(found)
            self.papers.border_title = Text(f"{one_line(name)} · {n} paper{'s' if n != 1 else ''}")

    # -- level 2: the author's papers ---------------------------------------------
    def _enter_papers(self) -> None:
        if self.names.current is None:
            self.app.bell()
            return
        if self.pending(self._list_papers) or self.author != self.names.current:
            self.now(self._list_papers)
        if not self.papers.papers:
            self.app.bell()
            return
        self.level = "papers"
        self.add_class("-papers")
        n = len(self.papers.papers)
        self._set_status(Text.assemble(
            "Papers by ", one_line(self.author or ""),
            f" · {n} paper{'s' if n != 1 else ''}, newest first · Enter opens · Esc back"))
        self.papers.move_to(0, notify=False)
        self.papers.focus()
        self.now(self._show_preview)

    def _leave_papers(self) -> None:
        self.level = "authors"
        self.remove_class("-papers")
        self._names_status()
        self.input.focus()

    @on(VirtualList.Highlighted, "#author-papers")
    def _paper_highlighted(self, event: VirtualList.Highlighted) -> None:
        event.stop()
        if self.level == "papers":
            self.soon(self._show_preview)

    def _show_preview(self) -> None:
        meta = self.papers.current
        if meta is None:
            self.preview.show_paper(None, empty="No papers.")
            return
        paper = self.store.paper(meta.id) or meta
        self.preview.show(paper, self.store)

    # -- keys -------------------------------------------------------------------------
    @on(Input.Submitted, "#author-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        if self.focused is self.papers or self.level == "papers":
            paper = self.papers.current
            if paper is None:
                self.app.bell()
                return
            self.finish(paper.id)
            return
        if self.ready():  # else it opens when the box's names are listed
            self._enter_papers()

    def action_back(self) -> None:
        if self.level == "papers":
            self._leave_papers()
            return
        self.finish(None)

    def action_move(self, step: int) -> None:
        target = self.papers if self.level == "papers" else self.names
        target.move_to(target.cursor + step)

    def types_into_box(self, focused: Widget, event: events.Key) -> bool:
        """Typing on the name list goes to the name box (fzf-like)."""
        return self.level == "authors" and focused is self.names
