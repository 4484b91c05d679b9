"""Statistics over the corpus and the reader state: pure computations, no I/O.

``compute`` takes the days (date -> paper ids), the papers' metadata and the read /
bookmarked sets, and returns a ``Stats`` that the CLI (`papers stats`) prints and the
reader's statistics screen draws.  ``sparkline``/``bar`` draw with block characters.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from .models import Paper

__all__ = ["VOTE_BUCKETS", "Stats", "bar", "compute", "in_range", "sparkline"]

# (label, low, high) inclusive; papers without a vote count go to "no votes"
VOTE_BUCKETS: tuple[tuple[str, int, int], ...] = (
    ("0-9", 0, 9),
    ("10-24", 10, 24),
    ("25-49", 25, 49),
    ("50-99", 50, 99),
    ("100-199", 100, 199),
    ("200+", 200, 10**18),
)
NO_VOTES = "no votes"
_UNSET = object()


@dataclass(slots=True)
class MonthProgress:
    month: str  # YYYY-MM
    papers: int
    read: int
    bookmarked: int

    @property
    def unread(self) -> int:
        return self.papers - self.read


@dataclass(slots=True)
class Stats:
    since: str | None
    until: str | None
    days: int = 0
    papers: int = 0             # distinct papers listed on a day in range
    listings: int = 0           # papers counted once per day they are listed
    read: int = 0
    bookmarked: int = 0
    per_day: list[tuple[str, int]] = field(default_factory=list)        # oldest first
    votes: list[tuple[str, int]] = field(default_factory=list)          # bucket -> papers
    votes_median: float | None = None
    votes_mean: float | None = None
    votes_max: int | None = None
    authors: list[tuple[str, int]] = field(default_factory=list)        # most frequent
    progress: list[MonthProgress] = field(default_factory=list)         # oldest first
    busiest: list[tuple[str, int, int]] = field(default_factory=list)   # date, papers, votes

    @property
    def unread(self) -> int:
        return self.papers - self.read

    @property
    def first_day(self) -> str | None:
        return self.per_day[0][0] if self.per_day else None

    @property
    def last_day(self) -> str | None:
        return self.per_day[-1][0] if self.per_day else None

    def to_json(self) -> dict:
        return {
            "range": {"since": self.since, "until": self.until,
                      "first_day": self.first_day, "last_day": self.last_day},
            "days": self.days,
            "papers": self.papers,
            "listings": self.listings,
            "read": self.read,
            "unread": self.unread,
            "bookmarked": self.bookmarked,
            "per_day": [{"date": d, "papers": n} for d, n in self.per_day],
            "votes": {
                "buckets": [{"range": label, "papers": n} for label, n in self.votes],
                "median": self.votes_median,
                "mean": self.votes_mean,
                "max": self.votes_max,
            },
            "authors": [{"name": a, "papers": n} for a, n in self.authors],
            "progress": [
                {"month": m.month, "papers": m.papers, "read": m.read, "unread": m.unread,
                 "bookmarked": m.bookmarked}
                for m in self.progress
            ],
            "busiest": [{"date": d, "papers": n, "votes": v} for d, n, v in self.busiest],
        }


def in_range(date: str, since: str | None, until: str | None) -> bool:
    """``since``/``until`` are inclusive date prefixes: ``2024``, ``2024-04``, ``2024-04-12``."""
    if since and date[: len(since)] < since:
        return False
    if until and date[: len(until)] > until:
        return False
    return True


def _votes(p: Any) -> int | None:
    return p.votes if isinstance(p, Paper) else p.get("votes")


def _authors(p: Any) -> list[str]:
    return p.authors if isinstance(p, Paper) else (p.get("authors") or [])


def compute(
    days: Mapping[str, Iterable[str]],
    papers: Mapping[str, Paper | Mapping[str, Any]],
    read: set[str] | frozenset[str],  # papers: Paper objects or their JSON (meta) dicts
    bookmarked: set[str] | frozenset[str],
    *,
    since: str | None = None,
    until: str | None = None,
    top_authors: int = 10,
    top_days: int = 5,
) -> Stats:
    st = Stats(since, until)
    first_seen: dict[str, str] = {}  # paper id -> earliest day in range
    busiest: list[tuple[str, int, int]] = []
    vote_of: dict[str, int | None] = {}  # each paper's votes, looked up once
    for date in sorted(days):
        if not in_range(date, since, until):
            continue
        ids = [i for i in days[date] if i in papers]
        st.per_day.append((date, len(ids)))
        st.listings += len(ids)
        total = 0
        for i in ids:
            v = vote_of.get(i, _UNSET)
            if v is _UNSET:
                v = vote_of[i] = _votes(papers[i])
            total += v or 0
            if i not in first_seen:
                first_seen[i] = date
        busiest.append((date, len(ids), total))
    st.days = len(st.per_day)
    st.papers = len(first_seen)
    st.read = sum(1 for i in first_seen if i in read)
    st.bookmarked = sum(1 for i in first_seen if i in bookmarked)

    votes = sorted(v for v in (vote_of[i] for i in first_seen) if v is not None)
    buckets = Counter()
    for label, lo, hi in VOTE_BUCKETS:  # votes are sorted: each bucket is one slice
        buckets[label] = bisect_right(votes, hi) - bisect_left(votes, lo)
    st.votes = [(label, buckets[label]) for label, _, _ in VOTE_BUCKETS]
    st.votes.append((NO_VOTES, st.papers - len(votes)))
    if votes:
        mid = len(votes) // 2
        st.votes_median = float(votes[mid]) if len(votes) % 2 else (votes[mid - 1] + votes[mid]) / 2
        st.votes_mean = round(sum(votes) / len(votes), 2)
        st.votes_max = votes[-1]

    # each paper's authors once; one count over all of them (not one update per paper)
    authors = Counter(chain.from_iterable(map(set, map(_authors, map(papers.__getitem__,
                                                                      first_seen)))))
    st.authors = heapq.nsmallest(top_authors, authors.items(),  # = sorted(...)[:top]
                                 key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]))

    months: dict[str, list[int]] = {}
    for i, date in first_seen.items():
        m = months.setdefault(date[:7], [0, 0, 0])
        m[0] += 1
        m[1] += i in read
        m[2] += i in bookmarked
    st.progress = [MonthProgress(k, *months[k]) for k in sorted(months)]

    busiest.sort(key=lambda t: (-t[1], -t[2], t[0]))
    st.busiest = busiest[:top_days]
    return st


# ---------------------------------------------------------------- drawing helpers
SPARK = "▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉█"


def resample(values: list[float], width: int) -> list[float]:
    """``values`` squeezed (bucket means) or kept to at most ``width`` points."""
    if width <= 0 or not values:
        return []
    if len(values) <= width:
        return list(values)
    out = []
    for k in range(width):
        lo = k * len(values) // width
        hi = max(lo + 1, (k + 1) * len(values) // width)
        chunk = values[lo:hi]
        out.append(sum(chunk) / len(chunk))
    return out


def sparkline(values: list[float], width: int = 60) -> str:
    pts = resample([float(v) for v in values], width)
    if not pts:
        return ""
    top = max(pts)
    if top <= 0:
        return SPARK[0] * len(pts)
    return "".join(SPARK[min(7, int(v / top * 7 + 0.5))] for v in pts)


def bar(value: float, top: float, width: int = 30) -> str:
    """A horizontal bar in eighths of a cell; ``value`` of ``top`` fills ``width``."""
    if top <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(value / top * width * 8))
    full, part = divmod(min(eighths, width * 8), 8)
    return "█" * full + (EIGHTHS[part] if part else "")
