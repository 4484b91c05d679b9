"""Shared tools of the stress suite: the scorecard, the reader in a pseudo-terminal,
a small terminal screen model, and escape-sequence scanning."""

from __future__ import annotations

import codecs
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path
from typing import Self

from rich.cells import get_character_cell_size

ROOT = Path(__file__).resolve().parents[2]
PAPERS = Path(sys.executable).with_name("papers")

# ---------------------------------------------------------------- scorecard
SCORECARD: list[str] = []


def record(check: str, figure: str) -> None:
    """One scorecard line, ``"<check>: <figure>"``, printed at the end of the run."""
    SCORECARD.append(f"{check}: {figure}")


# ---------------------------------------------------------------- escape sequences
# Everything a terminal treats as a control sequence, in 7-bit form.
ESCAPE = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC (to BEL/ST, or unterminated)
    rb"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    rb"|\x1b[ -/]*[0-~]"  # two-character sequences
    rb"|\x1b"  # a lone ESC
)
# C1 controls as UTF-8 (U+0080..U+009F): some terminals act on them (U+009B = CSI).
C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def escapes(data: bytes) -> list[bytes]:
    return ESCAPE.findall(data)


# ---------------------------------------------------------------- screen model
class Screen:
    """Just enough of a VT100 to replay what Textual sends: cursor addressing, text,
    CR/LF/BS; colours and modes are skipped.  ``overflows`` counts characters
    that would be drawn past the right edge (or below the last row)."""

    _SEQ = re.compile(r"\x1b\[([0-?]*)([ -/]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
                      r"|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[ -/]*[0-~]")
    _INCOMPLETE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07]*|[PX^_].*|[ -/]*)", re.DOTALL)
    _OPEN_OSC = re.compile(r"\x1b\][^\x07\x1b]*\x1b?\Z")

    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.reset()
        self.overflows = 0
        self.overflow_rows: set[int] = set()

        self._pending = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def reset(self) -> None:
        self.grid = [[" "] * self.cols for _ in range(self.rows)]
        self.x = self.y = 0

    def feed(self, data: bytes) -> None:
        text = self._pending + self._decoder.decode(data)
        self._pending = ""
        last = text.rfind("\x1b")
        # an OSC cut inside its ST (ESC here, backslash in the next read): the OSC's own
        # start is where to wait from (a hyperlink's `ESC ] 8;;URL ESC \` is long)
        osc = self._OPEN_OSC.search(text)
        if osc is not None:
            last = osc.start()
        if last >= 0 and self._INCOMPLETE.fullmatch(text, last):  # cut short: wait for the rest
            text, self._pending = text[:last], text[last:]
        pos = 0
        for m in self._SEQ.finditer(text):
            self._text(text[pos:m.start()])
            pos = m.end()
            if m.group(3):
                self._csi(m.group(1), m.group(3))
        self._text(text[pos:])

    def _csi(self, params: str, final: str) -> None:
        if params.startswith(("?", ">", "<", "=")):
            if params in ("?1049", "?47", "?1047") and final in "hl":
                self.reset()
            return
        nums = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []
        n = nums[0] if nums and nums[0] else 1
        if final in "Hf":
            row = nums[0] if nums and nums[0] else 1
            col = nums[1] if len(nums) > 1 and nums[1] else 1
            if row > self.rows or col > self.cols:  # addressed outside the screen
                self.overflows += 1
                self.overflow_rows.add(row - 1)
            self.y, self.x = min(row - 1, self.rows - 1), col - 1
        elif final == "A":
            self.y = max(0, self.y - n)
        elif final == "B":
            self.y = min(self.rows - 1, self.y + n)
        elif final == "C":
            self.x += n
        elif final == "D":
            self.x = max(0, self.x - n)
        elif final == "G":
            self.x = n - 1
        elif final == "J" and (nums[:1] == [2] or nums[:1] == [3]):
            self.reset()
        elif final == "K":
            mode = nums[0] if nums else 0
            row = self.grid[self.y]
            lo, hi = {0: (self.x, self.cols), 1: (0, self.x + 1), 2: (0, self.cols)}.get(
                mode, (0, 0))
            for i in range(max(0, lo), min(self.cols, hi)):
                row[i] = " "

    def _text(self, text: str) -> None:
        for ch in text:
            if ch == "\r":
                self.x = 0
            elif ch == "\n":
                self.y = min(self.rows - 1, self.y + 1)
            elif ch == "\b":
                self.x = max(0, self.x - 1)
            elif ch < " " or ch == "\x7f":
                continue
            else:
                width = get_character_cell_size(ch)
                if width == 0:
                    continue
                if self.x + width > self.cols:
                    self.overflows += 1
                    self.overflow_rows.add(self.y)
                    self.x += width
                    continue
                self.grid[self.y][self.x] = ch
                if width == 2:
                    self.grid[self.y][self.x + 1] = ""
                self.x += width

    def lines(self) -> list[str]:
        return ["".join(row) for row in self.grid]

    def text(self) -> str:
        return "\n".join(self.lines())


# ---------------------------------------------------------------- the reader in a pty
def reader_env(home: Path, term: str = "xterm-256color", **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "COLUMNS", "LINES", "TEXTUAL", "FORCE_COLOR")
           and not k.startswith("PYTEST")}
    env.update(PAPERS_HOME=str(home), PAPERS_CONFIG=str(Path(home).parent / "config.toml"),
               TERM=term, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.update(extra)
    return env


class Reader:
    """``papers`` (no arguments: the reader) running in a pseudo-terminal."""

    def __init__(self, home: Path, cols: int = 100, rows: int = 30, term: str = "xterm-256color",
                 argv: list[str] | None = None, program: Path = PAPERS, cwd: Path | None = None,
                 **env: str) -> None:
        self.cols, self.rows = cols, rows
        self.out = b""
        self.screen = Screen(cols, rows)
        self.status: int | None = None
        environ = reader_env(home, term, **env)
        args = [str(program), *(argv or [])]
        pid, fd = pty.fork()
        if pid == 0:  # child: size the terminal, then become the reader
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                if cwd is not None:
                    os.chdir(cwd)
                os.execve(args[0], args, environ)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd

    # -- output --------------------------------------------------------------
    def pump(self, timeout: float = 0.0) -> bool:
        """Read what is there (waiting up to ``timeout``); False at end of output."""
        if self.fd < 0:
            return False
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return True
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:  # EIO: the child side is closed
            chunk = b""
        if not chunk:
            return False
        self.out += chunk
        self.screen.feed(chunk)
        return True

    def wait_for(self, predicate, timeout: float = 15.0) -> bool:
        end = time.monotonic() + timeout
        while not predicate(self):
            left = end - time.monotonic()
            if left <= 0 or not self.pump(min(left, 0.05)):
                return predicate(self)
        return True

    def wait_text(self, needle: str, timeout: float = 15.0) -> bool:
        return self.wait_for(lambda r: needle in r.screen.text(), timeout)

    def settle(self, quiet: float = 0.25, timeout: float = 5.0) -> None:
        """Read until the reader has been silent for ``quiet`` seconds."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            before = len(self.out)
            if not self.pump(quiet) or len(self.out) == before:
                return

    # -- input and ending ----------------------------------------------------
    def send(self, data: bytes | str) -> None:
        os.write(self.fd, data.encode() if isinstance(data, str) else data)

    def signal(self, sig: int) -> None:
        os.kill(self.pid, sig)

    def running(self) -> bool:
        """True while the process has not ended (an ended one is reaped: see ``status``)."""
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
        return self.status is None

    def wait_exit(self, timeout: float = 15.0) -> int | None:
        """Drain output until the process ends; its exit status (None: still running)."""
        end = time.monotonic() + timeout
        while self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > end:
                return None
            if not self.pump(0.05):
                time.sleep(0.01)
        while self.pump(0.0):
            if not select.select([self.fd], [], [], 0)[0]:
                break
        return self.status

    def close(self) -> None:
        """End the reader if it still runs, and release the terminal."""
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.wait_exit(5)
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
