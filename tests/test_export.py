"""Exports: BibTeX (checked with a real parser), digest Markdown (round trip), CSV, JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run, write
from store.db import Store
from store.export import (
    ExportPaper,
    ExportSet,
    bibtex_escape,
    bibtex_keys,
    render,
    suggest_name,
    to_markdown,
)
from store.models import Bullet, Paper
from store.parse import parse_text
from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "store" / "sample"
FIXTURES = ROOT / "tests" / "fixtures"
ARCHIVE = ROOT.parent / "shared" / "corpus" / "daily_papers_ko" / "paper_logs"
import bibtexparser  # noqa: E402  (a pinned test dependency)

PID = "2406.09414"

NASTY = """## Daily Papers (2024-07-01)

### [Braces {a} \\\\ back%slash & $x_1^2$ ~ #1 "q" @misc{x,](https://arxiv.org/abs/2407.00001)

Vote: 5

Authors: O'Brien, Zoë Ångström, {Brace}, Research and Development Team, +

- **What's New**: 한국어 {중괄호} } 하나 \\end{document} %comment
- ***Odd** label*: text
  - child with **stars** and [link](x)

### [Second (paper) [x]](https://en.wikipedia.org/wiki/Foo_(bar))

Authors: ['Last, First', "Quote's", 'Back\\\\slash', '+']

- plain
"""


def store_with(tmp_path: Path, name: str, *texts: str) -> Store:
    src = tmp_path / f"{name}-src"
    for n, text in enumerate(texts):
        write(src / f"d{n}.md", text)
    s = Store.open(tmp_path / name, sample=False)
    s.import_paths([src])
    return s


def corpus_json(store: Store) -> dict:
    """Every paper with bullets, plus every day's list (what an import produced)."""
    return {
        "papers": {p.id: p.to_json() for p in store.papers()},
        "days": {d.date: store.day_ids(d.date) for d in store.days()},
    }


# ---------------------------------------------------------------- BibTeX
_UNESCAPE = {
    r"\textbackslash{}": "\\", r"\textbraceleft{}": "{", r"\textbraceright{}": "}",
    r"\#": "#", r"\$": "$", r"\%": "%", r"\&": "&", r"\_": "_",
    r"\textasciicircum{}": "^", r"\textasciitilde{}": "~",
}
_UNESCAPE_RE = re.compile("|".join(re.escape(k) for k in sorted(_UNESCAPE, key=len, reverse=True)))


def unescape(value: str) -> str:
    return _UNESCAPE_RE.sub(lambda m: _UNESCAPE[m.group(0)], value)


def balanced(value: str) -> bool:
    depth = 0
    for ch in value:  # BibTeX counts every brace, backslash or not
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def parse_bib(text: str):
    lib = bibtexparser.parse_string(text)
    assert not lib.failed_blocks, [b.error for b in lib.failed_blocks]
    return lib


def test_bibtex_of_the_sample_loads_in_a_real_parser(store):
    s = store.export_set()
    lib = parse_bib(render("bibtex", s))
    assert len(lib.entries) == len(s) == 75
    keys = [e.key for e in lib.entries]
    assert len(set(keys)) == 75 and all(re.fullmatch(r"[a-z0-9]+", k) for k in keys)
    e = {e.key: e for e in lib.entries}["huang2024depth"]
    f = e.fields_dict
    assert e.entry_type == "misc"
    assert f["title"].value == "Depth Anything V2"
    assert f["author"].value.startswith("Zilong Huang and Jiashi Feng and ")
    assert f["year"].value == "2024" and f["eprint"].value == PID
    assert f["archivePrefix"].value == "arXiv"
    assert f["url"].value == "https://arxiv.org/abs/2406.09414"
    assert "note" not in f


def test_bibtex_escapes_everything_losslessly(hostile_store, tmp_path):
    s = hostile_store  # conftest's HOSTILE_DIGEST (markup, brackets) plus NASTY
    s.import_paths([write(tmp_path / "nasty.md", NASTY)])
    s.set_note("2407.00001", "메모 {unbalanced\n\\section{x} 100% & $ #")
    s.set_tags("2407.00001", ["a_b", "c&d"])
    text = render("bibtex", s.export_set())
    lib = parse_bib(text)
    assert len(lib.entries) == len(s.ids()) == 5
    by_id = {e.fields_dict["eprint"].value if "eprint" in e.fields_dict else e.key: e
             for e in lib.entries}
    nasty = by_id["2407.00001"].fields_dict
    assert unescape(nasty["title"].value) == s.get("2407.00001").title
    assert unescape(nasty["note"].value) == "메모 {unbalanced\n\\section{x} 100% & $ #"
    assert unescape(nasty["keywords"].value) == "a_b, c&d"
    authors = nasty["author"].value.split(" and ")
    assert authors[-1] == "others"
    assert "{Research and Development Team}" in nasty["author"].value  # not split in two
    assert unescape(authors[2]) == "{Brace}" and balanced(authors[2])
    for e in lib.entries:
        for fld in e.fields:
            assert balanced(fld.value), (e.key, fld.key, fld.value)
            assert not re.search(r"(?<!\\)[#$%&_^~]", fld.value) or fld.key == "url"
    second = next(e for e in lib.entries if e.fields_dict["title"].value.startswith("Second"))
    assert "{Last, First}" in second.fields_dict["author"].value  # a comma is braced
    assert second.fields_dict["url"].value == "https://en.wikipedia.org/wiki/Foo_(bar)"
    assert "eprint" not in second.fields_dict  # not an arXiv paper


def test_bibtex_url_braces_are_encoded():
    p = Paper("2401.00001", "T", "https://x.org/a{b}\\c d", dates=["2024-01-01"])
    text = render("bibtex", ExportSet([("2024-01-01", [ExportPaper(p)])]))
    assert "url = {https://x.org/a%7Bb%7D%5Cc%20d}" in text
    parse_bib(text)


def test_bibtex_keys_fold_and_deduplicate():
    def paper(pid, title, authors, date="2024-06-14"):
        return Paper(pid, title, "", dates=[date], authors=authors)

    papers = [
        paper("2406.00002", "Über Models", ["Zoë Ångström"]),
        paper("2406.00001", "Über Models, again", ["Anne Ångström"]),
        paper("2406.00003", "The Model", ["김철수"]),
        paper("2406.00004", "A", ["X Y"]),
        paper("title:x", "Non arXiv", ["Bob Dole"], date="2023-01-02"),
        paper("2406.00005", "", []),
    ]
    keys = bibtex_keys(papers)
    assert keys["2406.00001"] == "angstrom2024ubera"  # suffixes in id order
    assert keys["2406.00002"] == "angstrom2024uberb"
    assert keys["2406.00003"] == "anon2024model"  # no ASCII surname; "the" skipped
    assert keys["2406.00004"] == "y2024a"
    assert keys["title:x"] == "dole2023non"
    assert keys["2406.00005"] == "anon2024"
    assert len(set(keys.values())) == len(keys)


def test_bibtex_escape_unit():
    assert bibtex_escape("{}\\") == r"\textbraceleft{}\textbraceright{}\textbackslash{}"
    assert bibtex_escape("a\x00b\x1bc") == "abc"
    assert bibtex_escape("한국어 ü") == "한국어 ü"


# ---------------------------------------------------------------- Markdown
def test_markdown_looks_like_the_digest(store):
    text = render("markdown", store.export_set(days=["2024-06-14"]))
    lines = text.splitlines()
    assert lines[0] == "## Daily Papers (2024-06-14)"
    assert "### [Depth Anything V2](https://arxiv.org/abs/2406.09414)" in lines
    assert "Vote: 87" in lines
    assert any(line.startswith("Authors: Zilong Huang, Jiashi Feng") for line in lines)
    assert any(line.startswith("- **What's New**: 이 논문에서는") for line in lines)
    assert text.count("## Daily Papers") == 1


def test_markdown_groups_by_day_newest_first_and_indents_children(small_store):
    s = small_store  # conftest's SMALL_DIGEST: two days, a paper on both, children, video
    text = render("markdown", s.export_set())
    assert [m for m in re.findall(r"^## Daily Papers \((.*)\)$", text, re.MULTILINE)] == [
        "2024-03-02", "2024-03-01"]
    assert text.count("### [Zeta Paper on Two Days]") == 2  # listed on both days
    assert "- An unlabelled bullet\n  - a nested child line\n  - another child\n" in text
    assert "Authors: Ann Able, Bob Baker, +" in text
    assert "[Watch Video](https://example.org/video/2403.00001.mp4)" in text


def _round_trip(tmp_path: Path, source: Store, capsys, monkeypatch, name: str) -> Store:
    out = tmp_path / f"{name}.md"
    monkeypatch.setenv("PAPERS_HOME", str(source.home))
    code, _, err = run(capsys, "export", "--format", "markdown", "-o", str(out))
    assert code == 0, err
    fresh = tmp_path / f"{name}-fresh"
    code, _, err = run(capsys, "--home", str(fresh), "import", str(out))
    assert code == 0, err
    return Store.open(fresh, sample=False)


def test_markdown_round_trip_sample(store, tmp_path, capsys, monkeypatch):
    back = _round_trip(tmp_path, store, capsys, monkeypatch, "sample")
    assert corpus_json(back) == corpus_json(store)
    # and the CLI's papers JSON is the same, paper for paper
    a = json.loads(run(capsys, "--home", str(store.home), "export", "-f", "json")[1])
    b = json.loads(run(capsys, "--home", str(back.home), "export", "-f", "json")[1])
    assert a == b and len(a) == 75


@pytest.mark.parametrize("name", ["fixtures", "hostile", "small", "nasty"])
def test_markdown_round_trip_odd_input(name, tmp_path, capsys, monkeypatch, request):
    if name == "fixtures":
        src = Store.open(tmp_path / "src", sample=False)
        src.import_paths([FIXTURES / "parse"])
    elif name == "nasty":
        src = store_with(tmp_path, "src", NASTY)
    else:
        src = request.getfixturevalue(f"{name}_store")
    assert src.ids()
    back = _round_trip(tmp_path, src, capsys, monkeypatch, name)
    assert corpus_json(back) == corpus_json(src)


@pytest.mark.archive
def test_markdown_round_trip_full_archive(tmp_path):
    if not ARCHIVE.is_dir():
        pytest.skip("needs ../shared/corpus")
    src = Store.open(tmp_path / "a", sample=False)
    src.import_paths([ARCHIVE])
    out = write(tmp_path / "all.md", render("markdown", src.export_set()))
    back = Store.open(tmp_path / "b", sample=False)
    back.import_paths([out])
    assert corpus_json(back) == corpus_json(src)


# Text the parser may meet: brackets, stars, quotes, commas, Korean, URLs' parentheses.
_chars = st.sampled_from(list("ab Z09-_*[]()!:,'\"\\+#<>/.한국어") + ["**", "](", "Vote:"])
_text = st.lists(_chars, max_size=12).map("".join)
_url = st.sampled_from(["", "https://arxiv.org/abs/2401.00001", "https://x.org/a_(b)",
                        "http://arxiv.org/abs/hep-th/9901001v2", "https://h.co/papers/2402.1"])
_bullet = st.builds(Bullet, st.one_of(st.none(), _text), _text, st.lists(_text, max_size=3))
_paper = st.builds(
    Paper, id=st.just(""), title=_text, url=_url, votes=st.one_of(st.none(), st.integers(0, 999)),
    authors=st.lists(_text, max_size=4), authors_truncated=st.booleans(),
    thumbnail=st.one_of(st.none(), _url), video=st.one_of(st.none(), _url),
    bullets=st.lists(_bullet, max_size=4),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_paper, min_size=1, max_size=4))
def test_markdown_export_reads_back_what_the_parser_made(papers):
    """For any papers the parser produced, parse(export(papers)) == papers."""
    first = parse_text(to_markdown(ExportSet([("2024-01-02", [ExportPaper(p) for p in papers])])),
                       "a.md")
    if not first.days or not first.days[0].papers:
        return
    parsed = first.days[0].papers
    again = parse_text(to_markdown(ExportSet([("2024-01-02", [ExportPaper(p) for p in parsed])])),
                       "b.md")
    assert [p.to_json() for p in again.days[0].papers] == [p.to_json() for p in parsed]


_line = st.one_of(
    st.builds("- {}".format, _text), st.builds("  - {}".format, _text),
    st.builds("    * {}".format, _text), st.builds("\t{}".format, _text), _text,
    st.builds("- **{}**: {}".format, _text, _text),
    st.builds("- ***{}***: {}".format, _text, _text),
    st.builds("**{}**: {}".format, _text, _text),
    st.builds("{}) {}".format, st.integers(1, 9), _text),
    st.builds("Vote: {}".format, st.one_of(st.integers(0, 99).map(str), _text)),
    st.builds("Authors: {}".format, _text), st.builds("Authors: [{}]".format, _text),
    st.builds("![]({})".format, _text), st.builds("[Watch Video]({})".format, _text),
    st.builds('<video src="{}"></video>'.format, _text), st.just("-"), st.just(""),
)
_raw_paper = st.builds(
    lambda head, lines: "\n".join([f"### {head}", *lines]),
    st.one_of(_text, st.builds("[{}]({})".format, _text, _text)), st.lists(_line, max_size=8),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_raw_paper, min_size=1, max_size=4))
def test_markdown_export_reads_back_any_parsed_digest(raw_papers):
    """Odd raw digests (stray text, nested lines, repeated fields): whatever the parser made
    of them, an export of it parses back to the same papers."""
    raw = "## Daily Papers (2024-01-02)\n\n" + "\n\n".join(raw_papers) + "\n"
    parsed = parse_text(raw, "raw.md").days[0].papers
    exported = to_markdown(ExportSet([("2024-01-02", [ExportPaper(p) for p in parsed])]))
    again = parse_text(exported, "b.md")
    got = again.days[0].papers if again.days else []
    assert [p.to_json() for p in got] == [p.to_json() for p in parsed], exported


# ---------------------------------------------------------------- CSV and JSON
def test_csv_columns_quoting_and_korean(tmp_path, capsys):
    s = store_with(tmp_path, "h", NASTY)
    s.set_tags("2407.00001", ["x", "한글"])
    s.set_bookmarked(["2407.00001"])
    s.set_read(["2407.00001"])
    code, out, _ = run(capsys, "--home", str(s.home), "export", "-f", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0] == ["date", "id", "title", "url", "votes", "authors", "tags", "bookmarked",
                       "read"]
    by_id = {r[1]: r for r in rows[1:]}
    r = by_id["2407.00001"]
    assert r[0] == "2024-07-01" and r[2] == s.get("2407.00001").title
    assert r[4] == "5"
    assert r[5] == "O'Brien; Zoë Ångström; {Brace}; Research and Development Team; et al."
    assert r[6] == "x, 한글" and r[7] == "true" and r[8] == "true"
    second = next(row for row in rows[1:] if row[2].startswith("Second"))
    assert second[4] == "" and second[5].startswith("Last, First; Quote's")
    assert second[7] == "false"


def test_json_is_the_cli_paper_objects_with_tags_and_note(store, capsys):
    store.set_note(PID, "메모")
    store.set_tags(PID, ["ml"])
    code, out, _ = run(capsys, "--home", str(store.home), "export", "--ids", PID, "-f", "json")
    assert code == 0
    data = json.loads(out)
    show = json.loads(run(capsys, "--home", str(store.home), "show", PID, "--json")[1])
    assert data == [show]
    assert data[0]["note"] == "메모" and data[0]["tags"] == ["ml"]


# ---------------------------------------------------------------- CLI filters and files
def test_export_filters_combine(store, capsys, tmp_path):
    store.set_bookmarked([PID, "2406.09415", "2404.07987"])
    store.set_tags(PID, ["keep"])
    store.set_tags("2404.07987", ["keep"])

    def ids(*args):
        code, out, err = run(capsys, "export", "-f", "json", *args)
        assert code == 0, err
        return [p["id"] for p in json.loads(out)]

    assert sorted(ids("--bookmarked")) == sorted([PID, "2406.09415", "2404.07987"])
    assert ids("--bookmarked", "--day", "2024-06-14") == [PID, "2406.09415"]
    assert ids("--tag", "KEEP") == [PID, "2404.07987"]  # newest day first
    assert ids("--tag", "keep", "--day", "2024-04-12") == ["2404.07987"]
    assert ids("--ids", "2404.07987", PID) == [PID, "2404.07987"]
    assert len(ids()) == 75
    assert len(ids("--day", "2024-06-14", "--day", "2024-04-15")) == 37


def test_export_to_file_infers_the_format(store, capsys, tmp_path):
    out = tmp_path / "refs.bib"
    code, stdout, _ = run(capsys, "export", "--ids", PID, "-o", str(out))
    assert code == 0 and stdout.strip() == f"exported 1 paper as bibtex to {out}"
    assert out.read_text(encoding="utf-8").startswith("@misc{huang2024depth,")
    code, stdout, _ = run(capsys, "export", "--day", "2024-06-14", "-o", str(tmp_path / "d.md"))
    assert (tmp_path / "d.md").read_text(encoding="utf-8").startswith(
        "## Daily Papers (2024-06-14)\n")


def test_export_errors_are_one_line(store, capsys, tmp_path):
    for argv, msg in [
        (["export"], "papers: choose a format: --format bibtex|markdown|csv|json"),
        (["export", "-o", str(tmp_path / "x.txt")], "papers: choose a format"),
        (["export", "-f", "csv", "--ids", "nope"], "papers: unknown paper id: nope"),
        (["export", "-f", "csv", "--day", "1999-01-01"], "papers: no digest for day 1999-01-01"),
        (["export", "-f", "csv", "--tag", "none"], "papers: no papers to export"),
        (["export", "-f", "csv", "-o", str(tmp_path / "no" / "dir.csv")], "papers: cannot write"),
    ]:
        code, _, err = run(capsys, *argv)
        assert code == 1 and err.startswith(msg) and len(err.splitlines()) == 1, (argv, err)
    with pytest.raises(SystemExit) as exc:
        main(["export", "-f", "pdf"])
    assert exc.value.code == 2


def test_export_stdout_is_utf8_whatever_the_locale(home, tmp_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, LC_ALL="C", LANG="C", PYTHONIOENCODING="ascii",
               PAPERS_HOME=str(tmp_path / "h"))
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "export", "--ids", PID, "-f",
                           "markdown"], capture_output=True, env=env, timeout=60,
                          cwd=Path(__file__).resolve().parents[1], check=False)
    assert proc.returncode == 0, proc.stderr
    assert "이 논문에서는".encode() in proc.stdout


def test_suggest_name():
    assert suggest_name("2024-06-14", "bibtex") == "papers-2024-06-14.bib"
    assert suggest_name("tag: 한국 ml/x", "csv") == "papers-tag-한국-ml-x.csv"
    assert suggest_name("  ", "json") == "papers-papers.json"


def test_sample_dir_is_what_we_think():
    assert (SAMPLE / "2024-06-14.md").is_file()


def test_bibtex_keys_skip_leading_stop_words():
    def paper(pid, title, authors):
        return Paper(pid, title, "", dates=["2025-05-07"], authors=authors)

    papers = [  # titles from the archive
        paper("2505.04620", "On Path to Multimodal Generalist: General-Level and General-Bench",
              ["Hao Fei", "Yuan Zhou", "Shuicheng Yan"][::-1]),
        paper("2504.15585", "From Reflection to Perfection: Scaling Inference-Time Optimization",
              ["Le Zhuo", "Peng Gao"][::-1]),
        paper("2504.11271", "On the of and", ["Ann Able"]),  # nothing but stop words
        paper("2504.11272", "Towards Omni-Modal Reasoning", ["Bob Baker"]),
    ]
    keys = bibtex_keys(papers)
    assert keys["2505.04620"] == "yan2025path"
    assert keys["2504.15585"] == "gao2025reflection"
    assert keys["2504.11271"] == "able2025on"  # then the first word
    assert keys["2504.11272"] == "baker2025towards"
