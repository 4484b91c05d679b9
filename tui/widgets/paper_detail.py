"""The Detail pane: everything about one paper, summary sections included.

Built only from ``rich.text.Text`` (never markup), so digest text shows
exactly as written.  Wrapping is Rich's, by display width, so Korean wraps
correctly; labelled bullets become small sections, unlabelled ones a list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from store.words import plural

from ..clipboard import safe_url
from ..text import arxiv_id, clean, one_line, scroll_position, weekday
from .detail_parts import AUTHOR_LINES, Authors, bullet_rows
from .paper_list import BOOKMARK_GLYPH, NOTE_GLYPH, UNREAD_GLYPH
from .related_rows import RELATED, not_yet_section, related_section
from .strips import fewer_segments

if TYPE_CHECKING:
    from store.models import Bullet, Paper

    from .paper_list import PaperState

class PaperDetail(ScrollView, can_focus=True):
    """Scrollable detail of the highlighted paper.

    The content is rendered once per paper and width into lines that are drawn on demand.
    Showing the next paper repaints only the content area: no layout pass, no border, no
    scrollbar (the border's subtitle says where you are).  Over a slow SSH link the bytes a
    key writes are the time it takes, and a layout pass rewrites every pane's scrollbar."""

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
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 0;
        & > .paper-detail--title { text-style: bold; color: $text; }
        & > .paper-detail--meta { color: $text-secondary; }
        & > .paper-detail--muted { color: $text-muted; }
        & > .paper-detail--label { text-style: bold; color: $text-accent; }
        & > .paper-detail--glyph { color: $text-muted; }
        & > .paper-detail--unread { color: $text-accent; }
        & > .paper-detail--bookmark { color: $text-warning; }
        & > .paper-detail--link { color: $text-primary; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None,
                 related: bool = False) -> None:
        super().__init__(id=id, classes=classes)
        self.with_related = related  # the reader's pane ends with the related papers
        self.related: list[Paper] | None = []  # None: no related lists yet
        self.paper: Paper | None = None
        self.read = False
        self.bookmarked = False
        self.day: str | None = None
        self.note: str | None = None  # the reader's note and tags (keep: e / t)
        self.tags: list[str] = []
        self._content: RenderableType = Text("")
        self._lines: list[Strip] = []  # the content at ``_width``, one strip per line
        self._width = -1
        self._drawn: dict[int, Strip] = {}  # lines as drawn (style, width, offsets applied)

    # -- content ------------------------------------------------------------
    def _set_content(self, content: RenderableType, *, home: bool) -> None:
        self._content = content
        self._width = -1
        if home:  # no scroll animation, no repaint of its own: the content repaint covers it
            self.set_reactive(ScrollView.scroll_y, 0)
            self.set_reactive(ScrollView.scroll_target_y, 0)
        self._layout_lines()
        self.refresh(self.scrollable_content_region.reset_offset)

    def _render(self, content: RenderableType, width: int) -> list[Strip]:
        console = self.app.console
        options = console.options.update(width=width, min_width=width, height=None)
        rendered = console.render_lines(content, options, pad=False, new_lines=False)
        return [Strip(line).simplify() for line in rendered]

    def _layout_lines(self) -> None:
        """Render the content at the current width (once per paper and width)."""
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._width:
            return
        ahead = self._ahead
        if ahead is not None and ahead[2] is self._content and ahead[1] == width:
            self._lines = ahead[3]  # rendered ahead (prepare)
        else:
            self._lines = self._render(self._content, width)
        self._width = width
        self._drawn.clear()
        # The line count is the virtual height.  Set without a layout pass (the pane's size
        # does not depend on it); scrolling clamps to it.
        self.set_reactive(ScrollView.virtual_size, Size(width, len(self._lines)))
        if self.scroll_y > self.max_scroll_y:
            self.set_reactive(ScrollView.scroll_y, self.max_scroll_y)
            self.set_reactive(ScrollView.scroll_target_y, self.max_scroll_y)
        self._update_position()

    def _update_position(self) -> None:
        """Say in the border where the view is, when there is more than fits."""
        where = scroll_position(round(self.scroll_y), self.scrollable_content_region.height,
                                len(self._lines))
        owner = self.parent if isinstance(self.parent, DetailPane) else self
        if str(owner.border_subtitle or "") != where:
            owner.border_subtitle = where

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._update_position()

    def on_resize(self, event: events.Resize) -> None:
        self._layout_lines()
        self._update_position()

    # -- drawing ------------------------------------------------------------
    _frame_style: Style | None = None  # the pane's style while a frame is drawn

    def render_lines(self, crop: Region) -> list[Strip]:
        # The pane's style once per frame, not once per line (each look walks the
        # ancestors' styles: a few ms of every key that shows another paper).
        self._frame_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    def render_line(self, y: int) -> Strip:
        self._layout_lines()
        width = self.scrollable_content_region.width
        base = self._frame_style or self.rich_style
        index = round(self.scroll_y) + y
        if index >= len(self._lines) or width <= 0:
            return Strip.blank(max(0, width), base)
        selection = self.text_selection
        drawn = self._drawn.get(index) if selection is None else None
        if drawn is None:
            strip = self._lines[index]
            if selection is not None and (span := selection.get_span(index)) is not None:
                start, end = span
                text = Text.assemble(*((seg.text, seg.style) for seg in strip))
                text.stylize(self.screen.get_component_rich_style("screen--selection"),
                             start, len(text) if end == -1 else end)
                strip = Strip(text.render(self.app.console))
            drawn = fewer_segments(strip.apply_style(base).crop_extend(0, width, base))
            drawn = drawn.apply_offsets(0, index)
            if selection is None:
                self._drawn[index] = drawn
        return drawn

    def content_lines(self) -> list[Strip]:
        """The whole content as drawn at the pane's width (every line, not only those in
        view), with its styles and links."""
        self._layout_lines()
        return list(self._lines)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._width = -1  # colours changed (theme, focus): render again
        self._drawn.clear()
        self._ahead = None

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        text = "\n".join(strip.text.rstrip() for strip in self._lines)
        return selection.extract(text), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._drawn.clear()
        self.refresh()

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
        home = scroll_home and not same
        ahead = self._ahead
        if paper is None:
            self.related = []
            self._set_content(Text(empty, self._style("muted")), home=home)
        elif ahead is not None and ahead[0] == (paper, read, bookmarked, day, note, self.tags,
                                                self.related):
            self._set_content(ahead[2], home=home)  # built and rendered ahead (prepare)
        else:
            self._set_content(self.build(paper), home=home)

    # A paper built and rendered before it is shown: (what it shows, width, content, lines).
    _ahead: tuple | None = None

    def prepare(self, paper: Paper, state: PaperState, *, day: str | None = None) -> None:
        """Build and render ``paper`` now (the one the next key will likely show, while the
        user reads this one): showing it then only swaps its lines in, and the key's frame
        goes out sooner.  Only the latest prepared paper is kept."""
        width = self.scrollable_content_region.width
        pid = paper.id
        what = (paper, state.is_read(pid), state.is_bookmarked(pid), day, state.note(pid),
                list(state.tags(pid)), self._related_of(pid, state))
        ahead = self._ahead
        if width <= 0 or (ahead is not None and ahead[0] == what and ahead[1] == width):
            return
        shown = (self.paper, self.read, self.bookmarked, self.day, self.note, self.tags,
                 self.related)
        (self.paper, self.read, self.bookmarked, self.day, self.note, self.tags,
         self.related) = what
        try:
            content = self.build(paper)  # build() reads the paper's state from self
        finally:
            (self.paper, self.read, self.bookmarked, self.day, self.note, self.tags,
             self.related) = shown
        self._ahead = (what, width, content, self._render(content, width))

    def show(self, paper: Paper, state: PaperState, *, day: str | None = None,
             refresh: bool = False) -> None:
        """Show ``paper`` with what ``state`` (the Store) says of it: read, bookmarked,
        note, tags.  ``refresh``: the same paper again after a change (keeps the scroll
        position and the day; redraws only if something changed)."""
        pid = paper.id
        read, bookmarked = state.is_read(pid), state.is_bookmarked(pid)
        note, tags = state.note(pid), list(state.tags(pid))
        related = self._related_of(pid, state)
        if refresh and self.paper is not None and self.paper.id == pid:
            if (read, bookmarked, note, tags, related) != (
                    self.read, self.bookmarked, self.note, self.tags, self.related):
                self.read, self.bookmarked, self.note, self.tags = read, bookmarked, note, tags
                self.related = related
                self._redraw()
            return
        self.related = related
        self.show_paper(paper, read=read, bookmarked=bookmarked, day=day, note=note, tags=tags)

    def _related_of(self, paper_id: str, state: PaperState) -> list[Paper] | None:
        """The related papers, once the store has them at hand (``related_ready``: read
        in the background after start-up, so the first paint never waits for them);
        None when the data directory has none yet (``related_missing``)."""
        if not self.with_related:
            return []
        if getattr(state, "related_missing", False):
            return None
        if not getattr(state, "related_ready", False):
            return []
        return list(state.related(paper_id, RELATED))  # type: ignore[attr-defined]

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
        self._set_content(self.build(self.paper), home=False)

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

    class PaperClicked(Message):
        """A paper of the "Related" section was clicked: show it (``app.show_paper``)."""

        def __init__(self, paper_id: str) -> None:
            super().__init__()
            self.paper_id = paper_id

    def on_click(self, event: events.Click) -> None:
        paper_id = event.style.meta.get("paper") if event.style else None
        if isinstance(paper_id, str):
            event.stop()
            self.post_message(self.PaperClicked(paper_id))
            return
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
            when.append(f"▲ {plural(paper.votes, 'vote')}", s("meta"))
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
        if self.related is None:
            parts.append(not_yet_section(s))
        elif self.related:
            parts.append(related_section(self.related, s))
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
                rows.append(bullet_rows([("•", Text(clean(bullet.text)))], 0, s("glyph")))
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
        return bullet_rows(rows, indent, self._style("glyph"))


class DetailPane(Container):
    """The bordered pane around a ``PaperDetail``.  The border is the pane's, not the
    detail's: showing another paper repaints the detail's lines and leaves the border (and
    its padding) alone, which is about a third of what a key would write otherwise."""

    DEFAULT_CSS = """
    DetailPane { height: 1fr; }
    DetailPane > PaperDetail { width: 1fr; height: 1fr; }
    """

    def __init__(self, detail: PaperDetail, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(detail, id=id, classes=classes)
