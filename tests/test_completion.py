"""`papers completion bash|zsh|fish`: scripts generated from the parser, loaded in real shells."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import build_parser, main
from tui.completion import script, walk

PAPERS = Path(sys.executable).with_name("papers")
BIN = str(PAPERS.parent)


def shell_env(home) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    env["PAPERS_HOME"] = str(home)
    return env


def bash(home, code: str) -> str:
    proc = subprocess.run(["bash", "-c", code], capture_output=True, text=True,
                          env=shell_env(home), timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return proc.stdout


def test_the_bash_script_loads_and_registers_papers(home):
    out = bash(home, "source <(papers completion bash) && complete -p papers")
    assert out.strip() == "complete -o filenames -F _papers papers"


COMPLETE = """source <(papers completion bash)
t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMPREPLY=(); _papers;
      echo "${COMPREPLY[*]}"; }
"""


@pytest.mark.parametrize("words, expected", [
    ('papers ex', "export"),
    ('papers ""', ("import days list related show mark search note tag tags export stats state "
                   "update config completion serve")),
    ('papers export --fo', "--format"),
    ('papers export --format ""', "bibtex markdown csv json"),
    ('papers export -f b', "bibtex"),
    ('papers state ""', "export merge"),
    ('papers --home /tmp st', "stats state"),
    ('papers completion ""', "bash zsh fish"),
    ('papers list --un', "--unread"),
    ('papers export --tag x --j', ""),  # export has no --json
    ('papers state export --c', "--config"),
])
def test_bash_completes_subcommands_and_options(home, words, expected):
    assert bash(home, COMPLETE + f"t {words}").strip() == expected


def test_bash_completes_files_for_import(home, tmp_path):
    (tmp_path / "digest-2024.md").write_text("x", encoding="utf-8")
    out = bash(home, COMPLETE + f"cd {tmp_path} && t papers import dig")
    assert out.strip() == "digest-2024.md"


def test_the_scripts_follow_the_parser():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    extra = sub.add_parser("frobnicate", help="a command added later")
    extra.add_argument("--wibble", action="store_true", help="a new option")
    for shell in ("bash", "zsh", "fish"):
        text = script(shell, parser)
        assert "frobnicate" in text and ("--wibble" in text or "-l wibble" in text), shell
    names = [c.path for c in walk(build_parser())]
    assert names[:3] == ["", "import", "days"] and "state merge" in names


def test_the_cli_prints_each_script(home, capsys):
    for shell in ("bash", "zsh", "fish"):
        assert main(["completion", shell]) == 0
        out = capsys.readouterr().out
        assert out.startswith(("# bash", "#compdef papers", "# fish"))
    with pytest.raises(SystemExit) as exc:
        main(["completion", "tcsh"])
    assert exc.value.code == 2
    assert "invalid choice: 'tcsh'" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_the_zsh_script_parses_and_loads(home, tmp_path):
    path = tmp_path / "_papers"
    path.write_text(script("zsh"), encoding="utf-8")
    proc = subprocess.run(["zsh", "-n", str(path)], capture_output=True, text=True, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    code = (f"autoload -Uz compinit && compinit -u -d {tmp_path}/zcompdump; "
            f"source {path}; print -r -- ${{_comps[papers]}}")
    proc = subprocess.run(["zsh", "-f", "-c", code], capture_output=True, text=True,
                          env=shell_env(home), timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "_papers"


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_the_fish_script_parses_and_completes(home, tmp_path):
    path = tmp_path / "papers.fish"
    path.write_text(script("fish"), encoding="utf-8")
    proc = subprocess.run(["fish", "-n", str(path)], capture_output=True, text=True, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr

    def complete(line: str) -> list[str]:
        proc = subprocess.run(
            ["fish", "--no-config", "-c", f"source {path}; complete -C '{line}'"],
            capture_output=True, text=True, env=shell_env(home), timeout=60, check=False)
        assert proc.returncode == 0, proc.stderr
        return [row.split("\t")[0] for row in proc.stdout.splitlines()]

    assert "export" in complete("papers ex")
    assert complete("papers state ") == ["export", "merge"]
    assert "--format" in complete("papers export --fo")
    assert complete("papers export --format ") == ["bibtex", "csv", "json", "markdown"]
