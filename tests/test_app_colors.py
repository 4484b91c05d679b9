"""Low-colour terminals: every character the reader draws stays readable with 16
colours (TERM=xterm) and with NO_COLOR=1.

The app is driven by Pilot; each frame's segments are turned into terminal cells
the way the terminal would get them: with 16 colours Rich downgrades every colour
to the nearest of the 16 (what Textual's driver writes for TERM=xterm); under
NO_COLOR Textual's own filter turns colours into greys, then a 256-colour terminal
shows the nearest grey.  A character is readable if its foreground is not its
background (16 colours) or the two greys differ enough (NO_COLOR)."""

from __future__ import annotations

import pytest
from rich._palettes import EIGHT_BIT_PALETTE
from rich.cells import cell_len
from rich.color import ColorSystem

from tui.app import PapersApp

SIZE = (100, 30)
MIN_GREY_CONTRAST = 2.0  # WCAG contrast ratio; the votes were 1.3, borders 1.1


def luminance(number: int) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = EIGHT_BIT_PALETTE[number]
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: int, b: int) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def cells(app, system: ColorSystem):
    """(x, y, character, fg, bg) for every cell, colours as the terminal gets them."""
    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens)
    for y, line in enumerate(update.strips):
        x = 0
        for strip in line:
            for text, style, control in strip:
                if control:
                    continue
                fg = style.color if style else None
                bg = style.bgcolor if style else None
                if style is not None and style.reverse:
                    fg, bg = bg, fg
                fg = fg.downgrade(system).number if fg is not None else None
                bg = bg.downgrade(system).number if bg is not None else None
                for ch in text:
                    yield x, y, ch, fg, bg
                    x += cell_len(ch)


def unreadable(app, system: ColorSystem, within=None) -> list[str]:
    lines = [""] * app.size.height
    bad: dict[int, list[str]] = {}
    for x, y, ch, fg, bg in cells(app, system):
        lines[y] += ch
        if not ch.strip() or fg is None or bg is None:
            continue
        if within is not None and not within.contains(x, y):
            continue  # the dimmed screen behind a dialog is not meant to be read
        if fg == bg or (system is ColorSystem.EIGHT_BIT and contrast(fg, bg) < MIN_GREY_CONTRAST):
            bad.setdefault(y, []).append(f"{ch!r}@{x} {fg} on {bg}")
    return [f"row {y} {lines[y].strip()[:60]!r}: {', '.join(v[:6])}" for y, v in bad.items()]


SETUPS = [pytest.param({}, ColorSystem.STANDARD, id="16-colours"),
          pytest.param({"NO_COLOR": "1"}, ColorSystem.EIGHT_BIT, id="NO_COLOR")]


async def check(pilot, app, system, where: str, within: str | None = None) -> list[str]:
    await pilot.pause(0.15)
    screen = {"search": "SearchScreen", "help": "HelpScreen", "export": "ExportDialog",
              "note": "NoteEditor", "confirm": "Confirm", "tags": "TagEditor",
              "authors": "AuthorScreen", "stats": "StatsScreen", "tag view": "TagView"}
    assert type(app.screen).__name__ == screen.get(where, "MainScreen"), where
    region = app.screen.query_one(within).region if within else None
    return [f"{where}: {p}" for p in unreadable(app, system, region)]


@pytest.mark.parametrize("env, system", SETUPS)
async def test_reader_stays_readable(store, env, system, monkeypatch):
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    store.set_read(["2406.09415"])
    store.set_bookmarked(["2406.09414"])
    store.set_note("2406.09414", "note")
    store.set_tags("2406.09414", ["depth"])
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        problems = await check(pilot, app, system, "papers pane focused")
        await pilot.press("j")  # the cursor on a read row
        problems += await check(pilot, app, system, "a read row selected")
        await pilot.press("h")  # the day list focused: the paper cursor blurred
        await pilot.pause(0.05)
        assert app.focused is not None and app.focused.id == "days"
        problems += await check(pilot, app, system, "days pane focused")
        await pilot.press("l", "l")  # the detail pane
        await pilot.pause(0.05)
        assert app.focused is not None and app.focused.id == "detail"
        problems += await check(pilot, app, system, "detail focused")
        await pilot.press("slash", *"depth")
        problems += await check(pilot, app, system, "search")
        await pilot.press("escape", "question_mark")
        problems += await check(pilot, app, system, "help", "#help-box")
        await pilot.press("escape", "x")
        problems += await check(pilot, app, system, "export", "#export-box")
        await pilot.press("escape", "e", "!")
        problems += await check(pilot, app, system, "note", "#note-box")
        await pilot.press("escape")
        problems += await check(pilot, app, system, "confirm", "#confirm-box")
        await pilot.press("y", "t")
        problems += await check(pilot, app, system, "tags", "#tag-box")
        await pilot.press("escape", "at")
        problems += await check(pilot, app, system, "authors")
        await pilot.press("escape", "S")
        problems += await check(pilot, app, system, "stats")
        await pilot.press("escape", "T")
        problems += await check(pilot, app, system, "tag view")
    assert problems == []
