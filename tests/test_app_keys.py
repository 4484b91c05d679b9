"""Pilot tests: one (or more) per key of the reader, checking the screen AND the disk.

Every state change is checked by reopening a fresh Store on the same home.
"""

from __future__ import annotations

import pytest

from conftest import messages, notifications, on_main, reopen, settle
from tui import clipboard
from tui.app import PapersApp
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen

SIZE = (100, 30)
NEWEST = "2024-06-14"
FIRST_ID = "2406.09414"  # Depth Anything V2, 87 votes: top of 2024-06-14 by votes
SECOND_ID = "2406.09415"  # 47 votes


def row_text(widget, index: int) -> str:
    return widget.render_row(index, 80).plain


# ---------------------------------------------------------------- start-up
async def test_first_start_shows_newest_day_first_paper_list_focused(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = on_main(app)
        assert screen.day == NEWEST
        assert screen.day_list.current_date == NEWEST
        assert screen.paper_list.current.id == FIRST_ID
        assert app.focused is screen.paper_list
        assert screen.detail.paper.id == FIRST_ID
        text = screen_text(app)
        assert "2024-06-14 Fri    30/30" in text
        assert "Depth Anything V2" in text and "arXiv 2406.09414" in text
        assert "What's New" in text and "Technical Details" in text


async def test_later_start_returns_to_last_day_and_paper(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "j", "j")
        await settle(pilot)
        day, paper = on_main(app).day, on_main(app).paper_list.current.id
        await pilot.press("q")
    assert day == "2024-04-15"
    again = PapersApp(reopen(store))
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert on_main(again).day == day
        assert on_main(again).paper_list.current.id == paper
        assert on_main(again).detail.paper.id == paper


# ---------------------------------------------------------------- moving
async def test_j_k_and_arrows_move_in_the_focused_list(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        plist = on_main(app).paper_list
        await pilot.press("j")
        await settle(pilot)
        assert plist.current.id == SECOND_ID
        assert on_main(app).detail.paper.id == SECOND_ID
        await pilot.press("down", "down")
        await settle(pilot)
        assert plist.cursor == 3
        await pilot.press("k", "up")
        await settle(pilot)
        assert plist.cursor == 1
        assert on_main(app).detail.paper.id == SECOND_ID
        await pilot.press("k", "k", "k")  # clamps at the top
        assert plist.cursor == 0


async def test_g_G_home_end_first_and_last(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        plist = on_main(app).paper_list
        await pilot.press("G")
        await settle(pilot)
        assert plist.cursor == len(plist.papers) - 1 == 29
        assert on_main(app).detail.paper.id == plist.papers[-1].id
        assert plist.scroll_offset.y > 0  # the last row was scrolled into view
        await pilot.press("g")
        assert plist.cursor == 0
        await pilot.press("end")
        assert plist.cursor == 29
        await pilot.press("home")
        assert plist.cursor == 0
        # in the day list too
        await pilot.press("h", "G")
        await settle(pilot)
        assert on_main(app).day_list.current_date == "2023-12-14"
        assert on_main(app).day == "2023-12-14"
        await pilot.press("home")
        await settle(pilot)
        assert on_main(app).day == NEWEST


async def test_j_k_in_the_detail_pane_scroll(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = on_main(app)
        await pilot.press("l")
        assert app.focused is screen.detail
        await pilot.press("j", "j", "j")
        await settle(pilot)
        assert screen.detail.scroll_y == 3
        assert screen.paper_list.cursor == 0  # the list did not move
        await pilot.press("k")
        await settle(pilot)
        assert screen.detail.scroll_y == 2
        await pilot.press("G")
        await settle(pilot)
        assert screen.detail.scroll_y == screen.detail.max_scroll_y > 0
        await pilot.press("g")
        await settle(pilot)
        assert screen.detail.scroll_y == 0


@pytest.mark.parametrize(
    "keys, expected",
    [
        (("tab",), "detail"),
        (("tab", "tab"), "days"),
        (("shift+tab",), "days"),
        (("h",), "days"),
        (("left",), "days"),
        (("l",), "detail"),
        (("right",), "detail"),
        (("h", "h"), "days"),  # no wrap with h/l
        (("l", "l", "h"), "papers"),
    ],
)
async def test_tab_h_l_arrows_move_between_panes(store, keys, expected):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        assert app.focused.id == expected


async def test_enter_opens_paper_marks_read_and_persists(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = on_main(app)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert app.focused is screen.detail
        assert screen.detail.paper.id == SECOND_ID
        assert store.is_read(SECOND_ID)
        assert not row_text(screen.paper_list, 1).startswith("●")
        assert row_text(screen.paper_list, 0).startswith("●")
        assert "2024-06-14 Fri    29/30" in screen_text(app)
        # Enter in the day list goes to the papers
        await pilot.press("h", "h", "enter")
        assert app.focused is screen.paper_list
    assert reopen(store).is_read(SECOND_ID)
    assert not reopen(store).is_read(FIRST_ID)


async def test_space_pagedown_pageup_scroll_the_detail_from_the_list(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = on_main(app)
        assert app.focused is screen.paper_list
        await pilot.press("space")
        await settle(pilot)
        first = screen.detail.scroll_y
        assert first > 0
        assert screen.paper_list.cursor == 0
        await pilot.press("pageup")
        await settle(pilot)
        assert screen.detail.scroll_y == 0
        await pilot.press("pagedown")
        await settle(pilot)
        assert screen.detail.scroll_y == first
        await pilot.press("l", "pageup")  # also when the detail is focused
        await settle(pilot)
        assert screen.detail.scroll_y == 0
        await pilot.press("space")
        await settle(pilot)
        assert screen.detail.scroll_y > 0


async def test_brackets_previous_and_next_day(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = on_main(app)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.day == "2024-04-15" == screen.day_list.current_date
        assert screen.paper_list.border_title.startswith("2024-04-15 · 7 papers")
        assert screen.detail.paper.dates[0] == "2024-04-15"
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert screen.day == "2024-02-20"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.day == "2024-04-12"
        await pilot.press("q")
    assert reopen(store).ui_get("day") == "2024-04-12"


# ---------------------------------------------------------------- read / bookmark
async def test_r_toggles_read_on_screen_and_disk(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = on_main(app)
        assert row_text(screen.paper_list, 0).startswith("●")
        await pilot.press("r")
        await settle(pilot)
        assert not row_text(screen.paper_list, 0).startswith("●")
        assert screen.detail.read
        assert "2024-06-14 Fri    29/30" in screen_text(app)
        assert reopen(store).is_read(FIRST_ID)
        await pilot.press("r")
        await settle(pilot)
        assert row_text(screen.paper_list, 0).startswith("●")
        assert "2024-06-14 Fri    30/30" in screen_text(app)
        assert not reopen(store).is_read(FIRST_ID)


async def test_b_toggles_bookmark_on_screen_and_disk(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = on_main(app)
        await pilot.press("b")
        await settle(pilot)
        assert row_text(screen.paper_list, 0).startswith("●★")
        assert "★ bookmarked" in screen_text(app)
        assert reopen(store).is_bookmarked(FIRST_ID)
        await pilot.press("b")
        await settle(pilot)
        assert row_text(screen.paper_list, 0).startswith("● ")
        assert not reopen(store).is_bookmarked(FIRST_ID)


async def test_n_and_p_walk_unread_papers_across_days(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = on_main(app)
        plist = screen.paper_list
        ids = [p.id for p in plist.papers]
        store.set_read([ids[1], ids[2]], True)
        await pilot.press("n")
        await settle(pilot)
        assert plist.current.id == ids[3]  # skipped the two read ones
        await pilot.press("p")
        await settle(pilot)
        assert plist.current.id == ids[0]
        # the last paper: n crosses into the next (older) day that has unread papers
        await pilot.press("G", "n")
        await settle(pilot)
        assert screen.day == "2024-04-15"
        assert plist.cursor == 0
        assert screen.detail.paper.id == plist.current.id
        # and p goes back to the last unread paper of the newer day
        await pilot.press("p")
        await settle(pilot)
        assert screen.day == NEWEST
        assert plist.current.id == ids[-1]


async def test_n_skips_days_with_nothing_unread(store):
    older = [p.id for p in store.day_papers("2024-04-15")]
    store.set_read(older, True)
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = on_main(app)
        await pilot.press("G", "n")
        await settle(pilot)
        assert screen.day == "2024-04-12"


async def test_A_marks_the_day_read_and_u_undoes_it(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = on_main(app)
        store.set_read([FIRST_ID], True)  # already read: undo must keep it read
        await pilot.press("A")
        await settle(pilot)
        assert "2024-06-14 Fri     0/30" in screen_text(app)
        assert all(not row_text(screen.paper_list, i).startswith("●") for i in range(30))
        fresh = reopen(store)
        assert all(fresh.is_read(p.id) for p in fresh.day_papers(NEWEST))
        await pilot.press("u")
        await settle(pilot)
        assert "2024-06-14 Fri    29/30" in screen_text(app)
        fresh = reopen(store)
        assert fresh.is_read(FIRST_ID)
        assert sum(fresh.is_read(p.id) for p in fresh.day_papers(NEWEST)) == 1


async def test_u_undoes_several_levels(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "b", "j", "r", "right_square_bracket", "A")
        await settle(pilot)
        fresh = reopen(store)
        assert fresh.is_read(FIRST_ID) and fresh.is_bookmarked(FIRST_ID)
        assert fresh.is_read(SECOND_ID)
        assert all(fresh.is_read(p.id) for p in fresh.day_papers("2024-04-15"))
        await pilot.press("u")
        await settle(pilot)
        assert not any(reopen(store).is_read(p.id) for p in store.day_papers("2024-04-15"))
        await pilot.press("u")
        assert not reopen(store).is_read(SECOND_ID)
        await pilot.press("u")
        assert not reopen(store).is_bookmarked(FIRST_ID)
        await pilot.press("u")
        assert not reopen(store).is_read(FIRST_ID)
        await pilot.press("u")  # nothing left: harmless
        await settle(pilot)
        assert not reopen(store).is_read(FIRST_ID)


# ---------------------------------------------------------------- views
async def test_U_shows_only_unread(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = on_main(app)
        await pilot.press("r", "j", "r", "j")
        await pilot.press("U")
        await settle(pilot)
        ids = [p.id for p in screen.paper_list.papers]
        assert len(ids) == 28
        assert all(not store.is_read(i) for i in ids)
        assert "unread only" in screen.paper_list.border_title
        assert reopen(store).ui_get("unread_only") is True
        await pilot.press("U")
        await settle(pilot)
        assert len(screen.paper_list.papers) == 30
        assert reopen(store).ui_get("unread_only") is False


async def test_B_bookmarks_view_newest_first_and_openable(store, screen_text):
    older = store.day_papers("2023-12-14")[0].id
    middle = store.day_papers("2024-04-12")[0].id
    store.set_bookmarked([older, middle, FIRST_ID], True)
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = on_main(app)
        await pilot.press("B")
        await settle(pilot)
        assert screen.mode == "bookmarks"
        assert [p.id for p in screen.paper_list.papers] == [FIRST_ID, middle, older]
        assert screen.paper_list.border_title.startswith("Bookmarks 3")
        text = screen_text(app)
        assert "2024-06-14" in text and "2023-12-14" in text
        await pilot.press("G", "enter")
        await settle(pilot)
        assert screen.detail.paper.id == older
        assert app.focused is screen.detail
        assert reopen(store).is_read(older)
        await pilot.press("escape", "B")  # back to the day we came from
        await settle(pilot)
        assert screen.mode == "day" and screen.day == NEWEST
        assert screen.paper_list.current.id == FIRST_ID


async def test_s_cycles_sort_votes_title_digest(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = on_main(app)
        votes = [p.votes or 0 for p in screen.paper_list.papers]
        assert votes == sorted(votes, reverse=True)
        await pilot.press("s")
        await settle(pilot)
        titles = [p.title.casefold() for p in screen.paper_list.papers]
        assert titles == sorted(titles)
        assert screen.paper_list.current.id == FIRST_ID  # the highlighted paper stays
        assert reopen(store).ui_get("sort") == "title"
        await pilot.press("s")
        await settle(pilot)
        assert [p.id for p in screen.paper_list.papers] == [p.id for p in store.day_papers(NEWEST)]
        assert reopen(store).ui_get("sort") == "digest"
        await pilot.press("s")  # the fourth sort (issue 15)
        assert reopen(store).ui_get("sort") == "for-you"
        await pilot.press("s")
        assert reopen(store).ui_get("sort") == "votes"


# ---------------------------------------------------------------- links
async def test_o_opens_http_link_with_webbrowser(store, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(clipboard, "has_display", lambda *a, **k: True)
    monkeypatch.setattr(clipboard.webbrowser, "open", lambda url, new=0: opened.append(url) or True)
    monkeypatch.setattr("tui.screens.links.has_display", lambda *a, **k: True)
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert opened == ["https://arxiv.org/abs/2406.09414"]


async def test_o_without_display_copies_and_notifies(store, monkeypatch):
    monkeypatch.setattr("tui.screens.links.has_display", lambda *a, **k: False)
    monkeypatch.setattr(clipboard.webbrowser, "open", lambda *a, **k: pytest.fail("opened"))
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await settle(pilot)
        assert app.clipboard == "https://arxiv.org/abs/2406.09414"
        said = messages(app)
        assert any("https://arxiv.org/abs/2406.09414" in m for m in said)


async def test_y_copies_link_and_notifies(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "y")
        await settle(pilot)
        assert app.clipboard == "https://arxiv.org/abs/2406.09415"
        assert any("Copied link" in m for m in messages(app))


# ---------------------------------------------------------------- app keys
async def test_slash_opens_search_and_escape_returns(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await settle(pilot)
        try:
            from tui.screens.search import SearchScreen
        except ImportError:  # the placeholder
            assert any("earch" in m for m in messages(app))
            return
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert on_main(app).paper_list.current.id == FIRST_ID


async def test_question_mark_help_lists_every_key(store, screen_text):
    from tui.actions import entries
    from tui.screens.help import binding_keys

    app = PapersApp(store)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Moving" in screen_text(app) and "Next row" in screen_text(app)
        # the whole (scrollable) list, rendered at the help box's width
        import io

        from rich.console import Console

        width = app.screen.query_one("#help-body").size.width
        console = Console(width=width, record=True, file=io.StringIO())
        console.print(app.screen.build())
        text = " ".join(console.export_text().split())  # wrapped help lines joined up
        for entry in entries():
            assert " ".join(entry.help.split()) in text, entry
        keys = binding_keys(app)
        for binding_id in ("toggle-read", "toggle-bookmark", "next-unread", "undo", "bookmarks"):
            assert keys[binding_id] in text
        # every binding id the reader defines has an entry
        documented = {e.binding_id for e in entries()}
        assert {k for k in keys if not k.startswith(("detail.", "help."))} <= documented
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_q_quits(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code is not None


async def test_command_palette_runs_reader_actions(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"toggle bookmark")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert reopen(store).is_bookmarked(FIRST_ID)


async def test_keys_can_be_remapped_by_id(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        app.set_keymap({"toggle-read": "x", "list.down": "ctrl+n"})
        await pilot.press("ctrl+n", "x")
        await settle(pilot)
        assert reopen(store).is_read(SECOND_ID)
        await pilot.press("question_mark")
        await settle(pilot)
        assert "x " in screen_text(app) or "x\u00a0" in screen_text(app)


async def test_store_messages_become_literal_notifications(store):
    store.messages.append("Recovered [bold]state.json[/bold] from backup")
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any(
            n.message == "Recovered [bold]state.json[/bold] from backup" and not n.markup
            for n in notifications(app)
        )


async def test_show_paper_for_search_hits(store):
    target = store.day_papers("2024-02-20")[3].id
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = on_main(app)
        assert app.show_paper(target)
        await settle(pilot)
        assert screen.day == "2024-02-20" == screen.day_list.current_date
        assert screen.paper_list.current.id == target
        assert screen.detail.paper.id == target
        assert app.focused is screen.detail
        assert reopen(store).is_read(target)
        assert not app.show_paper("no-such-id")
