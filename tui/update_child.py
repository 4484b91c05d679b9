"""``R``'s update, run as a child process: ``papers update --json --progress json`` by the
reader's own Python, so the update's work is not the reader's.

Why a child and not a thread: a data directory made before related papers existed, or a
big pull, makes the update compute the whole archive's related lists (~20 s of CPU and a
460 MB peak at 55k papers).  In a thread of the reader that work held the GIL, so every
key lagged while it ran, and the reader kept the memory afterwards.  A child has its own
interpreter and its memory goes back to the system when it exits; the reader only reads
the child's phase lines and, at the end, its JSON report.  The child is also niced, so
that on a one- or two-core machine the reader's keys come first.

Quitting the reader while the child runs interrupts the child (``stop``: SIGINT, as
Ctrl-C on ``papers update``; SIGKILL if it has not ended within ``STOP_GRACE`` seconds).
Quitting means the terminal back now: an update can take minutes (a clone over a slow
link), and a child left behind would hold CPU and memory on a small machine with its
output going nowhere.  Nothing is half-written: every file of the data directory is
replaced atomically and under a lock, an interrupted git is cleaned up by the next
update, and the next ``papers update`` or ``R`` imports what the clone already has and
computes what is missing (related lists included).

No Textual here: the screen (``tui/screens/updating.py``) drives this from a worker.
"""

from __future__ import annotations

import json
import os
import signal
import site
import subprocess
import sys
import tempfile
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from store.update import UpdateReport

STOP_GRACE = 3.0  # seconds an interrupted child has to end before it is killed
NICENESS = 10  # the child's priority below the reader's


class UpdateFailed(Exception):
    """Why the update did not happen, in one line (the child's own error line)."""


def command(home: str | os.PathLike, config: str | os.PathLike | None = None) -> list[str]:
    """The child's command line: this Python, the package's CLI (``tui.cli``, the module
    behind the ``papers`` script), ``-P`` so that the working directory cannot put
    another ``tui`` or ``store`` first on the child's path."""
    argv = [sys.executable, "-P", "-m", "tui.cli", "update", "--home", str(home),
            "--json", "--progress", "json"]
    if config is not None:
        argv += ["--config", str(config)]
    return argv


def child_env() -> dict[str, str]:
    """The reader's environment, and the folder this copy of papers was imported from
    on the child's path when it is not a site-packages folder (a checkout run as is):
    the child runs the same code as the reader, wherever that came from."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    root = str(Path(__file__).resolve().parents[1])
    found = getattr(site, "getsitepackages", list)()  # (an old virtualenv's site has none)
    sites = {str(Path(p).resolve()) for p in found}
    user = getattr(site, "getusersitepackages", lambda: "")()
    if user:
        sites.add(str(Path(user).resolve()))
    if root not in sites:
        env["PYTHONPATH"] = os.pathsep.join(
            [root] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


class UpdateChild:
    """One ``papers update`` in a child process.  ``phases()`` yields each phase as the
    child begins it; ``result()`` then gives its report or raises ``UpdateFailed``."""

    def __init__(self, home: str | os.PathLike, config: str | os.PathLike | None = None,
                 argv: list[str] | None = None) -> None:
        self.stopped = False
        self._said: deque[str] = deque(maxlen=20)  # the child's last lines that are not phases
        # The report goes to a file, not a pipe: read once the child has ended, it can be
        # any size without the child blocking on a full pipe meanwhile.
        self._report = tempfile.TemporaryFile()  # noqa: SIM115 - closed in its own method
        try:
            self.proc = subprocess.Popen(
                argv or command(home, config), stdin=subprocess.DEVNULL,
                stdout=self._report, stderr=subprocess.PIPE, env=child_env())
        except OSError as exc:
            self._report.close()
            raise UpdateFailed(f"cannot start the update ({exc.strerror or exc})") from None
        try:
            os.setpriority(os.PRIO_PROCESS, self.proc.pid, NICENESS)
        except (AttributeError, OSError):  # not on this system, or not allowed: as it is
            pass

    def phases(self) -> Iterator[str]:
        """Each phase (``fetch``, ``parse``, ``save``, ``index``) as the child begins it,
        until it closes its stderr (it has ended)."""
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            phase = _phase(line)
            if phase is not None:
                yield phase
            elif line.strip():
                self._said.append(line.strip())

    def result(self) -> UpdateReport:
        """Wait for the child; its report, or ``UpdateFailed`` with its one-line reason."""
        for _ in self.phases():  # the rest of its output, if the caller stopped reading
            pass
        code = self.proc.wait()
        try:
            self._report.seek(0)
            raw = self._report.read()
        finally:
            self._report.close()
        if code != 0:
            raise UpdateFailed(self._reason(code))
        try:
            data = json.loads(raw)
            return UpdateReport(
                source=data["source"], cloned=data["cloned"], head=data["head"],
                days_added=data["days_added"], days_changed=data["days_changed"],
                papers_added=data["papers_added"], refused=data["refused"])
        except (ValueError, KeyError, TypeError):
            raise UpdateFailed("the update ended without a report "
                               f"({_printable(raw.decode('utf-8', 'replace'))[:200]!r})"
                               ) from None

    def _reason(self, code: int) -> str:
        said = list(self._said)
        for line in reversed(said):  # the CLI's own error line: "papers: <why>"
            if line.startswith("papers: ") and not line.startswith(
                    ("papers: refused ", "papers: skipped ")):
                return _printable(line[len("papers: "):])[:300]
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"the update process was killed ({name})"
        if said:  # a crash: a traceback's last line says what ("MemoryError", ...)
            return _printable(said[-1])[:300]
        return f"the update process exited with status {code}"

    def stop(self, grace: float = STOP_GRACE) -> None:
        """Interrupt the child (the reader is quitting) and wait for it to end."""
        self.stopped = True
        if self.proc.poll() is not None:
            return
        try:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        except OSError:  # already gone
            pass


def _phase(line: str) -> str | None:
    if not line.startswith("{"):
        return None
    try:
        data = json.loads(line)
    except ValueError:
        return None
    phase = data.get("phase") if isinstance(data, dict) else None
    return phase if isinstance(phase, str) else None


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)
