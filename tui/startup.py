"""Start-up: keep the cyclic garbage collector out of the reader's first frame.

Importing Textual and building the first screen make many long-lived objects, and
the collector runs over and over while they are made (about a twentieth of the
start-up here).  The reader pauses it until its first frame is on the screen
(``PapersApp._after_first_frame``: the refresh after the reader is pushed), then freezes
what start-up made (those objects last as long as the app, so later collections need
not walk them) and turns it back on.
"""

from __future__ import annotations

import gc

_paused = False


def pause_gc() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_gc() -> None:
    """Undo :func:`pause_gc` (nothing if it did not pause the collector)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
