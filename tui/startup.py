"""Start-up: keep the cyclic garbage collector out of the reader's first frame.

Importing Textual and building the first screen make many long-lived objects, and
the collector runs over and over while they are made (about a twentieth of the
start-up here).  The reader pauses it until its first frame is on the screen
(``PapersApp._after_first_frame``: the refresh after the reader is pushed), then freezes
what start-up made (those objects last as long as the app, so later collections need
not walk them) and turns it back on.

The interpreter's thread switch interval is short for that while too: Textual writes
each frame from a thread of its own, and the first frame's write waited for the main
thread to let go of the interpreter (up to the default 5 ms, while it went on with the
layout that follows the first frame).
"""

from __future__ import annotations

import gc
import sys

START_SWITCH = 0.0005  # seconds (Python's default: 0.005)

_paused = False
_switch: float | None = None  # the interval before pause_gc, while it is shortened


def pause_gc() -> None:
    global _paused, _switch
    if gc.isenabled():
        gc.disable()
        _paused = True
    if _switch is None:
        _switch = sys.getswitchinterval()
        sys.setswitchinterval(min(_switch, START_SWITCH))


def resume_gc() -> None:
    """Undo :func:`pause_gc` (nothing if it did not pause the collector)."""
    global _paused, _switch
    if _switch is not None:
        sys.setswitchinterval(_switch)
        _switch = None
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
