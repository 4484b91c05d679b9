"""The author index (``@``): a fuzzy finder over every author, then their papers.

Level 1 (authors): a name box over every distinct author with their paper count; an
empty box lists the most prolific first.  Matching (words, prefixes, typos) runs in a
thread worker that each keystroke supersedes.  The highlighted author's papers are
listed beside it.  Enter chooses the author.

Level 2 (papers): that author's papers across every day, newest first, with a
preview; Enter dismisses with the paper id (the main screen shows it in its day),
Escape goes back to level 1.  Escape there dismisses with None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from ..searching import papers_by_author, search_authors
from ..text import one_line
from ..widgets.author_list import AuthorList
from ..widgets.key_bar import KeyBar
from ..widgets.paper_detail import PaperDetail
from ..widgets.paper_list import PaperList
from ..widgets.virtual_list import VirtualList

if TYPE_CHECKING:
    from store.db import Store

AUTHOR_LIMIT = 500  # names listed for a query (an empty box lists every author)
PREVIEW_DELAY = 0.04
NARROW = 70  # below this many columns one list at a time


class AuthorScreen(ModalScreen["str | None"]):
    """Every author with their paper count; dismisses with a chosen paper id, or None."""

    CSS_PATH = "screens.tcss"  # read when the first such screen opens

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="authors.back"),
        Binding("enter", "open", "Open", id="authors.open"),
        Binding("down,ctrl+n", "move(1)", "Next", show=False, id="authors.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="authors.previous"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="authors.page-down"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="authors.page-up"),
        # not the reader's search / author keys while the author index is open
        Binding("slash,at", "nothing", show=False),
        # the app's help and quit, as on the reader (on the name list, typing goes to the box)
        Binding("question_mark", "app.help", "Help", show=False),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, store: Store, query: str = "") -> None:
        super().__init__()
        self.store = store
        self.initial = query
        self.level = "authors"  # or "papers"
        self.author: str | None = None  # the author whose papers are listed
        self.generation = 0
        self.shown_query: str | None = None
        self._finished = False
        self._papers_timer: Timer | None = None
        self._preview_timer: Timer | None = None

    # -- layout -------------------------------------------------------------
    def compose(self) -> ComposeResult:
        box = Input(self.initial, placeholder="Author name (typos are fine)",
                    id="author-input", select_on_focus=False)
        box.border_title = "Authors"
        box.border_subtitle = "Enter lists papers · Esc back"
        yield box
        yield Static("", id="author-status", markup=False)
        with Horizontal(id="author-panes"):
            yield AuthorList(id="author-names", classes="author-pane")
            yield PaperList(self.store, id="author-papers", classes="author-pane")
            yield PaperDetail(id="author-preview", classes="author-pane")
        yield KeyBar()

    @property
    def input(self) -> Input:
        return self.query_one("#author-input", Input)

    @property
    def names(self) -> AuthorList:
        return self.query_one("#author-names", AuthorList)

    @property
    def papers(self) -> PaperList:
        return self.query_one("#author-papers", PaperList)

    @property
    def preview(self) -> PaperDetail:
        return self.query_one("#author-preview", PaperDetail)

    @property
    def status(self) -> Static:
        return self.query_one("#author-status", Static)

    def on_mount(self) -> None:
        self.names.border_title = "Authors"
        self.papers.border_title = "Papers"
        self.preview.border_title = "Preview"
        self.input.focus()
        self._query_changed(self.input.value)

    # -- level 1: the names -------------------------------------------------------
    @on(Input.Changed, "#author-input")
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._query_changed(event.value)

    def _query_changed(self, value: str) -> None:
        self.generation += 1
        self._find(self.generation, value.strip())

    @work(thread=True, exclusive=True, group="author-find", exit_on_error=False)
    def _find(self, generation: int, query: str) -> None:
        worker = get_current_worker()
        if worker.is_cancelled or generation != self.generation:
            return
        try:
            found = search_authors(self.store, query, AUTHOR_LIMIT)
            error = None
        except Exception as exc:  # never take the reader down
            found, error = [], str(exc) or type(exc).__name__
        if worker.is_cancelled or generation != self.generation or self._finished:
            return
        self.app.call_from_thread(self._paint, generation, query, found, error)

    def _paint(self, generation: int, query: str, found: list[tuple[str, int]],
               error: str | None) -> None:
        if self._finished or generation != self.generation or not self.is_attached:
            return
        self.shown_query = query
        self.names.set_authors(found, notify=False)
        n = len(found)
        self.names.border_title = f"Authors {n:,}"
        self._names_status(error)
        self._list_papers()

    def _names_status(self, error: str | None = None) -> None:
        query, n = self.shown_query or "", len(self.names.authors)
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

    def _set_status(self, text: Text, *, empty: bool = False) -> None:
        self.status.set_class(empty, "-empty")
        self.status.update(text)

    @on(VirtualList.Highlighted, "#author-names")
    def _name_highlighted(self, event: VirtualList.Highlighted) -> None:
        event.stop()
        if self._papers_timer is None:
            self._papers_timer = self.set_timer(PREVIEW_DELAY, self._list_papers)

    def _list_papers(self) -> None:
        """List the highlighted author's papers (newest first)."""
        if self._papers_timer is not None:
            self._papers_timer.stop()
            self._papers_timer = None
        if self._finished or self.level != "authors":
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
        if self._papers_timer is not None or self.author != self.names.current:
            self._list_papers()
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
        self._show_preview()

    def _leave_papers(self) -> None:
        self.level = "authors"
        self.remove_class("-papers")
        self._names_status()
        self.input.focus()

    @on(VirtualList.Highlighted, "#author-papers")
    def _paper_highlighted(self, event: VirtualList.Highlighted) -> None:
        event.stop()
        if self.level == "papers" and self._preview_timer is None:
            self._preview_timer = self.set_timer(PREVIEW_DELAY, self._show_preview)

    def _show_preview(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        if self._finished:
            return
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
            self._finished = True
            self.dismiss(paper.id)
            return
        if self.shown_query != self.input.value.strip():
            # Enter before the worker painted this query: find the names now.
            self.generation += 1
            self._paint(self.generation, self.input.value.strip(),
                        search_authors(self.store, self.input.value.strip(), AUTHOR_LIMIT), None)
        self._enter_papers()

    def action_back(self) -> None:
        if self.level == "papers":
            self._leave_papers()
            return
        self._finished = True
        self.generation += 1
        self.dismiss(None)

    def action_nothing(self) -> None:
        pass

    def action_move(self, step: int) -> None:
        target = self.papers if self.level == "papers" else self.names
        target.move_to(target.cursor + step)

    def on_key(self, event: events.Key) -> None:
        """Typing on the name list goes to the name box (fzf-like)."""
        if self.level != "authors" or self.focused is not self.names:
            return
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.input.focus()
            self.input.insert_text_at_cursor(event.character)
