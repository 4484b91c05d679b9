"""Tags: the tag editor (``t``) and the tag view (``T``).

The editor is one Input of comma-separated tags that completes the tag being typed
from the tags already in use (Tab or Right accepts).  The tag view lists every tag
with its count; the highlighted tag's papers (across days) are listed beside it and
Enter opens one in the reader.  Everything shown is data (``Text``), never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

from store.storage import StoreError

from ..cursor import steady
from ..text import one_line
from ..widgets.counted_list import CountedList
from ..widgets.key_bar import KeyBar
from ..widgets.paper_list import PaperList
from ..widgets.virtual_list import VirtualList

if TYPE_CHECKING:
    from store.db import Store


def split_tags(value: str) -> list[str]:
    return [t.strip() for t in value.split(",") if t.strip()]


class TagSuggester(Suggester):
    """Completes the last comma-separated part from the known tags."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        typed = last.lstrip().lower()
        if not typed:
            return None
        taken = {t.lower() for t in split_tags(head)}
        for tag in self.tags:
            if tag.startswith(typed) and tag != typed and tag not in taken:
                return value + tag[len(typed):]
        return None


class TagEditor(ModalScreen["list[str] | None"]):
    """Edit one paper's tags; dismisses with the new list, or None if cancelled.

    ``save`` writes the tags; if it raises ``StoreError`` the editor stays open."""

    CSS_PATH = "screens.tcss"  # read when the first such screen opens

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="tags.cancel"),
        Binding("tab", "complete", "Complete", show=False, id="tags.complete"),
    ]

    def __init__(self, title: str, tags: list[str], known: list[tuple[str, int]],
                 save: Callable[[list[str]], object] | None = None) -> None:
        super().__init__()
        self.paper_title = one_line(title)
        self.tags = list(tags)
        self.known = known
        self.save = save

    def compose(self) -> ComposeResult:
        box = Vertical(id="tag-box")
        box.border_title = Content("Tags · ") + Content(self.paper_title)
        box.border_subtitle = Content("comma-separated · Tab completes · Enter saves · Esc cancels")
        value = ", ".join(self.tags) + (", " if self.tags else "")
        with box:
            yield steady(self.app, Input(value, placeholder="tag, another tag", id="tag-input",
                                         suggester=TagSuggester([t for t, _ in self.known])))
            yield Static("", id="tag-error", markup=False)
            if self.known:
                shown = ", ".join(f"{one_line(t)} ({n})" for t, n in self.known[:40])
                yield Static(Text("in use: " + shown), id="tag-known", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#tag-input", Input)

    def on_mount(self) -> None:
        self.input.focus()
        self.input.cursor_position = len(self.input.value)

    def action_complete(self) -> None:
        box = self.input
        box.cursor_position = len(box.value)
        before = box.value
        box.action_cursor_right()  # accepts the suggestion at the end of the input
        if box.value != before:
            box.value += ", "
            box.cursor_position = len(box.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        tags = split_tags(event.value)
        if self.save is not None:
            try:
                self.save(tags)
            except StoreError as exc:
                from .note_editor import show_save_error

                show_save_error(self.query_one("#tag-error", Static), exc)
                return
        self.dismiss(tags)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TagView(ModalScreen["str | None"]):
    """Every tag with its count; the highlighted tag's papers beside it.  Dismisses
    with the paper chosen to read, or None."""

    CSS_PATH = "screens.tcss"  # read when the first such screen opens

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,T", "close", "Close", id="tagview.close"),
        Binding("enter", "open", "Open", id="tagview.open"),
        Binding("tab,l,right", "focus_papers", "Papers", show=False, id="tagview.papers"),
        Binding("shift+tab,h,left", "focus_tags", "Tags", show=False, id="tagview.tags"),
        Binding("x", "export", "Export", id="tagview.export"),
        # the app's keys, as over the reader (a modal screen's bindings come first)
        Binding("question_mark", "app.help", "Help", show=False),
        Binding("slash", "app.search", "Search", show=False),
        Binding("at", "app.authors", "Authors", show=False),
    ]

    def __init__(self, store: Store, current: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.initial = current

    def compose(self) -> ComposeResult:
        with Horizontal(id="tag-panes"):
            yield CountedList(id="tag-names", classes="tag-pane")
            yield PaperList(self.store, id="tag-papers", classes="tag-pane")
        yield KeyBar()

    @property
    def tag_list(self) -> CountedList:
        return self.query_one("#tag-names", CountedList)

    @property
    def paper_list(self) -> PaperList:
        return self.query_one("#tag-papers", PaperList)

    def on_mount(self) -> None:
        self.reload()
        self.tag_list.focus()

    def reload(self) -> None:
        tags = self.store.all_tags()
        self.tag_list.border_title = Content(f"Tags {len(tags)}")
        self.tag_list.set_items(tags, self.tag_list.current or self.initial)
        self._show_tag()

    def _show_tag(self) -> None:
        tag = self.tag_list.current
        papers = self.store.tagged(tag) if tag else []
        self.paper_list.set_papers(papers, show_dates=True, notify=False)
        if tag is None:
            self.paper_list.border_title = Content("No tags yet: press t on a paper to tag it")
        else:
            n = len(papers)
            self.paper_list.border_title = (
                Content(one_line(tag)) + Content(f" · {n} paper{'s' if n != 1 else ''}"))

    def on_virtual_list_highlighted(self, event: VirtualList.Highlighted) -> None:
        if event.sender is self.tag_list:
            self._show_tag()

    def action_focus_papers(self) -> None:
        if self.paper_list.papers:
            self.paper_list.focus()

    def action_focus_tags(self) -> None:
        self.tag_list.focus()

    def action_open(self) -> None:
        if self.focused is self.tag_list:
            self.action_focus_papers()
            return
        paper = self.paper_list.current
        if paper is None:
            return
        self.dismiss(paper.id)  # the reader shows it (PapersApp.show_paper)

    def action_export(self) -> None:
        tag = self.tag_list.current
        if tag is None:
            self.notify("No tags to export.", severity="warning")
            return
        from .exporting import start_export

        start_export(self, [p.id for p in self.paper_list.papers], None, f"tag-{tag}",
                     f"tag “{tag}”")

    def action_close(self) -> None:
        self.dismiss(None)
