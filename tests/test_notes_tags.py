"""Notes and tags: Store methods, search (tag:, has:note, note text), the CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import run
from store.db import Store
from tui.cli import main

PID = "2406.09414"  # Depth Anything V2, in the bundled sample
PID2 = "2406.09415"

DIGEST = """## Daily Papers (2024-05-01)

### [Alpha Paper](https://arxiv.org/abs/2405.00001)

Vote: 10

Authors: Kim Minsu, Lee Jiwon

- **What's New**: 알파 논문입니다.
"""


# ---------------------------------------------------------------- Store
def test_note_set_get_remove(store):
    assert store.note(PID) is None and not store.has_note(PID)
    assert store.set_note(PID, "  첫 메모\n둘째 줄  \n\n") == "첫 메모\n둘째 줄"
    assert store.note(PID) == "첫 메모\n둘째 줄" and store.has_note(PID)
    assert store.set_note(PID, "   \n ") is None
    assert store.note(PID) is None
    # a removal is an entry with its own change time (so it can win a merge)
    assert store.state.entry("note", PID)[0] is None


def test_note_drops_terminal_escapes_and_controls(store):
    kept = store.set_note(PID, "red \x1b[31mtext\x1b[0m\x07 and\u202e bidi\ttab")
    assert kept == "red text and bidi tab"


def test_tags_are_normalised(store):
    assert store.set_tags(PID, ["ML", " Vision , Depth ", "ml", "", "  ", "두 단어  태그"]) == [
        "ml", "vision depth", "두 단어 태그"]
    assert store.tags(PID) == ["ml", "vision depth", "두 단어 태그"]
    assert store.edit_tags(PID, add=["New"], remove=["ML"]) == ["vision depth", "두 단어 태그", "new"]
    assert store.set_tags(PID, []) == [] and store.tags(PID) == []


def test_all_tags_and_tagged(store):
    store.set_tags(PID, ["ml", "depth"])
    store.set_tags(PID2, ["ml"])
    store.set_tags("9999.00000", ["ml"])  # not in the corpus: kept, not counted
    assert store.all_tags() == [("ml", 2), ("depth", 1)]
    assert [p.id for p in store.tagged("ML")] == sorted([PID, PID2], reverse=True)
    assert store.tagged("nope") == []


def test_notes_and_tags_survive_reimport_and_other_processes(home, tmp_path):
    f = tmp_path / "2024-05-01.md"
    f.write_text(DIGEST, encoding="utf-8")
    a = Store.open(home)
    a.import_paths([f])
    a.set_note("2405.00001", "메모")
    b = Store.open(home)  # a second process
    b.set_tags("2405.00001", ["x"])
    a.set_tags(PID, ["y"])  # read-merge-write: b's change is kept
    f.write_text(DIGEST.replace("알파", "베타"), encoding="utf-8")
    a.import_paths([f])
    c = Store.open(home)
    assert c.note("2405.00001") == "메모"
    assert c.tags("2405.00001") == ["x"] and c.tags(PID) == ["y"]
    assert "베타" in c.paper("2405.00001").bullets[0].text


# ---------------------------------------------------------------- search
def test_search_tag_and_has_note(store):
    store.set_tags(PID, ["depth", "ml"])
    store.set_tags(PID2, ["ml"])
    store.set_note(PID2, "픽셀 트랜스포머 정리")
    assert {h.id for h in store.search("tag:ml")} == {PID, PID2}
    assert [h.id for h in store.search("tag:depth")] == [PID]
    assert [h.id for h in store.search("has:note")] == [PID2]
    assert PID2 not in {h.id for h in store.search("-has:note transformer", limit=100)}
    assert {h.id for h in store.search("tag:ml -tag:depth")} == {PID2}
    assert [h.id for h in store.search("has:tags depth")] == [PID]


def test_note_text_is_searchable(store):
    store.set_note(PID, "Reread section 3: zyzzyva trick.\n두번째 줄에 뭉게구름")
    hits = store.search("zyzzyva")
    assert [(h.id, h.field) for h in hits] == [(PID, "note")]
    assert "zyzzyva" in hits[0].snippet
    assert [h.id for h in store.search("뭉게구름")] == [PID]
    assert [h.id for h in store.search("zyzz")] == [PID]  # prefix
    assert store.search("zyzzyva -depth") == []  # the title has "depth"
    assert store.search("zyzzyva is:bookmarked") == []
    store.set_bookmarked([PID])
    assert [h.id for h in store.search("zyzzyva is:bookmarked")] == [PID]
    assert store.search("zyzzyva d:2023") == []
    assert [h.id for h in store.search("zyzzyva d:2024-06")] == [PID]
    assert store.search("zyzzyva v<10") == []
    # a paper found by the index is not listed twice
    store.set_note(PID, "depth notes")
    assert [h.id for h in store.search("depth anything")].count(PID) == 1


# ---------------------------------------------------------------- CLI
def test_cli_note_set_show_remove(home, capsys):
    code, out, _ = run(capsys, "note", PID)
    assert code == 0 and out == ""
    code, out, _ = run(capsys, "note", PID, "--set", "한국어 메모 {x} & 50%")
    assert code == 0 and out.strip() == f"note for {PID} saved"
    assert run(capsys, "note", PID)[1] == "한국어 메모 {x} & 50%\n"
    paper = json.loads(run(capsys, "show", PID, "--json")[1])
    assert paper["note"] == "한국어 메모 {x} & 50%" and paper["tags"] == []
    assert "note:\n    한국어 메모" in run(capsys, "show", PID)[1]
    code, out, _ = run(capsys, "note", PID, "--set", "")
    assert out.strip() == f"note for {PID} removed"
    assert json.loads(run(capsys, "show", PID, "--json")[1])["note"] is None


def test_cli_note_unknown_id_and_exclusive_flags(home, capsys):
    code, _, err = run(capsys, "note", "9999.99999", "--set", "x")
    assert code == 1 and err == "papers: unknown paper id: 9999.99999\n"
    with pytest.raises(SystemExit) as exc:
        main(["note", PID, "--set", "x", "--edit"])
    assert exc.value.code == 2


def _editor(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake editor.py"  # a space in the path: shlex quoting matters
    script.write_text(body, encoding="utf-8")
    return f"{sys.executable} '{script}'"


def test_cli_note_edit_runs_editor_without_a_shell(home, tmp_path, capsys, monkeypatch):
    run(capsys, "note", PID, "--set", "old text")
    seen = tmp_path / "seen.txt"
    monkeypatch.setenv("EDITOR", _editor(tmp_path, f"""
import sys, pathlib
p = pathlib.Path(sys.argv[-1])
pathlib.Path({str(seen)!r}).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
p.write_text("새 메모; $(touch pwned) `x`\\n", encoding="utf-8")
"""))
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "note", PID, "--edit")
    assert code == 0, err
    assert seen.read_text(encoding="utf-8") == "old text\n"  # the editor got the note
    assert run(capsys, "note", PID)[1] == "새 메모; $(touch pwned) `x`\n"
    assert not (tmp_path / "pwned").exists()
    assert not list(Path(__import__("tempfile").gettempdir()).glob("papers-note-*"))


def test_cli_note_edit_unchanged_and_failures(home, tmp_path, capsys, monkeypatch):
    run(capsys, "note", PID, "--set", "keep")
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "pass\n"))
    code, out, _ = run(capsys, "note", PID, "--edit")
    assert code == 0 and "unchanged" in out
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "import sys; sys.exit(3)\n"))
    code, out, err = run(capsys, "note", PID, "--edit")
    assert code == 1 and err == "papers: editor exited with status 3; note unchanged\n"
    monkeypatch.setenv("EDITOR", "/nonexistent/editor --flag")
    code, out, err = run(capsys, "note", PID, "--edit")
    assert code == 1 and err.startswith("papers: cannot run editor /nonexistent/editor")
    assert len(err.splitlines()) == 1
    monkeypatch.setenv("EDITOR", "vim 'unclosed")
    code, out, err = run(capsys, "note", PID, "--edit")
    assert code == 1 and len(err.splitlines()) == 1
    assert run(capsys, "note", PID)[1] == "keep\n"


def test_cli_tag_add_remove_and_tags(home, capsys):
    code, out, _ = run(capsys, "tag", PID, PID2, "--add", "ML", "--add", "vision,depth")
    assert code == 0
    assert out.splitlines() == [f"{PID}: ml, vision, depth", f"{PID2}: ml, vision, depth"]
    code, out, _ = run(capsys, "tag", PID, "--remove", "vision", "--remove", "depth")
    assert out.strip() == f"{PID}: ml"
    assert run(capsys, "tag", PID2)[1].strip() == f"{PID2}: ml, vision, depth"
    assert json.loads(run(capsys, "tags", "--json")[1]) == [
        {"tag": "ml", "papers": 2}, {"tag": "depth", "papers": 1}, {"tag": "vision", "papers": 1}]
    lines = run(capsys, "tags")[1].splitlines()
    assert lines[0].split() == ["PAPERS", "TAG"] and lines[1].split() == ["2", "ml"]
    paper = json.loads(run(capsys, "show", PID2, "--json")[1])
    assert paper["tags"] == ["ml", "vision", "depth"]
    listed = json.loads(run(capsys, "list", "--day", "2024-06-14", "--json")[1])
    assert all("tags" in p and "note" in p for p in listed)
    code, out, err = run(capsys, "tag", "nope", "--add", "x")
    assert code == 1 and err.strip() == "papers: unknown paper id: nope"
    assert run(capsys, "search", "tag:vision", "--json")[1].count('"id"') == 1


def test_tags_empty(home, capsys):
    assert run(capsys, "tags") == (0, "", "")
    assert json.loads(run(capsys, "tags", "--json")[1]) == []
