"""Reader state between machines: `papers state export/merge`, newest change wins."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run
from store.db import Store
from store.state import FIELDS
from store.sync import (
    FORMAT,
    SyncError,
    build_export,
    merge_maps,
    normalize_note,
    normalize_tags,
    parse_export,
    wins,
)
from tui.cli import main

A, B, C = "2406.09414", "2406.09415", "2406.09308"


def state_of(home: Path) -> dict:
    return Store.open(home).state_export()["fields"]


# ---------------------------------------------------------------- the workflow
def test_two_laptops_keep_each_others_changes(tmp_path, capsys):
    h1, h2 = tmp_path / "laptop1", tmp_path / "laptop2"
    run(capsys, "--home", str(h1), "mark", A, "--bookmark")
    run(capsys, "--home", str(h1), "note", A, "--set", "노트북 1의 메모")
    run(capsys, "--home", str(h2), "mark", B, "--bookmark")
    run(capsys, "--home", str(h2), "mark", C, "--read")
    run(capsys, "--home", str(h2), "tag", B, "--add", "ml")
    f1, f2 = tmp_path / "one.json", tmp_path / "two.json"
    code, out, _ = run(capsys, "--home", str(h1), "state", "export", str(f1))
    assert code == 0 and out.startswith(f"exported reader state to {f1}: 0 read marks, "
                                        "1 bookmark, 1 note, 0 tag sets")
    run(capsys, "--home", str(h2), "state", "export", str(f2))
    code, out, _ = run(capsys, "--home", str(h2), "state", "merge", str(f1))
    assert code == 0 and out.strip() == (f"merged {f1}: 0 read marks, 1 bookmark, 1 note, "
                                         "0 tag sets changed")
    run(capsys, "--home", str(h1), "state", "merge", str(f2))
    for h in (h1, h2):
        marked = json.loads(run(capsys, "--home", str(h), "list", "--bookmarked", "--json")[1])
        assert {p["id"] for p in marked} == {A, B}
        assert json.loads(run(capsys, "--home", str(h), "show", C, "--json")[1])["read"]
        assert run(capsys, "--home", str(h), "note", A)[1] == "노트북 1의 메모\n"
        assert run(capsys, "--home", str(h), "tag", B)[1].strip() == f"{B}: ml"
    assert state_of(h1) == state_of(h2)
    # merging again changes nothing
    code, out, _ = run(capsys, "--home", str(h1), "state", "merge", str(f2))
    assert out.strip() == f"merged {f2}: nothing newer"


def test_a_later_unbookmark_wins_over_an_earlier_bookmark(tmp_path, capsys):
    h1, h2 = tmp_path / "one", tmp_path / "two"
    run(capsys, "--home", str(h1), "mark", A, "--bookmark")
    f1 = tmp_path / "one.json"
    run(capsys, "--home", str(h1), "state", "export", str(f1))
    run(capsys, "--home", str(h2), "state", "merge", str(f1))
    time.sleep(0.01)
    run(capsys, "--home", str(h2), "mark", A, "--unbookmark")  # later, on the other machine
    run(capsys, "--home", str(h2), "note", A, "--set", "")      # a note removed later wins too
    f2 = tmp_path / "two.json"
    run(capsys, "--home", str(h2), "state", "export", str(f2))
    run(capsys, "--home", str(h1), "state", "merge", str(f2))
    run(capsys, "--home", str(h2), "state", "merge", str(f1))  # the older bookmark loses
    for h in (h1, h2):
        assert json.loads(run(capsys, "--home", str(h), "list", "--bookmarked", "--json")[1]) == []


def test_export_format_and_stdout(home, capsys):
    run(capsys, "mark", A, "--read")
    run(capsys, "tag", A, "--add", "x")
    code, out, _ = run(capsys, "state", "export", "-")
    assert code == 0
    data = json.loads(out)
    assert data["format"] == FORMAT and data["version"] == 1
    assert isinstance(data["exported_at"], int)
    assert set(data["fields"]) == set(FIELDS)
    value, ts = data["fields"]["read"][A]
    assert value is True and isinstance(ts, int) and ts > 1_600_000_000_000
    assert data["fields"]["tags"][A][0] == ["x"]


def test_merge_from_stdin(home, tmp_path, capsys, monkeypatch):
    import io
    import sys

    payload = build_export({"bookmark": {A: [True, 5]}})
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(orjson.dumps(payload))))
    code, out, _ = run(capsys, "state", "merge", "-")
    assert code == 0 and "1 bookmark," in out


BAD = [
    (b"", "not JSON"),
    (b"{not json", "not JSON"),
    (b"[]", "not a papers state export"),
    (b'{"format": "other"}', "not a papers state export"),
    (b'{"format": "papers-state", "version": 99, "fields": {}}', "made by a newer papers"),
    (b'{"format": "papers-state", "version": "1", "fields": {}}', "bad version"),
    (b'{"format": "papers-state", "version": 1}', 'no "fields" object'),
    (b'{"format": "papers-state", "version": 1, "fields": {"read": []}}', "is not an object"),
    (b'{"format": "papers-state", "version": 1, "fields": {"read": {"x": true}}}',
     "is not [value, time]"),
    (b'{"format": "papers-state", "version": 1, "fields": {"read": {"x": [1, 2]}}}',
     "is not true/false"),
    (b'{"format": "papers-state", "version": 1, "fields": {"read": {"x": [true, -1]}}}',
     "bad change time"),
    (b'{"format": "papers-state", "version": 1, "fields": {"read": {"x": [true, true]}}}',
     "bad change time"),
    (b'{"format": "papers-state", "version": 1, "fields": {"note": {"x": [5, 1]}}}',
     "is not text or null"),
    (b'{"format": "papers-state", "version": 1, "fields": {"tags": {"x": ["a", 1]}}}',
     "are not a list of text"),
    (b'{"format": "papers-state", "version": 1, "fields": {"read": {"": [true, 1]}}}',
     "bad paper id"),
    (b'{"format": "papers-state", "version": 1, "fields": {"stars": {}}}', "unknown field"),
]


@pytest.mark.parametrize("raw,msg", BAD)
def test_bad_files_are_one_line_errors_and_change_nothing(home, tmp_path, capsys, raw, msg):
    run(capsys, "mark", A, "--bookmark")
    before = state_of(home)
    f = tmp_path / "bad.json"
    f.write_bytes(raw)
    code, out, err = run(capsys, "state", "merge", str(f))
    assert code == 1 and out == ""
    assert err.startswith(f"papers: {f}: ") and msg in err, err
    assert len(err.splitlines()) == 1
    assert state_of(home) == before


def test_missing_file_and_unwritable_export(home, tmp_path, capsys):
    code, _, err = run(capsys, "state", "merge", str(tmp_path / "nope.json"))
    assert code == 1
    assert err == f"papers: cannot read {tmp_path / 'nope.json'}: No such file or directory\n"
    code, _, err = run(capsys, "state", "export", str(tmp_path / "no" / "dir.json"))
    assert code == 1 and err.startswith("papers: cannot write") and len(err.splitlines()) == 1
    with pytest.raises(SystemExit) as exc:
        main(["state"])
    assert exc.value.code == 2


def test_merged_text_is_cleaned(home, capsys):
    s = Store.open(home)
    payload = build_export({"note": {A: ["\x1b]0;evil\x07메모\x1b[2J", 1]},
                            "tags": {A: [["ML", " ml ", "a,b"], 1]}})
    s.state_merge(payload)
    assert s.note(A) == "메모" and s.tags(A) == ["ml", "a b"]


# ---------------------------------------------------------------- properties
_ids = st.sampled_from([A, B, C, "2401.00001", "title:x"])
_ts = st.integers(0, 6)  # few distinct times: ties are common
_values = {
    "read": st.booleans(),
    "bookmark": st.booleans(),
    "note": st.one_of(st.none(), st.sampled_from(["a", "b", "메모", "x\ny"])),
    "tags": st.lists(st.sampled_from(["ml", "cv", "한국어"]), max_size=3).map(normalize_tags),
}
_state = st.fixed_dictionaries({
    name: st.dictionaries(_ids, st.tuples(strategy, _ts).map(list), max_size=5)
    for name, strategy in _values.items()
})


def _store_with(fields: dict) -> tuple[Store, tempfile.TemporaryDirectory]:
    tmp = tempfile.TemporaryDirectory()
    s = Store(Path(tmp.name), sample=False)
    s.state_merge(build_export(fields))
    return s, tmp


def _fields(s: Store) -> dict:
    return {name: s.state.entries(name) for name in FIELDS}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_state, _state)
def test_merge_is_commutative(a, b):
    sa, ta = _store_with(a)
    sb, tb = _store_with(b)
    try:
        export_a, export_b = sa.state_export(), sb.state_export()
        sa.state_merge(export_b)  # b into a
        sb.state_merge(export_a)  # a into b
        assert _fields(sa) == _fields(sb) == merge_maps(a, b)
    finally:
        ta.cleanup()
        tb.cleanup()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_state, _state)
def test_merge_is_idempotent(a, b):
    sa, ta = _store_with(a)
    try:
        export_b = build_export(b)
        sa.state_merge(export_b)
        once = _fields(sa)
        assert sa.state_merge(export_b) == {name: 0 for name in FIELDS}
        assert sa.state_merge(sa.state_export()) == {name: 0 for name in FIELDS}
        assert _fields(Store(sa.home, sample=False)) == once  # and on disk
    finally:
        ta.cleanup()


@settings(max_examples=300, deadline=None)
@given(_state, _state, _state)
def test_join_is_a_semilattice(a, b, c):
    assert merge_maps(a, b) == merge_maps(b, a)
    assert merge_maps(merge_maps(a, b), c) == merge_maps(a, merge_maps(b, c))
    assert merge_maps(a, a) == {k: dict(v) for k, v in a.items()}


def test_wins_rule():
    assert wins([False, 5], [True, 4])  # newer wins, whatever the value
    assert not wins([True, 4], [False, 5])
    assert wins([True, 5], [False, 5]) and not wins([False, 5], [True, 5])  # tie: stable
    assert wins(["x", 0], None)


def test_parse_export_round_trip():
    fields = {"read": {A: [True, 3]}, "note": {A: ["n", 2]}, "tags": {B: [["a"], 1]},
              "bookmark": {}}
    assert parse_export(orjson.dumps(build_export(fields))) == fields
    with pytest.raises(SyncError):
        parse_export(b"null")
    assert normalize_note("  \n ") is None
