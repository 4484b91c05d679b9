"""Pilot tests for what a person reads on the reader's dialogs: the confirmation
questions, and the note and tag editors when saving fails."""

from __future__ import annotations

import pytest

from store.db import Store
from tui.app import PapersApp
from tui.screens.main import MainScreen
from tui.screens.note_editor import Confirm, NoteEditor
from tui.screens.tags import TagEditor

SIZE = (100, 30)
FIRST_ID = "2406.09414"  # Depth Anything V2: top of 2024-06-14 by votes


async def settle(pilot, t: float = 0.15) -> None:
    await pilot.pause(t)


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


# ---------------------------------------------------------------- confirmations
async def test_discard_question_is_on_the_screen(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "!", "escape")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        text = screen_text(app)
        assert "Discard the changes to this note?" in text
        assert "y yes" in text and "n no" in text
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)


async def test_replace_question_is_on_the_screen(store, tmp_path, monkeypatch, screen_text):
    monkeypatch.chdir(tmp_path)
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        target = app.screen.path_input.value
        with open(target, "w", encoding="utf-8") as fh:
            fh.write("old")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        text = " ".join(screen_text(app).split())  # the path may wrap
        assert "exists. Replace it?" in text
        assert "y yes" in text and "n no" in text
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert open(target, encoding="utf-8").read() == "old"
