"""Related papers and the "for you" order (issue 15), on the 5.5k archive.

* Topic precision: papers whose title carries a rare two-word term (in 5-40 titles,
  generic words excluded); the share of their top-5 related papers whose title or
  summary carries the same term.  Beside random picks and a naive unigram TF-IDF over
  title + summary (cosine, no weighting, no pruning), on the same papers.
* Build time of the related lists for the whole archive (what an import adds).
* "For you" hit rate: for a topic term found on 11+ days, bookmark its papers of the
  first 10 days; on each later day holding a paper of the term, is one in the top 5?

    python -m bench.related
"""

from __future__ import annotations

import math
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from store.related import Related, build_from_index, kept_weights  # noqa: E402

SEED = 15
QUERIES = 300          # papers asked (the naive baseline is slow: same papers for all)
GENERIC = frozenset("""
survey benchmark benchmarks model models large language languages learning data dataset
datasets via for the and of a an in on with to from towards toward using based new
evaluation evaluating framework frameworks method methods approach study task tasks
system systems training efficient scaling unified open generation multi can is are
toward through beyond your our we how what when why its vs all one not
""".split())
_WORD = re.compile(r"[a-z][a-z0-9]+")


def _pairs(title: str) -> set[str]:
    words = _WORD.findall(title.lower())
    return {f"{a} {b}" for a, b in zip(words, words[1:])
            if a not in GENERIC and b not in GENERIC and len(a) > 2 and len(b) > 2}


def topic_terms(titles: list[str]) -> dict[int, str]:
    """Paper number -> its rarest topical title term (5-40 titles carry it)."""
    count: dict[str, int] = {}
    per = [_pairs(t) for t in titles]
    for ps in per:
        for p in ps:
            count[p] = count.get(p, 0) + 1
    out = {}
    for i, ps in enumerate(per):
        good = sorted((count[p], p) for p in ps if 5 <= count[p] <= 40)
        if good:
            out[i] = good[0][1]
    return out


def naive_top5(docs: list[str], queries: list[int]) -> dict[int, list[int]]:
    toks = [_WORD.findall(d.lower()) + re.findall(r"[가-힣]+", d) for d in docs]
    n = len(docs)
    df: dict[str, int] = {}
    for ts in toks:
        for t in set(ts):
            df[t] = df.get(t, 0) + 1
    vecs = []
    for ts in toks:
        tf: dict[str, int] = {}
        for t in ts:
            tf[t] = tf.get(t, 0) + 1
        v = {t: c * math.log(n / df[t]) for t, c in tf.items()}
        norm = math.sqrt(sum(w * w for w in v.values())) or 1.0
        vecs.append({t: w / norm for t, w in v.items()})
    post: dict[str, list[tuple[int, float]]] = {}
    for d, v in enumerate(vecs):
        for t, w in v.items():
            post.setdefault(t, []).append((d, w))
    out = {}
    for q in queries:
        acc: dict[int, float] = {}
        for t, w in vecs[q].items():
            for d, wd in post[t]:
                acc[d] = acc.get(d, 0.0) + w * wd
        acc.pop(q, None)
        out[q] = sorted(acc, key=acc.__getitem__, reverse=True)[:5]
    return out


def precision(top: dict[int, list[int]], terms: dict[int, str], texts: list[str]) -> float:
    hits = total = 0
    for q, found in top.items():
        term = terms[q]
        hits += sum(1 for d in found if term in texts[d])
        total += len(found) or 5
    return hits / total if total else 0.0


def for_you_rate(index, related: Related, terms: dict[int, str]) -> tuple[float, int]:
    by_term: dict[str, list[int]] = {}
    for i, t in terms.items():
        by_term.setdefault(t, []).append(i)
    day_of = [min(ds) if ds else "" for ds in index.dates]
    days: dict[str, list[int]] = {}
    for i, d in enumerate(day_of):
        days.setdefault(d, []).append(i)
    hits = cases = 0
    texts = [(index.titles[i] + " " + index.summaries[i]).lower() for i in range(index.n)]
    for term, papers in by_term.items():
        term_days = sorted({day_of[i] for i in papers})
        if len(term_days) < 11:
            continue
        early = set(term_days[:10])
        kept = kept_weights([index.ids[i] for i in papers if day_of[i] in early], (), (), ())
        for day in term_days[10:]:
            cands = [index.ids[i] for i in days[day]]
            scores = related.for_you(cands, kept)
            votes = {index.ids[i]: index.votes[i] or 0 for i in days[day]}
            order = sorted(cands, key=lambda c: (-scores[c], -votes[c]))[:5]
            cases += 1
            hits += any(term in texts[index.id_pos[c]] for c in order)
    return (hits / cases if cases else 0.0), cases


def run(homes: dict[str, Path]) -> list[tuple[str, str, str]]:
    from store.db import Store

    store = Store.open(homes["5.5k"], sample=False)
    index = store.index
    t = time.perf_counter()
    related = build_from_index(index)
    built = time.perf_counter() - t
    terms = topic_terms(index.titles)
    rng = random.Random(SEED)
    queries = sorted(rng.sample(sorted(terms), min(QUERIES, len(terms))))
    texts = [(index.titles[i] + " " + index.summaries[i]).lower() for i in range(index.n)]
    ours = {q: [index.id_pos[pid] for pid, _ in related.of(index.ids[q], 5)] for q in queries}
    rand = {q: rng.sample([d for d in range(index.n) if d != q], 5) for q in queries}
    naive = naive_top5([index.titles[i] + " " + index.summaries[i] for i in range(index.n)],
                       queries)
    rate, cases = for_you_rate(index, related, terms)
    n = len(queries)
    rows = [
        (f"related: build for the archive ({index.n} papers)", f"{built:.2f} s", "≤ 3 s"),
        (f"related: topic precision@5 ({n} papers)", f"{precision(ours, terms, texts):.2f}",
         "≥ 0.6"),
        ("related: random picks, same papers", f"{precision(rand, terms, texts):.2f}",
         "baseline"),
        ("related: naive unigram TF-IDF, same papers",
         f"{precision(naive, terms, texts):.2f}", "baseline"),
        (f"for you: topic paper in the day's top 5 ({cases} days)", f"{rate:.2f}", "high"),
    ]
    if "55k" in homes and homes["55k"].is_dir():
        big = Store.open(homes["55k"], sample=False).index
        t = time.perf_counter()
        build_from_index(big)
        rows.append((f"related: build at 55k ({big.n} papers)",
                     f"{time.perf_counter() - t:.1f} s", "≤ 30 s"))
    return rows


if __name__ == "__main__":
    import tempfile

    from bench.synth import ARCHIVE
    from store.db import Store

    home = Path(tempfile.mkdtemp(prefix="papers-related-")) / "home-5.5k"
    Store.open(home, sample=False).import_paths([ARCHIVE])
    for row in run({"5.5k": home}):
        print("  ".join(row))
