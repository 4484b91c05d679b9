"""Progress of ``papers import`` and ``papers update`` by phase: fetch, parse, save, index.

On a terminal a Rich progress bar (a bar while files are parsed, a pulse for the steps
whose length is unknown); piped, one plain line as each phase begins; for a program
(``papers update --progress json``, what the reader's ``R`` reads), one JSON object a
line as each phase begins.  Every phase is shown as it starts, so nothing sits at 100%
while the corpus is saved and indexed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

Callback = Callable[[str, int, "int | None"], None]

LABELS = {
    "fetch": "fetching the digest repository",
    "parse": "reading day files",
    "save": "saving the corpus",
    "index": "building the search index",
}
MIN_FILES = 20  # fewer files than this: no bar for the parse phase on a terminal


def _plain(stream: TextIO) -> Callback:
    last = [""]

    def callback(phase: str, done: int, total: int | None) -> None:
        if phase == last[0]:
            return
        last[0] = phase
        label = LABELS.get(phase, phase)
        count = f" ({total} file{'' if total == 1 else 's'})" if phase == "parse" and total else ""
        print(f"{phase}: {label}{count}", file=stream, flush=True)

    return callback


def _json(stream: TextIO) -> Callback:
    """``{"phase": "parse", "total": 12}`` (total: null when unknown), once per phase."""
    import json

    last = [""]

    def callback(phase: str, done: int, total: int | None) -> None:
        if phase == last[0]:
            return
        last[0] = phase
        print(json.dumps({"phase": phase, "total": total}), file=stream, flush=True)

    return callback


@contextmanager
def phase_progress(*, quiet: bool = False, stream: TextIO | None = None,
                   as_json: bool = False) -> Iterator[Callback | None]:
    """A ``(phase, done, total)`` callback for the store, or None when ``quiet``;
    ``as_json``: one JSON line per phase whatever the stream is."""
    stream = stream or sys.stderr
    if quiet:
        yield None
        return
    if as_json:
        yield _json(stream)
        return
    if not stream.isatty():
        yield _plain(stream)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   console=Console(file=stream), transient=True)
    state: dict = {"task": None, "phase": None}

    def callback(phase: str, done: int, total: int | None) -> None:
        if phase == "parse" and (total or 0) < MIN_FILES and state["task"] is None:
            return  # a handful of files: over before a bar could say anything
        if state["task"] is None:
            bar.start()
            state["task"] = bar.add_task(LABELS.get(phase, phase), total=total)
        if phase != state["phase"]:
            state["phase"] = phase
            bar.reset(state["task"], total=total, description=LABELS.get(phase, phase))
            bar.update(state["task"], completed=done)
            bar.refresh()  # drawn now, not at the next tick: a phase may take less
            return
        bar.update(state["task"], completed=done)

    try:
        yield callback
    finally:
        bar.stop()
