"""Shared fixtures: a data directory per test, the bundled sample, small digests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "store" / "sample"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared" / "corpus"
ARCHIVE = SHARED / "daily_papers_ko" / "paper_logs"


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An empty data directory, also set as PAPERS_HOME."""
    h = tmp_path / "home"
    monkeypatch.setenv("PAPERS_HOME", str(h))
    return h


@pytest.fixture
def store(home):
    from store.db import Store

    return Store.open(home)


def pytest_addoption(parser):
    parser.addoption("--stress-full", action="store_true", default=False,
                     help="run the stress checks at full size (make stress)")
