"""Check 8: the reader at 80×24 and 40×12 under TERM=xterm-256color, xterm and NO_COLOR=1,
showing Korean text: every row fits the width.  Under TERM=dumb (a terminal that cannot move
the cursor) the reader says in one line what works there instead of drawing a screen."""

from __future__ import annotations

import re

import pytest

from .stresskit import Reader, record

pytestmark = pytest.mark.stress

SIZES = [(80, 24), (40, 12)]
SETUPS = [("xterm-256color", {}), ("xterm", {}), ("xterm-256color", {"NO_COLOR": "1"})]
HANGUL = re.compile("[\uac00-\ud7a3]")
SGR = re.compile(rb"\x1b\[([0-9;]*)m")


def chromatic(out: bytes) -> int:
    """How many colours in the SGR sequences of ``out`` are not grey."""
    count = 0
    for m in SGR.finditer(out):
        p = [int(x) if x else 0 for x in m.group(1).split(b";")]
        i = 0
        while i < len(p):
            if p[i] in (38, 48) and i + 1 < len(p) and p[i + 1] == 5 and i + 2 < len(p):
                n = p[i + 2]
                grey = n in (0, 7, 8, 15) or n >= 232 or (
                    16 <= n <= 231 and len({(n - 16) // 36, (n - 16) // 6 % 6, (n - 16) % 6}) == 1)
                count += not grey
                i += 3
            elif p[i] in (38, 48) and i + 1 < len(p) and p[i + 1] == 2 and i + 4 < len(p):
                count += len(set(p[i + 2:i + 5])) != 1
                i += 5
            else:
                count += p[i] in (31, 32, 33, 34, 35, 36, 41, 42, 43, 44, 45, 46,
                                  91, 92, 93, 94, 95, 96, 101, 102, 103, 104, 105, 106)
                i += 1
    return count


def test_terminals_and_sizes(fresh_home):
    rows_checked = 0
    results = []
    for cols, lines in SIZES:
        for term, env in SETUPS:
            name = f"{cols}x{lines} TERM={term}" + (" NO_COLOR=1" if env else "")
            problems = []
            korean = False
            with Reader(fresh_home, cols, lines, term=term, **env) as reader:
                if not reader.wait_text("Depth", timeout=30):
                    problems.append("no first paint")
                reader.settle(0.1)
                screens = [reader.screen.lines()]
                reader.send("\r")  # open the paper: its Korean summary, a page or two down
                for _ in range(4):
                    korean = reader.wait_for(lambda r: HANGUL.search(r.screen.text()), 0.4)
                    reader.settle(0.1)
                    screens.append(reader.screen.lines())
                    if korean:
                        break
                    reader.send(" ")
                reader.send("?")  # the help screen
                reader.settle(0.15)
                screens.append(reader.screen.lines())
                reader.send("\x1b")
                reader.settle(0.15)
                reader.send("q")
                status = reader.wait_exit(20)
            if status != 0 or b"Traceback" in reader.out:
                problems.append(f"exit {status}")
            if reader.screen.overflows:
                problems.append(f"{reader.screen.overflows} characters past the edge on rows "
                                f"{sorted(reader.screen.overflow_rows)[:5]}")
            if not korean:
                problems.append("no Korean shown")
            if env.get("NO_COLOR") and chromatic(reader.out):
                problems.append(f"{chromatic(reader.out)} colours under NO_COLOR")
            rows_checked += sum(len(s) for s in screens)
            results.append((name, problems))
    failed = [(n, p) for n, p in results if p]
    record("8 terminals",
           f"{len(results)} setups ({', '.join(f'{c}x{r}' for c, r in SIZES)} × "
           f"{', '.join(t + (' NO_COLOR=1' if e else '') for t, e in SETUPS)}): "
           f"{len(results) - len(failed)} rendered with every row within the width and "
           f"Korean shown ({rows_checked} screen rows checked), {len(failed)} failed"
           + (f": {failed}" if failed else ""))
    assert not failed, failed


@pytest.mark.parametrize("term", ["dumb", "unknown"])
def test_a_dumb_terminal_is_told_what_works_there(fresh_home, term):
    """No screen drawn as a stream of escape codes: one line saying the reader needs a
    capable terminal and which commands work here, and a non-zero exit."""
    with Reader(fresh_home, 80, 24, term=term) as reader:
        status = reader.wait_exit(20)
    out = reader.out.decode("utf-8", "replace")
    lines = [line for line in out.splitlines() if line.strip()]
    assert status == 1, (status, out)
    assert len(lines) == 1, out
    assert "the reader needs a terminal that can draw a screen" in lines[0]
    assert f"TERM={term}" in lines[0]
    assert "papers days, list, show ID, search QUERY" in lines[0]
    assert "\x1b" not in out and "Traceback" not in out  # no screen, no crash
    with Reader(fresh_home, 80, 24, term=term, argv=["days"]) as reader:  # as it says
        assert reader.wait_exit(20) == 0
    assert "2024-06-14" in reader.out.decode("utf-8", "replace")
