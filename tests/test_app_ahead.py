"""The main screen renders the paper the next j (or k) will show while the user reads
the current one (``PaperDetail.prepare``): what j then shows is always the paper as it is
now, with its state as it is now, never the copy made ahead."""

from __future__ import annotations

from conftest import reopen, settle
from tui.app import PapersApp
from tui.screens.main import MainScreen

SIZE = (100, 30)


def header(screen_text, app) -> str:
    return "\n".join(screen_text(app).split("\n")[:8])


async def test_j_shows_the_next_paper_as_it_is_now(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        papers = screen.paper_list.papers
        second, third = papers[1], papers[2]
        await pilot.press("j")
        await settle(pilot)  # the third paper is rendered ahead now
        assert screen.detail.paper.id == second.id
        other = reopen(store)  # another process bookmarks it and writes a note
        other.set_bookmarked([third.id], True)
        other.set_note(third.id, "read this first")
        screen.poll_external()
        await pilot.press("j")
        await settle(pilot)
        assert screen.detail.paper.id == third.id
        text = screen_text(app)
        assert third.title[:30] in text
        assert "★ bookmarked" in text
        # the note, further down the pane (as scrolling to it shows it)
        assert "read this first" in "\n".join(line.text for line in screen.detail.content_lines())
        await pilot.press("k")  # and back up: the paper above, as it is
        await settle(pilot)
        assert screen.detail.paper.id == second.id
        assert second.title[:30] in header(screen_text, app)
        assert "★ bookmarked" not in header(screen_text, app)
