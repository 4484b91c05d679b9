"""Pilot tests for what a person reads on the reader's dialogs: the confirmation
questions, and the note and tag editors when saving fails."""

from __future__ import annotations

import errno
import os
from contextlib import contextmanager
from pathlib import Path

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


def read_on_screen(screen_text, app, widget) -> str:
    """The words drawn in ``widget``'s region of the screen, line breaks undone."""
    r = widget.region
    lines = screen_text(app).split("\n")[r.y:r.y + r.height]
    return " ".join(" ".join(line[r.x:r.x + r.width] for line in lines).split())


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
        Path(target).write_text("old", encoding="utf-8")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        text = " ".join(screen_text(app).split())  # the path may wrap
        assert "exists. Replace it?" in text
        assert "y yes" in text and "n no" in text
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert Path(target).read_text(encoding="utf-8") == "old"


# ---------------------------------------------------------------- a save that fails
@contextmanager
def disk_full(monkeypatch):
    """Inside, every fsync fails as on a full disk (the state file cannot be written)."""
    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as m:
        m.setattr(os, "fsync", fsync)
        yield


async def test_note_editor_stays_open_with_the_text_when_saving_fails(
        store, monkeypatch, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", *"다시 읽을 것")
        await settle(pilot)
        with disk_full(monkeypatch):
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.editor.text == "다시 읽을 것"
        assert "다시 읽을 것" in screen_text(app)
        said = read_on_screen(screen_text, app, app.screen.query_one("#note-error"))
        assert said.startswith("Not saved: cannot write") and "No space left on device" in said
        await pilot.press("ctrl+s")  # room again: the same Ctrl+S now saves
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "Note saved." in messages(app)
    assert Store.open(store.home, sample=False).note(FIRST_ID) == "다시 읽을 것"


async def test_tag_editor_stays_open_with_the_tags_when_saving_fails(
        store, monkeypatch, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t", *"depth, 읽을것")
        await settle(pilot)
        with disk_full(monkeypatch):
            await pilot.press("enter")
            await settle(pilot)
        assert isinstance(app.screen, TagEditor)
        assert app.screen.input.value == "depth, 읽을것"
        assert "depth, 읽을것" in screen_text(app)
        said = read_on_screen(screen_text, app, app.screen.query_one("#tag-error"))
        assert said.startswith("Not saved: cannot write") and "No space left on device" in said
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert Store.open(store.home, sample=False).tags(FIRST_ID) == ["depth", "읽을것"]
