"""The first search after start: its result rows come from the search index, so no
month's file is read for them (the preview reads the one paper it shows)."""

from __future__ import annotations

from conftest import reopen, settle, wait_until
from tui.app import PapersApp
from tui.screens.search import SearchScreen

SIZE = (100, 30)
DEPTH = "2406.09414"


def test_listed_gives_what_get_gives_without_reading_a_month(store):
    ids = store.ids()[:20] + [DEPTH]
    fresh = reopen(store)
    listed = fresh.listed(ids + ["9999.99999"])
    assert fresh.corpus.meta.loaded == []  # no month's file read
    assert listed[-1] is None  # not in the corpus
    for pid, paper in zip(ids, listed):
        full = store.get(pid)
        assert paper is not None and paper.id == pid
        assert (paper.title, paper.authors, paper.dates, paper.votes) == \
            (full.title, full.authors, full.dates, full.votes)


async def test_first_search_rows_read_no_month_beyond_the_preview(store, screen_text):
    fresh = reopen(store)
    app = PapersApp(fresh)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = set(fresh.corpus.meta.loaded)  # the reader's day
        await pilot.press("slash")
        await settle(pilot, 0.1)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"depth anything")
        for _ in range(100):
            await pilot.pause(0.02)
            if screen.shown_query == "depth anything" and not screen.workers:
                break
        await settle(pilot)
        assert screen.results.rows[0].id == DEPTH
        shown = screen_text(app)
        assert "Depth Anything V2" in shown and "Results" in shown
        # at most the previewed paper's month was read for the search
        assert len(set(fresh.corpus.meta.loaded) - before) <= 1


async def test_after_start_the_first_search_is_ready_without_a_key(store, screen_text):
    """Once the first frame is out, the index is opened and a throwaway query's rows are
    listed in the background: the first ``/`` finds everything ready."""
    fresh = reopen(store)
    assert not fresh.engine.loaded
    app = PapersApp(fresh)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # no key pressed
        assert fresh.engine.loaded
        assert "Search" in screen_text(app)  # the reader's key bar, unchanged
        await pilot.press("slash")
        await settle(pilot, 0.1)
        await pilot.press(*"switchhead")
        await settle(pilot, 0.3)
        assert isinstance(app.screen, SearchScreen)
        assert "SwitchHead" in screen_text(app)


def test_the_warm_up_waits_while_the_reader_says_a_key_just_came(store, monkeypatch):
    """What every search needs (``ready_steps``) is readied at once, keys or not; the
    caches of other kinds of query (``warm_steps``) wait while keys come in."""
    import threading

    from store.search.index import SearchIndex

    ran: list[int] = []
    readied: list[int] = []
    real, real_ready = SearchIndex.warm_steps, SearchIndex.ready_steps

    def steps(self):
        return [lambda i=i, s=s: (ran.append(i), s()) for i, s in enumerate(real(self))]

    def ready(self):
        return [lambda i=i, s=s: (readied.append(i), s())
                for i, s in enumerate(real_ready(self))]

    monkeypatch.setattr(SearchIndex, "warm_steps", steps)
    monkeypatch.setattr(SearchIndex, "ready_steps", ready)
    fresh = reopen(store)
    typing = threading.Event()
    typing.set()
    fresh.engine.warm(hold=typing.is_set)
    every_ready = list(range(len(real_ready(fresh.engine.index))))
    for _ in range(200):  # the index opens and is readied meanwhile; no cache step runs
        if readied == every_ready:
            break
        threading.Event().wait(0.01)
    threading.Event().wait(0.1)
    assert fresh.engine.loaded and readied == every_ready and ran == []
    assert fresh.search("switchhead")[0].id == "2312.07987"  # a search goes ahead
    typing.clear()
    every = list(range(len(real(fresh.engine.index))))
    for _ in range(500):  # then the steps run, in order
        if ran == every:
            break
        threading.Event().wait(0.01)
    assert ran == every


async def open_search(pilot) -> None:
    """``/``, and the search screen up."""
    await pilot.press("slash")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SearchScreen))


async def finds_switchhead(pilot, screen_text) -> None:
    """``switchhead`` typed into the box is answered with the paper's title (however long
    the index takes to be ready)."""
    await pilot.press(*"switchhead")
    await wait_until(pilot, lambda: "SwitchHead" in screen_text(pilot.app), tries=400)
    assert "SwitchHead" in screen_text(pilot.app)


def _slow_ready(monkeypatch, seconds: float) -> None:
    """The warm-up's ready part takes ``seconds`` longer (a big archive, a busy machine)."""
    import time as _time

    from store.search.index import SearchIndex

    real = SearchIndex.ready_steps
    monkeypatch.setattr(SearchIndex, "ready_steps",
                        lambda self: [lambda: _time.sleep(seconds), *real(self)])


async def test_slash_right_after_start_opens_the_box_once_the_first_search_is_ready(
        store, monkeypatch, screen_text):
    """``/`` pressed while the index is still being readied: the box opens after it
    (the keys typed into it are answered at once), and a search there finds."""
    import tui.app

    monkeypatch.setattr(tui.app, "FIRST_SEARCH_WAIT", 5.0)  # (the test's margin)
    _slow_ready(monkeypatch, 0.6)
    fresh = reopen(store)
    app = PapersApp(fresh)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: fresh.engine.loaded)  # open, still readying
        await open_search(pilot)
        assert fresh.search_ready(0)  # ready before the box was up
        await finds_switchhead(pilot, screen_text)


async def test_slash_never_waits_long_for_a_slow_index(store, monkeypatch, screen_text):
    """However slow the warm-up, ``/`` opens the box after at most a moment; a search
    typed there waits for the index and then answers."""
    _slow_ready(monkeypatch, 3.0)
    fresh = reopen(store)
    app = PapersApp(fresh)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: fresh.engine.loaded)  # open, still readying
        await open_search(pilot)
        assert not fresh.search_ready(0)  # the box is up, the index still readying
        assert "Search titles, authors, summaries" in screen_text(app)
        await finds_switchhead(pilot, screen_text)


async def test_slash_before_the_warm_up_started_starts_it_and_waits(
        store, monkeypatch, screen_text):
    """The warm-up waits for the reader's first frame (``PapersApp._after_first_frame``);
    ``/`` typed before it started starts it, and the box opens once the first search
    is ready."""
    import tui.app

    monkeypatch.setattr(tui.app, "FIRST_SEARCH_WAIT", 5.0)  # (the test's margin)
    real = PapersApp._after_first_frame
    calls: list[int] = []

    def after_first_frame(self):  # the refresh after the frame has not come yet
        calls.append(1)
        if len(calls) > 1:  # ``/`` does what it does
            real(self)

    monkeypatch.setattr(PapersApp, "_after_first_frame", after_first_frame)
    fresh = reopen(store)
    app = PapersApp(fresh)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not fresh.search_ready(0)  # nothing started it
        await open_search(pilot)
        assert fresh.search_ready(0)  # ready before the box was up
        await finds_switchhead(pilot, screen_text)


async def test_a_big_archive_starts_readying_search_at_ready(store, monkeypatch, screen_text):
    """From EARLY_WARM_PAPERS papers the warm-up starts at Textual's Ready (before the first
    frame is written); it runs once, and the first search finds."""
    import tui.app
    from store.search.engine import Engine

    monkeypatch.setattr(tui.app, "EARLY_WARM_PAPERS", 1)  # the sample counts as big
    monkeypatch.setattr(PapersApp, "_after_first_frame", lambda self: None)  # only Ready
    started: list[int] = []
    real = Engine.warm

    def warm(self, *args, **kwargs):
        started.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Engine, "warm", warm)
    fresh = reopen(store)
    app = PapersApp(fresh)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert started == [1] and fresh.search_ready(5)
        await open_search(pilot)
        await finds_switchhead(pilot, screen_text)
        assert started == [1]
