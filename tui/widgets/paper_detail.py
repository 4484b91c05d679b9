"""The Detail pane: everything about one paper, summary sections included.

Built only from ``rich.text.Text`` (never markup), so digest text shows
exactly as written.  Wrapping is Rich's, by display width, so Korean wraps
correctly; labelled bullets become small sections, unlabelled ones a list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Iterable

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from ..clipboard import safe_url
from ..text import arxiv_id, clean, one_line, weekday
from .paper_list import BOOKMARK_GLYPH, NOTE_GLYPH, UNREAD_GLYPH

if TYPE_CHECKING:
    from store.models import Bullet, Paper

AUTHOR_LINES = 3  # a long author list is folded after this many lines


class Authors:
    """The author list, wrapped and folded to ``max_lines`` at render time."""

    def __init__(self, authors: list[str], truncated: bool, style: Style, max_lines: int) -> None:
        self.authors = [one_line(a) for a in authors if a]
        self.truncated = truncated
        self.style = style
        self.max_lines = max_lines

    def text_for(self, console: Console, width: int) -> Text:
        names = self.authors
        full = Text(", ".join(names))
        if len(full.wrap(console, width)) <= self.max_lines:
            return full
        best = Text(f"{names[0]}, … and {len(names) - 1} more")
        for k in range(2, len(names)):
            candidate = Text(", ".join(names[:k]) + f", … and {len(names) - k} more")
            if len(candidate.wrap(console, width)) > self.max_lines:
                break
            best = candidate
        return best

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(10, options.max_width)
        if self.authors:
            yield self.text_for(console, width)
        else:
            yield Text("(no authors listed)", self.style)
        if self.truncated:
            yield Text("+ hidden authors", self.style)


class RenderedOnce:
    """``renderable``, rendered once per width.  Textual renders a Static's content to
    measure its height and again to draw it (and once more after the layout settles):
    the segments are the same each time, so keep them."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable
        self._segments: dict[tuple, list] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # The content has no height of its own to fill: render it at its natural height
        # (Textual crops), so a measure and a draw share one rendering.
        options = options.update(height=None)
        key = (options.max_width, options.min_width, options.justify, options.overflow,
               options.no_wrap)
        segments = self._segments.get(key)
        if segments is None:
            if len(self._segments) > 8:  # widths seen while resizing: keep a few
                self._segments.clear()
            segments = self._segments[key] = list(console.render(self.renderable, options))
        yield from segments


def _list(rows: Iterable[tuple[str, Text]], indent: int, glyph_style: Style) -> Padding:
    """Rows of ``glyph  text`` with a hanging indent (wrapped text stays aligned)."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for glyph, text in rows:
        grid.add_row(Text(glyph, glyph_style), text)
    return Padding(grid, (0, 0, 0, indent))


class PaperDetail(VerticalScroll):
    """Scrollable detail of the highlighted paper."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="detail.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="detail.up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="detail.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="detail.bottom"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="detail.page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="detail.page-up"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-detail--title",
        "paper-detail--meta",
        "paper-detail--muted",
        "paper-detail--label",
        "paper-detail--glyph",
        "paper-detail--unread",
        "paper-detail--bookmark",
        "paper-detail--link",
    }

    DEFAULT_CSS = """
    PaperDetail {
        & > .paper-detail--title { text-style: bold; color: $text; }
        & > .paper-detail--meta { color: $text-secondary; }
        & > .paper-detail--muted { color: $text-muted; }
        & > .paper-detail--label { text-style: bold; color: $text-accent; }
        & > .paper-detail--glyph { color: $text-muted; }
        & > .paper-detail--unread { color: $text-accent; }
        & > .paper-detail--bookmark { color: $text-warning; }
        & > .paper-detail--link { color: $text-primary; }
        & > #detail-body { width: 1fr; height: auto; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.paper: Paper | None = None
        self.read = False
        self.bookmarked = False
        self.day: str | None = None
        self.note: str | None = None  # the reader's note and tags (keep: e / t)
        self.tags: list[str] = []

    def compose(self):
        yield Static("", id="detail-body", markup=False)

    @property
    def body(self) -> Static:
        return self.query_one("#detail-body", Static)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"paper-detail--{name}", partial=True)

    def show_paper(
        self,
        paper: Paper | None,
        *,
        read: bool = False,
        bookmarked: bool = False,
        day: str | None = None,
        empty: str = "No paper selected.",
        scroll_home: bool = True,
        note: str | None = None,
        tags: Iterable[str] = (),
    ) -> None:
        """Show ``paper`` (with bullets) or the ``empty`` message."""
        same = paper is not None and self.paper is not None and paper.id == self.paper.id
        self.paper, self.read, self.bookmarked, self.day = paper, read, bookmarked, day
        self.note, self.tags = note, list(tags)
        if paper is None:
            self.body.update(Text(empty, self._style("muted")))
        else:
            self._redraw()
        if scroll_home and not same:
            self.scroll_home(animate=False, immediate=True)

    def set_state(self, read: bool, bookmarked: bool) -> None:
        """Re-render the header after a read/bookmark change (keeps the scroll position)."""
        if self.paper is not None and (read, bookmarked) != (self.read, self.bookmarked):
            self.read, self.bookmarked = read, bookmarked
            self._redraw()

    def set_keep(self, note: str | None, tags: Iterable[str]) -> None:
        """Re-render after a note/tag change (keeps the scroll position)."""
        tags = list(tags)
        if self.paper is not None and (note, tags) != (self.note, self.tags):
            self.note, self.tags = note, tags
            self._redraw()

    def _redraw(self) -> None:
        assert self.paper is not None
        self.body.update(RenderedOnce(self.build(self.paper)))

    # -- links ----------------------------------------------------------------
    class LinkClicked(Message):
        """A link in the pane was clicked (``url`` already passed ``safe_url``)."""

        def __init__(self, url: str) -> None:
            super().__init__()
            self.url = url

    def _link_style(self, url: str) -> Style:
        """The link colour, and a real terminal hyperlink (OSC 8) when ``url`` is a plain
        http(s) link: the terminal can open it, and a click in the pane opens it too."""
        safe = safe_url(url)
        style = self._style("link")
        return style + Style(link=safe) if safe else style

    def on_click(self, event: events.Click) -> None:
        link = event.style.link if event.style else None
        url = safe_url(link) if link else None
        if url:
            event.stop()
            self.post_message(self.LinkClicked(url))

    # -- building -----------------------------------------------------------
    def build(self, paper: Paper) -> RenderableType:
        s = self._style
        parts: list[RenderableType] = [Text(one_line(paper.title) or "(untitled)", s("title"))]

        ident = Text.assemble(
            ("arXiv ", s("muted")), (one_line(arxiv_id(paper.id, paper.url)), s("meta"))
        )
        if paper.url:
            ident.append("  ")
            ident.append(one_line(paper.url), self._link_style(paper.url))
        parts.append(ident)

        when = Text()
        if paper.votes is not None:
            when.append(f"▲ {paper.votes} votes", s("meta"))
            when.append("  ")
        when.append_text(self._dates(paper))
        parts.append(when)

        status = Text(no_wrap=True, overflow="ellipsis")
        if self.read:
            status.append("read", s("muted"))
        else:
            status.append(f"{UNREAD_GLYPH} unread", s("unread"))
        if self.bookmarked:
            status.append("  ")
            status.append(f"{BOOKMARK_GLYPH} bookmarked", s("bookmark"))
        parts.append(status)
        if self.tags:
            parts.append(Text.assemble(
                ("tags ", s("muted")), (", ".join(one_line(t) for t in self.tags), s("meta"))))

        parts.append(Text())
        parts.append(Text("Authors", s("label")))
        parts.append(
            Padding(
                Authors(paper.authors, paper.authors_truncated, s("muted"), AUTHOR_LINES),
                (0, 0, 0, 2),
            )
        )

        parts.extend(self._summary(paper.bullets))
        if self.note:
            parts.append(Text())
            parts.append(Text(f"{NOTE_GLYPH} Note", s("label")))
            parts.append(Padding(Text(clean(self.note)), (0, 0, 0, 2)))

        links = [
            (name, url)
            for name, url in (("Thumbnail", paper.thumbnail), ("Video", paper.video))
            if url
        ]
        if links:
            parts.append(Text())
            for name, url in links:
                parts.append(Text.assemble((f"{name}: ", s("muted")),
                                           (one_line(url), self._link_style(url))))
        return Group(*parts)

    def _dates(self, paper: Paper) -> Text:
        s = self._style
        dates = [one_line(d) for d in paper.dates]
        text = Text()
        if self.day and self.day in dates:
            text.append(f"{self.day} {weekday(self.day)}", s("meta"))
            others = [d for d in dates if d != self.day]
            if others:
                text.append("  also listed on ", s("muted"))
                text.append(", ".join(others), s("meta"))
        elif dates:
            text.append("Listed on ", s("muted"))
            text.append(", ".join(f"{d} {weekday(d)}" for d in dates), s("meta"))
        return text

    def _summary(self, bullets: list[Bullet]) -> list[RenderableType]:
        s = self._style
        out: list[RenderableType] = []
        if not bullets:
            out.append(Text())
            out.append(Text("(no summary)", s("muted")))
            return out
        loose: list[Bullet] = []

        def flush_loose() -> None:
            if not loose:
                return
            out.append(Text())
            rows: list[RenderableType] = []
            for bullet in loose:
                rows.append(_list([("•", Text(clean(bullet.text)))], 0, s("glyph")))
                if bullet.children:
                    rows.append(self._children(bullet.children, 2))
            out.extend(rows)
            loose.clear()

        for bullet in bullets:
            if not bullet.label:
                loose.append(bullet)
                continue
            flush_loose()
            out.append(Text())
            out.append(Text(one_line(bullet.label), s("label")))
            if bullet.text:
                out.append(Padding(Text(clean(bullet.text)), (0, 0, 0, 2)))
            if bullet.children:
                out.append(self._children(bullet.children, 2))
        flush_loose()
        return out

    def _children(self, children: list[str], indent: int) -> Padding:
        rows = (("◦", Text(clean(child))) for child in children)
        return _list(rows, indent, self._style("glyph"))
