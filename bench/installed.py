"""The copy users run: the wheel built from this checkout, installed with the locked
dependencies into a venv of its own under ``bench/out/`` (rebuilt on every bench run)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__",
                              ".pytest_cache", ".hypothesis", "out")


def _run(*argv) -> None:
    proc = subprocess.run([str(a) for a in argv], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv}: {proc.stderr[-2000:]}")


def wheel_papers(out: Path) -> Path:
    """Build the wheel from a clean copy of the tree, install it in ``out/venv`` (no
    editable install, nothing of the checkout on its path); the path of its ``papers``."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copytree(ROOT, out / "src", ignore=SKIP)
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", out / "dist", out / "src")
    (wheel,) = (out / "dist").glob("papers-*.whl")
    _run(sys.executable, "-m", "venv", "--without-pip", out / "venv")
    python = out / "venv" / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q",
         "-c", ROOT / "constraints.txt", wheel)
    return out / "venv" / "bin" / "papers"
