"""Check 5: hypothesis feeds the digest parser and the search query parser (and the
search engine behind it) generated inputs; not one may raise, and everything the
parser keeps must be clean text."""

from __future__ import annotations

import re
import time

import orjson
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .stresskit import record

pytestmark = pytest.mark.stress

# What the parser must never let through into a stored string.
UNCLEAN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e"
                     "\u2066-\u2069\ufeff\u2028\u2029\ud800-\udfff]")

# ---------------------------------------------------------------- strategies
SPICE = ["[", "]", "(", ")", "[b]", "[/]", "[@click=app.quit]", "\x1b", "\x1b[31m",
         "\x1b]52;c;", "\x07", "\x9b", "\r", "\r\n", "\t", "\u202e", "\u200b", "\ufeff",
         "\ud800", "\\", "*", "**", "***", ":", ",", "'", '"', "+", "#", "-", "<video src=",
         "arxiv.org/abs/", "https://", "2024-06-14", "한국어", "ㄱㅇ", "\u1100\u1161",
         "e\u0301", "🧪", "\u0000", " ", "  ", "Vote:", "Authors:", "[Watch Video]"]

text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40)
spicy = st.lists(st.one_of(text, st.sampled_from(SPICE)), max_size=8).map("".join)
date = st.one_of(st.dates().map(str), st.sampled_from(["2024-13-45", "0000-00-00", "2024-6-1",
                                                        "", "yesterday"]), spicy)
url = st.one_of(
    st.builds("https://arxiv.org/abs/{}.{}".format, st.integers(0, 9999),
              st.integers(0, 99999)),
    st.builds("https://huggingface.co/papers/{}".format, spicy), spicy)

line = st.one_of(
    st.builds("## Daily Papers ({})".format, date),
    st.builds("# daily papers {}".format, spicy),
    st.builds("### [{}]({}){}".format, spicy, url, spicy),
    st.builds("### {}".format, spicy),
    st.builds("Vote: {}".format, st.one_of(st.integers(-10**20, 10**20).map(str), spicy)),
    st.builds("Authors: {}".format, st.one_of(spicy, st.lists(spicy, max_size=6).map(str),
                                              st.lists(spicy, max_size=6).map(", ".join))),
    st.builds("- **{}**: {}".format, spicy, spicy),
    st.builds("- {}".format, spicy),
    st.builds("  - {}".format, spicy),
    st.builds("![{}]({})".format, spicy, url),
    st.builds("[Watch Video]({})".format, url),
    st.builds('<video src="{}" controls></video>'.format, url),
    spicy,
)
digest = st.lists(line, max_size=30).map("\n".join)
raw = st.one_of(st.binary(max_size=400), digest.map(lambda s: s.encode("utf-8", "surrogatepass")),
                st.builds(lambda a, b: a.encode("utf-8", "surrogatepass") + b, digest,
                          st.binary(max_size=40)))
source = st.one_of(st.just("2024-06-14.md"), st.just("paper_logs/2024/06/14.md"), spicy)

query_word = st.one_of(
    spicy,
    st.sampled_from(["a:", "author:", "t:", "title:", "s:", "summary:", "id:", "d:", "date:",
                     "d>=", "d<", "v>", "v>=", "v<", "v<=", "v=", "votes>", "is:", "is:read",
                     "is:unread", "is:bookmarked", "tag:", "has:note", "-", "--", '"', "“",
                     "”", "„", "arxiv:", "2406.09414", "2406.094v", "2024-04", "ㄱㅇ ㅊㅈ",
                     "확사", "깊이", "Depth", "ab*", "OR", "AND", "(", ")"]),
    st.builds("{}{}".format, st.sampled_from(["a:", "t:", "d:", "v>", "-", "is:", '"']),
              spicy),
)
query = st.one_of(text, st.lists(query_word, max_size=10).map(" ".join),
                  st.lists(query_word, max_size=10).map("".join))


def _run(strategy, check, examples: int, full: bool) -> tuple[int, list[str]]:
    """``examples`` generated inputs through ``check``; (inputs run, failures)."""
    runs = 0
    failures: list[str] = []

    @settings(max_examples=examples, deadline=None, database=None, derandomize=not full,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink],
              report_multiple_bugs=False)
    @given(strategy)
    def inner(value):
        nonlocal runs
        runs += 1
        check(value)

    try:
        inner()
    except Exception as exc:  # noqa: BLE001 - hypothesis re-raises the shrunk failure
        failures.append(f"{type(exc).__name__}: {exc}"[:500])
    return runs, failures


def _strings(paper) -> list[str]:
    out = [paper.id, paper.title, paper.url, *paper.authors, *paper.dates,
           paper.thumbnail or "", paper.video or ""]
    for b in paper.bullets:
        out += [b.label or "", b.text, *b.children]
    return out


def check_parse(data: tuple[bytes, str]) -> None:
    from store.parse import parse_bytes

    parsed = parse_bytes(*data)
    for day in parsed.days:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day.date), day.date
        for paper in day.papers:
            for s in _strings(paper):
                assert isinstance(s, str) and not UNCLEAN.search(s), repr(s)
            orjson.dumps(paper.to_json())  # storable
    for w in parsed.warnings:
        assert "\n" not in str(w) and not UNCLEAN.search(str(w)), repr(str(w))


def check_query(text: str) -> None:
    from store.query import _parse, parse_query

    _parse(text)  # without parse_query's safety net
    parse_query(text)


_INDEX = []


def check_search(text: str) -> None:
    if not _INDEX:
        from store.db import SAMPLE_DIR
        from store.parse import parse_file
        from store.search import SearchIndex

        papers = [p for f in sorted(SAMPLE_DIR.glob("20*.md"))
                  for d in parse_file(f).days for p in d.papers]
        _INDEX.append(SearchIndex.build(papers))
    _INDEX[0].search(text, 20, state=lambda pid: (False, pid.endswith("4"), ["ml"], False))


def test_fuzz_parsers(full):
    started = time.monotonic()
    size = {"parse": 50_000, "query": 40_000, "search": 12_000} if full else \
        {"parse": 1_000, "query": 800, "search": 200}
    total = 0
    figures = []
    failures: list[str] = []
    for name, strategy, check in (
        ("parse", st.tuples(raw, source), check_parse),
        ("query", query, check_query),
        ("search", query, check_search),
    ):
        runs, failed = _run(strategy, check, size[name], full)
        total += runs
        figures.append(f"{name} {runs:,}")
        failures += [f"{name}: {f}" for f in failed]
    record("5 fuzzing",
           f"{total:,} generated inputs ({', '.join(figures)}), {len(failures)} exceptions "
           f"({time.monotonic() - started:.0f} s)")
    assert not failures, failures
    assert total >= (100_000 if full else 2_000)
