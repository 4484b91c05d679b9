"""What one key writes to the terminal (over SSH, bytes are time): the main screen's `j`
repaints the two list rows and the detail's content, never the whole screen; a key that
changes nothing and a reader left alone write nothing.  Byte counts from a pseudo-terminal,
with generous margins (make bench prints the figures)."""

from __future__ import annotations

import re

from .stresskit import Reader, record

COLS, ROWS = 110, 32
# A cursor move followed by something drawn (Textual also parks the cursor after an update).
CUP = re.compile(rb"\x1b\[(\d+);(\d+)H(?=\x1b\[[0-9;]*m[^\x1b])")
PARK = b"\x1b[1;1H"


def positions(chunk: bytes) -> list[tuple[int, int]]:
    """Where ``chunk`` draws: the (row, column) of each cursor move followed by text."""
    return [(int(m.group(1)), int(m.group(2))) for m in CUP.finditer(chunk)]


def press(reader: Reader, key: str) -> bytes:
    start = len(reader.out)
    reader.send(key)
    reader.settle(quiet=0.5, timeout=10)
    return reader.out[start:]


def test_j_repaints_only_the_rows_and_the_detail_text(fresh_home):
    with Reader(fresh_home, cols=COLS, rows=ROWS) as r:
        assert r.wait_text("Paper", 20)
        r.settle(quiet=0.8, timeout=20)
        full = len(r.out)
        press(r, "g")
        chunk = press(r, "j")
        moves = positions(chunk)
        assert chunk and moves
        # Far below a full repaint of the screen (the first frame), and below 8 KB.
        assert len(chunk) < min(full // 4, 8192), (len(chunk), full)
        # Never the day list (columns 1-25) nor the key bar (the last row).
        assert all(col > 25 for _row, col in moves), sorted(set(moves))[:5]
        assert all(row < ROWS for row, _col in moves)
        record("9 bytes per key", f"j wrote {len(chunk)} B of a {full} B first frame")


def frames(chunk: bytes) -> int:
    """How many frames ``chunk`` holds: Textual parks the cursor at the top left (a cell no
    key here draws) at the end of every frame it writes."""
    return chunk.count(PARK)


def test_j_writes_the_rows_and_the_detail_in_one_frame(fresh_home):
    """Over a slow link every frame waits for the one before it: the list's two rows and
    the next paper's lines go out together, not the detail a frame (16-33 ms) later."""
    with Reader(fresh_home, cols=COLS, rows=ROWS) as r:
        assert r.wait_text("Paper", 20)
        r.settle(quiet=0.8, timeout=20)
        press(r, "g")
        shown = [shown_id(r)]
        for _ in range(3):
            chunk = press(r, "j")
            assert frames(chunk) == 1, chunk
            shown.append(shown_id(r))
        assert len(set(shown)) == 4, shown  # each j showed the next paper in the detail


def shown_id(reader: Reader) -> str:
    """The arXiv id the detail pane shows."""
    found = re.search(r"arXiv (\S+)", reader.screen.text())
    assert found, reader.screen.text()
    return found.group(1)


def test_a_key_that_changes_nothing_and_idling_write_nothing(fresh_home):
    with Reader(fresh_home, cols=COLS, rows=ROWS) as r:
        assert r.wait_text("Paper", 20)
        r.settle(quiet=0.8, timeout=20)
        press(r, "G")
        assert press(r, "j") == b""  # already on the last paper
        start = len(r.out)
        r.settle(quiet=3.0, timeout=3.0)
        assert r.out[start:] == b""


def test_idle_on_the_search_screen_writes_nothing(fresh_home):
    """No blinking cursor in the search box: a reader left on the search screen is quiet."""
    with Reader(fresh_home, cols=COLS, rows=ROWS) as r:
        assert r.wait_text("Paper", 20)
        r.settle(quiet=0.8, timeout=20)
        r.send("/")
        assert r.wait_text("Search titles", 20)
        r.send("depth")
        assert r.wait_text("result", 20)
        r.settle(quiet=0.8, timeout=20)
        start = len(r.out)
        r.settle(quiet=3.0, timeout=3.0)
        assert r.out[start:] == b""


def test_a_search_keystroke_repaints_far_less_than_the_screen(fresh_home):
    """A key typed in search repaints the box's line, the status line, the result rows and
    the preview's text: not the borders, not the key bar, far less than a full screen."""
    with Reader(fresh_home, cols=COLS, rows=ROWS) as r:
        assert r.wait_text("Paper", 20)
        r.settle(quiet=0.8, timeout=20)
        full = len(r.out)
        r.send("/")
        assert r.wait_text("Search titles", 20)
        r.settle(quiet=0.8, timeout=20)
        for key in "dep":
            press(r, key)
        chunk = press(r, "t")
        moves = positions(chunk)
        assert chunk and moves
        assert b"dept" in chunk  # the box shows the new key
        assert len(chunk) < full // 3, (len(chunk), full)
        rows = {row for row, _col in moves}
        # Neither the box's borders (rows 1 and 3) nor the key bar (the last row).
        assert not rows & {1, 3, ROWS}, sorted(rows)
        record("9 bytes per key", f"a search key wrote {len(chunk)} B of a {full} B first frame")
