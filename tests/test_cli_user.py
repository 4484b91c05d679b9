"""The CLI as a new user meets it: what `list --json` carries, `--version`, help for
every option, usage errors for input that cannot mean anything, plurals, widths."""

from __future__ import annotations

import json
import re

import pytest

from conftest import run
from tui.cli import main


def usage_error(capsys, *argv) -> str:
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    out, err = capsys.readouterr()
    assert exc.value.code == 2 and out == ""
    return err


# ---------------------------------------------------------------- list --json
def test_list_json_carries_every_papers_bullets(home, capsys):
    code, out, _ = run(capsys, "list", "--json")
    listed = json.loads(out)
    assert code == 0 and len(listed) == 75
    assert all(p["bullets"] for p in listed)
    for p in listed[::7]:  # the same bullets as `show` gives
        shown = json.loads(run(capsys, "show", p["id"], "--json")[1])
        assert p["bullets"] == shown["bullets"]
    day = json.loads(run(capsys, "list", "--day", "2024-06-14", "--json")[1])
    assert day[0]["id"] == "2406.09414"
    assert [b["label"] for b in day[0]["bullets"]] == [
        "What's New", "Technical Details", "Performance Highlights"]


# ---------------------------------------------------------------- --version and help
def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    out, _ = capsys.readouterr()
    assert exc.value.code == 0
    assert re.fullmatch(r"papers \d+\.\d+\.\d+\S*\n", out)


COMMANDS = [["import"], ["days"], ["list"], ["show"], ["mark"], ["search"], ["note"],
            ["tag"], ["tags"], ["export"], ["stats"], ["state"], ["state", "export"],
            ["state", "merge"], []]


def undocumented(help_text: str) -> list[str]:
    """Entries of argparse's option and argument lists that have no help text."""
    missing = []
    lines = help_text.splitlines()
    in_list = False
    for i, line in enumerate(lines):
        if re.fullmatch(r"(options|positional arguments|[a-z ]+ arguments):", line):
            in_list = True
            continue
        if not line.strip() or not line.startswith(" "):
            in_list = line.startswith(" ") and in_list
            continue
        if not in_list or not re.match(r"  [-A-Z{a-z]", line) or line.startswith("   "):
            continue
        has_help = len(re.split(r"\s{2,}", line.strip(), maxsplit=1)) == 2
        follows = i + 1 < len(lines) and lines[i + 1].startswith(" " * 6)
        if not (has_help or follows):
            missing.append(line.strip())
    return missing


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c) or "papers")
def test_every_option_and_argument_has_help(cmd, capsys):
    with pytest.raises(SystemExit):
        main([*cmd, "--help"])
    out = capsys.readouterr().out
    assert "options:" in out
    assert undocumented(out) == []


def test_the_help_checker_sees_a_missing_help():
    text = "usage: x\n\npositional arguments:\n  ID\n\noptions:\n  --json\n  --limit N   at most N\n"
    assert undocumented(text) == ["ID", "--json"]


def test_search_help_describes_the_query_syntax(capsys):
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    out = capsys.readouterr().out
    for example in ("a:", "t:", "s:", "d:", "v>", "is:unread", "tag:", "has:note",
                    "-word", '"', "ㄱ"):
        assert example in out, example


# ---------------------------------------------------------------- usage errors
@pytest.mark.parametrize("argv", [["search", ""], ["search", "   "],
                                  ["search", "x", "--limit", "-1"],
                                  ["search", "x", "--limit", "0"],
                                  ["search", "x", "--limit", "many"]])
def test_meaningless_search_is_a_one_line_usage_error(home, argv, capsys):
    err = usage_error(capsys, *argv)
    assert len(err.splitlines()) == 1 and err.startswith("papers search: ")
    assert "Traceback" not in err


def test_other_usage_errors_are_one_line_too(capsys):
    err = usage_error(capsys, "mark", "2406.09414")
    assert len(err.splitlines()) == 1 and "one of the arguments" in err
    err = usage_error(capsys, "frobnicate")
    assert len(err.splitlines()) == 1 and "frobnicate" in err


# ---------------------------------------------------------------- plurals
def test_import_summary_says_one_warning_not_one_warnings(home, tmp_path, capsys):
    digest = tmp_path / "d.md"
    digest.write_text(
        "## Daily Papers (2024-05-01)\n\n"
        "### [Alpha](https://arxiv.org/abs/2405.00001)\n\nVote: many\n\n- **What's New**: a.\n",
        encoding="utf-8")
    code, out, _ = run(capsys, "import", str(digest))
    assert code == 0
    assert out.strip() == ("1 file read, 0 unchanged, 0 skipped; 1 day, 1 paper added, "
                           "0 updated; 1 warning")


def test_state_export_counts_in_the_singular(home, tmp_path, capsys):
    run(capsys, "mark", "2406.09414", "--read")
    f = tmp_path / "state.json"
    code, out, _ = run(capsys, "state", "export", str(f))
    assert code == 0
    assert out.strip() == (f"exported reader state to {f}: 1 read mark, 0 bookmarks, "
                           "0 notes, 0 tag sets")


# ---------------------------------------------------------------- widths
def test_tables_align_combining_and_zero_width_characters(home, tmp_path, capsys):
    from rich.cells import cell_len

    from tui.cli import display_width

    assert display_width("Cafe\u0301") == 4  # e + combining acute: one cell
    assert display_width("\U0001f469\u200d\U0001f4bb") == 2  # joined by a zero-width joiner
    assert display_width("x\u200b") == 1  # a zero-width space
    assert display_width("깊이") == 4
    digest = tmp_path / "2024-05-01.md"
    digest.write_text(
        "## Daily Papers (2024-05-01)\n\n"
        "### [One](https://arxiv.org/abs/2405.00001)\n\nVote: 1\n\n"
        "Authors: Saq\u0307ib Lee, Ann Able\n\n- **What's New**: a.\n\n"
        "### [Two](https://arxiv.org/abs/2405.00002)\n\nVote: 2\n\n"
        "Authors: Saq\u0307ib Lee\n\n- **What's New**: b.\n",
        encoding="utf-8")
    run(capsys, "import", str(digest))
    code, out, _ = run(capsys, "stats")
    assert code == 0
    lines = out.split("Most frequent authors\n")[1].split("\n\n")[0].splitlines()
    # q + dot above has no precomposed form: the combining mark stays
    assert "Saq\u0307ib Lee" in lines[0] and "Ann Able" in lines[1]
    # the counts end in the same terminal cell on every row
    ends = {cell_len(line[:line.index(n) + len(n)]) for line, n in zip(lines, "21")}
    assert len(ends) == 1


# ---------------------------------------------------------------- authors repeated
def test_repeated_authors_are_kept_once_also_in_a_store_imported_before(home, capsys):
    from pathlib import Path

    import orjson

    digest = Path(__file__).parent / "fixtures" / "parse" / "repeated_authors.md"
    run(capsys, "import", str(digest))
    shown = json.loads(run(capsys, "show", "2401.10891", "--json")[1])
    assert shown["authors"][:3] == ["Lihe Yang", "Bingyi Kang", "Zilong Huang"]
    # a store written by the parser that kept the repeats: the next import re-reads
    corpus = home / "corpus.json"
    data = orjson.loads(corpus.read_bytes())
    for row in data["files"].values():
        row.pop("parser")
    corpus.write_bytes(orjson.dumps(data))
    code, out, _ = run(capsys, "import", str(digest))
    assert code == 0 and out.startswith("1 file read, 0 unchanged")
    assert run(capsys, "import", str(digest))[1].startswith("0 files read, 1 unchanged")
