"""Pilot tests for keep-and-take-away keys: e (note), t (tags), T (tag view), x (export),
S (statistics).  Every change is checked on disk through a fresh Store."""

from __future__ import annotations

from conftest import main, messages, reopen, settle
from tui.app import PapersApp
from tui.screens.export_dialog import ExportDialog
from tui.screens.main import MainScreen
from tui.screens.note_editor import Confirm, NoteEditor
from tui.screens.stats import StatsScreen
from tui.screens.tags import TagEditor, TagView
from tui.widgets.paper_list import NOTE_GLYPH

SIZE = (100, 30)
FIRST_ID = "2406.09414"  # Depth Anything V2: top of 2024-06-14 by votes
SECOND_ID = "2406.09415"
OLD_ID = "2404.07987"  # on 2024-04-12


# ---------------------------------------------------------------- e: notes
async def test_e_writes_a_note_that_shows_in_detail_and_list(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert "Note · Depth Anything V2" in screen_text(app)
        await pilot.press(*"다시 읽을 것", "enter", *"[bold]x[/]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert reopen(store).note(FIRST_ID) == "다시 읽을 것\n[bold]x[/]"
        detail = main(app).detail  # the note follows the summary (the Related section may
        lines = [strip.text for strip in detail.content_lines()]  # come after it)
        at = next(y for y, line in enumerate(lines) if line.startswith(f"{NOTE_GLYPH} Note"))
        detail.scroll_to(y=at, animate=False, immediate=True)
        await settle(pilot)
        text = screen_text(app)
        assert f"{NOTE_GLYPH} Note" in text and "[bold]x[/]" in text  # literal, not markup
        assert NOTE_GLYPH in main(app).paper_list.render_row(0, 80).plain
        assert "Note saved." in messages(app)


async def test_e_escape_asks_before_dropping_changes(store):
    store.set_note(FIRST_ID, "keep me")
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("escape")  # nothing changed: closes at once
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("e", "!", "escape")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # keep editing
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.editor.text == "keep me!"
        await pilot.press("escape", "y")  # discard
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert reopen(store).note(FIRST_ID) == "keep me"


async def test_e_emptied_note_is_removed(store):
    store.set_note(FIRST_ID, "bye")
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "ctrl+a", "shift+end", "backspace", "ctrl+s")
        await settle(pilot)
        assert "Note removed." in messages(app)
        assert NOTE_GLYPH not in main(app).paper_list.render_row(0, 80).plain
    assert reopen(store).note(FIRST_ID) is None


# ---------------------------------------------------------------- t: tags
async def test_t_edits_tags_with_completion(store, screen_text):
    store.set_tags(OLD_ID, ["vision", "diffusion"])
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TagEditor)
        assert "in use: diffusion (1), vision (1)" in screen_text(app)
        await pilot.press(*"ML, vi")
        await settle(pilot)
        await pilot.press("tab")  # completes "vi" -> "vision, "
        await settle(pilot)
        assert app.screen.input.value == "ML, vision, "
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "tags ml, vision" in screen_text(app)
    assert reopen(store).tags(FIRST_ID) == ["ml", "vision"]


async def test_t_escape_cancels(store):
    store.set_tags(FIRST_ID, ["keep"])
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t", "backspace", "backspace", "x", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert reopen(store).tags(FIRST_ID) == ["keep"]


# ---------------------------------------------------------------- T: tag view
async def test_T_lists_tags_and_opens_a_paper_across_days(store, screen_text):
    store.set_tags(FIRST_ID, ["ml", "depth"])
    store.set_tags(SECOND_ID, ["ml"])
    store.set_tags(OLD_ID, ["ml"])
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, TagView)
        assert [t for t, _ in view.tag_list.items] == ["ml", "depth"]
        assert view.tag_list.current == "ml"  # the current paper's first tag
        assert [p.id for p in view.paper_list.papers] == [SECOND_ID, FIRST_ID, OLD_ID]
        text = screen_text(app)
        assert "ml · 3 papers" in text and "2024-04-12" in text
        await pilot.press("j")
        await settle(pilot)
        assert [p.id for p in view.paper_list.papers] == [FIRST_ID]
        await pilot.press("k", "enter")  # to the papers
        await settle(pilot)
        assert app.focused is view.paper_list
        view.paper_list.select(OLD_ID)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.day == "2024-04-12" and screen.paper_list.current.id == OLD_ID


async def test_T_without_tags_and_escape(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        assert "No tags yet" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_tags_with_markup_show_literally(hostile_store, screen_text):
    pid = hostile_store.ids()[0]
    hostile_store.set_tags(pid, ["[bold red]x[/]", "[@click=app.quit]q[/]"])
    app = PapersApp(hostile_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        text = screen_text(app)
        assert "[bold red]x[/]" in text and "[@click=app.quit]q[/]" in text
        assert app.is_running


# ---------------------------------------------------------------- x: export
async def test_x_exports_the_day_where_it_says(store, tmp_path, monkeypatch):
    import bibtexparser
    monkeypatch.chdir(tmp_path)
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.path_input.value == str(tmp_path / "papers-2024-06-14.bib")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        out = tmp_path / "papers-2024-06-14.bib"
        assert f"Exported 30 papers to {out}" in messages(app)
        lib = bibtexparser.parse_string(out.read_text(encoding="utf-8"))
        assert len(lib.entries) == 30 and not lib.failed_blocks
        # markdown next: the extension follows the format; the file re-imports
        await pilot.press("x", "down")
        await settle(pilot)
        assert app.screen.path_input.value.endswith("papers-2024-06-14.md")
        await pilot.press("enter")
        await settle(pilot)
        md = (tmp_path / "papers-2024-06-14.md").read_text(encoding="utf-8")
        assert md.startswith("## Daily Papers (2024-06-14)") and md.count("\n### [") == 30
        # the same again: asks before replacing
        await pilot.press("x", "enter")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert reopen(store).ui_get("export_format") == "markdown"


async def test_x_in_bookmarks_exports_the_bookmarks(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store.set_bookmarked([FIRST_ID, OLD_ID])
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("B", "x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and dialog.count == 2
        await pilot.press("down", "down", "tab")  # csv, then edit the file name
        await settle(pilot)
        await pilot.press("ctrl+a", "shift+end", "backspace", *"mine.csv", "enter")
        await settle(pilot)
    text = (tmp_path / "mine.csv").read_bytes().decode("utf-8")
    assert text.count("\r\n") == 3 and FIRST_ID in text and OLD_ID in text


async def test_x_in_tag_view_and_escape(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store.set_tags(FIRST_ID, ["ml"])
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("T", "x")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.path_input.value.endswith("papers-tag-ml.bib")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TagView)
    assert not list(tmp_path.glob("papers-*"))


# ---------------------------------------------------------------- S: statistics
async def test_S_shows_statistics_and_cycles_ranges(store, screen_text):
    store.set_read([FIRST_ID, SECOND_ID])
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await app.workers.wait_for_complete()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        text = screen_text(app)
        assert "5 days · 75 papers · read 2 · unread 73" in text
        assert "Papers per day" in text and "Votes" in text and "Most frequent authors" in text
        assert "█" in text
        from textual.widgets import Sparkline

        assert list(screen.query_one(Sparkline).data) == [9, 14, 15, 7, 30]
        await pilot.press("r", "r")  # last 90 days before 2024-06-14
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert screen.range_name == "last 90 days"
        assert screen.stats.days == 3 and "3 days · 52 papers" in screen_text(app)
        await pilot.press("j", "j", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_new_keys_are_in_help_and_palette(store, screen_text):
    from tui.actions import entries

    ids = {e.binding_id for e in entries()}
    assert {"note", "tags", "tag-view", "export", "stats"} <= ids
    app = PapersApp(store)
    async with app.run_test(size=(100, 80)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = screen_text(app)
        assert "Keep" in text and "Write a note on the paper" in text
