"""Search engine units: query parsing, Hangul helpers, ranking rules, state filters,
the authors index and persistence."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ids
from store import hangul
from store.models import Bullet, Paper
from store.query import Flag, parse_query, tokenize
from store.search import Hit, SearchIndex

ROOT = Path(__file__).resolve().parents[1]


def paper(pid, title="", *, authors=(), summary="", votes=None, dates=("2024-06-14",)):
    bullets = [Bullet(None, line) for line in summary.split("\n") if line] if summary else []
    return Paper(id=pid, title=title, url=f"https://arxiv.org/abs/{pid}", dates=list(dates),
                 votes=votes, authors=list(authors), bullets=bullets)


# ---------------------------------------------------------------- parse_query
def test_parse_free_text_and_fields():
    q = parse_query('depth a:huang author:"Zilong Huang" t:anything title:v2 s:깊이 summary:추정')
    by_field = {(t.text, t.field) for t in q.terms}
    assert ("depth", None) in by_field
    assert ("huang", "authors") in by_field
    assert ("zilong", "authors") in by_field and ("anything", "title") in by_field
    assert ("v2", "title") in by_field
    assert ("깊이", "summary") in by_field and ("추정", "summary") in by_field
    assert [p.words for p in q.phrases] == [["zilong", "huang"]]
    assert q.phrases[0].field == "authors"
    assert all(t.korean == hangul.is_hangul(t.text[0]) for t in q.terms)


def test_parse_quoted_phrase_in_title():
    q = parse_query('t:"depth anything"')
    assert [(t.text, t.field) for t in q.terms] == [("depth", "title"), ("anything", "title")]
    assert q.phrases[0].words == ["depth", "anything"] and q.phrases[0].field == "title"
    # typographic quotes and an unterminated quote
    assert parse_query("“depth anything”").phrases[0].words == ["depth", "anything"]
    assert parse_query('"depth anything').phrases[0].words == ["depth", "anything"]


def test_parse_dates_votes_ids():
    q = parse_query("d:2024-04 date:2024/06 d>=2024-04-01 d<2024-05 v>50 v>=5 v<10 v<=9 v=3")
    assert q.dates == ["2024-04", "2024-06"]
    assert q.date_bounds == [(">=", "2024-04-01"), ("<", "2024-05")]
    assert q.votes == [(">", 50), (">=", 5), ("<", 10), ("<=", 9), ("=", 3)]
    assert not q.terms
    q = parse_query("2406.09414 arXiv:2406.09415v2 id:2406.094 2024-06-14")
    assert [(t.text, t.field) for t in q.terms] == [
        ("2406.09414", "id"), ("2406.09415", "id"), ("2406.094", "id"), ("2024-06-14", "date")]


def test_parse_negated_filters():
    q = parse_query("-v>50 -d>=2024-04 -d:2024-06")
    assert q.votes == [("<=", 50)] and q.date_bounds == [("<", "2024-04")]
    assert [(t.text, t.field, t.negate) for t in q.terms] == [("2024-06", "date", True)]


def test_parse_state_flags_and_negation():
    q = parse_query("is:unread -is:bookmarked tag:Reading has:note -diffusion -\"image model\"")
    assert q.flags == [Flag("is", "unread"), Flag("is", "bookmarked", True),
                       Flag("tag", "reading"), Flag("has", "note")]
    assert [(t.text, t.negate) for t in q.terms] == [("diffusion", True)]
    assert q.phrases[0].words == ["image", "model"] and q.phrases[0].negate
    assert q.positive_terms == []


def test_parse_junk_is_text_not_error():
    for junk in ["", " ", "-", "--", "a:", "t:", 'a:"', '"', "v>abc", "v>", "d:", "is:",
                 ":::", "x:y", "\x00\x1b[31m", "\ud800", "-a:", "((", "v>99999999999999"]:
        q = parse_query(junk)
        assert isinstance(q.terms, list)
    assert parse_query("v>abc").votes == []
    assert [t.text for t in parse_query("foo:bar").terms] == ["foo", "bar"]
    assert parse_query("").is_empty() and parse_query("a:").is_empty()


_CHARS = "ab \uac00\uae4a\u3131\u3147\"\u201c\u201d-:<>=.0123456789vdtais\u1100\U0001F600\x00"
_PIECES = st.sampled_from(list(_CHARS)
                          + ["is:", "v>", "v>=", "d:", "d<", "a:", 't:"', "2406.", "-is:", "tag:",
                             "id:", "2024-0", "\u1100\u1161", "\u110b"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=20).map("".join) | st.text(max_size=40))
def test_parse_query_never_raises(text):
    q = parse_query(text)
    assert all(t.text for t in q.terms)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=30))
def test_search_never_raises_on_any_text(small_index, text):
    hits = small_index.search(text, 10, state=lambda pid: (False, True))
    assert all(isinstance(h, Hit) for h in hits)


def test_jamo_spellings_normalise_to_the_same_query():
    compat = parse_query("ㄱㅇ 깊이")
    conj = parse_query("\u1100\u110b \u1100\u1175\u11c1\u110b\u1175")  # conjoining jamo
    nfd = parse_query(unicodedata.normalize("NFD", "ㄱㅇ 깊이"))
    assert [t.text for t in compat.terms] == [t.text for t in conj.terms] == \
        [t.text for t in nfd.terms] == ["ㄱㅇ", "깊이"]


# ---------------------------------------------------------------- Hangul helpers
def test_hangul_decompose_compose_and_choseong():
    assert hangul.decompose("값") == (0, 0, 18)
    assert hangul.compose(*hangul.decompose("깊")) == "깊"
    assert hangul.choseong("깊이 추정 (MDE)") == "ㄱㅇ ㅊㅈ (MDE)"
    assert hangul.keystrokes("값과") == "ㄱㅏㅂㅅㄱㅗㅏ"
    assert hangul.normalize("\u1100\u1161") == "가"        # NFC composes
    assert hangul.normalize("\u1100") == "ㄱ"              # lone conjoining -> compat
    assert hangul.initial_range("ㄱ") == ("가", "깋")
    assert hangul.literal_head("깊이추") == "깊이"
    assert hangul.skeleton("깊ㅇ") == "ㄱㅇ"


@pytest.mark.parametrize("typed, text", [
    ("저", "정"), ("추저", "추정"), ("확사", "확산"), ("고", "과"), ("달", "닭"),
    ("춪", "추정"), ("깊ㅇ", "깊이"), ("ㄱㅇ", "깊이"), ("ㅎㅅ", "확산"), ("모ㄷ", "모델"),
    ("갑", "값"), ("확산", "확산"),
])
def test_half_typed_and_choseong_patterns_match(typed, text):
    assert re.match(hangul.term_pattern(typed), text)


@pytest.mark.parametrize("typed, text", [
    ("저", "자"), ("추저", "추자"), ("확사", "확서"), ("과", "고"), ("ㄱㅇ", "기사"),
    ("닭", "달"),
])
def test_half_typed_patterns_reject(typed, text):
    assert not re.fullmatch(hangul.term_pattern(typed), text)


def test_tokenize_splits_korean_and_latin_and_folds_accents():
    assert tokenize("Depth-Anything의 깊이 추정(MDE)") == ["depth", "anything", "의", "깊이", "추정",
                                                       "mde"]
    assert tokenize("Petar Veličković, Sören") == ["petar", "velickovic", "soren"]


# ---------------------------------------------------------------- ranking rules
@pytest.fixture(scope="module")
def small_index():
    return SearchIndex.build([
        paper("0001.00001", "A zebra in the title", votes=1, dates=["2024-01-01"]),
        paper("0001.00002", "Nothing here", authors=["Zebra Smith", "Ann Lee"], votes=100,
              dates=["2024-01-02"]),
        paper("0001.00003", "Nothing either", summary="이 논문은 zebra 얼룩말의 깊이 추정을 다룹니다.",
              votes=1000, dates=["2024-01-03"]),
        paper("0002.00001", "Quokka methods", votes=5, dates=["2024-02-01"]),
        paper("0002.00002", "Quokka models", votes=10, dates=["2024-02-01"]),
        paper("0002.00003", "Quokka agents", votes=10, dates=["2024-02-03", "2023-11-30"]),
        paper("0002.00004", "Quokka without votes", votes=None, dates=["2024-03-01"]),
        paper("0003.00001", "Depth Anything V2", authors=["Zilong Huang", "Lihe Yang"],
              summary="단일 카메라 깊이 추정 모델\n확산 모델과 비교합니다.", votes=87,
              dates=["2024-06-14"]),
        paper("0003.00002", "Diffusion Transformers at scale", authors=["Lihe Yang"],
              summary="확산 모델 트랜스포머", votes=3, dates=["2024-06-13"]),
    ])


def test_title_beats_authors_beats_summary(small_index):
    hits = small_index.search("zebra")
    assert ids(hits) == ["0001.00001", "0001.00002", "0001.00003"]
    assert [h.field for h in hits] == ["title", "authors", "summary"]
    assert hits[0].spans == [(2, 7)]
    assert hits[1].snippet == "Zebra Smith"
    assert "zebra" in hits[2].snippet
    assert hits[0].score > hits[1].score > hits[2].score


def test_ties_go_to_votes_then_newer_day_none_last(small_index):
    assert ids(small_index.search("quokka")) == [
        "0002.00003", "0002.00002", "0002.00001", "0002.00004"]


def test_every_term_must_match_somewhere(small_index):
    assert ids(small_index.search("zebra smith")) == ["0001.00002"]
    assert ids(small_index.search("depth 깊이")) == ["0003.00001"]     # title + summary
    assert small_index.search("zebra quokka") == []


def test_votes_filters_and_none(small_index):
    assert "0002.00004" not in ids(small_index.search("quokka v>0"))
    assert "0002.00004" not in ids(small_index.search("quokka v<100"))
    assert ids(small_index.search("quokka v>=10")) == ["0002.00003", "0002.00002"]
    assert ids(small_index.search("quokka v=5")) == ["0002.00001"]
    assert ids(small_index.search("quokka v<=5")) == ["0002.00001"]
    assert small_index.search("v>100000") == []


def test_date_prefix_matches_any_of_the_dates(small_index):
    assert ids(small_index.search("quokka d:2023-11")) == ["0002.00003"]
    assert set(ids(small_index.search("d:2024-02"))) == {"0002.00001", "0002.00002",
                                                           "0002.00003"}
    assert ids(small_index.search("quokka d>=2024-03")) == ["0002.00004"]
    assert ids(small_index.search("quokka d<2024")) == ["0002.00003"]
    assert ids(small_index.search("quokka -d:2024-02")) == ["0002.00004"]
    assert ids(small_index.search("quokka -v>5")) == ["0002.00001"]
    hit = small_index.search("2024-03-01")[0]
    assert (hit.id, hit.field) == ("0002.00004", "date")


def test_id_search(small_index):
    hit = small_index.search("0003.00001")[0]
    assert (hit.id, hit.field) == ("0003.00001", "id")
    assert set(ids(small_index.search("0002.0000"))) == {
        "0002.00001", "0002.00002", "0002.00003", "0002.00004"}


def test_negation_and_phrases(small_index):
    assert ids(small_index.search("quokka -models -agents")) == ["0002.00001", "0002.00004"]
    assert ids(small_index.search('"diffusion transformers"')) == ["0003.00002"]
    assert small_index.search('"transformers diffusion"') == []
    assert ids(small_index.search('s:"확산 모델"')) == ["0003.00001", "0003.00002"]
    assert ids(small_index.search('-"확산 모델" 깊이')) == ["0001.00003"]


def test_field_filters(small_index):
    assert ids(small_index.search("a:zebra")) == ["0001.00002"]
    assert ids(small_index.search("t:zebra")) == ["0001.00001"]
    assert ids(small_index.search("s:zebra")) == ["0001.00003"]
    assert ids(small_index.search("a:yang t:diffusion")) == ["0003.00002"]


def test_korean_choseong_and_half_typed(small_index):
    # both summaries say 깊이 추정; more votes first
    assert ids(small_index.search("ㄱㅇ ㅊㅈ")) == ["0001.00003", "0003.00001"]
    assert ids(small_index.search("깊이 추저")) == ["0001.00003", "0003.00001"]
    assert ids(small_index.search("깊ㅇ 추")) == ["0001.00003", "0003.00001"]
    assert set(ids(small_index.search("확사"))) == {"0003.00001", "0003.00002"}
    assert small_index.search("얼룩") and small_index.search("뷁") == []


def test_typos_and_prefixes(small_index):
    assert ids(small_index.search("depht anyting")) == ["0003.00001"]
    assert ids(small_index.search("anything depth"))[0] == "0003.00001"
    assert ids(small_index.search("diffus transf")) == ["0003.00002"]
    assert small_index.search("zzqxv") == []


def test_state_filters(small_index):
    read = {"0002.00001", "0002.00002"}
    marked = {"0002.00002"}

    def state(pid):
        return (pid in read, pid in marked)

    assert ids(small_index.search("quokka is:unread", state=state)) == ["0002.00003",
                                                                         "0002.00004"]
    assert ids(small_index.search("quokka is:read", state=state)) == ["0002.00002",
                                                                       "0002.00001"]
    assert ids(small_index.search("is:bookmarked", state=state)) == ["0002.00002"]
    assert ids(small_index.search("quokka -is:bookmarked is:read", state=state)) == [
        "0002.00001"]
    # no callback: nothing is read or bookmarked
    assert len(small_index.search("quokka is:unread")) == 4
    assert small_index.search("is:bookmarked") == []
    # flags with no registered test (tag:, has:) are ignored, not fatal
    assert len(small_index.search("quokka tag:x has:note", state=state)) == 4


def test_state_hook_accepts_new_filters(small_index, monkeypatch):
    from store import search

    monkeypatch.setitem(search.STATE_TESTS, "tag", lambda st, v: v in st[2])
    state = lambda pid: (False, False, ["fav"] if pid == "0002.00001" else [])  # noqa: E731
    assert ids(small_index.search("quokka tag:fav", state=state)) == ["0002.00001"]


def test_limit_and_empty_query(small_index):
    assert len(small_index.search("quokka", limit=2)) == 2
    assert small_index.search("quokka", limit=0) == []
    assert small_index.search("") == [] and small_index.search("   ") == []


# ---------------------------------------------------------------- authors index
def test_authors_index(small_index):
    assert small_index.authors()[0] == ("Lihe Yang", 2)
    assert dict(small_index.authors())["Zebra Smith"] == 1
    assert small_index.search_authors("yang")[0] == ("Lihe Yang", 2)
    assert small_index.search_authors("zilong hunag")[0] == ("Zilong Huang", 1)
    assert small_index.search_authors("huang zilong")[0] == ("Zilong Huang", 1)
    assert small_index.search_authors("qqqqzz") == []
    assert small_index.papers_by_author("Lihe Yang") == ["0003.00001", "0003.00002"]
    assert small_index.papers_by_author("lihe yang") == ["0003.00001", "0003.00002"]
    assert small_index.papers_by_author("Nobody") == []


# ---------------------------------------------------------------- persistence
def test_round_trip_bytes(small_index):
    again = SearchIndex.from_bytes(small_index.to_bytes())
    for q in ["zebra", "quokka", "ㄱㅇ ㅊㅈ", "depht anyting", "d:2024-02 v>5", "0003.0000",
              '"diffusion transformers"', "확사", "a:yang"]:
        assert again.search(q) == small_index.search(q), q
    assert again.authors() == small_index.authors()
    assert again.to_bytes() == small_index.to_bytes()


def test_from_bytes_rejects_garbage(small_index):
    with pytest.raises(ValueError):
        SearchIndex.from_bytes(b"not an index")
    data = small_index.to_bytes()
    with pytest.raises(ValueError, match="damaged search index"):
        SearchIndex.from_bytes(data[: len(data) // 2])


def test_empty_index():
    ix = SearchIndex.from_bytes(SearchIndex.build([]).to_bytes())
    assert ix.search("anything") == [] and ix.authors() == []


def test_duplicate_ids_are_merged():
    ix = SearchIndex.build([paper("1.1", "Same paper", dates=["2024-01-01"]),
                            paper("1.1", "Same paper", summary="요약", dates=["2024-01-02"])])
    assert len(ix) == 1
    assert ids(ix.search("d:2024-01-01")) == ["1.1"] and ids(ix.search("요약")) == ["1.1"]


def test_store_modules_do_not_import_ui():
    code = ("import sys, store.search, store.query, store.hangul, store.authorindex; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       check=False)
    assert r.returncode == 0, r.stdout + r.stderr


def test_highlight_spans_for_typos_prefixes_and_infixes(small_index):
    assert small_index.search("difus")[0].spans == [(0, 6)]          # "Diffus"
    assert small_index.search("depht")[0].spans == [(0, 5)]          # "Depth"
    hit = small_index.search("former")[0]
    assert hit.id == "0003.00002" and hit.spans == [(15, 21)]       # Trans|former|s


def test_odd_text_still_persists():
    ix = SearchIndex.build([paper("x\ud800", "bad \udc00 title", summary="ok \ud83d")])
    again = SearchIndex.from_bytes(ix.to_bytes())
    assert [h.id for h in again.search("bad title")] == ["x\ufffd"]
