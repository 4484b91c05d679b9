"""The stress suite (``make stress``; short versions run in ``make test``).

Each check records one scorecard line ``"<check>: <figure>"``; they are printed
together at the end of the run.  ``--stress-full`` (registered in tests/conftest.py)
selects the full sizes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .stresskit import SCORECARD


@pytest.fixture(scope="session")
def full(request) -> bool:
    """True under ``--stress-full`` (make stress)."""
    return bool(request.config.getoption("--stress-full"))


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory) -> Path:
    """A data directory with the bundled sample imported (copy it, don't change it)."""
    from store.db import Store

    home = tmp_path_factory.mktemp("sample") / "home"
    Store.open(home)
    return home


@pytest.fixture
def fresh_home(sample_home, tmp_path) -> Path:
    """A private copy of ``sample_home``."""
    home = tmp_path / "home"
    shutil.copytree(sample_home, home)
    return home


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not SCORECARD:
        return
    size = "full" if config.getoption("--stress-full") else "short"
    terminalreporter.write_sep("=", f"stress scorecard ({size})")
    for line in sorted(SCORECARD, key=lambda s: s.split(" ", 1)[0]):
        terminalreporter.write_line(line)
