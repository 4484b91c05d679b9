"""The import rules in pyproject.toml ([tool.importlinter]) hold: store never imports
the UI, the reader's model needs no Textual, the screens import downwards only (no
cycles).  Checked with import-linter's own command, as a developer would run it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(where: Path) -> subprocess.CompletedProcess:
    assert LINT.exists(), "lint-imports is missing: install the test extra (make test)"
    return subprocess.run([str(LINT), "--no-cache"], cwd=where, capture_output=True,
                          text=True, timeout=300, env={"PATH": "/usr/bin:/bin",
                                                       "PYTHONPATH": str(where)}, check=False)


def test_the_import_contracts_are_kept():
    proc = lint(ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def test_a_broken_contract_fails(tmp_path):
    """A screen importing one above it (a cycle in the making) breaks the build."""
    for name in ("store", "tui"):
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    tags = tmp_path / "tui" / "screens" / "tags.py"
    tags.write_text(tags.read_text(encoding="utf-8") + "\nfrom . import main  # noqa\n",
                    encoding="utf-8")
    proc = lint(tmp_path)
    assert proc.returncode != 0
    assert "tui.screens.tags is not allowed to import tui.screens.main" in proc.stdout
