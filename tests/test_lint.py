"""The tree passes ``ruff check .`` with the rules chosen in pyproject.toml
([tool.ruff.lint]): undefined names, closures over loop variables, blind excepts without
their comment, subprocess.run that loses an error, ...  Run with the ruff the test extra
installs (``make test``); skipped, saying so, where no ruff is installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff() -> str | None:
    beside = Path(sys.executable).with_name("ruff")  # the venv's, from the test extra
    return str(beside) if beside.exists() else shutil.which("ruff")


RUFF = _ruff()
pytestmark = pytest.mark.skipif(RUFF is None, reason="ruff is not installed (make test "
                                                     "installs it with the test extra)")


def ruff(where: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([RUFF, "check", "--no-cache", "--output-format", "concise", *args],
                          cwd=where, capture_output=True, text=True, timeout=300, check=False)


def test_the_tree_passes_ruff():
    proc = ruff(ROOT, ".")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_a_closure_over_a_loop_variable_and_a_blind_except_fail(tmp_path):
    """The configuration is the one in use: a new file with two of the mistakes it is
    there for fails, each named."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "new.py").write_text(
        "def later():\n"
        "    out = []\n"
        "    for i in range(3):\n"
        "        out.append(lambda: i)\n"
        "    try:\n"
        "        return out\n"
        "    except Exception:\n"
        "        return None\n", encoding="utf-8")
    proc = ruff(tmp_path, ".")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "store/new.py:4:28: B023" in proc.stdout, proc.stdout
    assert "store/new.py:7:12: BLE001" in proc.stdout, proc.stdout
