#!/usr/bin/env bash
# scripts/lock.sh PYTHON FILE: write FILE, every package `pip install '.[test]'` puts in a
# fresh venv, pinned exactly (the project itself and setuptools left out).
set -euo pipefail
py=${1:-python3}
out=${2:-constraints.txt}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$py" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --upgrade pip
"$tmp/venv/bin/python" -m pip install -q '.[test]'
{
    echo "# Every package of the test venv, exactly: what make and .ci/run install (pip install -c)."
    echo "# The ranges are in pyproject.toml. Regenerate from a fresh venv with: make lock"
    "$tmp/venv/bin/python" -m pip freeze --all --exclude papers --exclude setuptools
} > "$tmp/lock"
mv "$tmp/lock" "$out"
echo "wrote $out ($(grep -vc '^#' "$out") packages)"
