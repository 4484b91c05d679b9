"""The search results list (tui/widgets/result_list.py) as a person uses it: the mouse,
the keys on the focused list, recent searches, the highlight (issue 16 redrew it as a
line-API list; these are the OptionList behaviours it keeps)."""

from __future__ import annotations

from conftest import main, settle
from tui.app import PapersApp
from tui.screens.search import SearchScreen
from tui.searching import remember

SIZE = (100, 30)


async def open_search(pilot, app) -> SearchScreen:
    await settle(pilot)
    await pilot.press("slash")
    await settle(pilot, 0.1)
    assert isinstance(app.screen, SearchScreen)
    return app.screen


async def type_query(pilot, screen: SearchScreen, text: str) -> None:
    await pilot.press(*text)
    await wait_results(pilot, screen, text)


async def wait_results(pilot, screen: SearchScreen, text: str) -> None:
    for _ in range(100):
        await pilot.pause(0.02)
        if screen.shown_query == text and not screen.workers:
            break
    await settle(pilot, 0.1)


async def test_clicking_a_result_opens_that_paper(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "depth")
        rows = screen.results.rows
        assert len(rows) >= 2
        # the border is line 0; the first result lines 1-2, the second lines 3-4
        await pilot.click("#search-results", offset=(8, 4))
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen)
        assert main(app).paper_list.current.id == rows[1].id


async def test_keys_on_the_focused_list_move_and_enter_opens(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "model")
        rows = screen.results.rows
        assert len(rows) > 3
        await pilot.press("tab", "end")
        await settle(pilot)
        assert app.focused is screen.results
        assert screen.results.highlighted == len(rows) - 1
        assert screen.preview.paper.id == rows[-1].id
        await pilot.press("home", "down")
        await settle(pilot)
        assert screen.results.highlighted == 1
        assert screen.preview.paper.id == rows[1].id
        await pilot.press("enter")
        await settle(pilot)
        assert main(app).paper_list.current.id == rows[1].id


async def test_the_highlighted_result_is_shown_in_the_rows_on_screen(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "depth")
        text = screen_text(app)
        assert "Depth Anything V2" in text and "title · Zilong Huang" in text
        first = screen.results.row_text(0)
        assert first.plain.splitlines()[0].endswith("Depth Anything V2")


async def test_recent_searches_are_one_line_each_and_enter_searches_again(store, screen_text):
    remember(store, "zilong huang")
    remember(store, "depth")
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        text = screen_text(app)
        assert "Recent searches" in text
        lines = [line for line in text.splitlines() if "↺" in line]
        assert len(lines) == 2 and "depth" in lines[0] and "zilong huang" in lines[1]
        assert screen.results.highlighted is None
        await pilot.press("tab", "down", "down", "enter")
        await settle(pilot)
        assert screen.input.value == "zilong huang"
        await wait_results(pilot, screen, "zilong huang")
        assert screen.results.rows and "Zilong Huang" in screen.results.rows[0].authors


async def test_the_results_border_says_where_the_view_is(store, screen_text):
    """The list has no scrollbar (a keystroke's layout pass would repaint it): its bottom
    border says there is more below, and at the end that it is the end."""
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "model")
        assert len(screen.results.rows) * 2 > screen.results.size.height  # more than fits
        region = screen.results.region
        bottom = screen_text(app).split("\n")[region.bottom - 1][region.x:region.right]
        assert "more ↓" in bottom, bottom
        await pilot.press("tab", "end")
        await settle(pilot)
        bottom = screen_text(app).split("\n")[region.bottom - 1][region.x:region.right]
        assert "↑ end" in bottom, bottom
