"""The footer (tui/widgets/key_bar.py): the focused pane's keys, clickable."""

from __future__ import annotations

from tui.app import PapersApp
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.widgets.key_bar import KeyBar

SIZE = (100, 30)


def footer(app) -> str:
    return app.screen.query_one(KeyBar).render().plain


async def test_footer_lists_the_main_keys_and_the_palette(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        line = footer(app)
        for label in ("⏎ Open", "r Read", "b Bookmark", "n Next", "B Bookmarks", "? Help",
                      "/ Search", "@ Authors", "q Quit"):
            assert label in line
        assert line.rstrip().endswith("^p Palette")
        assert line.count("Read") == 1  # one entry per action


async def test_footer_follows_the_screen(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        assert "esc Back" in footer(app)
        assert "b Bookmark" not in footer(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "b Bookmark" in footer(app)


async def test_clicking_a_key_in_the_footer_presses_it(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        x = footer(app).index("? Help")
        await pilot.click(KeyBar, offset=(x + 2, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_clicking_between_keys_does_nothing(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        line = footer(app)
        gap = line.index("q Quit") + len("q Quit") + 2  # the blank run before the palette
        assert line[gap] == " "
        await pilot.click(KeyBar, offset=(gap, 0))
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
