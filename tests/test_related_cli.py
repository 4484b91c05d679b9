"""`papers related ID` and `papers list --sort for-you`."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES
from tui.cli import main

CORPUS = FIXTURES / "related"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


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
