"""The search index updated in place equals the index built from scratch, byte for byte."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from store.db import SAMPLE_DIR, Store
from store.index_update import updated
from store.models import Bullet
from store.search import SearchIndex

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "corpus" / "daily_papers_ko" / "paper_logs"


def _papers(home, paths):
    store = Store.open(home, sample=False)
    store.import_paths(paths)
    return list(store.papers())


def _check(before, after, gone=()):
    old = SearchIndex.build(before)
    ids_before = {p.id: p for p in before}
    changed = [p for p in after if ids_before.get(p.id) != p]
    gone = {p.id for p in before} - {p.id for p in after}
    got = updated(old, changed, gone)
    want = SearchIndex.build(after)
    assert got.to_bytes() == want.to_bytes()
    return got


def _mutations(papers, rng, fresh=12):
    """New papers, changed ones (title, votes, dates, summary) and removed ones."""
    after = list(papers)
    rng.shuffle(after)
    removed, kept = after[:5], after[5:]
    out = []
    for i, p in enumerate(kept):
        if i % 7 == 0:
            p = replace(p, title=p.title + " Zyxwvu Diffusion", votes=(p.votes or 0) + 50)
        elif i % 11 == 0:
            p = replace(p, dates=sorted(set(p.dates) | {"2099-01-01"}, reverse=True))
        elif i % 13 == 0:
            p = replace(p, bullets=[Bullet(label="What's New", text="새로운 단어 퀑퀑 qqqnew")])
        out.append(p)
    for k in range(fresh):
        src = rng.choice(kept)
        out.append(replace(src, id=f"2099.{k:05d}", title=f"Fresh {k} {src.title}",
                           dates=[f"2099-02-0{k % 9 + 1}"],
                           votes=rng.choice([None, 1, 99])))
    return removed, out


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("fresh", [12, 30])  # 30: the dense threshold (n // 32) goes up
def test_updated_index_equals_a_full_build_on_the_sample(home, seed, fresh):
    papers = _papers(home, sorted(SAMPLE_DIR.glob("20*.md")))
    _, after = _mutations(papers, random.Random(seed), fresh)
    got = _check(papers, after)
    assert [h.id for h in got.search("Zyxwvu")]  # the new words are found
    assert got.search("퀑퀑") and got.search("qqqnew")


def test_updated_index_when_papers_leave_and_the_threshold_goes_down(home):
    papers = _papers(home, sorted(SAMPLE_DIR.glob("20*.md")))
    _, grown = _mutations(papers, random.Random(7), 30)
    assert len(grown) // 32 > len(grown[40:]) // 32
    _check(grown, grown[40:])


def test_updated_index_with_nothing_changed_is_the_same(home):
    papers = _papers(home, sorted(SAMPLE_DIR.glob("20*.md")))
    _check(papers, papers)


@pytest.mark.archive
@pytest.mark.skipif(not ARCHIVE.is_dir(), reason="archive not present")
def test_updated_index_equals_a_full_build_on_the_archive(home):
    days = sorted(ARCHIVE.rglob("*.md"))
    before = _papers(home, days[:-1])
    store = Store.open(home, sample=False)
    store.import_paths(days[-1:])
    after = list(store.papers())
    _check(before, after)


def _count_updates(monkeypatch) -> list[int]:
    import store.index_update as iu

    calls: list[int] = []
    real = iu.updated

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(iu, "updated", counting)
    return calls


def test_an_import_updates_the_index_in_place_when_it_matches_the_corpus(home, monkeypatch):
    days = sorted(SAMPLE_DIR.glob("20*.md"))
    Store.open(home, sample=False).import_paths(days[:-1])
    calls = _count_updates(monkeypatch)
    store = Store.open(home, sample=False)
    store.import_paths(days[-1:])
    assert calls == [1]
    on_disk = (home / "search.idx").read_bytes()
    assert on_disk == SearchIndex.build(store.papers()).to_bytes()
    assert Store.open(home, sample=False).search("t:" + store.day_papers("2024-06-14")[0].title)


def test_an_index_written_for_another_corpus_is_rebuilt(home, monkeypatch):
    days = sorted(SAMPLE_DIR.glob("20*.md"))
    Store.open(home, sample=False).import_paths(days[:-2])
    (home / "search.idx.corpus").write_text("00000000")  # as if a crash left it behind
    calls = _count_updates(monkeypatch)
    store = Store.open(home, sample=False)
    store.import_paths(days[-2:-1])
    assert calls == []  # rebuilt, not updated
    assert (home / "search.idx").read_bytes() == SearchIndex.build(store.papers()).to_bytes()
    store.import_paths(days[-1:])  # and the next import may update it again
    assert calls == [1]


def _persisted(index: SearchIndex, derived: bool = True) -> SearchIndex:
    return SearchIndex.from_bytes(index.to_bytes(), derived=derived)


@pytest.mark.parametrize("seed,derived", [(0, True), (1, False), (2, True), (3, False)])
def test_an_index_read_back_from_disk_updates_to_a_full_build(home, seed, derived):
    """The path an import takes: the old index is read from its bytes (texts still
    compressed, the glossary's counts not yet decoded), then updated."""
    papers = _papers(home, sorted(SAMPLE_DIR.glob("20*.md")))
    removed, after = _mutations(papers, random.Random(seed))
    pair = Bullet(label="What's New", text="퀑퀑 탐색 (Qqq Search)을 제안합니다.")
    after = [replace(p, bullets=[pair]) if p.id.startswith("2099.") else p for p in after]
    old = SearchIndex.build(papers)
    ids_before = {p.id: p for p in papers}
    changed = [p for p in after if ids_before.get(p.id) != p]
    got = updated(_persisted(old, derived), changed, {p.id for p in removed})
    want = SearchIndex.build(after)
    assert got.to_bytes() == want.to_bytes()
    assert got.gloss_en["qqq search"] == ["퀑퀑 탐색"]  # the new day's pairs are counted
    # and updated again, from its own bytes, back to the first corpus
    ids_after = {p.id: p for p in after}
    back = updated(_persisted(got, derived), [p for p in papers if ids_after.get(p.id) != p],
                   set(ids_after) - set(ids_before))
    assert back.to_bytes() == old.to_bytes()
    assert "qqq search" not in back.gloss_en


def test_glossary_counts_taken_out_are_as_if_never_counted():
    from store.search.glossary import GlossCounts

    a = ["강화 학습 (Reinforcement Learning)을 쓴다.", "강화 학습 (reinforcement learning)."]
    b = ["확산 모델 (Diffusion Models)과 강화 학습 (Reinforcement Learning)."] * 2
    both = GlossCounts.of(a + b)
    less = both.copy()
    for text in b:
        less.add(text, -1)
    assert less.to_bytes() == GlossCounts.of(a).to_bytes()
    assert both.maps()[0]["diffusion model"] == ["확산 모델"]
    assert "diffusion model" not in less.maps()[0]
    assert both.to_bytes() == GlossCounts.of(a + b).to_bytes()  # the copy left it alone
