"""Start-up: `papers` with no arguments goes straight to the reader, and the garbage
collector paused for the first frame (tui/startup.py) is back on once it is drawn."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

import tui.app
from conftest import messages, on_main, settle
from tui import cli, startup
from tui.app import PapersApp


@pytest.fixture
def collector():
    """Leave the collector and the thread switch interval as the test found them."""
    was, interval = gc.isenabled(), sys.getswitchinterval()
    yield
    startup._paused = False
    startup._switch = None
    gc.enable() if was else gc.disable()
    sys.setswitchinterval(interval)


def test_no_arguments_opens_the_reader_with_the_collector_paused(home, monkeypatch, collector):
    seen = {}

    def fake_run_app(store, config=None):
        seen["days"] = [d.date for d in store.days()]
        seen["gc"] = gc.isenabled()
        return 0

    def no_parser():
        raise AssertionError("the reader needs no argument parser")

    monkeypatch.setattr(tui.app, "run_app", fake_run_app)
    monkeypatch.setattr(cli, "build_parser", no_parser)
    assert cli.main([]) == 0
    assert seen["days"][0] == "2024-06-14"  # the bundled sample, newest first
    assert seen["gc"] is False


def test_subcommands_leave_the_collector_alone(home, capsys, collector):
    assert cli.main(["days"]) == 0
    assert "2024-06-14" in capsys.readouterr().out
    assert gc.isenabled()


async def test_the_first_frame_turns_the_collector_back_on(store, collector):
    startup.pause_gc()
    assert not gc.isenabled()
    app = PapersApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert gc.isenabled()
        assert app.screen.day == "2024-06-14"


async def test_the_first_frame_puts_the_thread_switch_interval_back(store, collector):
    before = sys.getswitchinterval()
    startup.pause_gc()
    assert sys.getswitchinterval() < before  # short while the first frame is made
    app = PapersApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert sys.getswitchinterval() == before
        assert app.screen.day == "2024-06-14"


async def test_a_collector_off_before_start_stays_off(store, collector):
    gc.disable()  # someone else's choice (pause_gc did not turn it off)
    startup.pause_gc()
    app = PapersApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not gc.isenabled()


async def test_a_damaged_month_found_later_is_said_in_the_reader(store):
    """A month's file is read when one of its papers is first shown; damage found
    then reaches the reader as a notification, not only a line nobody sees."""
    shard = store.home / "meta" / "2024-02.json"
    shard.write_bytes(shard.read_bytes().replace(b'"votes":', b'"votez":', 1))  # same size
    from store.db import Store

    app = PapersApp(Store.open(store.home, sample=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        said = messages(app)
        assert not any("2024-02" in m for m in said)  # not read yet
        await pilot.press("right_square_bracket", "right_square_bracket",
                          "right_square_bracket")  # 2024-06-14 -> 04-15 -> 04-12 -> 02-20
        await pilot.pause(0.2)
        assert app.screen.day == "2024-02-20"
        await pilot.press("j")
        await pilot.pause()
        said = messages(app)
        assert any("meta/2024-02.json does not match corpus.json" in m for m in said)


class TypedAhead(PapersApp):
    """Keys already waiting in the terminal when the reader starts (typed after
    ``papers`` and Enter, before its first frame): they reach the app before the reader
    is pushed (``PapersApp._push_reader``, once Textual's start-up batch is over)."""

    CSS_PATH = Path(tui.app.__file__).with_name(PapersApp.CSS_PATH)

    def on_load(self) -> None:
        from textual import events

        for key in ("j", "j"):
            self.post_message(events.Key(key, key))


async def test_keys_typed_before_the_reader_is_up_are_answered_by_it(store, screen_text):
    app = TypedAhead(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = on_main(app)
        assert screen.paper_list.cursor == 2  # both keys moved the cursor
        assert screen.detail.paper.id == "2406.09308"
        assert "│ Transformers meet Neural Algorithmic" in screen_text(app)  # its detail
