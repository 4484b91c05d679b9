"""A hostile corpus: markup, action links and brackets are data and show literally."""

from __future__ import annotations

from rich.console import Console

from conftest import messages, settle
from tui.app import PapersApp
from tui.screens.main import MainScreen
from tui.text import clean

IDK = "I Don't Know: Explicit Modeling of Uncertainty with an [IDK] Token"
QUIT_TITLE = "[@click=app.quit]Quit me[/]"


def segments_of(renderable, width: int = 60):
    console = Console(width=width, record=True, color_system="truecolor", force_terminal=True)
    return list(console.render(renderable))


async def test_markup_and_actions_show_literally(hostile_store, screen_text):
    app = PapersApp(hostile_store)
    async with app.run_test(size=(300, 40)) as pilot:  # wide: nothing wraps
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        text = screen_text(app)
        assert IDK in text  # title in the detail pane, whole
        assert QUIT_TITLE in text  # in the list
        assert (
            "[bold red]x[/] then [@click=app.quit]click me[/] and "
            "[link=https://evil.example]y[/link] \\[escaped]"
        ) in text
        assert "[red]Label[/red]" in text
        assert "plain [b]unlabelled[/b] bullet" in text
        assert "child [i]one[/i] [@click=app.bell]ring[/]" in text
        assert "Mallory [bold red]Evil[/], [@click=app.quit]Eve[/], O'Brien" in text

        # nothing rendered from the data carries a link or an action
        for y in range(screen.paper_list.row_count):
            for segment in screen.paper_list.render_line(y):
                assert segment.style is None or (not segment.style.link and not segment.style.meta)
        # (the one link is the paper's own URL, as a terminal hyperlink, on that text only)
        paper = screen.detail.paper
        for segment in segments_of(screen.detail.build(paper)):
            if segment.style is not None:
                assert segment.style.link in (None, paper.url), segment
                if segment.style.link:
                    assert segment.text == paper.url
                assert "@click" not in (segment.style.meta or {})
                for color in (segment.style.color, segment.style.bgcolor):
                    assert color is None or color.name != "red"  # "[bold red]", "[on red]" inert

        # clicking on the "[@click=app.quit]" texts runs nothing
        await pilot.click("#detail", offset=(5, 14))
        await pilot.click("#papers", offset=(12, 2))  # row 2 = border + first row
        await settle(pilot)
        assert app.is_running and app.return_code is None
        # the click on the list picked the "[@click=app.quit]" title paper, nothing else
        assert screen.paper_list.current.title == QUIT_TITLE
        assert screen.detail.paper.title == QUIT_TITLE
        assert QUIT_TITLE in screen_text(app)
        assert "$accent, [on red]x[/on red]" in screen_text(app)
        assert "<script>alert(1)</script> {{braces}} %s %(x)s" in screen_text(app)
        await pilot.click("#detail", offset=(3, 1))
        await settle(pilot)
        assert app.is_running and app.return_code is None


async def test_a_javascript_link_is_never_opened_or_copied(hostile_store, monkeypatch):
    monkeypatch.setattr("tui.screens.links.has_display", lambda *a, **k: True)
    def never(*args, **kwargs):
        raise AssertionError("a javascript: link was opened")

    monkeypatch.setattr("tui.clipboard.webbrowser.open", never)
    app = PapersApp(hostile_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("G")
        await settle(pilot)
        assert app.screen.paper_list.current.url.startswith("javascript:")
        await pilot.press("o", "y")
        await settle(pilot)
        assert app.clipboard == ""
        assert any("no web link" in m for m in messages(app))


def test_control_characters_become_visible_pictures():
    assert clean("a\x1b[31mred") == "a\u241b[31mred"
    assert clean("bell\x07") == "bell\u2407"
    assert clean("tab\there") == "tab here"
    assert clean("c1\x9b2J") == "c1\ufffd2J"
    assert clean("rtl\u202eabc") == "rtl\ufffdabc"
    assert clean("line\r\nnext") == "line\nnext"
    assert clean(None) == ""


async def test_escape_sequences_in_data_never_reach_the_terminal(tmp_path):
    """Even if a stored string holds ESC (the parser strips them; belt and braces)."""
    from store.db import Store
    from store.models import Paper

    store = Store.open(tmp_path / "h", sample=True)
    app = PapersApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        title = "Title \x1b]52;c;ZXZpbA==\x07 \x1b[2J end"
        evil = Paper("x1", title, "https://e.org", ["2024-06-14"], authors=["\x1b[31mRed"])
        screen.paper_list.set_papers([evil], notify=False)
        screen.detail.show_paper(evil)
        await settle(pilot)
        for segment in screen.paper_list.render_line(0):
            assert "\x1b" not in segment.text and "\x07" not in segment.text
        for segment in segments_of(screen.detail.build(evil)):
            assert segment.control or ("\x1b" not in segment.text and "\x07" not in segment.text)
