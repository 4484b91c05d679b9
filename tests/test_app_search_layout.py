"""Pilot: a query typed with the keyboard in the wrong mode is searched as meant, and
the status line says so (issue 11)."""

from __future__ import annotations

from tui.app import PapersApp
from tui.screens.search import SearchScreen

SIZE = (100, 30)
DEPTH_TITLE = "Depth Anything V2"


async def _search(pilot, app, text: str) -> SearchScreen:
    await pilot.pause(0.15)
    await pilot.press("slash")
    await pilot.pause(0.1)
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    await pilot.press(*[("space" if c == " " else c) for c in text])
    for _ in range(150):
        await pilot.pause(0.02)
        if screen.shown_query == text and not screen.workers:
            break
    return screen


async def test_english_mode_korean_is_searched_as_hangul(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _search(pilot, app, "rlvdl cnwjd")
        status = str(screen.status.render())
        assert status.startswith("searched for 깊이 추정 · ")
        assert DEPTH_TITLE in [row.title for row in screen.results.rows]


async def test_query_found_as_typed_says_nothing_about_layout(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _search(pilot, app, "depth")
        status = str(screen.status.render())
        assert "searched for" not in status and "result" in status
