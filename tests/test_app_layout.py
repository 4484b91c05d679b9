"""Pilot tests: layouts (100, 80 and 50 columns), the detail pane, other processes' changes."""

from __future__ import annotations

from conftest import on_main, settle
from store.db import Store
from tui.app import PapersApp
from tui.screens.main import MainScreen


async def test_80x24_everything_fits(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = on_main(app)
        for _ in range(40):  # the footer composes its keys a little after the first frame
            text = screen_text(app)
            if "Open" in text.splitlines()[-1]:
                break
            await pilot.pause(0.05)
        lines = text.splitlines()
        assert len(lines) == 24
        assert "2024-06-14 Fri  30/30" in text  # the slim day row
        assert "2024-04-15 Mon    7/7" in text
        assert "Depth Anything V2" in lines[1]  # list and detail side by side
        assert lines[1].count("Depth Anything V2") == 2
        for pane in (screen.day_list, screen.paper_list, screen.detail):
            assert pane.display and pane.region.width >= 20
        assert "Open" in lines[-1] and "Read" in lines[-1], text  # the footer
        # keys still work at this size
        await pilot.press("j", "enter")
        await settle(pilot)
        assert app.focused is screen.detail
        assert store.is_read(screen.paper_list.current.id)


async def test_below_60_columns_panes_stack(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=(50, 20)) as pilot:
        await settle(pilot)
        screen = on_main(app)
        assert screen.narrow
        shown = [p.id for p in (screen.day_list, screen.paper_list, screen.detail) if p.display]
        assert shown == ["papers"]
        assert "Depth Anything V2" in screen_text(app)
        await pilot.press("enter")  # open: the detail replaces the list
        await settle(pilot)
        shown = [p.id for p in (screen.day_list, screen.paper_list, screen.detail) if p.display]
        assert shown == ["detail"]
        assert app.focused is screen.detail
        assert "What's New" in screen_text(app)
        assert store.is_read("2406.09414")
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is screen.paper_list
        assert screen.paper_list.display and not screen.detail.display
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is screen.day_list
        assert screen.day_list.display and not screen.paper_list.display
        text = screen_text(app)
        assert "2024-06-14 Fri" in text and "2023-12-14 Thu" in text
        await pilot.press("j", "enter")  # pick a day, Enter shows its papers
        await settle(pilot)
        assert screen.day == "2024-04-15"
        assert app.focused is screen.paper_list and screen.paper_list.display


async def test_growing_back_to_wide_shows_all_panes(store):
    app = PapersApp(store)
    async with app.run_test(size=(50, 20)) as pilot:
        await pilot.press("enter")
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        screen = on_main(app)
        assert all(p.display for p in (screen.day_list, screen.paper_list, screen.detail))


async def test_detail_sections_links_and_multiple_days(small_store, screen_text):
    app = PapersApp(small_store)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        screen = on_main(app)
        assert screen.day == "2024-03-02"
        assert screen.paper_list.current.id == "2403.00001"
        text = screen_text(app)
        assert "Zeta Paper on Two Days" in text
        assert "also listed on 2024-03-01" in text
        assert "… and " in text and " more" in text  # 700 authors folded
        assert "Author699" not in text
        assert "What's New" in text and "Method" in text  # labels as section heads
        assert "• An unlabelled bullet" in text
        assert "◦ a nested child line" in text
        await pilot.press("l", "G")
        await settle(pilot)
        text = screen_text(app)
        assert "Video: https://example.org/video/2403.00001.mp4" in text
        assert "Thumbnail: https://example.org/thumb/2403.00001.png" in text
        # a truncated author list says so
        await pilot.press("h", "G")  # Alpha Paper (fewest votes)
        await settle(pilot)
        text = screen_text(app)
        assert "Ann Able, Bob Baker" in text and "+ hidden authors" in text


async def test_korean_wraps_by_display_width(small_store, screen_text):
    app = PapersApp(small_store)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        right = [line for line in lines if "│" in line]
        # every line has the same display width: wide Hangul never overflows the pane
        from rich.cells import cell_len

        assert {cell_len(line) for line in lines} == {80}
        assert any("두 날짜에" in line for line in right)


async def test_changes_from_another_process_show_up(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = on_main(app)
        other = Store.open(store.home, sample=False)
        other.set_read(["2406.09414"], True)
        other.set_bookmarked(["2406.09415"], True)
        await pilot.pause(2.3)  # the poll timer
        assert screen.paper_list.render_row(0, 60).plain.startswith("  ")
        assert screen.paper_list.render_row(1, 60).plain.startswith("●★")
        assert "2024-06-14 Fri    29/30" in screen_text(app)
        assert screen.detail.read is True
        # and on the next keypress, without waiting for the timer
        other.set_read(["2406.09415"], True)
        await pilot.press("j")
        await settle(pilot)
        assert "2024-06-14 Fri    28/30" in screen_text(app)
        # our change does not overwrite theirs
        await pilot.press("b")
        fresh = Store.open(store.home, sample=False)
        assert fresh.is_read("2406.09414") and fresh.is_read("2406.09415")
        assert not fresh.is_bookmarked("2406.09415")


async def test_empty_corpus_shows_a_hint(tmp_path, screen_text):
    store = Store.open(tmp_path / "empty", sample=False)
    app = PapersApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "papers import" in screen_text(app)
        for key in ("j", "k", "r", "b", "n", "p", "A", "u", "U", "B", "s", "o", "y", "enter",
                    "right_square_bracket", "left_square_bracket", "G", "g"):
            await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_many_days_and_thousands_of_bookmarks(tmp_path):
    """The virtual lists: 400 days, 2,000 bookmarks; G/g and the view stay quick."""
    import time

    lines = []
    n = 0
    for d in range(400):
        day = f"{2020 + d // 300}-{(d // 28) % 12 + 1:02d}-{d % 28 + 1:02d}"
        lines.append(f"## Daily Papers ({day})\n")
        for _ in range(5):
            n += 1
            lines.append(
                f"### [Paper {n}](https://arxiv.org/abs/2001.{n:05d})\n\nVote: {n % 50}\n\n"
                f"Authors: A B\n\n- **What's New**: text {n}\n"
            )
    src = tmp_path / "big.md"
    src.write_text("\n".join(lines), encoding="utf-8")
    store = Store.open(tmp_path / "big-home", sample=False)
    store.import_paths([src])
    ids = store.ids()
    store.set_bookmarked(ids, True)
    app = PapersApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = on_main(app)
        assert len(screen.days) == 400
        start = time.perf_counter()
        await pilot.press("B")
        await settle(pilot)
        assert len(screen.paper_list.papers) == 2000
        await pilot.press("G")
        await settle(pilot)
        assert screen.paper_list.cursor == 1999
        assert screen.detail.paper.id == screen.paper_list.papers[-1].id
        await pilot.press("h", "G")
        await settle(pilot)
        assert screen.day_list.cursor == 399
        assert time.perf_counter() - start < 5


async def test_holding_j_coalesces_detail_renders(store, monkeypatch):
    from tui.widgets.paper_detail import PaperDetail

    renders: list[str] = []
    original = PaperDetail.show_paper

    def counting(self, paper, **kwargs):
        renders.append(paper.id if paper else "")
        return original(self, paper, **kwargs)

    monkeypatch.setattr(PaperDetail, "show_paper", counting)
    app = PapersApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        renders.clear()
        from textual import events

        for _ in range(29):  # a held key: events arrive faster than frames
            app.post_message(events.Key("j", "j"))
        await pilot.pause(0.3)
        screen = on_main(app)
        assert screen.paper_list.cursor == 29
        assert screen.detail.paper.id == screen.paper_list.papers[29].id
        assert len(renders) <= 5, renders  # not one render per key
