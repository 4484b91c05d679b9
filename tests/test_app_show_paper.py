"""One route to a paper: from every finder (``/``, ``@``, ``T``, Ctrl+P) the chosen
paper opens in its day, is marked read (on disk), and its title is on the detail pane.

The bundled sample: Depth Anything V2 (2406.09414) is on 2024-06-14; the reader
starts elsewhere (2024-04-15, reading a paper there) so the jump is a real one.
"""

from __future__ import annotations

from conftest import reopen, wait_until
from store.db import Store
from tui.app import PapersApp
from tui.screens.main import MainScreen

SIZE = (100, 30)
DEPTH = "2406.09414"
DEPTH_TITLE = "Depth Anything V2"
DEPTH_DAY = "2024-06-14"
OLDER_DAY = "2024-04-15"


async def start_elsewhere(pilot, app) -> MainScreen:
    """Another day, reading another paper (the detail pane has the focus)."""
    await pilot.pause()
    await pilot.press("right_square_bracket", "enter")
    await pilot.pause()
    reader = app.screen
    assert isinstance(reader, MainScreen) and reader.day == OLDER_DAY
    assert app.focused is reader.detail
    return reader


def assert_opened(app, store: Store, screen_text) -> None:
    reader = app.screen
    assert isinstance(reader, MainScreen)
    assert reader.day == DEPTH_DAY
    assert reader.day_list.current_date == DEPTH_DAY
    assert reader.paper_list.current.id == DEPTH
    assert reader.detail.paper is not None and reader.detail.paper.id == DEPTH
    assert app.focused is reader.detail
    assert store.is_read(DEPTH)
    assert reopen(store).is_read(DEPTH)  # on disk
    detail = reader.detail.region
    lines = screen_text(app).splitlines()
    pane = "\n".join(line[detail.x:detail.right] for line in lines[detail.y:detail.bottom])
    assert DEPTH_TITLE in pane


async def test_search_opens_the_paper_in_its_day_and_marks_it_read(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start_elsewhere(pilot, app)
        await pilot.press("slash")
        await pilot.pause()
        search = app.screen
        await pilot.press(*"depth anything")
        await wait_until(pilot, lambda: search.shown_query == "depth anything")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert_opened(app, store, screen_text)


async def test_author_index_opens_the_paper_in_its_day_and_marks_it_read(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start_elsewhere(pilot, app)
        await pilot.press("at")
        await pilot.pause()
        authors = app.screen
        await pilot.press(*"zilong huang")
        await wait_until(pilot, lambda: authors.shown_query == "zilong huang")
        await pilot.press("enter")  # the author's papers
        await wait_until(pilot, lambda: authors.papers.current is not None)
        await pilot.press("enter")  # the paper
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert_opened(app, store, screen_text)


async def test_tag_view_opens_the_paper_in_its_day_and_marks_it_read(store, screen_text):
    store.set_tags(DEPTH, ["depth"])
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start_elsewhere(pilot, app)
        await pilot.press("T")
        await pilot.pause()
        assert "depth · 1 paper" in screen_text(app)
        await pilot.press("enter", "enter")  # to the tag's papers, then open the paper
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert_opened(app, store, screen_text)


async def test_palette_opens_the_paper_in_its_day_and_marks_it_read(store, screen_text):
    from textual.command import CommandPalette
    from textual.widgets import OptionList

    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start_elsewhere(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        await pilot.press(*"depth anything")
        options = palette.query_one(OptionList)

        def offered() -> bool:
            return any(f"Open: {DEPTH_TITLE}" in str(options.get_option_at_index(i).prompt)
                       for i in range(options.option_count))

        await wait_until(pilot, offered)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert_opened(app, store, screen_text)


async def test_enter_before_the_results_opens_the_top_one_when_they_come(store, screen_text,
                                                                         monkeypatch):
    """Enter pressed while the query is still being ranked waits for that worker: the
    engine never runs on the UI thread (it would freeze typing behind its lock)."""
    import threading
    import time

    real_search = store.search
    threads: list[bool] = []

    def slow_search(query, limit=50):
        threads.append(threading.current_thread() is threading.main_thread())
        time.sleep(0.2)
        return real_search(query, limit)

    monkeypatch.setattr(store, "search", slow_search)
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start_elsewhere(pilot, app)
        await pilot.press("slash")
        await pilot.pause()
        search = app.screen
        await pilot.press(*"depth anything", "enter")
        assert app.screen is search and search.shown_query != "depth anything"
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert_opened(app, store, screen_text)
    assert threads and not any(threads)


async def test_enter_on_a_name_before_it_is_listed_opens_that_author(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("at")
        await pilot.pause()
        authors = app.screen
        await pilot.press(*"zilong huang", "enter")
        await wait_until(pilot, lambda: authors.level == "papers")
        assert authors.names.current == "Zilong Huang"
        assert "Papers by Zilong Huang" in screen_text(app)


async def test_the_apps_keys_still_work_over_the_tag_view_and_an_authors_papers(store,
                                                                                 screen_text):
    """The finders are modal (their keys first), yet ``?`` still opens the help from the
    tag view and from an author's papers, and ``/`` searches from the tag view."""
    from tui.screens.help import HelpScreen
    from tui.screens.search import SearchScreen

    store.set_tags(DEPTH, ["depth"])
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "Keys" in screen_text(app)
        await pilot.press("escape", "slash")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        await pilot.press("escape", "escape", "at")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "AuthorScreen")
        authors = app.screen
        await pilot.press(*"zilong huang", "enter")
        await wait_until(pilot, lambda: authors.level == "papers")
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
