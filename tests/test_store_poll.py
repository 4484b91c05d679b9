"""An open Store (the reader's) and another process's import that moves a paper to a
newer month's shard: after ``poll`` the paper is found there, with its newer figures,
whether the reader looked during the import (between the shards and corpus.json) or not."""

from __future__ import annotations

import pytest

from store import corpus as corpus_module
from store.db import Store
from test_corpus_shards import day, write


@pytest.fixture
def two_days(tmp_path):
    src, home = tmp_path / "src", tmp_path / "home"
    write(src / "2024-05-31.md", day("2024-05-31", ("2405.00001", "Mover", 5),
                                     ("2405.00002", "Stayer", 1)))
    write(src / "2024-06-01.md", day("2024-06-01", ("2406.00003", "June", 2)))
    Store.open(home, sample=False).import_paths([src])
    return src, home


@pytest.mark.parametrize("look_during_the_import", [False, True])
def test_a_moved_paper_is_found_after_a_poll(two_days, monkeypatch, look_during_the_import):
    src, home = two_days
    reader = Store.open(home, sample=False)
    assert reader.paper("2405.00001").votes == 5  # its May shard is read now
    assert [p.id for p in reader.day_papers("2024-06-01")] == ["2406.00003"]
    write(src / "2024-07-01.md", day("2024-07-01", ("2405.00001", "Mover", 9)))
    seen_during: list = []
    if look_during_the_import:
        save = corpus_module.MetaTable.save

        def save_then_look(self):
            save(self)  # the shards are written; corpus.json is not yet
            seen_during.append((reader.poll().corpus, reader.get("2405.00001").votes,
                                [p.id for p in reader.day_papers("2024-07-01")]))

        monkeypatch.setattr(corpus_module.MetaTable, "save", save_then_look)
    Store.open(home, sample=False).import_paths([src])  # another process's import
    if look_during_the_import:
        assert seen_during == [(False, 5, [])]  # the older corpus.json, consistently
    changes = reader.poll()
    assert changes.corpus and changes.days_added == ["2024-07-01"]
    moved = reader.paper("2405.00001")
    assert moved is not None and moved.votes == 9
    assert moved.dates == ["2024-07-01", "2024-05-31"]
    assert moved.bullets[0].text == "Mover 요약입니다."
    assert [p.id for p in reader.day_papers("2024-07-01")] == ["2405.00001"]
    assert [p.id for p in reader.day_papers("2024-05-31")] == ["2405.00001", "2405.00002"]
    assert reader.messages == []
