"""The statistics screen (``S``): the same figures as ``papers stats``.

Papers per day as a Textual ``Sparkline`` over the selected range (``r`` cycles: all
days, last 12 months, 90 days, 30 days), and bars of block characters for votes,
authors, reading progress by month and the busiest days, so it draws the same over
SSH in any terminal.  Computed in a thread (55k papers take a few hundred ms).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Sparkline, Static

from store.stats import Stats, bar
from store.words import plural

from ..text import one_line
from ..widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from store.db import Store

RANGES: list[tuple[str, int | None]] = [
    ("all days", None),
    ("last 12 months", 365),
    ("last 90 days", 90),
    ("last 30 days", 30),
]
BAR = 30


def since_for(newest: str | None, days: int | None) -> str | None:
    if newest is None or days is None:
        return None
    try:
        return (dt.date.fromisoformat(newest) - dt.timedelta(days=days - 1)).isoformat()
    except ValueError:
        return None


def _heading(text: str) -> Text:
    return Text(text, style="bold underline")


def _grid() -> Table:
    table = Table.grid(padding=(0, 2, 0, 0))
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True)
    return table


def build_sections(st: Stats) -> list[Group]:
    """The figures below the sparkline, as Rich renderables (text only, no markup)."""
    out = []
    votes = _grid()
    top = max((n for _, n in st.votes), default=0)
    for label, n in st.votes:
        votes.add_row(Text(label), Text(str(n)), Text(bar(n, top, BAR), style="cyan"))
    title = "Votes"
    if st.votes_max is not None:
        title += f"  (median {st.votes_median:g} · mean {st.votes_mean:g} · max {st.votes_max})"
    out.append(Group(_heading(title), votes, Text()))

    authors = _grid()
    top = st.authors[0][1] if st.authors else 0
    for name, n in st.authors:
        authors.add_row(Text(one_line(name)), Text(str(n)), Text(bar(n, top, 20), style="green"))
    out.append(Group(_heading("Most frequent authors"),
                     authors if st.authors else Text("(none)", style="dim"), Text()))

    progress = Table.grid(padding=(0, 2, 0, 0))
    for justify in ("left", "left", "right", "right", "right"):
        progress.add_column(justify=justify, no_wrap=True)  # type: ignore[arg-type]
    progress.add_row(*(Text(h, style="dim") for h in
                       ("month", "read ▓ / unread ░", "read", "bookmarked", "unread")))
    for m in st.progress:
        width = 24
        filled = round(m.read / m.papers * width) if m.papers else 0
        if m.read and not filled:
            filled = 1
        meter = Text("▓" * filled, style="green") + Text("░" * (width - filled), style="dim")
        progress.add_row(Text(m.month), meter, Text(str(m.read)), Text(str(m.bookmarked)),
                         Text(str(m.unread)))
    out.append(Group(_heading("Reading progress by month"), progress, Text()))

    busiest = _grid()
    top = st.busiest[0][1] if st.busiest else 0
    for date, n, v in st.busiest:
        busiest.add_row(Text(date), Text(plural(n, "paper")),
                        Text(bar(n, top, 20), style="magenta") + Text(f"  {plural(v, 'vote')}", style="dim"))
    out.append(Group(_heading("Busiest days"), busiest))
    return out


class StatsScreen(Screen[None]):
    CSS_PATH = "screens.tcss"  # read when the first such screen opens

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,S", "close", "Close", id="stats.close"),
        Binding("r", "cycle_range", "Range", id="stats.range"),
        Binding("j,down", "scroll('down')", "Down", show=False, id="stats.down"),
        Binding("k,up", "scroll('up')", "Up", show=False, id="stats.up"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.range_index = 0
        self.stats: Stats | None = None
        days = store.days()
        self.newest = days[0].date if days else None

    def compose(self) -> ComposeResult:
        box = VerticalScroll(id="stats-box")
        box.border_title = Content("Statistics")
        box.border_subtitle = Content("r range · Esc close")
        with box:
            yield Static(Text("Computing…", style="dim"), id="stats-summary", markup=False)
            yield Static(Text("Papers per day", style="bold underline"), markup=False)
            yield Sparkline([], id="stats-spark")
            yield Static("", id="stats-spark-caption", markup=False)
            yield Static("", id="stats-sections", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#stats-box").focus()
        self.compute()

    @property
    def range_name(self) -> str:
        return RANGES[self.range_index][0]

    @work(thread=True, exclusive=True, group="stats")
    def compute(self) -> None:
        since = since_for(self.newest, RANGES[self.range_index][1])
        st = self.store.stats(since=since)
        self.app.call_from_thread(self.show, st)

    def show(self, st: Stats) -> None:
        self.stats = st
        box = self.query_one("#stats-box")
        box.border_title = Content(f"Statistics · {self.range_name}")
        summary = Text()
        if st.days:
            summary.append(f"{st.first_day} to {st.last_day}   ", style="bold")
            summary.append(f"{plural(st.days, 'day')} · {plural(st.papers, 'paper')} · read {st.read} · "
                           f"unread {st.unread} · bookmarked {st.bookmarked}")
        else:
            summary.append("No days in this range.", style="dim")
        self.query_one("#stats-summary", Static).update(summary)
        counts = [n for _, n in st.per_day]
        self.query_one("#stats-spark", Sparkline).data = counts
        caption = Text(style="dim")
        if counts:
            caption.append(f"{plural(len(counts), 'day')} · min {min(counts)} · max {max(counts)} · "
                           f"mean {sum(counts) / len(counts):.1f} papers a day")
        self.query_one("#stats-spark-caption", Static).update(caption)
        sections = build_sections(st) if st.days else []
        self.query_one("#stats-sections", Static).update(Group(Text(), *sections))

    def action_cycle_range(self) -> None:
        self.range_index = (self.range_index + 1) % len(RANGES)
        self.compute()
        self.notify(f"Statistics over {self.range_name}.", timeout=1.5)

    def action_scroll(self, direction: str) -> None:
        box = self.query_one("#stats-box", VerticalScroll)
        if direction == "down":
            box.scroll_down(animate=False)
        else:
            box.scroll_up(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
