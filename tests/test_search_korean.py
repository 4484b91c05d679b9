"""How Korean researchers type: every row of issue 11's table, on a small corpus built
here (plus filler papers so that common words are common)."""

from __future__ import annotations

import pytest

from conftest import ids
from store import hangul
from store.models import Bullet, Paper
from store.search import SearchIndex, layout


def paper(pid, title, summary="", *, authors=(), votes=None, date="2024-06-14"):
    bullets = [Bullet(None, line) for line in summary.split("\n") if line]
    return Paper(id=pid, title=title, url="", dates=[date], votes=votes,
                 authors=list(authors), bullets=bullets)


DEPTH = "2406.09414"
DIFF_ABOUT = "2401.00001"     # a summary about diffusion models
DIFF_PASSING = "2401.00002"   # mentions them once, more votes
RL_KO = "2402.00001"          # Korean-only summary about 강화 학습
RL_TITLE = "2402.00002"       # English title, summary never says 강화 학습
RL_GLOSS = ("2402.00003", "2402.00004")  # where the glossary pair is written
MULTI = "2403.00001"          # 멀티모달 추론, written glued
KAIMING = ("2404.00001", "2404.00002")
CSORDAS = "2404.00003"


def corpus() -> list[Paper]:
    papers = [
        paper(DEPTH, "Depth Anything V2", "단일 카메라 깊이 추정 모델을 제안합니다.",
              authors=["Lihe Yang"], votes=87),
        paper(DIFF_ABOUT, "Sampling faster",
              "확산 모델의 샘플링을 가속합니다.\n확산 모델 학습을 단순화합니다.\n"
              "확산 모델 평가", votes=3),
        paper(DIFF_PASSING, "A survey of vision systems",
              "여러 시스템을 정리하고 비교합니다. 그중 하나는 확산 모델이지만 대부분은 분류기, "
              "검출기, 분할기, 추적기, 정합기, 그리고 다른 여러 종류의 비전 시스템이며 각 시스템의 "
              "장단점과 실험 설정, 데이터셋, 평가 지표를 자세히 다룹니다.", votes=900),
        paper(RL_KO, "Agents that plan", "강화 학습으로 로봇 에이전트를 훈련합니다.", votes=5),
        paper(RL_TITLE, "Reinforcement Learning for Quokka Herding", "새로운 목축 방법을 다룹니다.",
              votes=4),
        paper(RL_GLOSS[0], "Policy optimisation", "강화 학습 (Reinforcement Learning) 정책 최적화",
              votes=2),
        paper(RL_GLOSS[1], "Reward models", "강화 학습 (reinforcement learning) 보상 모델",
              votes=1),
        paper(MULTI, "Reasoning across images and text", "멀티모달 추론 벤치마크를 만듭니다.",
              votes=2),
        paper(KAIMING[0], "Masked autoencoders", "마스크 오토인코더", authors=["Kaiming He"],
              votes=50),
        paper(KAIMING[1], "Residual learning", "잔차 학습", authors=["Kaiming He", "Jian Sun"],
              votes=40),
        paper("2404.00009", "Something else", "다른 연구", authors=["Kaiying Ha"], votes=500),
        paper("2404.00010", "Yet another", "또 다른 연구", authors=["Haiming Xu"], votes=400),
        paper(CSORDAS, "Switch heads", "전환 헤드", authors=["Róbert Csordás"], votes=10),
        paper("2405.00001", "Keyboard study", "강화학습 에이전트를 평가합니다.", votes=1),
    ]
    # filler: 것을, 게임 and 추정 everywhere, with many votes
    for i in range(60):
        papers.append(paper(f"2490.{i:05d}", f"Filler paper {i}",
                            "이것을 보여주는 것을 목표로 게임 추적 추정 결과를 보고합니다.",
                            votes=1000 + i))
    return papers


@pytest.fixture(scope="module")
def ix() -> SearchIndex:
    return SearchIndex.build(corpus())


# ---------------------------------------------------------------- spacing
def test_glued_query_finds_spaced_text(ix):
    glued = ids(ix.search("확산모델"))
    spaced = ids(ix.search("확산 모델"))
    assert set(glued) == set(spaced) and {DIFF_ABOUT, DIFF_PASSING} <= set(glued)


def test_spaced_query_finds_glued_text(ix):
    assert MULTI in ids(ix.search("멀티 모달 추론"))
    assert ids(ix.search("멀티모달 추론"))[0] == MULTI


def test_particles_do_not_stop_a_match(ix):
    assert ids(ix.search("확산모델을"))[:2] == ids(ix.search("확산 모델"))[:2]
    assert DEPTH in ids(ix.search("깊이 추정을"))


def test_glued_three_words(ix):
    assert ids(ix.search("단일카메라깊이"))[0] == DEPTH


# ---------------------------------------------------------------- keyboard layout
def test_layout_conversion_both_ways():
    assert layout.to_hangul("rlvdl cnwjd") == "깊이 추정"
    assert layout.to_latin("ㅇ데소 무ㅛ소ㅑㅜㅎ") == "depth anything"
    assert layout.to_hangul("rkdghkgkrtmq") == "강화학습"
    assert layout.to_hangul("a:rkdghk") == "a:강화"   # a filter key stays a key
    assert layout.to_latin(layout.to_hangul("dnjsgkq")) == "dnjsgkq"


def test_korean_typed_in_english_mode(ix):
    hits = ix.search("rlvdl cnwjd")
    assert ids(hits)[0] == DEPTH
    assert hits.searched_for == "깊이 추정"


def test_english_typed_in_korean_mode(ix):
    hits = ix.search("ㅇ데소 무ㅛ소ㅑㅜㅎ")
    assert ids(hits)[0] == DEPTH
    assert hits.searched_for == "depth anything"


def test_query_that_finds_enough_is_not_converted(ix):
    hits = ix.search("depth")
    assert hits.searched_for == "" and ids(hits)[0] == DEPTH


# ---------------------------------------------------------------- jamo typos
def test_one_jamo_wrong(ix):
    assert ids(ix.search("강화핫습"))[0] == "2405.00001"   # ㄱ -> ㅅ
    assert ids(ix.search("오토인커더"))[0] == KAIMING[0]   # ㅗ -> ㅓ
    assert ids(ix.search("강화하습"))[0] == "2405.00001"   # a final left out
    assert ids(ix.search("오토인콛더"))[0] == KAIMING[0]   # a final too many
    assert ix.search("오토잉커더") == []                   # two letters wrong: no


def test_jamo_typo_ranks_below_exact(ix):
    hits = ix.search("강화핫습")
    assert all(h.score < ix.search("강화학습")[0].score for h in hits)


def test_jamo_letters():
    assert hangul.jamo("값") == "ㄱㅏㅄ" and hangul.jamo("과") == "ㄱㅘ"


# ---------------------------------------------------------------- glossary
def test_glossary_is_mined_from_the_summaries(ix):
    assert ix.gloss_en["reinforcement learning"] == ["강화 학습"]
    assert "reinforcement learning" in ix.gloss_ko["강화학습"]


def test_english_query_finds_korean_summary(ix):
    hits = ix.search("reinforcement learning")
    got = ids(hits)
    assert RL_KO in got
    assert got.index(RL_TITLE) < got.index(RL_KO)  # a direct match ranks above
    why = next(h for h in hits if h.id == RL_KO)
    assert why.reason == "reinforcement learning = 강화 학습"
    assert "강화 학습" in why.snippet


def test_korean_query_finds_english_title(ix):
    hits = ix.search("강화 학습")
    got = ids(hits)
    assert RL_TITLE in got and got.index(RL_KO) < got.index(RL_TITLE)
    hit = next(h for h in hits if h.id == RL_TITLE)
    assert hit.reason.startswith("강화 학습 = reinforcement learning")
    assert hit.spans  # the English words are painted in the title


# ---------------------------------------------------------------- relevance
def test_choseong_prefers_rare_whole_words(ix):
    got = ids(ix.search("ㄱㅇ ㅊㅈ"))
    assert got[0] == DEPTH   # 깊이 추정, although 것을/게임 + 추정 have far more votes


def test_summary_about_it_outranks_passing_mention(ix):
    got = ids(ix.search("확산 모델"))
    assert got.index(DIFF_ABOUT) < got.index(DIFF_PASSING)


# ---------------------------------------------------------------- authors
def test_author_filter_is_precise(ix):
    assert set(ids(ix.search("a:kaiming"))) == set(KAIMING)
    assert next(name for name, _ in ix.search_authors("kaiming")) == "Kaiming He"


def test_author_typos_still_tolerated(ix):
    assert set(ids(ix.search("kaiming he"))[:2]) == set(KAIMING)
    assert set(ids(ix.search("he kaiming"))[:2]) == set(KAIMING)
    assert ids(ix.search("csordas"))[0] == CSORDAS
    assert KAIMING[0] in ids(ix.search("a:kaimng"))  # a typo when no name matches


# ---------------------------------------------------------------- hits carry spans
def test_hit_spans_cover_typo_matches(ix):
    hit = ix.search("anythng")[0]
    assert hit.id == DEPTH
    assert "Depth Anything V2"[slice(*hit.spans[0])] == "Anything"


def test_snippet_spans_point_at_the_match(ix):
    hit = next(h for h in ix.search("깊이 추정") if h.id == DEPTH)
    assert hit.field == "summary"
    assert [hit.snippet[a:b] for a, b in hit.snippet_spans] == ["깊이", "추정"]


# ---------------------------------------------------------------- persistence
def test_saved_index_answers_the_same(ix):
    again = SearchIndex.from_bytes(ix.to_bytes())
    assert again.gloss_en == ix.gloss_en and again.gloss_ko == ix.gloss_ko
    for q in ("확산모델", "rlvdl cnwjd", "강화핫습", "reinforcement learning", "ㄱㅇ ㅊㅈ",
              "a:kaiming", "csordas"):
        assert [(h.id, h.reason, h.snippet) for h in again.search(q)] == \
            [(h.id, h.reason, h.snippet) for h in ix.search(q)], q
    assert list(again.titles) == list(ix.titles)
    assert list(again.authors_) == list(ix.authors_)
