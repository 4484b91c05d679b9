"""Bytes to the terminal: what the reader writes to a pseudo-terminal after one key, until it
goes quiet, on the full archive (5.5k), at 110x32 and 80x24.  Over a slow SSH link these bytes
are the time a key takes.  Beside them, where installed: fzf filtering ``papers list`` lines
(one keystroke) and newsboat showing the next article of a feed made from one digest day."""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.pty_util import spawn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from stress.stresskit import Reader  # noqa: E402

SGR = re.compile(rb"\x1b\[[0-9;]*m")
ROW = re.compile(rb"\x1b\[(\d+);\d+H")
IDLE = 10.0  # seconds of doing nothing, per screen

# (label, keys sent before, the key measured)
ACTIONS = [
    ("j (next paper)", ["g"], "j"),
    ("j on the last paper (nothing moves)", ["G"], "j"),
    ("n (next unread)", ["g"], "n"),
    ("] (next day)", [], "]"),
    ("one search keystroke", ["/", "d", "e", "p"], "t"),
]


LINK_RATE = 1_000_000 / 8  # bytes per second: a 1 Mbit/s link
LINK_DELAY = 0.050  # seconds each way


class TimedReader(Reader):
    """The reader, noting when each chunk of output arrived."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.arrivals: list[tuple[float, int]] = []

    def pump(self, timeout: float = 0.0) -> bool:
        before = len(self.out)
        alive = super().pump(timeout)
        if len(self.out) > before:
            self.arrivals.append((time.monotonic(), len(self.out) - before))
        return alive


def through_link(sent: float, arrivals: list[tuple[float, int]]) -> float:
    """Seconds from a key press to the last byte of its answer on the user's screen, had
    the key and the answer crossed a 1 Mbit/s link with 50 ms each way: the key reaches the
    reader 50 ms late, so does everything it writes, and the bytes queue at the link rate."""
    done = sent
    for at, size in arrivals:
        start = max(at + LINK_DELAY, done)  # the link is busy until ``done``
        done = start + size / LINK_RATE
    return (done + LINK_DELAY) - sent if arrivals else 2 * LINK_DELAY


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def _rows(chunk: bytes) -> int:
    return len({m.group(1) for m in ROW.finditer(chunk)})


def measure(home: Path, cols: int, rows: int) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    size = f"{cols}x{rows}"
    with Reader(home, cols=cols, rows=rows) as r:
        r.settle(quiet=1.0, timeout=30)
        out.append((f"bytes {size}: first frame", kb(len(r.out)), "-"))
        start = len(r.out)
        r.settle(quiet=IDLE, timeout=IDLE)
        out.append((f"bytes {size}: idle {IDLE:.0f} s, main screen", f"{len(r.out) - start} B",
                    "0 B"))
    for label, before, key in ACTIONS:
        with TimedReader(home, cols=cols, rows=rows) as r:
            r.settle(quiet=1.0, timeout=30)
            for k in before:
                r.send(k)
                r.settle(quiet=0.5, timeout=10)
            start = len(r.out)
            r.arrivals.clear()
            sent = time.monotonic()
            r.send(key)
            r.settle(quiet=0.6, timeout=10)
            chunk = r.out[start:]
            if label in ("j (next paper)", "one search keystroke"):
                out.append(((f"{size}: {label}, key to screen settled over 1 Mbit/s, "
                             "50 ms each way"), f"{through_link(sent, r.arrivals) * 1000:.0f} ms",
                            "≤ 150 ms" if label.startswith("j") else "-"))
            target = {"j (next paper)": "≤ 4 KB", "one search keystroke": "≤ 10 KB"}.get(
                label, "0 B" if "nothing" in label else "-")
            out.append(((f"bytes {size}: {label} ({_rows(chunk)} rows, "
                          f"{len(SGR.findall(chunk))} colour seqs)"), kb(len(chunk)), target))
            if label == "one search keystroke":
                start = len(r.out)
                r.settle(quiet=IDLE, timeout=IDLE)
                out.append((f"bytes {size}: idle {IDLE:.0f} s, search screen",
                            f"{len(r.out) - start} B", "0 B"))
    return out


def run(homes: dict[str, Path]) -> list[tuple[str, str, str]]:
    source = homes["5.5k"]
    rows: list[tuple[str, str, str]] = []
    for cols, height in ((110, 32), (80, 24)):
        tmp = Path(tempfile.mkdtemp(prefix="papers-bytes-"))
        try:
            home = tmp / "home"
            shutil.copytree(source, home)
            for name in ("state.json", "state.json.bak"):  # start on the newest day, unread
                (home / name).unlink(missing_ok=True)
            rows += measure(home, cols, height)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    rows += peers(source)
    return rows


class Program(Reader):
    """Any program (not only ``papers``) in the same pseudo-terminal harness."""

    def __init__(self, argv: list[str], cols: int, rows: int, env: dict[str, str]) -> None:
        from stress.stresskit import Screen

        self.cols, self.rows = cols, rows
        self.out = b""
        self.screen = Screen(cols, rows)
        self.status = None
        self.pid, self.fd = spawn(argv, env, (cols, rows))  # ended by Reader.close


def _key(r: Reader, keys: str, quiet: float = 0.5) -> int:
    start = len(r.out)
    r.send(keys)
    r.settle(quiet=quiet, timeout=10)
    return len(r.out) - start


def peers(home: Path) -> list[tuple[str, str, str]]:
    """fzf over ``papers list`` lines and newsboat over one digest day, where installed."""
    rows: list[tuple[str, str, str]] = []
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", PAPERS_HOME=str(home))
    tmp = Path(tempfile.mkdtemp(prefix="papers-peers-"))
    try:
        fzf = shutil.which("fzf")
        if fzf is None:
            rows.append(("bytes 110x32: fzf (not installed: apt-get install fzf)", "-", "-"))
        else:
            import subprocess

            papers = Path(sys.executable).with_name("papers")
            lines = tmp / "lines.txt"
            lines.write_text(subprocess.run([str(papers), "list"], env=env, capture_output=True,
                                            text=True, check=True).stdout, encoding="utf-8")
            script = tmp / "fzf.sh"
            script.write_text(f"#!/bin/sh\nexec {fzf} < {lines}\n")
            script.chmod(0o755)
            with Program([str(script)], 110, 32, env) as r:
                r.settle(quiet=1.0, timeout=20)
                first = len(r.out)
                for k in "dep":
                    _key(r, k)
                one = _key(r, "t")
                start = len(r.out)
                r.settle(quiet=IDLE, timeout=IDLE)
                rows.append(("bytes 110x32: fzf first frame", kb(first), "-"))
                rows.append(("bytes 110x32: fzf one search keystroke", kb(one), "-"))
                rows.append((f"bytes 110x32: fzf idle {IDLE:.0f} s", f"{len(r.out) - start} B",
                             "-"))
        newsboat = shutil.which("newsboat")
        if newsboat is None:
            rows.append(("bytes 110x32: newsboat (not installed: apt-get install newsboat)",
                         "-", "-"))
        else:
            feed = tmp / "feed.sh"
            rss = tmp / "feed.xml"
            rss.write_text(_rss(home), encoding="utf-8")
            feed.write_text(f"#!/bin/sh\ncat {rss}\n")
            feed.chmod(0o755)
            (tmp / "urls").write_text(f'"exec:{feed}"\n')
            (tmp / "config").write_text("")
            argv = [newsboat, "-r", "-u", str(tmp / "urls"), "-c", str(tmp / "cache.db"),
                    "-C", str(tmp / "config")]
            with Program(argv, 110, 32, dict(env, HOME=str(tmp))) as r:
                r.settle(quiet=1.5, timeout=20)
                first = len(r.out)
                _key(r, "\r")  # open the feed
                move = _key(r, "j")  # move in the article list
                _key(r, "\r")  # open the article
                nxt = _key(r, "n")  # the next unread article
                start = len(r.out)
                r.settle(quiet=IDLE, timeout=IDLE)
                rows.append(("bytes 110x32: newsboat first frame", kb(first), "-"))
                rows.append(("bytes 110x32: newsboat move in a list", f"{move} B", "-"))
                rows.append(("bytes 110x32: newsboat next article", kb(nxt), "-"))
                rows.append((f"bytes 110x32: newsboat idle {IDLE:.0f} s",
                             f"{len(r.out) - start} B", "-"))
                r.send("qqq")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def _rss(home: Path) -> str:
    """One digest day (the newest) as an RSS feed: titles and their Korean summaries."""
    from html import escape

    from store.db import Store

    store = Store.open(home, sample=False)
    day = store.days()[0].date
    items = []
    for meta in store.day_papers(day):
        paper = store.paper(meta.id) or meta
        body = "<br/>".join(escape(b.text) for b in paper.bullets)
        items.append(f"<item><title>{escape(paper.title)}</title><link>{escape(paper.url)}</link>"
                     f"<guid>{escape(paper.id)}</guid><description>{escape(body)}</description>"
                     "</item>")
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Daily Papers {day}</title><link>https://example.org/</link>"
            f"<description>digest</description>{''.join(items)}</channel></rss>")
