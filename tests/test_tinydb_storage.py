"""The data directory's files are TinyDB databases: TinyDB opens them through
``store.tinydb_storage.AtomicJSONStorage`` and sees what the store wrote."""

from __future__ import annotations

from tinydb import Query, TinyDB

from store.db import Store
from store.tinydb_storage import AtomicJSONStorage


def test_tinydb_reads_the_corpus_and_the_state(store):
    store.set_bookmarked(["2406.09414"])
    days = TinyDB(store.home / "corpus.json", storage=AtomicJSONStorage).table("days")
    assert {row["date"] for row in days.all()} >= {"2024-06-14", "2024-04-15"}
    newest = days.search(Query().date == "2024-06-14")[0]
    assert "2406.09414" in newest["ids"] and len(newest["ids"]) == 30
    month = TinyDB(store.home / "meta" / "2024-06.json", storage=AtomicJSONStorage)
    titles = {row["id"]: row["title"] for row in month.table("papers").all()}
    assert titles["2406.09414"].startswith("Depth Anything V2")


def test_a_write_through_tinydb_is_atomic_and_readable_by_the_store(store):
    db = TinyDB(store.home / "corpus.json", storage=AtomicJSONStorage)
    db.table("days").update({"ids": ["2406.09414"]}, Query().date == "2024-06-14")
    assert (store.home / "corpus.json.bak").exists()  # the previous version kept
    again = Store.open(store.home, sample=False)
    assert again.day_ids("2024-06-14") == ["2406.09414"]


# -- the storage itself --------------------------------------------------------------
import random  # noqa: E402

import orjson  # noqa: E402
import pytest  # noqa: E402
from tinydb import operations  # noqa: E402
from tinydb.table import Document  # noqa: E402

from store import storage as file_storage  # noqa: E402
from store.state import StateFile  # noqa: E402
from store.storage import StoreError  # noqa: E402
from store.tinydb_storage import open_db  # noqa: E402


@pytest.mark.parametrize("track", [False, True])
def test_the_file_is_always_what_tinydb_holds(tmp_path, track):
    """Random TinyDB operations; after each, the file on disk (read by a fresh TinyDB
    with its default JSON storage's format rules: plain orjson) equals TinyDB's data.
    With ``track_documents`` unchanged documents reuse their bytes: a stale one shows."""
    path = tmp_path / "db.json"
    db = open_db(path, [], track_documents=track)
    rng = random.Random(7)
    for step in range(300):
        table = db.table(rng.choice(["a", "b", "c"]))
        ids = [d.doc_id for d in table.all()]
        with_n = [d.doc_id for d in table.all() if "n" in d]
        op = rng.randrange(7)
        if op == 0 or not ids:
            table.insert({"n": step})
        elif op == 1:
            table.update({"n": step, f"k{step % 3}": step}, doc_ids=[rng.choice(ids)])
        elif op == 2 and with_n:
            table.update(operations.increment("n"), doc_ids=[rng.choice(with_n)])
        elif op == 3 and with_n:
            table.update(operations.delete("n"), doc_ids=[rng.choice(with_n)])
        elif op == 4:
            table.remove(doc_ids=[rng.choice(ids)])
        elif op in (2, 3, 5):
            table.upsert(Document({"u": step}, doc_id=rng.choice(ids) + rng.randrange(2)))
        else:
            table.update(lambda doc, step=step: doc.setdefault("s", step),
                         doc_ids=[rng.choice(ids)])
        on_disk = orjson.loads(path.read_bytes())
        assert on_disk == orjson.loads(orjson.dumps(db.storage.read())), step
        fresh = TinyDB(path, storage=AtomicJSONStorage)
        assert {t: fresh.table(t).all() for t in "abc"} == {t: db.table(t).all() for t in "abc"}


def test_a_batch_is_one_write_and_nothing_when_it_fails(tmp_path, monkeypatch):
    path = tmp_path / "db.json"
    db = open_db(path, [])
    db.table("t").insert({"x": 1})
    writes = []
    real = file_storage.atomic_write
    monkeypatch.setattr("store.tinydb_storage.atomic_write",
                        lambda *a, **k: (writes.append(a[0]), real(*a, **k)))
    with db.storage.batch():
        db.table("t").insert({"x": 2})
        db.table("u").insert({"y": 3})
    assert len(writes) == 1
    assert orjson.loads(path.read_bytes()) == {"t": {"1": {"x": 1}, "2": {"x": 2}},
                                               "u": {"1": {"y": 3}}}
    with pytest.raises(RuntimeError), db.storage.batch():
        db.table("t").truncate()
        raise RuntimeError("half way")
    assert len(writes) == 1 and len(db.table("t")) == 2  # memory is the file again


def test_a_failed_write_drops_the_change_from_memory(tmp_path, monkeypatch):
    db = open_db(tmp_path / "db.json", [])
    db.table("t").insert({"x": 1})

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(file_storage.os, "replace", full)
    with pytest.raises(StoreError):
        db.table("t").insert({"x": 2})
    monkeypatch.undo()
    assert [dict(d) for d in db.table("t").all()] == [{"x": 1}]


def test_a_state_file_bucketed_by_an_older_version_opens_and_changes_in_place(tmp_path):
    """Older versions bucketed ids by Python's per-process ``hash``: an id can be in any
    of the 16 documents.  A change updates it where it is: never a second copy."""
    path = tmp_path / "state.json"
    old = {"read": {str(n): {} for n in range(1, 17)}, "bookmark": {}, "note": {},
           "tags": {}, "ui": {"1": {"day": "2024-06-14"}}}
    ids = [f"2406.{i:05d}" for i in range(40)]
    for i, pid in enumerate(ids):
        old["read"][str(i % 16 + 1)][pid] = [True, 1000 + i]
    path.write_bytes(orjson.dumps(old))
    state = StateFile(path, [])
    assert sorted(state.ids_where("read")) == ids and state.ui == {"day": "2024-06-14"}
    state.change("read", {pid: False for pid in ids[:20]})
    state.change("read", {"2406.99999": True})
    docs = orjson.loads(path.read_bytes())["read"]
    where = [n for n, doc in docs.items() for pid in doc]
    assert len(where) == 41  # every id once
    again = StateFile(path, [])
    assert sorted(again.ids_where("read")) == sorted(ids[20:] + ["2406.99999"])
    assert again.ui == {"day": "2024-06-14"}


def test_an_id_in_two_documents_reads_as_its_newest_and_is_then_written_once(tmp_path):
    path = tmp_path / "state.json"
    path.write_bytes(orjson.dumps({"bookmark": {"1": {"a": [True, 5]},
                                                "2": {"a": [False, 9]}}}))
    state = StateFile(path, [])
    assert state.value("bookmark", "a") is False
    state.change("bookmark", {"b": True})
    docs = orjson.loads(path.read_bytes())["bookmark"]
    assert sum("a" in doc for doc in docs.values()) == 1
    assert StateFile(path, []).value("bookmark", "a") is False


def test_an_id_in_two_documents_is_changed_in_one(tmp_path):
    path = tmp_path / "state.json"
    path.write_bytes(orjson.dumps({"bookmark": {"1": {"a": [True, 5]},
                                                "2": {"a": [False, 9]}}}))
    StateFile(path, []).change("bookmark", {"a": True})
    docs = orjson.loads(path.read_bytes())["bookmark"]
    assert sum("a" in doc for doc in docs.values()) == 1
    assert StateFile(path, []).value("bookmark", "a") is True
