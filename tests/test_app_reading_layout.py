"""The reading layout: the day list as wide as its rows, the reader the larger share,
`z` for the reader alone at full width (and back), pane widths from the config."""

from __future__ import annotations

from tui import config as cfg
from tui.app import PapersApp
from tui.screens.main import MainScreen

FIRST_ID = "2406.09414"
SECOND_ID = "2406.09415"


def widths(app) -> dict[str, int]:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    panes = (screen.day_list, screen.paper_list, screen.query_one("#detail-pane"))
    # the detail pane's border is its pane's (DetailPane), around the PaperDetail
    return {w.id.removesuffix("-pane"): w.outer_size.width for w in panes if w.display}


async def test_the_reader_gets_the_larger_share(store):
    app = PapersApp(store)
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause(0.12)
        w = widths(app)
        assert w["days"] == 25  # "2024-06-14 Fri    30/30" and the border
        assert w["days"] + w["papers"] + w["detail"] == 110
        assert w["detail"] > w["papers"] * 1.4  # 3 : 2 of what the days leave


async def test_z_shows_the_paper_alone_and_back(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause(0.12)
        await pilot.press("z")
        await pilot.pause()
        assert widths(app) == {"detail": 110}
        screen = app.screen
        assert screen.detail.has_focus
        text = screen_text(app)
        assert "Days" not in text and "30 papers" not in text
        assert text.splitlines()[0].startswith("╭─ Paper ─")
        assert "Zilong Huang, Jiashi Feng, Bingyi Kang, Xiaogang Xu, Hengshuang Zhao" in text
        await pilot.press("z")
        await pilot.pause()
        assert set(widths(app)) == {"days", "papers", "detail"}
        assert screen.paper_list.has_focus


async def test_n_keeps_reading_in_the_zoomed_view_and_escape_leaves_it(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.12)
        await pilot.press("z", "n")
        await pilot.pause(0.12)
        screen = app.screen
        assert widths(app) == {"detail": 100}
        assert screen.detail.paper.id == SECOND_ID
        assert f"arXiv {SECOND_ID}" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert set(widths(app)) == {"days", "papers", "detail"}
        assert screen.paper_list.has_focus


async def test_z_is_listed_in_help(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.12)
        from tui.screens.help import HelpScreen

        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.build()
        import io

        from rich.console import Console

        console = Console(width=80, file=io.StringIO(), color_system=None, record=True)
        console.print(body)
        rows = [line for line in console.export_text().splitlines() if "full width" in line]
        assert rows and rows[0].split()[0] == "z"


async def test_pane_widths_from_the_config(store, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[layout]\ndays_width = 30\ndetail_share = 4\n", encoding="utf-8")
    app = PapersApp(store, config=cfg.load(path))
    async with app.run_test(size=(130, 32)) as pilot:
        await pilot.pause(0.12)
        w = widths(app)
        assert w["days"] == 30
        assert w["detail"] == 80 and w["papers"] == 20  # 4 : 1 of the 100 left


async def test_below_100_columns_the_split_stays_even(store):
    app = PapersApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.12)
        w = widths(app)
        assert w["days"] == 23 and abs(w["papers"] - w["detail"]) <= 1


async def test_pane_widths_from_the_config_below_100_columns(store, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[layout]\ndays_width = 20\ndetail_share = 2\n", encoding="utf-8")
    app = PapersApp(store, config=cfg.load(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.12)
        w = widths(app)
        assert w["days"] == 20
        assert w["detail"] == 40 and w["papers"] == 20  # 2 : 1 of the 60 left
