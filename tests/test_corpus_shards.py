"""Paper metadata sharded by month (``meta/YYYY-MM.json``), read a month at a time."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson

from conftest import write
from store.corpus import META_KEYS, month_of
from store.db import SAMPLE_DIR, Store


def day(date: str, *papers: tuple[str, str, int]) -> str:
    """A digest of one day: (id, title, votes) per paper."""
    out = [f"## Daily Papers ({date})", ""]
    for pid, title, votes in papers:
        out += [f"### [{title}](https://arxiv.org/abs/{pid})", "", f"Vote: {votes}", "",
                "Authors: Kim Minsu, Lee Jiwon", "", f"- **What's New**: {title} 요약입니다.", ""]
    return "\n".join(out)


def load(path: Path) -> dict:
    return orjson.loads(path.read_bytes())


def disk(home: Path) -> dict[str, dict]:
    """Every metadata row on disk, checked against the locator: each paper in exactly one
    shard, the shard of its month, in the locator's order; and its bullets likewise."""
    corpus = load(home / "corpus.json")
    assert "papers" not in corpus
    assert set(corpus) == {"days", "files", "months"}
    rows: dict[str, dict] = {}
    bodies: dict[str, str] = {}
    for loc in corpus["months"].values():
        month = loc["month"]
        raw = (home / "meta" / f"{month}.json").read_bytes()
        assert loc["size"] == len(raw)
        shard = list(load(home / "meta" / f"{month}.json")["papers"].values())
        assert [r["id"] for r in shard] == loc["ids"]
        for r in shard:
            assert month_of(r) == month and r["id"] not in rows
            assert set(r) == set(META_KEYS) | {"from"}
            rows[r["id"]] = r
    for path in sorted((home / "bodies").glob("*.json")):
        for r in load(path)["bodies"].values():
            assert r["id"] not in bodies
            bodies[r["id"]] = path.stem
    assert bodies == {pid: month_of(r) for pid, r in rows.items()}
    return rows


def sample_home(tmp_path: Path, name: str = "home") -> Path:
    home = tmp_path / name
    Store.open(home, sample=False).import_paths(sorted(SAMPLE_DIR.glob("20*.md")))
    return home


def everything(store: Store) -> dict[str, dict]:
    return {p.id: p.to_json() for p in store.papers()}


# ---------------------------------------------------------------- the layout
def test_an_import_writes_month_shards_and_no_papers_table(tmp_path):
    home = sample_home(tmp_path)
    rows = disk(home)
    store = Store.open(home, sample=False)
    assert len(rows) == len(store.ids()) == len(set(store.ids()))
    assert len(rows) == len({i for d in store.days() for i in store.day_ids(d.date)})
    assert sorted(p.name for p in (home / "meta").glob("*.json")) == [
        "2023-12.json", "2024-02.json", "2024-04.json", "2024-06.json"]
    # iteration: months in order, then shard order
    locator = load(home / "corpus.json")["months"].values()
    assert store.ids() == [pid for loc in sorted(locator, key=lambda r: r["month"])
                           for pid in loc["ids"]]
    assert {pid: store.get(pid).dates for pid in rows} == {
        pid: r["dates"] for pid, r in rows.items()}


def test_start_up_reads_no_shard_and_a_paper_reads_one_month(tmp_path):
    home = sample_home(tmp_path)
    store = Store.open(home, sample=False)
    meta = store.corpus.meta
    days = store.days()
    assert len(days) == 5 and meta.loaded == [] and store.corpus._shards == {}
    ids = store.ids()  # ids, len and `in` come from the locator
    assert len(meta) == len(ids) and ids[0] in meta and "nope" not in meta
    assert meta.loaded == []
    first = ids[0]
    paper = store.get(first)
    assert paper is not None and meta.loaded == ["2023-12"]  # the first month's first
    assert store.paper(first).bullets and len(meta.loaded) == 1
    # the first screen: the newest day's papers and one of them, one month each
    store = Store.open(home, sample=False)
    newest = store.days()[0].date
    papers = store.day_papers(newest)
    assert len(papers) == store.days()[0].total
    assert store.paper(papers[0].id).bullets
    assert store.corpus.meta.loaded == [newest[:7]]
    assert sorted(store.corpus._shards) == [newest[:7]]


def test_values_items_and_stats_read_every_month(tmp_path):
    home = sample_home(tmp_path)
    store = Store.open(home, sample=False)
    items = store.corpus.meta.items()
    assert [pid for pid, _ in items] == store.ids()
    assert store.corpus.meta.loaded == ["2023-12", "2024-02", "2024-04", "2024-06"]
    assert Store.open(home, sample=False).stats().papers == len(items)


def test_a_paper_moving_to_another_month_leaves_no_stale_copy(tmp_path):
    src = tmp_path / "src"
    write(src / "2024-05-31.md", day("2024-05-31", ("2405.00001", "Mover", 5),
                                     ("2405.00002", "Stayer", 1)))
    later = write(src / "later.md", day("2024-06-01", ("2406.00003", "June", 2)))
    home = tmp_path / "home"
    store = Store.open(home, sample=False)
    store.import_paths([src])
    assert disk(home)["2405.00001"]["from"] == "2024-05-31"
    # the June day now lists it too: its newest version moves to June
    write(later, day("2024-06-01", ("2406.00003", "June", 2), ("2405.00001", "Mover", 9)))
    assert store.import_paths([src]).files_read == 1
    rows = disk(home)
    assert rows["2405.00001"]["from"] == "2024-06-01" and rows["2405.00001"]["votes"] == 9
    assert rows["2405.00001"]["dates"] == ["2024-06-01", "2024-05-31"]
    may = load(home / "meta" / "2024-05.json")["papers"].values()
    assert [r["id"] for r in may] == ["2405.00002"]
    # the file's day becomes a July day: the June day and its own paper go, it moves on
    write(later, day("2024-07-02", ("2405.00001", "Mover", 11)))
    store.import_paths([src])
    rows = disk(home)
    assert rows["2405.00001"]["from"] == "2024-07-02"
    assert rows["2405.00001"]["dates"] == ["2024-07-02", "2024-05-31"]
    assert set(rows) == {"2405.00001", "2405.00002"}
    assert load(home / "meta" / "2024-06.json")["papers"] == {}
    fresh = Store.open(home, sample=False)
    assert fresh.get("2405.00001").votes == 11 and fresh.get("2406.00003") is None
    assert fresh.paper("2405.00001").bullets[0].text == "Mover 요약입니다."
    assert fresh.ids() == store.ids() == ["2405.00002", "2405.00001"]
    assert [p.id for p in fresh.day_papers("2024-05-31")] == ["2405.00001", "2405.00002"]


def test_a_reader_with_an_older_locator_stays_sane(tmp_path):
    """Another process re-imports while a reader is open: the reader finds each paper
    or None (never a stale copy from the wrong month, never a false damage notice)."""
    src = tmp_path / "src"
    write(src / "2024-05-31.md", day("2024-05-31", ("2405.00001", "Mover", 5),
                                     ("2405.00002", "Stayer", 1)))
    june = write(src / "2024-06-01.md", day("2024-06-01", ("2406.00003", "June", 2)))
    home = tmp_path / "home"
    Store.open(home, sample=False).import_paths([src])
    reader = Store.open(home, sample=False)
    assert reader.days()[0].date == "2024-06-01"
    write(june, day("2024-06-01", ("2406.00003", "June", 4), ("2405.00001", "Mover", 9),
                    ("2406.00004", "New", 1)))
    Store.open(home, sample=False).import_paths([src])  # rewrites both months
    assert reader.get("2406.00003").votes == 4  # the newer shard, as far as it is known
    assert reader.get("2406.00004") is None  # not in the reader's locator
    assert reader.get("2405.00001") is None  # moved to June: gone from the May shard
    assert reader.get("2405.00002").title == "Stayer"
    assert reader.messages == []
    reader.import_paths([src])  # an import first re-reads corpus.json
    assert reader.get("2406.00004").title == "New" and reader.get("2405.00001").votes == 9
    assert reader.messages == []


# ---------------------------------------------------------------- an old data directory
def old_format(home: Path) -> None:
    """Rewrite ``home`` as the program wrote it before the shards: every metadata row
    in a ``papers`` table of corpus.json, no ``meta/``."""
    corpus = load(home / "corpus.json")
    rows = [r for loc in corpus.pop("months").values()
            for r in load(home / "meta" / f"{loc['month']}.json")["papers"].values()]
    corpus = {"papers": {str(i): r for i, r in enumerate(rows, 1)}, **corpus}
    (home / "corpus.json").write_bytes(orjson.dumps(corpus))
    for p in home.glob("corpus.json.bak"):
        p.unlink()
    shutil.rmtree(home / "meta")


def test_an_old_data_directory_opens_whole_and_the_next_import_upgrades_it(tmp_path):
    home = sample_home(tmp_path)
    before = Store.open(home, sample=False)
    want = everything(before)
    ids = before.ids()
    before.set_read(ids[:3])
    before.set_bookmarked([ids[10]])
    before.set_note(ids[11], "메모")
    old_format(home)
    state = (home / "state.json").read_bytes()

    store = Store.open(home, sample=False)
    assert store.corpus.legacy and store.messages == []
    assert everything(store) == want and sorted(store.ids()) == sorted(ids)
    assert [d.unread for d in store.days()] == [d.unread for d in before.days()]
    assert store.is_read(ids[0]) and store.is_bookmarked(ids[10]) and store.note(ids[11])
    assert not (home / "meta").exists()  # opening writes nothing
    assert (home / "state.json").read_bytes() == state

    report = store.import_paths(sorted(SAMPLE_DIR.glob("20*.md")))
    assert report.files_read == 0 and report.unchanged == 5
    assert not store.corpus.legacy
    rows = disk(home)  # the new layout: shards, no papers table
    assert sorted(rows) == sorted(ids)
    again = Store.open(home, sample=False)
    assert not again.corpus.legacy and again.messages == []
    assert everything(again) == want
    assert again.is_read(ids[0]) and again.is_bookmarked(ids[10])
    assert (home / "state.json").read_bytes() == state


# ---------------------------------------------------------------- damage
def test_a_damaged_shard_is_said_and_the_next_import_repairs_it(tmp_path):
    home = sample_home(tmp_path)
    want = everything(Store.open(home, sample=False))
    victim = home / "meta" / "2024-04.json"
    lost = {pid for pid, r in disk(home).items() if r["from"].startswith("2024-04")}
    victim.write_bytes(victim.read_bytes()[:100])  # truncated, and no .bak yet

    store = Store.open(home, sample=False)
    assert len(store.messages) == 1  # said at start-up
    msg = store.messages[0]
    assert msg.startswith("meta/2024-04.json was unreadable") and "corrupt-" in msg
    assert msg.endswith("import the digests again")
    assert all(store.get(pid) is None for pid in lost)
    assert store.get(min(set(want) - lost)) is not None
    assert sorted(p.id for p in store.day_papers("2024-04-12")) == []
    assert store.stats().papers == len(want) - len(lost)
    assert sorted(store.ids()) == sorted(set(want) - lost)

    # an import of the same (unchanged) digests re-reads them all and repairs the shard
    report = store.import_paths(sorted(SAMPLE_DIR.glob("20*.md")))
    assert report.files_read == 5 and report.added == len(lost)
    assert sorted(disk(home)) == sorted(want)
    again = Store.open(home, sample=False)
    assert again.messages == [] and everything(again) == want


def test_a_shard_restored_from_its_backup_is_repaired_by_a_later_process(tmp_path):
    """The reader finds the damage (and restores the older .bak); a `papers import`
    run afterwards, in another process, still knows to re-read the digests."""
    src = tmp_path / "src"
    f = write(src / "2024-05-01.md", day("2024-05-01", ("2405.00001", "A", 1)))
    home = tmp_path / "home"
    Store.open(home, sample=False).import_paths([src])
    write(f, day("2024-05-01", ("2405.00001", "A", 7), ("2405.00002", "B", 2)))
    Store.open(home, sample=False).import_paths([src])  # meta/2024-05.json.bak: A only
    shard = home / "meta" / "2024-05.json"
    shard.write_bytes(b'{"papers": {"1": {"id": "2405.0')

    reader = Store.open(home, sample=False)
    assert len(reader.messages) == 1
    assert reader.messages[0].startswith("meta/2024-05.json was damaged; restored the previous")
    assert reader.messages[0].endswith("1 paper missing; import the digests again")
    assert reader.get("2405.00002") is None and reader.get("2405.00001").votes == 1

    later = Store.open(home, sample=False)  # the .bak is in place now: stale, but valid
    assert later.messages == [("meta/2024-05.json does not match corpus.json "
                               "(1 paper missing); import the digests again")]
    report = Store.open(home, sample=False).import_paths([src])
    assert report.files_read == 1
    fixed = Store.open(home, sample=False)
    assert fixed.messages == []
    assert fixed.get("2405.00001").votes == 7 and fixed.get("2405.00002").title == "B"
    assert sorted(disk(home)) == ["2405.00001", "2405.00002"]


def test_a_shard_edited_to_the_same_size_is_found_when_read(tmp_path):
    home = sample_home(tmp_path)
    shard = home / "meta" / "2024-02.json"
    raw = shard.read_bytes()
    shard.write_bytes(raw.replace(b'"votes":', b'"votez":', 1))
    store = Store.open(home, sample=False)
    assert store.messages == []  # same size: not looked at until it is read
    pid = load(home / "corpus.json")["months"]["2"]["ids"][0]
    paper = store.get(pid)
    assert paper is not None and paper.votes is None  # what the file says now
    assert store.messages == [("meta/2024-02.json does not match corpus.json; "
                               "import the digests again")]
    report = Store.open(home, sample=False).import_paths(sorted(SAMPLE_DIR.glob("20*.md")))
    assert report.files_read == 5
    fixed = Store.open(home, sample=False)
    assert fixed.get(pid).votes is not None and fixed.messages == []
    disk(home)


def test_a_missing_shard_is_said(tmp_path):
    home = sample_home(tmp_path)
    (home / "meta" / "2023-12.json").unlink()
    store = Store.open(home, sample=False)
    assert len(store.messages) == 1
    assert store.messages[0].startswith("meta/2023-12.json is missing (")
    store.import_paths(sorted(SAMPLE_DIR.glob("20*.md")))
    assert Store.open(home, sample=False).messages == []
    disk(home)


def test_a_shard_written_by_an_import_in_progress_is_not_damage(tmp_path):
    """An import writes the shards, then corpus.json, holding the import lock: a shard
    newer than corpus.json is not damage while the lock is held; after a writer died
    between the two, it is (said, and repaired by the next import)."""
    from store.storage import atomic_write, file_lock

    home = sample_home(tmp_path)
    reader = Store.open(home, sample=False)
    shard = home / "meta" / "2024-06.json"
    data = load(shard)
    first = data["papers"]["1"]
    first["votes"] = 12345
    with file_lock(home / "corpus.json.lock"):  # the writer, mid-save
        atomic_write(shard, orjson.dumps(data))
        assert reader.get(first["id"]).votes == 12345
        during = Store.open(home, sample=False)  # started now: the size differs
        assert reader.messages == [] and during.messages == []
    after = Store.open(home, sample=False)  # the writer never wrote corpus.json
    assert after.messages == [("meta/2024-06.json does not match corpus.json; "
                               "import the digests again")]
    after.import_paths(sorted(SAMPLE_DIR.glob("20*.md")))
    assert Store.open(home, sample=False).get(first["id"]).votes != 12345
    disk(home)
