"""Related papers and the "for you" order (issue 15), on the 5.5k archive.

* Topic precision: papers whose title carries a rare two-word term (in 5-40 titles,
  generic words excluded); the share of their top-5 related papers whose title or
  summary carries the same term.  Beside random picks and a naive unigram TF-IDF over
  title + summary (cosine, no weighting, no pruning), on the same papers; and ours on
  the other papers with such a term, where the weights of ``store/related`` are chosen
  (so the 300 stay unseen).
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
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from store.related import Related, kept_weights  # noqa: E402
from store.related.space import build_from_index  # noqa: E402

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
    return {f"{a} {b}" for a, b in pairwise(words)
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


def for_you_rate(index, related: Related, terms: dict[int, str]) -> tuple[float, int, float]:
    """(hit rate, days, the hit rate of the day ordered by votes alone)."""
    by_term: dict[str, list[int]] = {}
    for i, t in terms.items():
        by_term.setdefault(t, []).append(i)
    day_of = [min(ds) if ds else "" for ds in index.dates]
    days: dict[str, list[int]] = {}
    for i, d in enumerate(day_of):
        days.setdefault(d, []).append(i)
    hits = cases = by_votes = 0
    texts = _texts(index, literal=False)
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
            plain = sorted(cands, key=lambda c: -votes[c])[:5]
            by_votes += any(term in texts[index.id_pos[c]] for c in plain)
    if not cases:
        return 0.0, 0, 0.0
    return hits / cases, cases, by_votes / cases


def _texts(index, literal: bool) -> list[str]:
    """Title + summary of each paper, lower case; unless ``literal``, hyphens read as
    spaces (the topic terms come from titles split at hyphens: "auto-regressive" is the
    term "auto regressive", and a summary writing "auto-regressive" carries it)."""
    out = [(index.titles[i] + " " + index.summaries[i]).lower() for i in range(index.n)]
    return out if literal else [t.replace("-", " ") for t in out]


def _one_new_day(index) -> tuple[float, int]:
    """Seconds for the related step of importing the newest day onto the rest."""
    from store.related.space import build, first_days, order_after, update

    days = first_days(index)
    newest = max(days)
    old = [i for i in range(index.n) if days[i] != newest]
    new = [i for i in range(index.n) if days[i] == newest]
    titles, summaries = list(index.titles), list(index.summaries)
    related, space = build([index.ids[i] for i in old], [titles[i] for i in old],
                           [summaries[i] for i in old], [days[i] for i in old],
                           index.gloss_ko)
    space = type(space).from_bytes(space.to_bytes())  # as an import reads it back
    related = Related.from_bytes(related.to_bytes())
    changed = {index.ids[i]: (titles[i], summaries[i]) for i in new}
    order = order_after(related.ids, list(changed), set())
    pos = index.id_pos
    t = time.perf_counter()
    update(related, space, changed, set(), [titles[pos[i]] for i in order],
           [days[pos[i]] for i in order], index.gloss_ko)
    return time.perf_counter() - t, len(new)


READER = r"""
import random, statistics, sys, time
sys.path.insert(0, {root!r})
from store.db import Store

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024

s = Store.open({home!r}, sample=False)
ids = s.ids()
before, rss = status("VmHWM"), status("VmRSS")
t = time.perf_counter()
s.warm_related()
read = time.perf_counter() - t
assert s.related_ready
times = []
for pid in random.Random(3).sample(ids, min(540, len(ids))):
    t = time.perf_counter()
    s.related(pid, 5)
    times.append(time.perf_counter() - t)
print(status("VmHWM") - before, status("VmRSS") - rss, read, statistics.median(times),
      max(times))
"""


def reader_cost(home: Path) -> tuple[float, float, float, float, float]:
    """What holding related.bin costs a reader process: its peak memory (VmHWM) and its
    memory (VmRSS) added by reading the file and 540 papers' lists, the read, and a
    list's p50 / max."""
    import subprocess

    root = str(Path(__file__).resolve().parents[1])
    out = subprocess.run([sys.executable, "-c", READER.format(root=root, home=str(home))],
                         capture_output=True, text=True, check=True)
    peak, held, read, p50, worst = map(float, out.stdout.split())
    return peak, held, read, p50, worst


def run(homes: dict[str, Path]) -> list[tuple[str, str, str]]:
    from store.db import Store

    store = Store.open(homes["5.5k"], sample=False)
    index = store.index
    t = time.perf_counter()
    related, _ = build_from_index(index)
    built = time.perf_counter() - t
    step, day_papers = _one_new_day(index)
    terms = topic_terms(index.titles)
    rng = random.Random(SEED)
    queries = sorted(rng.sample(sorted(terms), min(QUERIES, len(terms))))
    ours = {q: [index.id_pos[pid] for pid, _ in related.of(index.ids[q], 5)] for q in queries}
    # the other papers with such a term: where the weights were chosen (never on these 300)
    asked = set(queries)
    chosen_on = {q: [index.id_pos[pid] for pid, _ in related.of(index.ids[q], 5)]
                 for q in sorted(terms) if q not in asked}
    rand = {q: rng.sample([d for d in range(index.n) if d != q], 5) for q in queries}
    naive = naive_top5([index.titles[i] + " " + index.summaries[i] for i in range(index.n)],
                       queries)
    rate, cases, votes_rate = for_you_rate(index, related, terms)
    n = len(queries)
    rows = [
        (f"related: build for the archive ({index.n} papers)", f"{built:.2f} s", "≤ 3 s"),
        (f"related: import of one new day ({day_papers} papers), the related step",
         f"{step * 1000:.0f} ms", "incremental"),
    ]
    for literal in (False, True):
        texts = _texts(index, literal)
        how = "term as a literal string" if literal else "term words by space or hyphen"
        rows += [
            (f"related: topic precision@5 ({n} papers; {how})",
             f"{precision(ours, terms, texts):.2f}", "≥ 0.6"),
            ("related:   random picks, same papers", f"{precision(rand, terms, texts):.2f}",
             "baseline"),
            ("related:   naive unigram TF-IDF, same papers",
             f"{precision(naive, terms, texts):.2f}", "baseline"),
            (f"related:   ours on the other {len(chosen_on)} papers (weights chosen there)",
             f"{precision(chosen_on, terms, texts):.2f}", "-"),
        ]
    rows += [
        (f"for you: topic paper in the day's top 5 ({cases} days)", f"{rate:.2f}", "high"),
        ("for you:   the day by votes alone, same days", f"{votes_rate:.2f}", "baseline"),
    ]
    for label, home in homes.items():
        if home.is_dir():
            peak, held, read, p50, worst = reader_cost(home)
            rows.append(((f"related: a reader reads related.bin, {label}: peak / memory "
                          "added (read + 540 lists)"), f"{peak:.1f} / {held:.1f} MB",
                         "≤ 5 MB at 55k"))
            rows.append((f"related: the read / one paper's list (p50, max), {label}",
                         f"{read * 1000:.1f} ms / {p50 * 1000:.3f}, {worst * 1000:.2f} ms",
                         "≤ 1 ms a list"))
    if "55k" in homes and homes["55k"].is_dir():
        big = Store.open(homes["55k"], sample=False).index
        t = time.perf_counter()
        build_from_index(big)
        rows.append((f"related: build at 55k ({big.n} papers)",
                     f"{time.perf_counter() - t:.1f} s", "≤ 30 s"))
        step, day_papers = _one_new_day(big)
        rows.append((f"related: import of one new day at 55k ({day_papers} papers)",
                     f"{step * 1000:.0f} ms", "incremental"))
    return rows


if __name__ == "__main__":
    import tempfile

    from bench.synth import ARCHIVE
    from store.db import Store

    # python -m bench.related [HOME-5.5k [HOME-55k]]: data directories already imported
    if len(sys.argv) > 1:
        homes = dict(zip(("5.5k", "55k"), map(Path, sys.argv[1:3])))
    else:
        home = Path(tempfile.mkdtemp(prefix="papers-related-")) / "home-5.5k"
        Store.open(home, sample=False).import_paths([ARCHIVE])
        homes = {"5.5k": home}
    for row in run(homes):
        print("  ".join(row))
