"""Search quality over the bundled sample (+ a few hand-made papers): a table of
queries and what must come back.

Expectations:
  ("top", [ids])       the first results, exactly in this order
  ("top_set", {ids})   the first len(ids) results, in any order
  ("first_in", {ids})  the best result is one of these
  ("has", {ids})       all of these are among the results
  ("empty", None)      nothing at all
"""

from __future__ import annotations

from pathlib import Path

import pytest

from store.models import Bullet, Paper
from store.parse import parse_file
from store.search import SearchIndex

SAMPLE = Path(__file__).resolve().parents[1] / "store" / "sample"

FIXTURES = [
    Paper(id="9912.00001", title="한국어 대규모 언어 모델 벤치마크", url="", votes=5,
          dates=["2024-06-14"], authors=["김민수", "이지은"],
          bullets=[Bullet("What's New", "한국어 이해 능력을 평가하는 새로운 벤치마크를 제안합니다.")]),
    Paper(id="9912.00002", title="Speculative Decoding Revisited", url="", votes=None,
          dates=["2024-04-15"], authors=["Jane Roe"],
          bullets=[Bullet(None, "추측 디코딩을 다시 살펴봅니다.")]),
    Paper(id="9912.00003", title="Graph Attention Reasoners", url="", votes=2,
          dates=["2024-02-20", "2023-12-14"], authors=["Petar Veličković", "Ann Lee"],
          bullets=[Bullet(None, "그래프 신경망 추론")]),
]


def _load() -> list[Paper]:
    merged: dict[str, Paper] = {}
    for path in sorted(SAMPLE.glob("*.md")):
        for day in parse_file(path).days:
            for p in day.papers:
                old = merged.get(p.id)
                if old is None:
                    merged[p.id] = p
                else:
                    old.dates = sorted(set(old.dates) | set(p.dates), reverse=True)
    for p in FIXTURES:
        merged[p.id] = p
    return list(merged.values())


@pytest.fixture(scope="module")
def corpus() -> list[Paper]:
    papers = _load()
    assert len(papers) == 75 + len(FIXTURES)
    return papers


@pytest.fixture(scope="module")
def index(corpus) -> SearchIndex:
    return SearchIndex.from_bytes(SearchIndex.build(corpus).to_bytes())


def _with(corpus, phrase: str) -> set[str]:
    """Ids of the papers whose summary contains ``phrase`` literally."""
    return {p.id for p in corpus if phrase in p.summary_text()}


DEPTH_V2 = "2406.09414"
CASES = [
    # exact titles
    ("Depth Anything V2", "top", [DEPTH_V2]),
    ("OpenVLA: An Open-Source Vision-Language-Action Model", "top", ["2406.09246"]),
    ("Rho-1: Not All Tokens Are What You Need", "top", ["2404.07965"]),
    ("speculative streaming", "top", ["2402.11131"]),
    ("Sparse Laneformer", "top", ["2404.07821"]),
    ("Transformers meet Neural Algorithmic Reasoners", "top", ["2406.09308"]),
    # typos
    ("depht anyting", "top", [DEPTH_V2]),
    ("specualtive streeming", "top", ["2402.11131"]),
    ("mixtrue of experts", "top", ["2312.07987"]),
    ("hallucinaton", "top_set", {"2406.07457", "2406.09358"}),
    ("laneformr", "top", ["2404.07821"]),
    ("recurent gemma", "top", ["2404.07839"]),
    ("trasnformers algorithmic", "top", ["2406.09308"]),
    # word order
    ("anything depth", "top", [DEPTH_V2]),
    ("streaming speculative", "top", ["2402.11131"]),
    ("hallucinations diffusion models", "top", ["2406.09358"]),
    # partial words / prefixes (typing)
    ("depth anyth", "top", [DEPTH_V2]),
    ("switchh", "top", ["2312.07987"]),
    ("osw", "first_in", {"2404.07972"}),
    ("jetm", "top", ["2404.07413"]),
    ("diffusion transf", "first_in", {"2406.08552", "2402.12376"}),
    # authors: full, last name only, typo, accents
    ("Zilong Huang", "top", [DEPTH_V2]),
    ("karras", "top", ["2404.07724"]),
    ("a:levine", "top", ["2406.09246"]),
    ("chelsea finn", "top", ["2406.09246"]),
    ("zilong hunag", "first_in", {DEPTH_V2}),
    ("a:kynkaanniemi", "top", ["2404.07724"]),
    ("a:velickovic", "top", ["2406.09308", "9912.00003"]),
    ("a:김민수", "top", ["9912.00001"]),
    # Korean words and phrases
    ("깊이 추정", "top", [DEPTH_V2, "2404.08540"]),
    ("로봇 조작", "top", ["2406.09246"]),
    ("양자화", "top_set", {"2406.09246", "2402.11295"}),
    ("금융", "top", ["2402.10986"]),
    ("음악", "top_set", {"2402.12226", "2404.07616"}),
    ("t:벤치마크", "top", ["9912.00001"]),
    # choseong
    ("ㄱㅇ ㅊㅈ", "top", [DEPTH_V2]),
    ("ㄹㅂ ㅈㅈ", "top", ["2406.09246"]),
    ("ㅎㅅ ㅁㄷ", "has", "확산 모델"),
    ("ㅅㅅ ㅁㄷ", "has", "생성 모델"),
    # half-typed last syllable
    ("깊이 추저", "top", [DEPTH_V2, "2404.08540"]),
    ("확사", "has", "확산"),
    ("로봇 조자", "top", ["2406.09246"]),
    ("생성 모데", "has", "생성 모델"),
    ("강화학습", "top", ["2404.08495"]),
    ("깊이추정", "top", [DEPTH_V2, "2404.08540"]),      # typed without the space
    ("로봇조작", "top", ["2406.09246"]),
    ("깊ㅇ 추", "first_in", {DEPTH_V2}),
    # field filters, ids, dates, votes
    ('t:"depth anything"', "top", [DEPTH_V2]),
    ("t:depth", "top_set", {DEPTH_V2, "2404.08540"}),
    ("s:depth", "top", [DEPTH_V2]),
    ("d:2023-12 t:transformer", "top_set", {"2312.07987", "2312.07859"}),
    ("v>50", "top", [DEPTH_V2]),
    ("v>=30 d:2024-04", "top", ["2404.07965", "2404.07987"]),
    ("v<5 t:bench", "top", ["2406.09356"]),
    ("2406.09414", "top", [DEPTH_V2]),
    ("id:2312.0798", "top", ["2312.07987"]),
    ("d:2024-02-20 a:huang", "top_set", {"2402.12376", "2402.11550", "2402.11690",
                                         "2402.12225"}),
    ("d:2023-12-14 t:graph", "top_set", {"2312.07859", "9912.00003"}),
    ("d:2024-02 t:graph", "top", ["9912.00003"]),   # listed on two days
    ("t:speculative", "top", ["2402.11131", "9912.00002"]),   # no votes last
    ('"diffusion model" d:2024-02', "top", ["2402.12376"]),
    ("-diffusion t:hallucination", "top", ["2406.07457"]),
    # nothing
    ("zzqxv", "empty", None),
    ("v>100000", "empty", None),
    ("뷁뷁", "empty", None),
    ("사과나무", "empty", None),
    ("d:1999", "empty", None),
    ("qwertyuiop asdfgh", "empty", None),
    ("a:depth", "empty", None),
    ("depth zzqxv", "empty", None),
    ("t:깊이", "empty", None),
]


@pytest.mark.parametrize("query, kind, expected", CASES, ids=[c[0] for c in CASES])
def test_query(index, corpus, query, kind, expected):
    got = [h.id for h in index.search(query, 50)]
    if kind == "top":
        assert got[: len(expected)] == expected, got[:5]
    elif kind == "top_set":
        assert set(got[: len(expected)]) == expected, got[:5]
    elif kind == "first_in":
        assert got and got[0] in expected, got[:5]
    elif kind == "has":
        want = _with(corpus, expected)
        assert want and want <= set(got), sorted(want - set(got))
    else:
        assert got == [], got[:5]


def test_table_is_big_enough():
    assert len(CASES) >= 40


def test_choseong_phrase_ranks_adjacent_words_first(index, corpus):
    """ㄱㅇ ㅊㅈ: papers with the two words side by side (깊이 추정, 경우 최적) come before
    papers that merely have a ㄱㅇ word and a ㅊㅈ word somewhere."""
    got = [h.id for h in index.search("ㄱㅇ ㅊㅈ")]
    assert len(got) > 10
    assert _with(corpus, "깊이 추정") <= set(got[:5])


def test_hits_carry_spans_and_snippets(index):
    hit = index.search("depth anything")[0]
    assert hit.field == "title" and hit.spans == [(0, 5), (6, 14)]
    hit = index.search("깊이 추정")[0]
    assert hit.field == "summary" and "깊이 추정" in hit.snippet and hit.spans == []
    hit = index.search("karras")[0]
    assert hit.field == "authors" and hit.snippet == "Tero Karras"
    hit = index.search("diffusion transformer")[0]
    title = next(p.title for p in FIXTURES + _load() if p.id == hit.id)
    assert [title[a:b].lower() for a, b in hit.spans] == ["diffusion", "transformer"]
