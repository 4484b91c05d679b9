"""The reader's model (tui/reader.py), driven directly: no app, no Pilot.

``small_store`` (conftest): 2024-03-02 lists Zeta (12 votes, also on 03-01), Alpha (3)
and Mid (7); 2024-03-01 lists Zeta and Older (1).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ids
from store.storage import StoreError
from tui.reader import Mode, Reader

ROOT = Path(__file__).resolve().parents[1]
ZETA, ALPHA, MID, OLDER = "2403.00001", "2403.00002", "2403.00003", "2403.00004"
NEW_DAY, OLD_DAY = "2024-03-02", "2024-03-01"


@pytest.fixture
def reader(small_store) -> Reader:
    r = Reader(small_store)
    r.load_days()
    return r


def test_the_model_needs_no_textual():
    code = ("import sys, tui.reader\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_starts_on_the_newest_day_then_where_it_was_left(reader, small_store):
    assert reader.start() == (NEW_DAY, None)
    reader.open_day(OLD_DAY)
    reader.remember(OLDER)
    again = Reader(small_store)
    again.load_days()
    assert again.start() == (OLD_DAY, OLDER)
    assert again.mode is Mode.DAY and again.mode == "day"


def test_sorts_by_votes_then_title_then_digest_order_and_remembers(reader, small_store):
    assert reader.sort == "votes"
    assert ids(reader.open_day(NEW_DAY)) == [ZETA, MID, ALPHA]
    assert reader.cycle_sort() == "title"
    assert ids(reader.listed()) == [ALPHA, MID, ZETA]
    assert reader.title(3) == f"{NEW_DAY} · 3 papers (by title)"
    assert reader.cycle_sort() == "digest"
    assert ids(reader.listed()) == [ZETA, ALPHA, MID]
    assert Reader(small_store).sort == "digest"  # kept in the store's UI state
    assert reader.cycle_sort() == "for-you"  # the fourth sort (issue 15)
    assert reader.cycle_sort() == "votes"


def test_unread_only_hides_read_papers_but_keeps_the_current_one(reader, small_store):
    small_store.set_read([ZETA, MID], True)
    assert reader.toggle_unread_only() is True
    assert ids(reader.open_day(NEW_DAY)) == [ALPHA]
    assert ids(reader.open_day(NEW_DAY, keep=MID)) == [MID, ALPHA]
    assert reader.title(1) == f"{NEW_DAY} · 1 paper (unread only)"
    assert Reader(small_store).unread_only is True
    assert reader.toggle_unread_only() is False


def test_a_change_is_saved_and_undone(reader, small_store):
    assert reader.change("read", [ZETA, MID, ZETA], True, "two") == 2
    assert small_store.is_read(ZETA) and small_store.is_read(MID)
    assert reader.change("read", [ZETA], True) == 0  # nothing to change, nothing to undo
    assert reader.change("bookmark", [ALPHA], True) == 1
    change = reader.undo_last()
    assert change is not None and change.kind == "bookmark"
    assert not small_store.is_bookmarked(ALPHA)
    change = reader.undo_last()
    assert change is not None and change.label == "two" and sorted(change.before) == [ZETA, MID]
    assert not small_store.is_read(ZETA) and not small_store.is_read(MID)
    assert reader.undo_last() is None


def test_an_undo_that_cannot_be_saved_stays_undoable(reader, small_store, monkeypatch):
    reader.change("read", [ALPHA], True)

    def refuse(*args, **kwargs):
        raise StoreError("disk full")

    monkeypatch.setattr(small_store, "set_read", refuse)
    with pytest.raises(StoreError):
        reader.undo_last()
    assert len(reader.undo) == 1 and small_store.is_read(ALPHA)
    with pytest.raises(StoreError):
        reader.change("read", [MID], True)
    assert len(reader.undo) == 1  # a change not saved is not on the undo stack


def test_next_unread_in_the_list_then_across_days(reader, small_store):
    papers = reader.open_day(NEW_DAY)  # Zeta, Mid, Alpha
    small_store.set_read([MID], True)
    assert reader.unread_in(papers, 0, +1) == 2  # skips the read Mid
    assert reader.unread_in(papers, 2, +1) is None
    reader.load_days()
    assert reader.unread_day(+1) == (1, ZETA)  # the older day's first unread (by votes)
    small_store.set_read([ZETA], True)
    assert reader.unread_day(+1) == (1, OLDER)
    small_store.set_read([OLDER], True)
    reader.load_days()
    assert reader.unread_day(+1) is None
    reader.open_day(OLD_DAY)
    assert reader.unread_day(-1) == (0, ALPHA)  # back into the newer day: its last unread


def test_stale_day_counts_do_not_stop_at_a_day_with_nothing_unread(reader, small_store):
    reader.open_day(NEW_DAY)
    small_store.set_read([ZETA, OLDER], True)  # behind the model's back: counts are stale
    assert reader.days[1].unread
    assert reader.unread_day(+1) is None


def test_step_day_stops_at_either_end(reader):
    reader.open_day(NEW_DAY)
    assert reader.step_day(+1) == 1
    assert reader.step_day(-1) is None
    reader.open_day(OLD_DAY)
    assert reader.step_day(+1) is None


def test_bookmarks_view_and_back_to_where_it_was(reader, small_store):
    reader.open_day(OLD_DAY)
    small_store.set_bookmarked([ALPHA, OLDER], True)
    assert ids(reader.enter_bookmarks(OLDER)) == [ALPHA, OLDER]  # newest day first
    assert reader.mode is Mode.BOOKMARKS
    assert reader.title(2) == "Bookmarks 2"
    assert reader.export_target() == (None, "bookmarks", "bookmarks")
    assert reader.empty_message().startswith("No bookmarks yet")
    assert reader.leave_bookmarks() == (OLD_DAY, OLDER)
    assert reader.mode is Mode.DAY
    assert reader.export_target() == ([OLD_DAY], OLD_DAY, OLD_DAY)


def test_locate_prefers_the_day_shown_then_the_newest(reader):
    reader.open_day(OLD_DAY)
    assert reader.locate(ZETA) == OLD_DAY  # listed here too
    assert reader.locate(ALPHA) == NEW_DAY
    assert reader.locate("no-such-id") is None


def test_refresh_sees_another_process_and_rereads_the_counts(reader, small_store):
    from store.db import Store

    other = Store.open(small_store.home, sample=False)
    assert not reader.refresh()
    other.set_read([ALPHA, MID, ZETA], True)
    assert reader.refresh()
    assert small_store.is_read(ALPHA)
    assert reader.days[0].unread == 0


def test_for_you_says_when_nothing_is_kept_and_is_off_in_the_bookmarks_view(reader, small_store):
    reader.sort = "for-you"
    assert ids(reader.open_day(NEW_DAY)) == [ZETA, MID, ALPHA]  # by votes, nothing kept
    assert reader.nothing_kept
    assert reader.title(3) == f"{NEW_DAY} · 3 papers (for you)"
    small_store.set_bookmarked([MID])
    reader.listed()
    assert not reader.nothing_kept
    reader.enter_bookmarks(None)
    assert reader.sort_in_use == "votes"
    assert reader.title(1) == "Bookmarks 1"
    reader.sort = "digest"
    assert reader.cycle_sort() == "votes"  # for you is skipped there
