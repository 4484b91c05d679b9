"""The whole real archive through `papers import` (skipped when ../shared is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "store" / "sample"
ARCHIVE = ROOT.parent / "shared" / "corpus" / "daily_papers_ko" / "paper_logs"

pytestmark = [pytest.mark.archive,
              pytest.mark.skipif(not ARCHIVE.is_dir(), reason="archive not present")]


def test_full_archive_import(home, capsys):
    assert main(["import", str(ARCHIVE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("357 files read, 0 unchanged, 0 skipped; 357 days, 5487 papers added")
    assert main(["days", "--json"]) == 0
    days = json.loads(capsys.readouterr().out)
    assert len(days) == 357 and sum(d["papers"] for d in days) == 5488
    assert days[0]["date"] == "2025-05-09"
    assert main(["show", "2410.09342", "--json"]) == 0
    twice = json.loads(capsys.readouterr().out)
    assert twice["dates"] == ["2024-10-18", "2024-10-16"]
    # unchanged: nothing re-read, nothing changes
    assert main(["import", str(ARCHIVE)]) == 0
    assert capsys.readouterr().out.startswith("0 files read, 357 unchanged")
    # the sample is five of these days, identical: importing it changes no paper
    assert main(["import", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "0 papers added, 0 updated" in out
