"""Links in the detail pane are real terminal hyperlinks (OSC 8), and clickable."""

from __future__ import annotations

import re

from tui import clipboard
from tui.app import PapersApp
from tui.screens.main import MainScreen

SIZE = (100, 30)
FIRST_ID = "2406.09414"
FIRST_URL = "https://arxiv.org/abs/2406.09414"
OSC8 = re.compile(r"\x1b\]8;id=[^;]*;([^\x1b]*)\x1b\\(.*?)\x1b\]8;;\x1b\\")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def detail_lines(app):
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen, screen.detail.content_lines()  # all of it, as scrolling shows it


async def test_the_paper_url_is_a_hyperlink(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.12)
        _, lines = detail_lines(app)
        linked = [(seg.text, seg.style.link) for strip in lines for seg in strip
                  if seg.style is not None and seg.style.link]
        assert (FIRST_URL, FIRST_URL) in linked
        # the terminal gets OSC 8 around exactly the URL's text
        row = next(strip for strip in lines if FIRST_URL in strip.text)
        out = row.render(app.console)
        links = [(url, SGR.sub("", text)) for url, text in OSC8.findall(out)]
        assert (FIRST_URL, FIRST_URL) in links
        # only URLs are links (a wrapped one in pieces), never the title or the summary
        assert all(text.strip() and text.strip() in link for text, link in linked), linked
        assert {link for _, link in linked} == {
            FIRST_URL,
            "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2406.09414.png"}


async def test_a_hostile_url_is_shown_but_never_linked(hostile_store):
    app = PapersApp(hostile_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.12)
        screen = app.screen
        for _ in range(len(screen.paper_list.papers)):
            _, lines = detail_lines(app)
            links = {seg.style.link for strip in lines for seg in strip
                     if seg.style is not None and seg.style.link}
            assert all(link.startswith(("https://", "http://")) for link in links), links
            assert not any("javascript" in link for link in links)
            await pilot.press("j")
            await pilot.pause(0.12)


async def test_clicking_the_link_opens_it(store, monkeypatch):
    opened = []
    monkeypatch.setattr(clipboard, "has_display", lambda *a, **k: True)
    monkeypatch.setattr("tui.screens.links.has_display", lambda *a, **k: True)
    monkeypatch.setattr("tui.screens.links.open_in_browser", lambda url: opened.append(url) or True)
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.12)
        screen, lines = detail_lines(app)
        y = next(i for i, strip in enumerate(lines) if FIRST_URL in strip.text)
        x = lines[y].text.index(FIRST_URL) + 3
        await pilot.click(screen.detail, offset=(x, y))  # its lines start at its corner
        await pilot.pause(0.2)
        assert opened == [FIRST_URL]
        assert any(n.message == f"Opened {FIRST_URL}" for n in app._notifications)


async def test_clicking_elsewhere_opens_nothing(store, monkeypatch):
    opened = []
    monkeypatch.setattr("tui.screens.links.has_display", lambda *a, **k: True)
    monkeypatch.setattr("tui.screens.links.open_in_browser", lambda url: opened.append(url) or True)
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.12)
        screen, _ = detail_lines(app)
        await pilot.click(screen.detail, offset=(2, 0))  # the title
        await pilot.pause(0.2)
        assert opened == []
