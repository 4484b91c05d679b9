"""store.parse over the whole real archive and the seeds (skipped when ../shared is absent)."""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path

import pytest

from store.parse import paper_id_from_url, parse_file

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
LOGS = CORPUS / "daily_papers_ko" / "paper_logs"
SEEDS = CORPUS / "seeds"

pytestmark = [
    pytest.mark.archive,
    pytest.mark.skipif(not (CORPUS / "daily_papers_ko").is_dir(), reason="no ../shared/corpus"),
]


@pytest.fixture(scope="module")
def archive():
    files = sorted(LOGS.glob("*/*/*.md"))
    start = time.perf_counter()
    parsed = [parse_file(f) for f in files]
    seconds = time.perf_counter() - start
    print(f"\nparsed {len(files)} files in {seconds:.3f} s")
    return files, parsed, seconds


def test_archive_counts(archive):
    files, parsed, _ = archive
    assert len(files) == 357
    entries = [(d.date, p) for pf in parsed for d in pf.days for p in d.papers]
    assert len({d.date for pf in parsed for d in pf.days}) == 357
    assert all(len(pf.days) == 1 for pf in parsed)  # one day per file, repeated headers merged
    assert len(entries) == 5488
    ids = Counter(p.id for _, p in entries)
    assert len(ids) == 5487
    assert [i for i, n in ids.items() if n > 1] == ["2410.09342"]
    assert sorted(d for d, p in entries if p.id == "2410.09342") == ["2024-10-16", "2024-10-18"]
    assert all(p.dates == [d] for d, p in entries)
    assert sum(p.votes is None for _, p in entries) == 117
    assert sum(p.authors_truncated for _, p in entries) == 115
    assert sum(not p.authors for _, p in entries) == 11
    assert [len(p.authors) for _, p in entries if len(p.authors) > 418] == [663]
    assert all("+" not in p.authors for _, p in entries)
    assert all(p.url.startswith("https://arxiv.org/abs/") for _, p in entries)
    assert sum(p.video is not None for _, p in entries) == 152
    assert all(p.bullets for _, p in entries if p.authors)


def test_archive_matches_the_repository_index(archive):
    """Every (date, id, title) we read is in the archive's own papers_list.csv."""
    _, parsed, _ = archive
    with open(LOGS / "papers_list.csv", encoding="utf-8", newline="") as f:
        index = {(r["date"], paper_id_from_url(r["url"])): r["title"] for r in csv.DictReader(f)}
    for pf in parsed:
        for d in pf.days:
            for p in d.papers:
                assert index.get((d.date, p.id)) == p.title


def test_archive_warnings_are_few_and_meaningful(archive):
    _, parsed, _ = archive
    warnings = [w for pf in parsed for w in pf.warnings]
    for w in warnings:
        assert "Traceback" not in w.message and "Error" not in w.message
        assert "Exception" not in w.message
    kinds = Counter(w.message.split(" ", 3)[-1] for w in warnings)
    assert kinds == {"repeated; merged into one day": 5}
    assert sorted(f"{Path(w.file).relative_to(LOGS)}:{w.line}" for w in warnings) == [
        "2024/10/18.md:87", "2024/10/21.md:387", "2024/10/28.md:99",
        "2025/01/02.md:27", "2025/02/19.md:459"]


def test_archive_parse_time(archive):
    *_, seconds = archive
    assert seconds < 5.0  # measured ~0.15 s on the 2-core box; loose bound against flakiness


def test_seeds():
    parsed = [parse_file(f) for f in sorted(SEEDS.glob("*.md"))]
    days = [d for pf in parsed for d in pf.days]
    assert [d.date for d in days] == ["2023-12-14", "2024-02-20", "2024-04-12", "2024-04-15",
                                      "2024-06-14"]
    assert sum(len(d.papers) for d in days) == 75
    assert [w for pf in parsed for w in pf.warnings] == []
