"""A few SVG snapshots of key screens (brittle by nature: keep them few).

Update after an intended visual change with:
    .venv/bin/python -m pytest tests/test_app_snapshots.py --snapshot-update
"""

from __future__ import annotations

from tui.app import PapersApp


def test_snapshot_main_screen(store, snap_compare):
    assert snap_compare(PapersApp(store), terminal_size=(100, 30), press=["_"])


def test_snapshot_narrow_detail(store, snap_compare):
    assert snap_compare(PapersApp(store), terminal_size=(50, 20), press=["j", "enter", "_"])


def test_snapshot_help(store, snap_compare):
    assert snap_compare(PapersApp(store), terminal_size=(100, 30), press=["question_mark", "_"])
