"""`papers related ID` and `papers list --sort for-you`."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, run
from tui.cli import main

CORPUS = FIXTURES / "related"


@pytest.fixture
def topics(home, capsys):
    assert main(["import", str(CORPUS)]) == 0
    capsys.readouterr()
    return home


def test_related_lists_the_papers_of_the_same_topic(topics, capsys):
    code, out, err = run(capsys, "related", "2401.00001")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["DATE", "ID", "VOTES", "TITLE"]
    titles = sorted(line.split("●")[1].strip() for line in lines[1:4])
    assert titles == ["Compact Neural Radiance Fields with Hash Grids",
                      "Editable Neural Radiance Fields",
                      "Relighting Neural Radiance Fields from Sparse Views"]


def test_related_json_and_limit(topics, capsys):
    code, out, _ = run(capsys, "related", "2401.00002", "--limit", "2", "--json")
    data = json.loads(out)
    assert code == 0 and len(data) == 2
    assert all("Robotic Manipulation" in d["title"] for d in data)
    assert set(data[0]) == {"id", "title", "dates", "votes", "url"}


@pytest.mark.parametrize("argv, message", [
    (["related", "9999.00001"], "papers: unknown paper id: 9999.00001"),
    (["related", "2401.00001", "--limit", "0"], "papers: --limit must be 1 or more, not 0"),
])
def test_related_bad_input_is_one_line(topics, capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert err.strip() == message


def test_list_for_you_follows_the_bookmarks(topics, capsys):
    def titles():
        code, out, err = run(capsys, "list", "--day", "2024-01-04", "--sort", "for-you", "--json")
        assert code == 0
        return [p["title"] for p in json.loads(out)], err

    order, err = titles()
    assert "nothing kept yet" in err and "sorted by votes" in err
    assert order[0] == "Editable Neural Radiance Fields"  # 40 votes
    assert main(["mark", "--bookmark", "2401.00003", "2401.00007"]) == 0
    capsys.readouterr()
    order, err = titles()
    assert err == ""
    assert order[0] == "Noise-Robust Speech Recognition in the Wild"


def test_list_sorts_by_title_and_votes(topics, capsys):
    _, out, _ = run(capsys, "list", "--day", "2024-01-03", "--sort", "title", "--json")
    assert [p["title"] for p in json.loads(out)] == sorted(
        [p["title"] for p in json.loads(out)], key=str.casefold)
    _, out, _ = run(capsys, "list", "--day", "2024-01-04", "--sort", "votes", "--json")
    assert [p["votes"] for p in json.loads(out)] == [40, 30, 20, 10]


# Ten topics, each with its own words; a paper of a topic says them in its title and in a
# Korean summary.  Twelve days of thirty papers (three of each topic), the topic papers
# with votes that never put them first on their own.
TOPICS = [
    ("Protein Folding", "단백질 접힘", "protein structure"),
    ("Weather Forecasting", "날씨 예보", "climate simulation"),
    ("Code Generation", "코드 생성", "program synthesis"),
    ("Speech Recognition", "음성 인식", "acoustic model"),
    ("Robotic Grasping", "로봇 파지", "gripper control"),
    ("Molecule Design", "분자 설계", "drug discovery"),
    ("Music Generation", "음악 생성", "audio synthesis"),
    ("Table Understanding", "표 이해", "spreadsheet reasoning"),
    ("Autonomous Driving", "자율 주행", "lidar perception"),
    ("Medical Imaging", "의료 영상", "radiology report"),
]


def write_days(root, days: int = 12) -> list[str]:
    ids = []
    for d in range(days):
        date = f"2024-03-{d + 1:02d}"
        parts = [f"## Daily Papers ({date})\n"]
        for k in range(30):
            title, ko, en = TOPICS[k % 10]
            pid = f"2403.{d * 100 + k:05d}"
            ids.append(pid)
            parts.append(f"### [{title} with Method {d}-{k}](https://arxiv.org/abs/{pid})\n\n"
                         f"Vote: {100 - (k * 7) % 60}\n\n"
                         f"- 이 연구는 {ko} ({en}) 문제를 다룬다.\n"
                         f"- 제안한 방법 {d}{k} 은 기존 {ko} 방법보다 좋다.\n")
        (root / f"{date}.md").write_text("\n".join(parts), encoding="utf-8")
    return ids


def test_ten_bookmarks_of_a_topic_bring_its_papers_into_a_later_days_top_five(
        home, capsys, tmp_path):
    """The issue's check: bookmark ten papers of one topic on earlier days; on a later day
    the papers of that topic are in the top five of the day's for-you order (by votes
    they are not)."""
    src = tmp_path / "digests"
    src.mkdir()
    write_days(src)
    assert main(["import", str(src)]) == 0
    capsys.readouterr()
    for topic in (3, 6, 8):  # speech recognition, music generation, autonomous driving
        kept = [f"2403.{d * 100 + k:05d}" for d in range(10) for k in (topic, topic + 10)][:10]
        code, _, _ = run(capsys, "mark", *kept, "--bookmark")
        assert code == 0
        for day in ("2024-03-11", "2024-03-12"):
            code, by_votes, _ = run(capsys, "list", "--day", day, "--sort", "votes", "--json")
            code, out, err = run(capsys, "list", "--day", day, "--sort", "for-you", "--json")
            assert code == 0 and err == ""
            first = [p["title"] for p in json.loads(out)][:5]
            name = TOPICS[topic][0]
            assert sum(t.startswith(name) for t in first) == 3, (topic, day, first)
            assert sum(p["title"].startswith(name) for p in json.loads(by_votes)[:5]) < 3
        code, _, _ = run(capsys, "mark", *kept, "--unbookmark")


def test_related_computes_the_lists_of_a_home_from_before_them_and_says_so(topics, capsys):
    (topics / "related.bin").unlink()
    (topics / "related.terms").unlink()
    code, out, err = run(capsys, "list", "--day", "2024-01-04", "--sort", "for-you")
    assert code == 0  # nothing kept: that is said first
    assert main(["mark", "--bookmark", "2401.00003"]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "list", "--day", "2024-01-04", "--sort", "for-you")
    assert code == 0
    assert err.strip() == ("papers: no related papers in this data directory yet (the next "
                           "papers import or papers update computes them): sorted by votes")
    assert not (topics / "related.bin").exists()
    code, out, err = run(capsys, "related", "2401.00001", "--json")
    assert code == 0
    assert err.strip() == ("papers: computing the related papers of the whole archive "
                           "(once; the next import keeps them up to date)...")
    assert (topics / "related.bin").exists()
    assert "Relighting Neural Radiance Fields from Sparse Views" in [
        p["title"] for p in json.loads(out)]
    code, out, err = run(capsys, "related", "2401.00001")
    assert code == 0 and err == ""


def test_an_unchanged_import_computes_missing_related_lists_and_otherwise_writes_nothing(
        topics, capsys):
    (topics / "related.bin").unlink()
    assert main(["import", str(CORPUS)]) == 0
    assert (topics / "related.bin").exists()
    before = (topics / "related.bin").stat().st_mtime_ns
    assert main(["import", str(CORPUS)]) == 0
    assert (topics / "related.bin").stat().st_mtime_ns == before
