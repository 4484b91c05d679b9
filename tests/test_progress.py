"""`papers import` names its phases: plain lines when piped, a Rich bar on a terminal."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from store.db import SAMPLE_DIR

DAY = re.compile(r"Daily Papers \(\d{4}-\d{2}-\d{2}\)")


def _days(folder: Path, count: int) -> Path:
    """``count`` day files (the sample's first day under other dates)."""
    folder.mkdir()
    text = (SAMPLE_DIR / "2024-02-20.md").read_text()
    for k in range(count):
        date = f"2024-01-{k + 1:02d}"
        (folder / f"{date}.md").write_text(DAY.sub(f"Daily Papers ({date})", text))
    return folder


def _argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui.cli", *args]


def test_import_piped_prints_one_line_per_phase(tmp_path):
    src = _days(tmp_path / "src", 3)
    src_home = tmp_path / "home"
    proc = subprocess.run(_argv("import", str(src), "--home", str(src_home)),
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [
        "parse: reading day files (3 files)",
        "save: saving the corpus",
        "index: building the search index",
    ]
    assert proc.stdout.startswith("3 files read, 0 unchanged")


def test_import_on_a_terminal_shows_every_phase_on_the_bar(tmp_path):
    src = _days(tmp_path / "src", 25)
    controller, terminal = os.openpty()
    env = {**os.environ, "COLUMNS": "100", "LINES": "30", "TERM": "xterm-256color"}
    proc = subprocess.Popen(_argv("import", str(src), "--home", str(tmp_path / "home")),
                            stdin=terminal, stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    out = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    os.close(controller)
    assert proc.wait(timeout=30) == 0
    text = out.decode("utf-8", "replace")
    labels = ["reading day files", "saving the corpus", "building the search index"]
    where = [text.find(label) for label in labels]
    assert -1 not in where and where == sorted(where), text[-2000:]
    assert "25 files read, 0 unchanged" in text
