"""The first search after start: its result rows come from the search index, so no
month's file is read for them (the preview reads the one paper it shows)."""

from __future__ import annotations

from conftest import reopen, settle

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
    import threading

    from store.search.index import SearchIndex

    ran: list[int] = []
    real = SearchIndex.warm_steps

    def steps(self):
        return [lambda i=i, s=s: (ran.append(i), s()) for i, s in enumerate(real(self))]

    monkeypatch.setattr(SearchIndex, "warm_steps", steps)
    fresh = reopen(store)
    typing = threading.Event()
    typing.set()
    fresh.engine.warm(hold=typing.is_set)
    for _ in range(200):  # the index opens meanwhile; no cache step runs
        if fresh.engine.loaded:
            break
        threading.Event().wait(0.01)
    threading.Event().wait(0.1)
    assert fresh.engine.loaded and ran == []
    assert fresh.search("switchhead")[0].id == "2312.07987"  # a search goes ahead
    typing.clear()
    every = list(range(len(real(fresh.engine.index))))
    for _ in range(500):  # then the steps run, in order
        if ran == every:
            break
        threading.Event().wait(0.01)
    assert ran == every
