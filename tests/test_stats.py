"""Statistics: the pure computation, the drawing helpers, `papers stats`."""

from __future__ import annotations

import json

from conftest import run
from store.models import Paper
from store.stats import bar, compute, in_range, resample, sparkline


def paper(pid, votes, authors, dates):
    return Paper(pid, pid, "", dates=dates, votes=votes, authors=authors)


DAYS = {
    "2024-01-30": ["a", "b"],
    "2024-02-01": ["c", "a", "d"],  # a is listed twice: counted once as a paper
    "2024-02-02": ["e"],
    "2024-03-05": ["f", "ghost"],  # an id without metadata is ignored
}
PAPERS = {
    "a": paper("a", 120, ["Kim", "Lee"], ["2024-02-01", "2024-01-30"]),
    "b": paper("b", 5, ["Kim"], ["2024-01-30"]),
    "c": paper("c", None, ["Park", "Kim"], ["2024-02-01"]),
    "d": paper("d", 30, ["Lee"], ["2024-02-01"]),
    "e": paper("e", 10, [], ["2024-02-02"]),
    "f": paper("f", 250, ["Choi"], ["2024-03-05"]),
}


def test_compute_everything():
    st = compute(DAYS, PAPERS, read={"a", "d", "f"}, bookmarked={"b", "f"})
    assert st.days == 4 and st.papers == 6 and st.listings == 7
    assert st.read == 3 and st.unread == 3 and st.bookmarked == 2
    assert st.per_day == [("2024-01-30", 2), ("2024-02-01", 3), ("2024-02-02", 1),
                          ("2024-03-05", 1)]
    assert dict(st.votes) == {"0-9": 1, "10-24": 1, "25-49": 1, "50-99": 0, "100-199": 1,
                              "200+": 1, "no votes": 1}
    assert st.votes_median == 30 and st.votes_max == 250 and st.votes_mean == 83.0
    assert st.authors[:2] == [("Kim", 3), ("Lee", 2)]
    assert [(m.month, m.papers, m.read, m.bookmarked, m.unread) for m in st.progress] == [
        ("2024-01", 2, 1, 1, 1), ("2024-02", 3, 1, 0, 2), ("2024-03", 1, 1, 1, 0)]
    assert st.busiest[0] == ("2024-02-01", 3, 150)
    assert st.busiest[1] == ("2024-01-30", 2, 125)
    data = st.to_json()
    assert data["range"] == {"since": None, "until": None, "first_day": "2024-01-30",
                             "last_day": "2024-03-05"}
    assert data["progress"][0] == {"month": "2024-01", "papers": 2, "read": 1, "unread": 1,
                                   "bookmarked": 1}
    json.dumps(data)


def test_compute_range_and_empty():
    st = compute(DAYS, PAPERS, set(), set(), since="2024-02", until="2024-02")
    assert [d for d, _ in st.per_day] == ["2024-02-01", "2024-02-02"]
    assert st.papers == 4 and st.progress[0].month == "2024-02"
    empty = compute(DAYS, PAPERS, set(), set(), since="2030")
    assert empty.days == 0 and empty.papers == 0 and empty.votes_median is None
    assert empty.first_day is None and empty.to_json()["busiest"] == []
    assert in_range("2024-04-12", "2024-04-12", "2024-04-12")
    assert not in_range("2024-04-12", None, "2024-04-11")


def test_sparkline_and_bar():
    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█"
    assert sparkline([0, 0]) == "▁▁" and sparkline([]) == ""
    assert len(sparkline(list(range(1000)), 60)) == 60
    assert resample([1, 1, 3, 3], 2) == [1, 3]
    assert bar(10, 10, 4) == "████" and bar(0, 10, 4) == "" and bar(5, 10, 4) == "██"
    assert bar(1, 100, 4) == "▏"  # something, however small


def test_cli_stats_json_and_text(store, capsys):
    store.set_read(["2406.09414", "2406.09415"])
    store.set_bookmarked(["2406.09414"])
    code, out, _ = run(capsys, "stats", "--json")
    data = json.loads(out)
    assert code == 0 and data["papers"] == 75 and data["days"] == 5
    assert data["read"] == 2 and data["bookmarked"] == 1 and data["unread"] == 73
    assert data["per_day"][-1] == {"date": "2024-06-14", "papers": 30}
    assert data["busiest"][0]["date"] == "2024-06-14"
    june = next(m for m in data["progress"] if m["month"] == "2024-06")
    assert june == {"month": "2024-06", "papers": 30, "read": 2, "unread": 28, "bookmarked": 1}
    code, out, _ = run(capsys, "stats")
    assert code == 0
    assert out.startswith("2023-12-14 .. 2024-06-14: 5 days, 75 papers; read 2")
    for heading in ("Papers per day", "Votes (median", "Most frequent authors",
                    "Reading progress by month", "Busiest days"):
        assert heading in out
    assert "█" in out


def test_cli_stats_range(store, capsys):
    data = json.loads(run(capsys, "stats", "--since", "2024-04", "--until", "2024-04",
                          "--json")[1])
    assert [d["date"] for d in data["per_day"]] == ["2024-04-12", "2024-04-15"]
    code, _, err = run(capsys, "stats", "--since", "2030")
    assert code == 1 and err == "papers: no days in that range\n"
