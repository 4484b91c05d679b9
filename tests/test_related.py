"""Related papers and the "for you" order, store side (store/related/, Store)."""

from __future__ import annotations

from array import array

import numpy as np
import pytest

from conftest import FIXTURES, ids, reopen
from store.db import Store
from store.related import Related
from store.related.space import build
from store.related.terms import Glossary, features

CORPUS = FIXTURES / "related"
NERF = ["2401.00001", "2401.00005", "2401.00009", "2401.00012"]
ROBOT = ["2401.00002", "2401.00006", "2401.00010", "2401.00013"]
SPEECH = ["2401.00003", "2401.00007", "2401.00014"]


@pytest.mark.parametrize("group", [NERF, ROBOT, SPEECH])
def test_the_papers_of_a_topic_are_each_others_nearest(topics, group):
    for pid in group:
        others = [g for g in group if g != pid]
        assert set(ids(topics.related(pid, limit=len(others)))) == set(others)


def test_related_gives_papers_with_their_days_and_honours_the_limit(topics):
    papers = topics.related("2401.00012", limit=2)
    assert len(papers) == 2
    assert all(p.title.endswith(("Radiance Fields", "Sparse Views", "Hash Grids",
                                 "Dynamic Scenes")) for p in papers)
    assert all(p.dates and p.dates[0].startswith("2024-01-0") for p in papers)
    assert "2401.00012" not in ids(topics.related("2401.00012", limit=20))
    assert topics.related("9999.99999") == []


def test_related_lists_are_kept_with_the_corpus(topics):
    assert (topics.home / "related.bin").is_file()
    again = reopen(topics)
    assert ids(again.related("2401.00001", 3)) == ids(topics.related("2401.00001", 3))


def test_an_unchanged_import_does_not_rewrite_them(topics):
    path = topics.home / "related.bin"
    before = path.stat().st_mtime_ns, path.read_bytes()
    topics.import_paths([CORPUS])
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


def test_a_missing_or_damaged_file_is_rebuilt_by_the_next_import_never_by_a_read(topics):
    """Reading (the reader, every lookup) never computes the lists: a damaged or missing
    file gives no related papers until an import, or ``build_related`` (the CLI)."""
    path = topics.home / "related.bin"
    path.write_bytes(b"{not json")
    store = reopen(topics)
    assert store.related("2401.00002", 3) == []
    assert store.related_missing and not store.related_ready
    assert store.for_you(["2401.00002"]) is None
    assert path.read_bytes() == b"{not json"  # nothing written by a read
    store.import_paths([CORPUS])  # unchanged corpus: the lists are computed
    assert store.related_ready and not store.related_missing
    assert set(ids(store.related("2401.00002", 3))) == set(ROBOT[1:])
    path.unlink()
    store = reopen(topics)
    assert store.related("2401.00002", 3) == [] and not path.exists()
    store.build_related()
    assert set(ids(store.related("2401.00002", 3))) == set(ROBOT[1:])
    assert path.is_file()


def test_a_new_day_joins_the_lists(topics, tmp_path):
    day = tmp_path / "2024-01-05.md"
    day.write_text("## Daily Papers (2024-01-05)\n\n"
                   "### [Sparse Neural Radiance Fields](https://arxiv.org/abs/2401.00099)\n\n"
                   "Vote: 1\n\n- 이 연구는 신경 방사장 (neural radiance fields) 기반이다.\n",
                   encoding="utf-8")
    topics.import_paths([day])
    assert "2401.00099" in ids(topics.related("2401.00001", 4))
    assert set(ids(topics.related("2401.00099", 4))) == set(NERF)


def test_the_glossary_joins_a_korean_summary_to_an_english_term():
    gloss = {"음성인식": ["speech recognition"]}
    vec = features("Transducers at Scale", "이 연구는 음성 인식을 다룬다.", Glossary(gloss))
    assert "speech recognition" in vec
    assert "인식" in vec  # the particle 을 is stripped


def test_the_file_format_round_trips_and_rejects_others():
    r = Related(["a", "b"], array("i", [1, -1, 0, -1]), array("H", [5000, 0, 5000, 0]),
                ["A", "B"], ["2024-01-01", "2024-01-02"], keep=2)
    back = Related.from_bytes(r.to_bytes())
    assert back.of("a") == [("b", 0.5)]
    assert back.entry("b") == ("B", "2024-01-02")
    with pytest.raises(ValueError):
        Related.from_bytes(b'{"version": 99}')
    with pytest.raises(ValueError):
        Related.from_bytes(r.to_bytes()[:-3])


def test_for_you_ranks_the_kept_topic_first_on_a_later_day(topics):
    day = topics.day_ids("2024-01-04")
    assert topics.for_you(day) is None  # nothing kept yet
    topics.set_bookmarked(SPEECH[:2])
    scores = topics.for_you(day)
    assert max(scores, key=scores.get) == "2401.00014"
    assert scores["2401.00015"] < scores["2401.00014"] / 3  # the unrelated paper


def test_tags_and_notes_count_as_kept_and_weigh_more_than_reading(topics):
    day = topics.day_ids("2024-01-04")
    topics.set_read(NERF[:3])
    topics.set_tags(ROBOT[0], ["hands"])
    topics.set_note(ROBOT[1], "read this")
    scores = topics.for_you(day)
    assert max(scores, key=scores.get) == "2401.00013"
    assert scores["2401.00012"] > scores["2401.00015"]


def test_title_terms_weigh_more_than_summary_terms_and_counts_saturate():
    vec = features("Neural Radiance Fields", "방사장 방사장 방사장 방사장 방사장 방사장. neural radiance")
    assert vec["neural radiance"] > vec["방사장"]  # a title pair over a word said six times
    assert vec["방사장"] < 6 * features("", "방사장")["방사장"]
    assert "the" not in features("The Model", "of the")


def test_a_new_day_updates_only_the_lists_it_enters(topics, monkeypatch):
    """The import of a new day computes its papers' lists and puts them into the lists
    they enter; the rest are as they were, and no full build runs."""
    from store import relatedstore

    small = reopen(topics)
    day4 = CORPUS / "2024-01-04.md"
    home = topics.home.parent / "three-days"
    three = Store.open(home, sample=False)
    three.import_paths(sorted(CORPUS.glob("2024-01-0[123].md")))
    before = {pid: ids(three.related(pid, 20)) for pid in three.ids()}
    monkeypatch.setattr(relatedstore.RelatedPapers, "_write_related",
                        lambda self: pytest.fail("a full build ran"))
    three.import_paths([day4])
    new = set(three.day_ids("2024-01-04"))
    def scored(store, pid):  # (similarity, id): equal similarities in either order
        return sorted(((-round(s, 3), r) for r, s in store._load_related().of(pid, 20)))

    for pid in new:  # the new papers' lists are the full build's
        assert scored(three, pid) == scored(small, pid), pid
    entered = 0
    for pid, old in before.items():
        now = [r for r in ids(three.related(pid, 20)) if r not in new]
        assert now == old[:len(now)], pid  # the others keep their order
        entered += any(r in new for r in ids(three.related(pid, 20)))
    assert entered >= 6  # the topic papers of the earlier days gained the new ones
    assert "2401.00012" in ids(three.related("2401.00001", 3))
    assert set(ids(reopen(three).related("2401.00013", 3))) == set(ROBOT[:3])


def test_a_paper_that_leaves_leaves_every_list(topics, tmp_path):
    """A day's file replaced without a paper: it is in no list, and the lists that named
    it are computed again."""
    text = (CORPUS / "2024-01-04.md").read_text(encoding="utf-8")
    cut = text.index("### [Dexterous Robotic")
    end = text.index("### [Noise-Robust")
    assert "2401.00013" in ids(topics.related("2401.00002", 3))
    (tmp_path / "2024-01-04.md").write_text(text[:cut] + text[end:], encoding="utf-8")
    topics.import_paths([tmp_path / "2024-01-04.md"])
    if "2401.00013" in topics:
        pytest.skip("a replaced day keeps papers it no longer lists")
    for pid in topics.ids():
        assert "2401.00013" not in ids(topics.related(pid, 20))
    assert set(ids(topics.related("2401.00002", 2))) == set(ROBOT[1:3])


def test_building_from_nothing_and_with_no_shared_terms():
    related, space = build([], [], [], [], None)
    assert len(related) == 0 and space.n == 0
    related, _ = build(["a", "b"], ["Alpha", "Beta"], ["", ""], ["d1", "d2"], None)
    assert related.of("a") == [] and related.entry("b") == ("Beta", "d2")


def test_terms_too_common_to_tell_a_topic_are_left_out_for_good():
    """A term in nearly every paper is dropped from the kept terms (half the file, no
    similarity changes), and stays out of papers added later."""
    from store.related.space import Space, lists_of

    n = 60
    titles = [f"Topic{i % 6} Study Number{i}" for i in range(n)]
    fruit = ["사과", "포도", "딸기", "수박", "참외", "자두"]
    summaries = [f"모델 모델 데이터 {fruit[i % 6]}" for i in range(n)]
    space = Space.of_texts([f"p{i}" for i in range(n)], titles, summaries, None)
    related = lists_of(space, titles, [""] * n)
    generic = {space.vocab[i] for i in np.flatnonzero(space.generic)}
    assert {"모델", "데이터", "study"} <= generic and "topic0" not in generic
    assert {pid for pid, _ in related.of("p0", 9)} == {f"p{i}" for i in range(6, n, 6)}
    back = Space.from_bytes(space.to_bytes())
    assert back.generic.tolist() == space.generic.tolist()
    back.add(["q"], ["Topic0 Study"], ["모델 사과"], None)
    last = back.fid[back.indptr[-2]:]
    assert {back.vocab[i] for i in last} == {"topic0", "topic0 study", "사과"}  # no generic


def test_the_file_is_read_where_it_lies_and_finds_every_id_by_bisection(tmp_path):
    """related.bin (format 3) as the reader holds it: each id is found (ids in no sorted
    order, Korean titles decoded from the file), an unknown id is not, nothing is a list;
    the same through ``from_bytes`` (the import's update)."""
    rng = np.random.default_rng(7)
    n, keep = 300, 3
    ids_ = [f"24{int(x):02d}.{i:05d}" for i, x in enumerate(rng.integers(1, 13, n))]
    rng.shuffle(ids_)
    nbr = array("i", [(i + k + 1) % n if k < 2 else -1 for i in range(n) for k in range(keep)])
    sim = array("H", [9000 - 1000 * k if k < 2 else 0 for i in range(n) for k in range(keep)])
    titles = [f"논문 {i} Paper" for i in range(n)]
    days = [f"2024-01-{i % 28 + 1:02d}" for i in range(n)]
    path = tmp_path / "related.bin"
    path.write_bytes(Related(ids_, nbr, sim, titles, days, keep).to_bytes())
    for back in (Related.open(path), Related.from_bytes(path.read_bytes())):
        check_read_back(back, ids_, titles, days)


def check_read_back(back, ids_, titles, days):
    n = len(ids_)
    assert not isinstance(back.ids, list) and not isinstance(back.titles, list)
    for i in range(0, n, 7):
        assert back.row(ids_[i]) == i
        assert back.shown(ids_[i], 5) == [
            (ids_[(i + 1) % n], titles[(i + 1) % n], days[(i + 1) % n], 0.9),
            (ids_[(i + 2) % n], titles[(i + 2) % n], days[(i + 2) % n], 0.8)]
    assert back.row("9999.99999") is None and back.of("0000.00000") == []
    assert back.entry(ids_[5]) == (titles[5], days[5])
    assert list(back.ids) == ids_


def test_an_older_or_damaged_file_reads_as_none_and_the_next_import_rebuilds_it(topics):
    path = topics.home / "related.bin"
    good = path.read_bytes()
    head = good.index(b"\x03") + 1
    older = b"PAPERS-RELATED\x02" + good[head:]  # the format before, not misread
    for bad in (older, good[:-3], good[:head + 4], b""):
        path.write_bytes(bad)
        store = reopen(topics)
        assert store.related("2401.00002", 3) == [] and store.related_missing
    path.write_bytes(older)
    store = reopen(topics)
    store.import_paths([CORPUS])  # an unchanged import: the lists made again
    assert path.read_bytes()[:head] == b"PAPERS-RELATED\x03"
    assert set(ids(reopen(topics).related("2401.00002", 3))) == set(ROBOT[1:])


def test_a_new_day_updates_the_read_back_lists_without_a_full_build(topics, tmp_path,
                                                                    monkeypatch):
    """The import of a new day updates the lists it read back from the file (the
    incremental step), it does not fall back to building everything."""
    store = reopen(topics)
    monkeypatch.setattr(type(store), "_write_related",
                        lambda self: pytest.fail("a full build for one new day"))
    day = tmp_path / "2024-01-05.md"
    day.write_text("## Daily Papers (2024-01-05)\n\n"
                   "### [Sparse Neural Radiance Fields](https://arxiv.org/abs/2401.00099)\n\n"
                   "Vote: 1\n\n- 이 연구는 신경 방사장 (neural radiance fields) 기반이다.\n",
                   encoding="utf-8")
    store.import_paths([day])
    assert "2401.00099" in ids(reopen(topics).related("2401.00001", 4))
