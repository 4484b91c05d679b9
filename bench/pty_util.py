"""A program in a pseudo-terminal, for the figures measured as a person sees them: start
it, read what it paints until a marker shows, then kill and reap it."""

from __future__ import annotations

import os
import pty
import select
import signal
import time


def spawn(argv: list[str], env: dict, size: tuple[int, int] | None = None) -> tuple[int, int]:
    """Start ``argv`` (looked up on PATH) in a new pseudo-terminal of ``size`` (columns,
    rows; the default leaves it to ``COLUMNS``/``LINES``): (pid, the terminal's fd).
    A program that cannot be started ends the child with status 127."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: never returns into the caller's code
        try:
            if size is not None:
                import fcntl
                import struct
                import termios

                cols, rows = size
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    return pid, fd


def read_until(fd: int, marker: bytes, start: float, timeout: float = 30.0) -> float:
    """Read the terminal until ``marker`` appears: seconds since ``start``
    (``time.perf_counter``).  RuntimeError if it has not appeared ``timeout`` s after
    ``start`` or the program closed the terminal first."""
    buf = b""
    while time.perf_counter() - start < timeout:
        r, _, _ = select.select([fd], [], [], 0.01)
        if r:
            try:
                buf += os.read(fd, 1 << 16)
            except OSError:  # EIO: the program ended and closed the terminal
                break
            if marker in buf:
                return time.perf_counter() - start
            buf = buf[-4096:]  # a marker may straddle two reads; no more is needed
    raise RuntimeError(f"{marker!r} never appeared")


def end(pid: int, fd: int) -> None:
    """Kill the program (it may have ended already), reap it and close its terminal."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)
