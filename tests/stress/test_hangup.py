"""Check 7: the reader hung up (SIGHUP, or its terminal closed) right after a change:
every change the screen showed is on disk."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tui.app import EXIT_GRACE

from .stresskit import Reader, record

pytestmark = pytest.mark.stress

DONE = ("Bookmarked.", "Bookmark removed.")
AFTER = ("kill -HUP", "terminal closed")


def _shown(reader: Reader) -> bool:
    text = reader.screen.text()
    return any(d in text for d in DONE)


def _round(home, how: str) -> tuple[bool, bool, float, list[str]]:
    """Start the reader, press ``b``, hang up; (the screen showed it, it is on disk,
    seconds from the hang-up to the exit, problems)."""
    from store.db import Store

    problems = []
    day = Store.open(home, sample=False).days()[0].date
    with Reader(home, 100, 30) as reader:
        if not reader.wait_text(f"{day} ·", timeout=30):
            return False, False, 0.0, ["no first paint"]
        reader.settle(0.1)
        paper = Store.open(home, sample=False).ui_get("paper")  # the highlighted paper
        before = Store.open(home, sample=False).is_bookmarked(paper)
        reader.send("b")
        if how == "race":  # the signal right behind the key, before any output
            reader.signal(signal.SIGHUP)
        else:
            reader.wait_for(_shown, timeout=10)
            if how == "kill -HUP":
                reader.signal(signal.SIGHUP)
            else:  # the terminal goes away: the kernel hangs the reader up
                os.close(reader.fd)
                reader.fd = -1
        saw = _shown(reader)
        hung_up = time.monotonic()
        status = reader.wait_exit(30)
        took = time.monotonic() - hung_up
        saw = saw or _shown(reader)
    after = Store.open(home, sample=False)
    if status not in (0, -signal.SIGHUP) or b"Traceback" in reader.out:
        problems.append(f"exit {status}")
    if after.messages:
        problems.append(f"state needed recovery: {after.messages}")
    return saw, after.is_bookmarked(paper) != before, took, problems


def test_hangup_right_after_a_change(fresh_home, full):
    rounds, races = (100, 20) if full else (5, 2)
    shown = on_disk = 0
    race_saved = race_unread = 0
    problems: list[str] = []
    exits: list[float] = []
    started = time.monotonic()
    for n in range(rounds):
        how = AFTER[n % 2]
        saw, changed, took, trouble = _round(fresh_home, how)
        exits.append(took)
        problems += [f"round {n} ({how}): {t}" for t in trouble]
        shown += saw
        on_disk += saw and changed
        if not saw:
            problems.append(f"round {n} ({how}): the change never showed")
        elif not changed:
            problems.append(f"round {n} ({how}): shown, not on disk")
    for n in range(races):
        saw, changed, took, trouble = _round(fresh_home, "race")
        exits.append(took)
        problems += [f"race {n}: {t}" for t in trouble]
        if saw and not changed:
            problems.append(f"race {n}: shown, not on disk")
        race_saved += changed
        race_unread += not changed
    record("7 hang-up",
           f"{rounds} hang-ups right after a change ({' / '.join(AFTER)}): {on_disk}/{shown} "
           f"shown changes on disk; {races} more with SIGHUP racing the key: {race_saved} "
           f"saved, {race_unread} keys never read (nothing shown, nothing saved); "
           f"{len(problems)} problems; exit after the hang-up: max {max(exits):.1f} s, "
           f"{sum(t >= EXIT_GRACE for t in exits)} ended by the watchdog "
           f"({time.monotonic() - started:.0f} s)")
    assert not problems, problems
    assert on_disk == rounds
