"""The scriptable CLI: `papers days/list/show/mark/import/search`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run, write
from tui.cli import main

DIGEST = """## Daily Papers (2024-05-01)

### [Alpha Paper](https://arxiv.org/abs/2405.00001)

Vote: 10

Authors: Kim Minsu, Lee Jiwon

- **What's New**: 알파 논문입니다.

### [Beta Paper](https://arxiv.org/abs/2405.00002v2)

Vote: 3

Authors: Park Seoyeon

- 베타 논문입니다.
"""


def test_fresh_home_opens_on_the_sample(home, capsys):
    code, out, _ = run(capsys, "days", "--json")
    days = json.loads(out)
    assert code == 0
    assert [d["date"] for d in days] == ["2024-06-14", "2024-04-15", "2024-04-12",
                                        "2024-02-20", "2023-12-14"]
    assert sum(d["papers"] for d in days) == 75
    assert all(d["unread"] == d["papers"] for d in days)


def test_days_human_table_is_aligned(home, capsys):
    code, out, _ = run(capsys, "days")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["DATE", "PAPERS", "UNREAD"]
    assert lines[1].split() == ["2024-06-14", lines[1].split()[1], lines[1].split()[1]]
    assert len({line.index(line.split()[1]) for line in lines[1:]}) == 1


def test_list_day_json_has_the_paper_object(home, capsys):
    code, out, _ = run(capsys, "list", "--day", "2024-06-14", "--json")
    assert code == 0
    papers = json.loads(out)
    first = papers[0]
    assert set(first) >= {"id", "title", "url", "dates", "votes", "authors",
                          "authors_truncated", "thumbnail", "video", "bullets", "read",
                          "bookmarked"}
    assert first["id"] == "2406.09414" and first["title"] == "Depth Anything V2"
    assert first["votes"] == 87 and first["dates"] == ["2024-06-14"]
    assert first["read"] is False and first["bookmarked"] is False


def test_show_json_has_labelled_bullets(home, capsys):
    code, out, _ = run(capsys, "show", "2406.09414", "--json")
    paper = json.loads(out)
    assert code == 0
    assert [b["label"] for b in paper["bullets"]] == [
        "What's New", "Technical Details", "Performance Highlights"]
    assert "깊이 추정" in paper["bullets"][0]["text"]
    assert paper["authors"][0] == "Zilong Huang"


def test_show_human_output(home, capsys):
    code, out, _ = run(capsys, "show", "2406.09414")
    assert code == 0
    assert out.splitlines()[0] == "Depth Anything V2"
    assert "https://arxiv.org/abs/2406.09414" in out
    assert "- What's New: " in out


def test_unknown_id_is_one_line_error(home, capsys):
    code, out, err = run(capsys, "show", "9999.99999")
    assert code == 1 and out == ""
    assert err.strip() == "papers: unknown paper id: 9999.99999"
    code, _, err = run(capsys, "mark", "9999.99999", "--read")
    assert code == 1 and "unknown paper id" in err and len(err.splitlines()) == 1


def test_mark_changes_state_and_counts(home, capsys):
    assert run(capsys, "mark", "2406.09414", "2406.09415", "--read")[0] == 0
    assert run(capsys, "mark", "2406.09414", "--bookmark")[0] == 0
    days = json.loads(run(capsys, "days", "--json")[1])
    assert days[0]["unread"] == days[0]["papers"] - 2
    marked = json.loads(run(capsys, "list", "--bookmarked", "--json")[1])
    assert [p["id"] for p in marked] == ["2406.09414"]
    unread = json.loads(run(capsys, "list", "--day", "2024-06-14", "--unread", "--json")[1])
    assert "2406.09414" not in {p["id"] for p in unread}
    run(capsys, "mark", "2406.09414", "--unbookmark")
    assert json.loads(run(capsys, "list", "--bookmarked", "--json")[1]) == []
    run(capsys, "mark", "2406.09414", "--unread")
    assert json.loads(run(capsys, "show", "2406.09414", "--json")[1])["read"] is False


def test_mark_needs_exactly_one_action(home, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["mark", "2406.09414"])
    assert exc.value.code == 2


@pytest.mark.parametrize("cmd", ["import", "days", "list", "show", "mark", "search",
                                 "note", "tag", "tags", "export", "stats", "state"])
def test_help_everywhere(cmd, capsys):
    with pytest.raises(SystemExit) as exc:
        main([cmd, "--help"])
    assert exc.value.code == 0
    assert "usage: papers " + cmd in capsys.readouterr().out


def test_import_is_idempotent_and_incremental(home, tmp_path, capsys):
    d = tmp_path / "digests"
    write(d / "2024" / "05" / "01.md", DIGEST)
    write(d / "notes.txt", "ignored")
    code, out, _ = run(capsys, "import", str(d))
    assert code == 0
    assert out.strip() == ("1 file read, 0 unchanged, 0 skipped; 1 day, 2 papers added, "
                           "0 updated; 0 warnings")
    code, out, _ = run(capsys, "import", str(d))
    assert out.startswith("0 files read, 1 unchanged") and "0 papers added" in out
    # the day file changes: one paper dropped, one edited
    changed = DIGEST.split("### [Beta")[0].replace("Vote: 10", "Vote: 12")
    write(d / "2024" / "05" / "01.md", changed)
    code, out, _ = run(capsys, "import", str(d))
    assert "1 file read" in out and "1 updated" in out
    listed = json.loads(run(capsys, "list", "--day", "2024-05-01", "--json")[1])
    assert [(p["id"], p["votes"]) for p in listed] == [("2405.00001", 12)]
    code, _, err = run(capsys, "show", "2405.00002")
    assert code == 1 and err == "papers: unknown paper id: 2405.00002\n"


def test_state_survives_reimport(home, tmp_path, capsys):
    f = write(tmp_path / "2024-05-01.md", DIGEST)
    run(capsys, "import", str(f))
    run(capsys, "mark", "2405.00002", "--bookmark")
    write(f, DIGEST.replace("베타", "감마"))
    run(capsys, "import", str(f))
    paper = json.loads(run(capsys, "show", "2405.00002", "--json")[1])
    assert paper["bookmarked"] is True and "감마" in paper["bullets"][0]["text"]


def test_import_reports_binary_and_empty_files(home, tmp_path, capsys):
    write(tmp_path / "d" / "bin.md", b"\x00\x01\x02PNG")
    write(tmp_path / "d" / "empty.md", b"")
    code, out, err = run(capsys, "import", str(tmp_path / "d"))
    assert code == 1
    assert "binary file" in err and "empty file" in err
    assert err.strip().splitlines()[-1] == (
        "papers: nothing could be imported (no readable digest files with papers)")
    write(tmp_path / "d" / "2024-05-01.md", DIGEST)
    code, out, err = run(capsys, "import", str(tmp_path / "d"))
    assert code == 0 and "2 skipped" in out and "1 file read" in out


def test_import_missing_path(home, tmp_path, capsys):
    code, _, err = run(capsys, "import", str(tmp_path / "nope"))
    assert code == 1 and "no such file or directory" in err


def test_import_verbose_lists_warnings(home, tmp_path, capsys):
    f = write(tmp_path / "2024-05-01.md", DIGEST.encode() + b"\n- broken \xff byte\n")
    code, out, err = run(capsys, "import", "--verbose", str(f))
    assert code == 0 and "; 0 warnings" not in out
    assert "warning: " in err and str(f) in err


def test_a_paper_on_two_days_keeps_both_dates(home, tmp_path, capsys):
    write(tmp_path / "a" / "2024-05-01.md", DIGEST)
    write(tmp_path / "a" / "2024-05-03.md", DIGEST.replace("2024-05-01", "2024-05-03"))
    run(capsys, "import", str(tmp_path / "a"))
    paper = json.loads(run(capsys, "show", "2405.00001", "--json")[1])
    assert paper["dates"] == ["2024-05-03", "2024-05-01"]


def test_corrupt_corpus_is_one_line_not_a_traceback(home, tmp_path, capsys):
    run(capsys, "days")  # imports the sample
    run(capsys, "import", str(write(tmp_path / "2024-05-01.md", DIGEST)))
    (home / "corpus.json").write_bytes(b'{"papers": {"1": {"id": "x"')
    code, out, err = run(capsys, "days", "--json")
    assert code == 0
    assert err.startswith("papers: corpus.json was damaged; restored the previous version")
    assert len(err.splitlines()) == 1
    assert len(json.loads(out)) == 5  # the backup: the sample, before the last import


def test_console_script_runs(home, tmp_path):
    exe = Path(sys.executable).with_name("papers")
    proc = subprocess.run([str(exe), "--home", str(tmp_path / "h"), "show", "2406.09414"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("Depth Anything V2")
    proc = subprocess.run([str(exe), "--home", str(tmp_path / "h"), "show", "nope"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1 and proc.stderr == "papers: unknown paper id: nope\n"


def test_home_directory_that_is_a_file(tmp_path, capsys):
    bad = write(tmp_path / "file", "x")
    code, _, err = run(capsys, "--home", str(bad), "days")
    assert code == 1 and err.startswith("papers: ") and len(err.splitlines()) == 1


def test_two_stores_importing_one_after_the_other_keep_both(home, tmp_path):
    from store.db import Store

    a, b = Store.open(home), Store.open(home)  # both loaded before either imports
    a.import_paths([write(tmp_path / "2024-05-01.md", DIGEST)])
    b.import_paths([write(tmp_path / "2024-05-03.md", DIGEST.replace("2024-05-01", "2024-05-03")
                          .replace("2405.0000", "2405.1000"))])
    dates = [d.date for d in Store.open(home).days()]
    assert "2024-05-01" in dates and "2024-05-03" in dates


def test_search_in_the_wrong_keyboard_layout_says_what_it_searched(home, capsys):
    code, out, err = run(capsys, "search", "rlvdl cnwjd", "--json")
    assert code == 0 and err.strip() == "searched for 깊이 추정"
    assert "2406.09414" in [p["id"] for p in json.loads(out)]


def test_search_with_no_paper_having_every_word_lists_those_lacking_one(home, capsys):
    code, out, err = run(capsys, "search", "depth zzqxvwk")
    assert code == 0
    lead, _, rest = err.strip().partition(" without some")
    assert lead.startswith("0 with every word; then ") and rest == " (FIELD says which words)"
    first = out.splitlines()[1]
    assert "2406.09414" in first and "without zzqxvwk" in first and "Depth Anything" in first
