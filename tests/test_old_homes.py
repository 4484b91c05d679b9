"""A data directory written before the store went through TinyDB (``fixtures/home-v1``:
the sample imported, 38 read, 7 bookmarked, a note, tags, a position) opens as it is,
keeps every paper and every mark, and takes changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
from tinydb import TinyDB

from store.db import Store

V1 = Path(__file__).parent / "fixtures" / "home-v1"


def home_v1(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    shutil.copytree(V1, home)
    return home


def test_an_older_home_opens_with_its_papers_and_state(tmp_path):
    store = Store.open(home_v1(tmp_path), sample=False)
    ids = store.ids()
    assert len(ids) == 75 and store.messages == []
    assert {i for i in ids if store.is_read(i)} == set(ids[2:40])
    assert [p.id for p in store.bookmarked()] == sorted(
        ids[5:12], key=lambda i: (store.get(i).dates[0], i), reverse=True)
    assert store.note(ids[3]) == "메모: 다시 읽기"
    assert store.tags(ids[3]) == ["vision", "to-read"] and store.tags(ids[50]) == ["vision"]
    assert store.ui_get("day") == "2024-04-15"
    assert store.paper(ids[0]).bullets  # the summaries are there too


def test_an_older_home_takes_changes_and_keeps_the_rest(tmp_path):
    home = home_v1(tmp_path)
    store = Store.open(home, sample=False)
    ids = store.ids()
    store.set_read([ids[0], ids[60]])
    store.set_read([ids[10]], False)
    store.set_bookmarked([ids[5]], False)
    store.edit_tags(ids[50], add=["nlp"])
    again = Store.open(home, sample=False)
    assert {i for i in ids if again.is_read(i)} == (set(ids[2:40]) | {ids[0], ids[60]}) - {ids[10]}
    assert {p.id for p in again.bookmarked()} == set(ids[6:12])
    assert again.tags(ids[50]) == ["vision", "nlp"] and again.note(ids[3]) == "메모: 다시 읽기"
    assert again.messages == []
    # each id is in one document of its table: a change never left a second copy
    state = orjson.loads((home / "state.json").read_bytes())
    for table in ("read", "bookmark", "tags"):
        seen = [pid for doc in state[table].values() for pid in doc]
        assert len(seen) == len(set(seen)), table


def test_an_import_over_an_older_home_changes_nothing_and_tinydb_reads_it(tmp_path):
    from store.db import SAMPLE_DIR

    home = home_v1(tmp_path)
    store = Store.open(home, sample=False)
    before = {i: store.paper(i) for i in store.ids()}
    report = store.import_paths([SAMPLE_DIR])
    assert report.added == 0 and report.updated == 0
    again = Store.open(home, sample=False)
    assert {i: again.paper(i) for i in again.ids()} == before
    # TinyDB with its own default storage (the json module) reads what the store wrote
    days = TinyDB(home / "corpus.json").table("days")
    assert sorted(row["date"] for row in days.all()) == sorted(d.date for d in again.days())
