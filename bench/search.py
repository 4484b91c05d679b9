"""Search benchmark section: build/load time, per-keystroke latency, naive baseline.

``run(papers_5k, papers_55k)`` returns rows ``(metric, measured, target)``; the
bench runner prints them.  Timed with ``time.perf_counter`` in this process:
build once; load = best of 3 ``from_bytes`` (1 at 55k); keystrokes = every prefix of
"diffusion transformer" searched in turn (limit 50), each pass on a freshly loaded
index so lazy caches start cold (3 passes at 5.5k, 2 at 55k; p50/p95 over all).
"""

from __future__ import annotations

import gc
import math
import statistics
import time

from store.models import Paper
from store.search import SearchIndex

TYPED = "diffusion transformer"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile of ``values`` (seconds)."""
    v = sorted(values)
    return v[max(0, min(len(v), math.ceil(p / 100 * len(v))) - 1)]


def _build(papers: list[Paper]) -> tuple[SearchIndex, float]:
    gc.collect()
    t = time.perf_counter()
    ix = SearchIndex.build(papers)
    return ix, time.perf_counter() - t


def _load(data: bytes, repeat: int = 3) -> tuple[SearchIndex, float]:
    best = float("inf")
    ix = None
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        ix = SearchIndex.from_bytes(data)
        best = min(best, time.perf_counter() - t)
    return ix, best


def typing_latencies(ix: SearchIndex, text: str = TYPED, passes: int = 3) -> list[float]:
    """Search after every keystroke of ``text``.  The first pass runs on a freshly
    loaded index (cold caches); later passes each start from a fresh copy too."""
    data = ix.to_bytes()
    out: list[float] = []
    for _ in range(passes):
        fresh = SearchIndex.from_bytes(data)
        gc.collect()
        for i in range(1, len(text) + 1):
            q = text[:i]
            t = time.perf_counter()
            fresh.search(q, 50)
            out.append(time.perf_counter() - t)
    return out


def naive_baseline(papers: list[Paper], query: str = TYPED, titles_only: bool = False) -> float:
    """``process.extract(query, texts, scorer=WRatio)`` over title+authors+summary
    (or the titles alone)."""
    from rapidfuzz import fuzz, process

    if titles_only:
        texts = [p.title for p in papers]
    else:
        texts = [f"{p.title} {', '.join(p.authors)} {p.summary_text()}" for p in papers]
    best = float("inf")
    for _ in range(2):
        t = time.perf_counter()
        process.extract(query, texts, scorer=fuzz.WRatio, limit=50)
        best = min(best, time.perf_counter() - t)
    return best


def run(papers_5k: list[Paper], papers_55k: list[Paper]) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    n5, n55 = len(papers_5k), len(papers_55k)

    ix5, t5 = _build(papers_5k)
    rows.append((f"search: index build ({n5} papers)", _ms(t5), "<= 2000 ms"))
    data5 = ix5.to_bytes()
    _, l5 = _load(data5)
    rows.append((f"search: index load from_bytes ({n5}, {len(data5) / 1e6:.1f} MB)", _ms(l5),
                 "<= 150 ms"))
    lat5 = typing_latencies(ix5)
    rows.append((f"search: keystroke p50 '{TYPED}' ({n5})", _ms(statistics.median(lat5)),
                 "-"))
    rows.append((f"search: keystroke p95 '{TYPED}' ({n5})", _ms(_pct(lat5, 95)), "<= 16 ms"))
    del ix5

    ix55, t55 = _build(papers_55k)
    rows.append((f"search: index build ({n55} papers)", _ms(t55), "-"))
    data55 = ix55.to_bytes()
    _, l55 = _load(data55, repeat=1)
    rows.append((f"search: index load from_bytes ({n55}, {len(data55) / 1e6:.1f} MB)",
                 _ms(l55), "-"))
    lat55 = typing_latencies(ix55, passes=2)
    p95 = _pct(lat55, 95)
    rows.append((f"search: keystroke p50 '{TYPED}' ({n55})", _ms(statistics.median(lat55)),
                 "-"))
    rows.append((f"search: keystroke p95 '{TYPED}' ({n55})", _ms(p95), "<= 50 ms"))
    del ix55

    naive = naive_baseline(papers_55k)
    rows.append((f"search: naive WRatio extract, full text ({n55})", _ms(naive), "-"))
    rows.append((f"search: naive WRatio extract, titles only ({n55})",
                 _ms(naive_baseline(papers_55k, titles_only=True)), "-"))
    full_query = statistics.median(lat55[len(TYPED) - 1::len(TYPED)])
    rows.append(("search: speedup vs naive (full query, 55k)",
                 f"{naive / max(full_query, 1e-9):.0f}x", "-"))
    return rows
