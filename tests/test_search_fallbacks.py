"""What the engine does when the query as typed is not what the archive wrote: single
words of the mined glossary, a jamo typo standing next to the other word, and the
papers that have all but one word when no paper has every word."""

from __future__ import annotations

import pytest

from conftest import ids, settle
from store.models import Bullet, Paper
from store.search import SearchIndex
from store.search.glossary import mine_glossary
from tui.app import PapersApp
from tui.screens.search import SearchScreen


def paper(pid, title, summary="", *, votes=None):
    bullets = [Bullet(None, line) for line in summary.split("\n") if line]
    return Paper(id=pid, title=title, url="", dates=["2024-06-14"], votes=votes,
                 authors=["A. Writer"], bullets=bullets)


# the pairs say 확산 = diffusion only inside longer terms, never alone
PAIRS = ["비디오 확산 모델 (video diffusion models)", "잠재 확산 모델 (latent diffusion model)",
         "이미지 확산 모델 (image diffusion models)", "텍스트 확산 (text diffusion)",
         "지도 학습 (supervised learning)", "지도 정렬 (supervised alignment)",
         "감독 학습 (supervised learning)", "감독 정렬 (supervised alignment)"]
QUOKKA = "2401.00001"       # English title, its summary never says 확산
ADJACENT = "2401.00002"     # "정확도를 제공하는", few votes
APART = "2401.00003"        # both words, apart, many votes
SLEEP = "2401.00004"        # 수면 단계
BENCH = "2401.00005"        # 벤치마크, never 벤치마크와는
APART_ENDING = "2401.00006"  # 벤치마크 ... Transformer와는


def corpus() -> list[Paper]:
    papers = [paper(f"2400.{i:05d}", f"Paper {i}", PAIRS[i % len(PAIRS)], votes=1)
              for i in range(3 * len(PAIRS))]
    papers += [
        paper(QUOKKA, "Diffusion for Quokka Herding", "새로운 목축 방법을 다룹니다.", votes=2),
        paper(ADJACENT, "Sentence summaries", "높은 정확도를 제공하는 요약기를 만듭니다.", votes=1),
        paper(APART, "Other summaries", "정확도를 높입니다. 그리고 도구를 제공하는 방법.", votes=900),
        paper(SLEEP, "Sleep staging", "수면 단계를 분류합니다.", votes=1),
        paper(BENCH, "Bench one", "새 벤치마크 설계", votes=1),
        paper(APART_ENDING, "Bench two", "새 벤치마크 제안. Transformer와는 다릅니다.", votes=100),
    ]
    # ㅅㅁ ㄷㄱ typed as keys is "ta er": these would win a layout switch
    papers += [paper(f"2402.{i:05d}", f"Tango Erosion {i}", "", votes=5) for i in range(4)]
    return papers


@pytest.fixture(scope="module")
def ix() -> SearchIndex:
    return SearchIndex.build(corpus())


def test_words_aligned_inside_terms_enter_the_glossary():
    en, ko = mine_glossary([p.summary_text() for p in corpus()])
    assert en["diffusion"] == ["확산"] and "diffusion" in ko["확산"]
    assert en["model"] == ["모델"]
    # 지도 and 감독 share "supervised" half and half: no single word is trusted
    assert "supervised" not in en and "supervised" not in ko.get("지도", [])


def test_korean_word_finds_english_title_through_aligned_word(ix):
    hits = ix.search("확산 quokka")
    assert ids(hits) == [QUOKKA]
    assert hits[0].reason.startswith("확산 = diffusion")
    assert hits[0].spans  # Diffusion and Quokka painted in the title


def test_jamo_typo_counts_as_standing_next_to_the_other_word(ix):
    got = ids(ix.search("정확도를 쥬공하는"))  # ㅔ -> ㅠ: 제공하는
    assert got[:2] == [ADJACENT, APART]     # together first, although 900 votes apart


def test_no_paper_with_every_word_gives_papers_without_one(ix):
    hits = ix.search("오토레그레시브 quokka")   # a word the archive never writes
    assert list(hits) == []                     # every hit still has every word
    assert ids(hits.partial) == [QUOKKA]
    assert hits.partial[0].reason == "without 오토레그레시브"
    assert ix.search("quokka herding").partial == []   # not when the words all match
    assert ix.search("quokkaherdingzz").partial == []   # one word typed: nothing to drop
    # nor the papers of a word still being typed alone
    assert ix.search("zzqxvwk he").partial == []       # (he: Herding, A. Writer ...)


def test_initials_that_find_something_are_not_read_as_the_other_layout(ix):
    hits = ix.search("ㅅㅁ ㄷㄱ")
    assert ids(hits) == [SLEEP] and hits.searched_for == ""
    assert ix.search("ta er").searched_for == ""  # (what the keys spell finds more)
    assert len(ix.search("ta er")) > 1


def test_particles_are_not_a_piece_of_a_glued_word(ix):
    # 벤치마크와는 is not 벤치마크 + 와는 (the ending of Transformer와는)
    assert APART_ENDING not in ids(ix.search("벤치마크와는"))
    assert set(ids(ix.search("벤치마크"))) == {BENCH, APART_ENDING}


async def test_search_screen_lists_them_and_says_so(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot, 0.1)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"depth zzqxvwk")
        for _ in range(100):
            await pilot.pause(0.02)
            if screen.shown_query == "depth zzqxvwk" and not screen.workers:
                break
        await pilot.pause(0.1)
        rows = screen.results.rows
        assert rows and rows[0].id == "2406.09414"
        text = screen_text(app)
        assert "0 results with every word" in text and "without some" in text
        assert "without zzqxvwk" in text
