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
