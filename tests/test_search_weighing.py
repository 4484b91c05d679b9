"""Ranking across fields by rarity (issue 11, items 4 and 5): a rare word matched as
typed, with the other words found through the glossary, outranks papers that have
common words in the title and the rare word only in another form; a direct match of
the same words still ranks first, and the glossary hit says why."""

from __future__ import annotations

import pytest

from conftest import ids
from store.models import Bullet, Paper
from store.search import SearchIndex
from store.search.notes import NOTE_SCORE


def paper(pid, title, summary, votes=None):
    return Paper(id=pid, title=title, url="", dates=["2024-06-14"], votes=votes,
                 authors=[], bullets=[Bullet(None, summary)])


TARGET = "2501.00001"   # 목축이 as typed; "generation" only as 생성 (the glossary's)
DIRECT = "2501.00002"   # 목축이 as typed and "Generation" in the title
STEMS = [f"2502.{i:05d}" for i in range(12)]  # "Generation" in the title, only 목축


def corpus() -> list[Paper]:
    papers = [
        paper(TARGET, "Herding agents", "쿼카 목축이 어려운 이유를 밝히고 영상 생성 방법을 다룹니다.",
              votes=1),
        paper(DIRECT, "Herding by Generation", "쿼카 목축이 쉬워지는 방법을 다룹니다.", votes=2),
        paper("2503.00001", "Pairs", "영상 생성 (Generation) 과 평가", votes=1),
        paper("2503.00002", "More pairs", "이미지 생성 (generation) 모델", votes=1),
    ]
    papers += [paper(pid, f"Video Generation at scale {i}", "쿼카 목축 방법을 정리합니다.",
                     votes=500 + i) for i, pid in enumerate(STEMS)]
    # "generation" is a common title word here, as in the archive
    papers += [paper(f"2590.{i:05d}", f"Filler generation {i}", "다른 연구를 보고합니다.",
                     votes=1000 + i) for i in range(60)]
    return papers


@pytest.fixture(scope="module")
def ix() -> SearchIndex:
    return SearchIndex.build(corpus())


def test_rare_word_as_typed_outweighs_common_title_words(ix):
    assert ix.gloss_en["generation"] == ["생성"]
    got = ids(ix.search("generation 목축이"))
    assert set(got) == {TARGET, DIRECT, *STEMS}
    # the two with 목축이 as typed come first, whatever the votes of the others
    assert got[:2] == [DIRECT, TARGET]


def test_glossary_hit_says_why_and_ranks_below_direct(ix):
    hits = ix.search("generation 목축이")
    target = next(h for h in hits if h.id == TARGET)
    direct = next(h for h in hits if h.id == DIRECT)
    assert target.reason == "generation = 생성"
    assert direct.reason == ""
    assert direct.score > target.score


def test_scores_stay_on_the_fields_scale(ix):
    # weighing trades terms off against each other; a score stays on the fields' scale,
    # so a paper found by its note (NOTE_SCORE) still sits below a title match and
    # above a summary match
    assert ix.search("generation")[0].score > NOTE_SCORE
    assert ix.search("목축이")[0].score < NOTE_SCORE
