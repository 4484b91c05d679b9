"""The statistics read each month's small stats file (``stats/YYYY-MM.json``: votes and
authors, made from the month's metadata shard), not every shard; a stats file that does
not match its shard, is damaged or is missing is not used, and the figures stay exact."""

from __future__ import annotations

import shutil

import orjson

from store.db import Store
from store.stats import compute
from test_corpus_shards import day, sample_home, write


def exact(store: Store) -> dict:
    """The figures computed from every metadata row (what stats() must equal)."""
    days = {d: row["ids"] for d, row in store.corpus.days.items()}
    return compute(days, dict(store.corpus.meta.items()), set(store.state.ids_where("read")),
                   set(store.state.ids_where("bookmark"))).to_json()


def test_an_import_writes_a_stats_file_per_month_and_stats_read_no_shard(tmp_path):
    home = sample_home(tmp_path)
    months = sorted(p.stem for p in (home / "meta").glob("*.json"))
    assert sorted(p.stem for p in (home / "stats").glob("*.json")) == months
    store = Store.open(home, sample=False)
    store.set_read(store.ids()[:3], True)
    figures = store.stats().to_json()
    assert store.corpus.meta.loaded == []  # no shard read
    assert figures["read"] == 3 and figures["papers"] == len(store.ids())
    assert figures == exact(Store.open(home, sample=False))
    assert store.messages == []


def test_a_stats_file_that_does_not_match_its_shard_is_not_used(tmp_path):
    home = sample_home(tmp_path)
    month = min(p.stem for p in (home / "stats").glob("*.json"))
    path = home / "stats" / f"{month}.json"
    doc = orjson.loads(path.read_bytes())
    row = doc["stats"]["1"]
    row["votes"] = [1000 for _ in row["votes"]]  # as made from another version of the shard
    row["shard"] = "00000000"
    path.write_bytes(orjson.dumps(doc))
    store = Store.open(home, sample=False)
    assert store.stats().to_json() == exact(Store.open(home, sample=False))
    assert store.corpus.meta.loaded == [month]  # that month's shard was read instead
    assert orjson.loads(path.read_bytes())["stats"]["1"]["shard"] != "00000000"  # rewritten
    assert store.messages == []


def test_damaged_or_missing_stats_files_change_nothing_but_the_time(tmp_path):
    home = sample_home(tmp_path)
    paths = sorted((home / "stats").glob("*.json"))
    paths[0].write_bytes(b"{not json")
    paths[1].write_bytes(b'{"stats": {"1": {"shard": 5}}}')
    paths[2].unlink()
    store = Store.open(home, sample=False)
    assert store.stats().to_json() == exact(Store.open(home, sample=False))
    assert store.messages == []  # a cache: nothing to tell the user
    shutil.rmtree(home / "stats")  # a data directory from before the stats files
    store = Store.open(home, sample=False)
    assert store.stats().to_json() == exact(Store.open(home, sample=False))
    assert len(list((home / "stats").glob("*.json"))) == len(paths)  # written for next time
    again = Store.open(home, sample=False)
    assert again.stats().to_json() == exact(again) and again.messages == []


def test_another_import_rewrites_the_stats_of_the_months_it_touched(tmp_path):
    src, home = tmp_path / "src", tmp_path / "home"
    write(src / "2024-05-31.md", day("2024-05-31", ("2405.00001", "Mover", 5),
                                     ("2405.00002", "Stayer", 1)))
    Store.open(home, sample=False).import_paths([src])
    reader = Store.open(home, sample=False)
    assert reader.stats().votes_max == 5
    write(src / "2024-06-01.md", day("2024-06-01", ("2405.00001", "Mover", 90)))
    Store.open(home, sample=False).import_paths([src])  # another process: Mover to June
    reader.poll()
    figures = reader.stats()
    assert figures.votes_max == 90 and figures.papers == 2 and figures.listings == 3
    assert figures.to_json() == exact(Store.open(home, sample=False))
