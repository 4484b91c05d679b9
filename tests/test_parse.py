"""store.parse: fixtures (small excerpts of the real archive plus a few made-up edge cases)."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.models import Bullet
from store.parse import clean_text, paper_id_from_url, parse_bytes, parse_file, parse_text
from store.parsed import ParsedFile, ParseWarning

FIX = Path(__file__).resolve().parent / "fixtures" / "parse"
THUMB = "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{}.png"
CDN = "https://cdn-uploads.huggingface.co/production/uploads/60f1abe7544c2adfd699860c/"
DAY = "## Daily Papers (2024-01-02)\n"
T1 = "### [T](https://arxiv.org/abs/2401.00001)\n"


def parse(name: str) -> ParsedFile:
    return parse_file(FIX / name)


def papers(pf: ParsedFile):
    return [p for d in pf.days for p in d.papers]


def messages(pf: ParsedFile) -> list[tuple[int, str]]:
    return [(w.line, w.message) for w in pf.warnings]


# ------------------------------------------------------------------ clean_text


def test_clean_text_keeps_printable_text_as_is():
    for s in ["", "plain ascii", "깊이 추정(MDE) 모델", "[bold red]x[/] [link=x]y[/link]", "a\nb"]:
        assert clean_text(s) == s


def test_clean_text_removes_escape_sequences_and_controls():
    assert clean_text("a\x1b[31mred\x1b[0m b") == "ared b"
    assert clean_text("\x1b]0;window title\x07visible") == "visible"
    assert clean_text("x\x1b]52;c;ZXZpbA==\x1b\\y") == "xy"
    assert clean_text("x\x1b]8;;http://e.x\x1b\\link\x1b]8;;\x1b\\y") == "xlinky"
    assert clean_text("reset\x1bc!") == "reset!"
    assert clean_text("charset\x1b(B!") == "charset!"
    assert clean_text("dcs\x1bPq#0\x1b\\!") == "dcs!"
    assert clean_text("lone\x1b") == "lone"
    assert clean_text("nul\x00 bel\x07 del\x7f c1\x85\x9b ff\x0c vt\x0b") == "nul bel del c1 ff vt"


def test_clean_text_bidi_zero_width_tabs_newlines():
    assert clean_text("a\u202eevil\u202c b\u2066c\u2069 \u200ed\u200f \u061ce") == "aevil bc d e"
    assert clean_text("zero\u200bwidth\ufeff") == "zerowidth"
    assert clean_text("\ufeffbom") == "bom"
    assert clean_text("a\tb") == "a b"
    assert clean_text("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert clean_text("a\u2028b\u2029c") == "a b c"
    assert clean_text("zwj \u200d kept") == "zwj \u200d kept"  # emoji joiner is not a control


def test_clean_text_nfc_and_surrogates():
    assert clean_text("Zoe\u0308") == "Zoë"
    assert clean_text("\u1100\u1161\u11a8") == "각"  # conjoining jamo -> syllable
    assert clean_text("bad\ud800x") == "bad\ufffdx"


# ------------------------------------------------------------------ paper ids


@pytest.mark.parametrize(
    "url, pid",
    [
        ("https://arxiv.org/abs/2406.09414", "2406.09414"),
        ("https://arxiv.org/abs/2406.09414v2", "2406.09414"),
        ("http://export.arxiv.org/abs/2406.09414v12", "2406.09414"),
        ("https://arxiv.org/pdf/2406.09414v2.pdf", "2406.09414"),
        ("https://arxiv.org/pdf/2406.09414", "2406.09414"),
        ("https://arxiv.org/html/2406.09414v1", "2406.09414"),
        ("https://huggingface.co/papers/2502.00002", "2502.00002"),
        ("https://arxiv.org/abs/1501.0001", "1501.0001"),
        ("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
        ("https://arxiv.org/abs/hep-th/9901001v3", "hep-th/9901001"),
        ("https://arxiv.org/abs/math.GT/0309136", "math.GT/0309136"),
        ("2406.09414v2", "2406.09414"),
        ("arXiv:2406.09414", "2406.09414"),
        ("https://example.org/paper(1)", "https://example.org/paper(1)"),
        (" https://example.org/\x1b[31mx ", "https://example.org/x"),
        ("", ""),
    ],
)
def test_paper_id_from_url(url, pid):
    assert paper_id_from_url(url) == pid


# ------------------------------------------------------------------ days


def test_basic_real_excerpt():
    pf = parse("basic.md")
    assert pf.source == str(FIX / "basic.md")
    assert pf.warnings == []
    assert [d.date for d in pf.days] == ["2024-06-14"]
    (p,) = papers(pf)
    assert p.id == "2406.09414"
    assert p.title == "Depth Anything V2"
    assert p.url == "https://arxiv.org/abs/2406.09414"
    assert p.dates == ["2024-06-14"]
    assert p.votes == 87
    assert p.authors == ["Zilong Huang", "Jiashi Feng", "Bingyi Kang", "Xiaogang Xu",
                         "Hengshuang Zhao", "Lihe Yang", "Zhen Zhao"]
    assert not p.authors_truncated
    assert p.thumbnail == THUMB.format("2406.09414")
    assert p.video is None
    assert [b.label for b in p.bullets] == ["What's New", "Technical Details",
                                            "Performance Highlights"]
    assert p.bullets[0] == Bullet("What's New",
                                  "이 논문에서는 기존의 단일 카메라 깊이 추정(MDE, Monocular De")
    assert all(b.children == [] for b in p.bullets)


def test_repeated_header_merges_and_repeated_paper_keeps_first():
    pf = parse("repeated_header.md")  # 2025-01-02: the real file has its header twice
    assert [d.date for d in pf.days] == ["2025-01-02"]
    assert [p.id for p in papers(pf)] == ["2412.19723", "2412.19638", "2412.20735"]
    assert papers(pf)[0].votes == 23  # the first copy, not the repeat
    assert messages(pf) == [
        (27, "day header 2025-01-02 repeated; merged into one day"),
        (42, "paper 2412.19723 repeated on 2025-01-02; kept the first"),
    ]


def test_crlf_keeps_line_numbers():
    data = (FIX / "repeated_header.md").read_bytes().replace(b"\n", b"\r\n")
    pf = parse_bytes(b"\xef\xbb\xbf" + data, "x.md")
    assert [w.line for w in pf.warnings] == [27, 42]
    assert [p.id for p in papers(pf)] == ["2412.19723", "2412.19638", "2412.20735"]


def test_two_dates_in_one_file_are_two_days():
    pf = parse("two_days.md")  # 2410.09342 is listed on 2024-10-16 and on 2024-10-18
    assert pf.warnings == []
    assert [(d.date, [p.id for p in d.papers]) for d in pf.days] == [
        ("2024-10-16", ["2410.09342"]), ("2024-10-18", ["2410.09342"])]
    a, b = papers(pf)
    assert (a.dates, a.votes, a.title[:9]) == (["2024-10-16"], 15, "LLM$\\time")
    assert (b.dates, b.votes, b.title[:9]) == (["2024-10-18"], 34, "LLMtimesM")
    assert b.authors[:2] == ["Zihan Zhou", "Zhixing Tan"]  # a list-string author line


def test_no_header_date_from_path():
    pf = parse("2023/11/21.md")  # the real 2023-11-21 without its header
    assert pf.warnings == []
    assert [d.date for d in pf.days] == ["2023-11-21"]
    a, b = papers(pf)
    assert (a.id, a.votes, a.dates) == ("2311.10770", None, ["2023-11-21"])
    assert a.thumbnail == CDN + "J4Fjt08cj7la_ElXbOyoR.png"
    assert [x.label for x in a.bullets] == [None] * 5
    assert a.bullets[-1] == Bullet(None, "연구팀은 학습 코드, 벤치마킹 설정 및 모델 가중치를 공개합니다.")
    assert (b.id, b.thumbnail, b.video) == ("2311.10982", None, CDN + "D-WQoAl7gR1AwRZ0RXNkW.mp4")


def test_no_header_date_from_file_name_and_continuation_line():
    pf = parse("digest-2024-08-16-notes.md")
    assert pf.warnings == []
    (p,) = papers(pf)
    assert (p.id, p.dates, p.votes) == ("2408.08172", ["2024-08-16"], 6)
    assert [b.label for b in p.bullets] == ["What's New", "Technical Details",
                                            "Memory Pruning Details"]
    assert p.bullets[1].children == [
        ("x=log10(memory-size), y=log10(error-rate), memory-size는 [10^3, 10^9] 사이에 있고, "
         "error-rate는 [0, 100] 범위입니다.")]


def test_no_date_anywhere_warns_and_yields_nothing():
    pf = parse("no_date.md")
    assert pf.days == []
    assert messages(pf) == [(1, "no day header and no date in the file name; nothing taken")]
    assert parse_text("", "").days == []


def test_header_date_checks():
    text = (FIX / "basic.md").read_text(encoding="utf-8")
    pf = parse_text(text, "logs/2024/06/15.md")
    assert [d.date for d in pf.days] == ["2024-06-14"]
    assert messages(pf) == [
        (1, "day header date 2024-06-14 differs from the file name date 2024-06-15")]
    bad = text.replace("2024-06-14)", "2024-13-40)")
    pf = parse_text(bad, "logs/2024/06/15.md")
    assert [d.date for d in pf.days] == ["2024-06-15"]
    assert "using 2024-06-15" in pf.warnings[0].message
    pf = parse_text(bad, "x.md")
    assert pf.days == [] and "section skipped" in pf.warnings[0].message
    pf = parse_text("## Daily Papers (2024-6-1)\n### [T](https://arxiv.org/abs/2406.00001)\n", "x")
    assert [d.date for d in pf.days] == ["2024-06-01"]
    pf = parse_text("## Daily Papers (2024-06-01)\n\n", "x")
    assert [(d.date, d.papers) for d in pf.days] == [("2024-06-01", [])]
    assert messages(pf) == [(1, "day 2024-06-01 has no papers")]


def test_readme_page_takes_only_the_papers():
    pf = parse("readme.md")
    assert [(d.date, [p.id for p in d.papers]) for d in pf.days] == [
        ("2024-12-12", ["2412.06676"]), ("2025-02-05", ["2502.01081"])]
    a, b = papers(pf)
    assert a.title == "I Don't Know: Explicit Modeling of Uncertainty with an [IDK] Token"
    assert (a.votes, a.authors[-1]) == (1, "Gerard de Melo")
    # ## License ended the first day: nothing of it leaked into the paper
    assert len(a.bullets) == 3 and all(b_.children == [] for b_ in a.bullets)
    # a # heading ended the second day: the appendix did not leak either
    assert len(b.bullets) == 3 and all(b_.children == [] for b_ in b.bullets)
    text = repr([p.to_json() for p in papers(pf)])
    for leaked in ("CC BY", "appendix", "misc", "Not a paper", "license", "Korean summaries"):
        assert leaked not in text
    assert messages(pf) == [(6, "paper heading outside a day ignored"),
                            (25, "paper heading outside a day ignored")]


def test_text_before_the_first_paper_is_ignored_with_one_warning():
    pf = parse_text(DAY + "intro\nmore\n\n" + T1 + "- b\n", "x")
    assert [p.id for p in papers(pf)] == ["2401.00001"]
    assert papers(pf)[0].bullets == [Bullet(None, "b")]
    assert messages(pf) == [(2, "text before the first paper ignored")]
    pf = parse_text(DAY + "\n   \n" + T1, "x")
    assert pf.warnings == []


# ------------------------------------------------------------------ titles


def test_titles():
    pf = parse("titles.md")
    got = [(p.id, p.title, p.url) for p in papers(pf)]
    assert got == [
        ("2502.01081", ("The Jumping Reasoning Curve? Tracking the Evolution of Reasoning"
                        " Performance in GPT-[n] and o-[n] Models on Multimodal Puzzles"),
         "https://arxiv.org/abs/2502.01081"),
        ("2412.06676", "I Don't Know: Explicit Modeling of Uncertainty with an [IDK] Token",
         "https://arxiv.org/abs/2412.06676"),
        ("2502.00001", "[Nested [deeply [x]]] brackets", "https://arxiv.org/abs/2502.00001v3"),
        ("https://en.wikipedia.org/wiki/Foo_(bar)", "Parens (in URL)",
         "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("2406.09414", "PDF link", "https://arxiv.org/pdf/2406.09414v2.pdf"),
        ("hep-th/9901001", "Old style", "http://arxiv.org/abs/hep-th/9901001v2"),
        ("2502.00002", "HF page", "https://huggingface.co/papers/2502.00002"),
        ("title:a title without a link", "A Title Without A Link", ""),
        ("2502.00003", "Trailing text (ICLR 2025)", "https://arxiv.org/abs/2502.00003"),
        ("title:empty url", "Empty URL", ""),
    ]
    assert [p.bullets for p in papers(pf)] == [[Bullet(None, c)] for c in "abcdefghij"]
    assert messages(pf) == [
        (17, "paper heading without a link; id 'title:a title without a link'"),
        (19, "text after the title link kept in the title"),
        (21, "paper heading without a link; id 'title:empty url'"),
    ]


def test_link_in_title_uses_last_closing_link():
    pf = parse_text(DAY + "### [A [B](c) D](https://arxiv.org/abs/2401.00009)\n", "x")
    assert [(p.id, p.title) for p in papers(pf)] == [("2401.00009", "A [B](c) D")]


# ------------------------------------------------------------------ fields


def test_videos_and_thumbnails():
    pf = parse("video.md")
    a, b, c = papers(pf)
    # [Watch Video](url) followed by the <div><video ...> of the same url
    assert (a.video, a.thumbnail, a.votes) == (CDN + "QPqDXcHNhksZaqkYOjZNQ.mp4", None, None)
    assert a.authors[:2] == ["Di Chang", "Yichun Shi"] and a.bullets == []
    # the malformed [Watch Video]https://... also followed by the <div><video ...>
    assert (b.id, b.video, b.votes) == ("2312.02201", CDN + "d0VHat4w8gM400SkeWPP7.mp4", 16)
    assert len(b.bullets) == 2
    # <video ... src="..."> first; a different second video and second image are kept as text
    assert (c.video, c.thumbnail) == ("https://example.org/a.mp4", "https://example.org/t1.png")
    assert c.bullets == [Bullet(None, "[Watch Video](https://example.org/b.mp4)",
                                ["![](https://example.org/t2.png)"]),
                         Bullet(None, "text")]
    assert messages(pf) == [(26, "extra or empty video line kept as text"),
                            (28, "extra or empty thumbnail line kept as text")]


def test_votes():
    pf = parse("votes.md")
    hired, fast, bad, two = papers(pf)
    assert (hired.id, hired.votes) == ("2408.10945", None)  # the real "Vote: -"
    # the real HiRED entry: a plain line under a bullet, with a tab from a broken "\textit"
    child = hired.bullets[0].children[0]
    assert child.startswith("본 연구는 High-Resolution Early Dropping ( extit{HR-ED})")
    assert hired.bullets[2].text.startswith("본 연구의 실험 결과에 따르면,  extit{HR-ED}는")
    assert (fast.id, fast.votes, fast.bullets) == ("2311.10770", None, [])  # no Vote line
    assert bad.votes is None
    assert bad.bullets == [Bullet(None, "Vote: lots"), Bullet(None, "text", ["Vote: 12"])]
    assert two.votes == 12 and two.bullets == [Bullet(None, "text", ["Vote: 13"])]
    assert messages(pf) == [(20, "bad vote 'lots' kept as text"),
                            (22, "second Vote line kept as text"),
                            (27, "second Vote line kept as text")]


def test_authors():
    pf = parse("authors.md")
    listed, plus, quoted, broken, none, empty = papers(pf)
    assert (listed.authors, listed.authors_truncated) == (["Haebin Seong", "Isack Lee"], False)
    assert plus.authors_truncated and "+" not in plus.authors
    assert plus.authors[:5] == ["Shusen Zhang", "Da Pan", "Yaqi Zhao", "Guosheng Dong", "Jun Liu"]
    assert len(plus.authors) == 21 and plus.authors[-1] == "Wei Song"
    assert quoted.authors == ["O'Brien", "Anne 'Q' Lee", "Back\\slash", "Zoë Ångström"]
    assert quoted.authors_truncated
    assert broken.authors == ["Ada Lovelace", "Alan Turing"]
    assert none.authors == [] and empty.authors == []
    assert messages(pf) == [(30, "malformed author list; split on commas")]


def test_author_list_is_never_evaluated():
    text = DAY + T1
    pf = parse_text(text + "Authors: [__import__('os').system('echo hi'), 'B']\n", "x")
    assert papers(pf)[0].authors == ["__import__('os').system('echo hi')", "B"]
    pf = parse_text(text + "Authors: a, , b,+,c\n", "x")
    assert (papers(pf)[0].authors, papers(pf)[0].authors_truncated) == (["a", "b", "c"], True)


# ------------------------------------------------------------------ bullets


def test_bullets_labels_nested_numbered():
    pf = parse("bullets.md")
    agent, aquila, unified, styles = papers(pf)
    # real 2024-07-16: "1) ..." lines under Technical Details
    assert agent.bullets[1].label == "Technical Details"
    assert [c[:2] for c in agent.bullets[1].children] == ["1)", "2)", "3)", "4)"]
    assert agent.bullets[2].label == "Performance Highlights"
    # real 2024-08-15: "1. **Tokenizer**: ..." lines kept whole, numbering included
    first = aquila.bullets[1].children[0]
    assert first == "1. **Tokenizer**: 10만 단어 크기의 Byte Pair Encoding (BPE) 토크나이저"
    assert len(aquila.bullets[1].children) == 5
    # real 2023-11-20: indented "  - (1) ..." under the bullet before them, "- " stripped
    assert [b.label for b in unified.bullets] == [None] * 6
    assert [c[:3] for c in unified.bullets[3].children] == ["(1)", "(2)", "(3)", "(4)"]
    assert styles.bullets == [
        Bullet(None, "Stray text before any bullet.", ["more stray text"]),
        Bullet("What's New", "colon inside the bold"),
        Bullet("Technical Details", "triple stars"),
        Bullet(None, "star bullet"),
        Bullet(None, "plus bullet"),
        Bullet("Any Label At All", "free labels",
               ["tab-indented nested bullet", "four-space nested star", "1. nested numbered",
                "#### A sub heading"]),
        Bullet(None, "**Not a label** because no colon"),
        Bullet(None, ""),
    ]
    assert messages(pf) == [(49, "text before the first bullet kept as an unlabelled bullet")]


def test_real_triple_star_labels():
    (a, _, _) = papers(parse("repeated_header.md"))
    assert [x.label for x in a.bullets] == ["What's New", "Technical Details",
                                            "Performance Highlights"]
    assert a.bullets[0].text.startswith("OS-Genesis는 GUI 데이터 수집의")


def test_nothing_is_dropped():
    """Every non-blank line of a paper block lands in some field of the record."""
    pf = parse("bullets.md")
    lines = (FIX / "bullets.md").read_text(encoding="utf-8").split("\n")
    kept = 0
    for p in papers(pf):
        kept += 1 + (p.thumbnail is not None) + (p.video is not None) + bool(p.authors)
        kept += (p.votes is not None)
        kept += sum(1 + len(b.children) for b in p.bullets)
    assert kept == sum(1 for x in lines[1:] if x.strip())


# ------------------------------------------------------------------ hygiene, bytes


def test_hygiene_fixture():
    pf = parse("hygiene.md")  # BOM, CRLF, a lone CR, escapes, bidi, NUL, DEL, C1, tab, \f
    assert pf.warnings == []
    (p,) = papers(pf)
    assert p.title == "Title red evil and [bold red]markup[/]"  # markup kept literally
    assert p.votes == 7  # the OSC before "Vote:" is gone
    assert p.authors == ["Alice Bob", "Carol", "Dan"]
    assert p.bullets == [
        Bullet("What's New", "tab here, clipboard, del, c1, esc reset", ["nested cleared"]),
        Bullet("Performance Highlights", "제안된 ramework는 CrossCodeEval,"),
        Bullet(None, "zerowidth line sep"),
    ]


def test_invalid_utf8_is_replaced_with_a_warning():
    pf = parse("invalid_utf8.md")
    (p,) = papers(pf)
    assert p.authors[0] == "Zilong \ufffdHu\ufffdang"
    assert messages(pf) == [(9, "invalid UTF-8 bytes replaced with U+FFFD")]


def test_bytes_bom_and_utf16():
    text = DAY + T1 + "- 한국어\n"
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode(), text.encode("utf-16")):
        pf = parse_bytes(data, "x")
        assert pf.warnings == []
        assert papers(pf)[0].bullets == [Bullet(None, "한국어")]


def test_unreadable_file_is_a_warning(tmp_path):
    pf = parse_file(tmp_path / "missing.md")
    assert pf.days == [] and len(pf.warnings) == 1 and pf.warnings[0].line == 1


# ------------------------------------------------------------------ properties

BAD_CHARS = set("\u061c\u200b\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
                "\u2066\u2067\u2068\u2069\ufeff")


def strings_of(pf: ParsedFile):
    for w in pf.warnings:
        assert isinstance(w, ParseWarning) and w.line >= 1
        yield w.file
        yield w.message
    for d in pf.days:
        yield d.date
        for p in d.papers:
            yield from (p.id, p.title, p.url, *p.dates, *p.authors)
            yield from (x for x in (p.thumbnail, p.video) if x is not None)
            for b in p.bullets:
                yield from (b.text, *b.children, *([b.label] if b.label is not None else []))


def check_clean(pf: ParsedFile) -> None:
    for s in strings_of(pf):
        assert isinstance(s, str)
        for ch in s:
            assert unicodedata.category(ch) not in ("Cc", "Cs"), (s, ch)
            assert ch not in BAD_CHARS, (s, ch)


PIECES = ["## Daily Papers (2024-01-02)\n", "## Daily Papers (2024-13-01)\n", "# h\n", "## x\n",
          "### [", "](", ")", "https://arxiv.org/abs/2401.00001", "\n", "\r\n", "\r", "- ", "* ",
          "**", "***", ":", "Vote: ", "Authors: ", "['a', \"b\\\"", "+, ", "![](", "<video src='",
          "[Watch Video]", "  - ", "1. ", "\t", "\x1b[31m", "\x1b]0;t\x07", "\x1b]", "\x1b",
          "\u202e", "\u2066", "\u200b", "\ufeff", "\x00", "\x85", "e\u0301", "\u1100\u1161",
          "한국어", "\u2028"]
markdownish = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)),
                       max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), markdownish), st.sampled_from(["x.md", "a/2024/01/02.md", ""]))
def test_parse_text_never_raises_and_output_is_clean(text, source):
    pf = parse_text(text, source)
    check_clean(pf)
    n_lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    assert all(w.line <= n_lines for w in pf.warnings)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(), markdownish.map(lambda s: s.encode("utf-8", "surrogatepass")),
                 st.binary().map(lambda b: b"## Daily Papers (2024-01-02)\n### [t](u)\n- " + b)))
def test_parse_bytes_never_raises_and_output_is_clean(data):
    check_clean(parse_bytes(data, "a/2024/01/02.md"))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_clean_text_property(s):
    out = clean_text(s)
    assert clean_text(out) == out
    assert unicodedata.is_normalized("NFC", out)
    assert all(unicodedata.category(ch) not in ("Cc", "Cs") or ch == "\n" for ch in out)
    assert not BAD_CHARS & set(out)


@pytest.mark.parametrize("body", [
    "### [" + "](" * 50000,
    "### [" + "](a" * 50000 + ")",
    "<video " + "<video src" * 20000,
    "- " + "\x1b]" * 50000,
    "- **" + "a**" * 50000,
    "![](" + "a)" * 50000,
    "Authors: [" + "'a', " * 50000,
    "[Watch Video](" + "a)" * 50000,
])
def test_pathological_lines_stay_fast(body):
    start = time.perf_counter()
    parse_text(DAY + T1 + body, "x")
    assert time.perf_counter() - start < 1.0


def test_authors_repeated_in_the_source_are_kept_once():
    # The archive's 2024-01-22 digest (two papers, copied as they are) names most
    # authors three times: 202 author lines of the archive repeat a name.
    depth, medusa = papers(parse("repeated_authors.md"))
    assert depth.authors == ["Lihe Yang", "Bingyi Kang", "Zilong Huang", "Xiaogang Xu",
                             "Jiashi Feng", "Hengshuang Zhao"]
    assert medusa.authors == ["Tianle Cai", "Yuhong Li", "Zhengyang Geng", "Hongwu Peng",
                              "Jason D. Lee", "Deming Chen", "Tri Dao"]
