"""Search quality: known-item queries generated from the archive, per kind of query.

Each query is made from one paper (the known item) the way a person would type it
when looking for that paper; success@k says whether that paper is in the first k
results.  The queries come from a fixed seed, so every run asks the same questions;
the kinds follow issue 11 (typos, shuffled words, surnames, accents dropped, rare
Korean phrases as typed, glued, half-typed, as initials, in the wrong keyboard
layout either way, with one jamo wrong, and across languages).

Two baselines answer the same queries over the same texts (title, authors, summary
of every paper): ``rapidfuzz.process.extract(..., scorer=WRatio)`` and
``fzf --filter`` (skipped with a note when fzf is not installed).

The generator uses only the archive's text and a keyboard table of its own; it does
not call the engine.  The held-out set the issue measures with is kept elsewhere:
this one is for watching, not for tuning.

    python -m bench.quality            # the table (5.5k archive)
    python -m bench.quality --dump     # the queries too
    python -m bench.quality --seed 12  # another set of the same kinds (to check a fix
                                       # is general, not fitted to the fixed seed's)
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from store import hangul  # noqa: E402
from store.models import Paper  # noqa: E402

SEED = 11
PER_KIND = 25
KINDS = ["title_typo", "shuffled", "surname", "no_diacritics", "rare_ko", "glued",
         "half_typed", "choseong", "ko_as_en_keys", "en_as_ko_keys", "jamo_typo",
         "ko_term_en_title", "en_term_ko_summary"]

# 2-set layout, the generator's own table (Hangul jamo -> key)
_KEY = dict(zip("ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔㅁㄴㅇㄹㅎㅗㅓㅏㅣㅋㅌㅊㅍㅠㅜㅡㅃㅉㄸㄲㅆㅒㅖ",
                "qwertyuiopasdfghjklzxcvbnmQWERTOP"))
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9]|[A-Za-z]")
_KO = re.compile("[가-힣]+")
_PAIR = re.compile(r"([가-힣]{2,}(?: [가-힣]{2,}){0,2}) ?\(([A-Za-z][A-Za-z\- ]{2,40}[A-Za-z])\)")
# words that lead into a term but are not part of it (있는 역할극 -> 역할극)
_KO_STOP = set("있는 하는 및 특히 주요 이러한 다양한 새로운 통한 위한 기존 기존의 이 그 또한 "
               "이를 같은 되는 된 수 것 등 즉 또는 보다 더 매우 모든 각 해당 본 하여 통해".split())
_STOP = set("a an the of for and in on to with via from by is are at as or its into "
            "using towards toward than be we our what how when why do does can your you it "
                 "not all one".split())


def _text(p: Paper) -> str:
    return f"{p.title} {', '.join(p.authors)} {p.summary_text()}"


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _typo(rng: random.Random, w: str) -> str:
    i = rng.randrange(1, len(w) - 1)
    op = rng.choice("dsti")
    if op == "d":
        return w[:i] + w[i + 1:]
    if op == "s":
        return w[:i] + w[i + 1] + w[i] + w[i + 2:]
    c = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if op == "t":
        return w[:i] + c + w[i + 1:]
    return w[:i] + c + w[i:]


def _keys(ko: str) -> str:
    return "".join(_KEY.get(j, j) for j in hangul.keystrokes(ko))


def _half(word: str) -> str:
    l, v, t = hangul.decompose(word[-1])
    last = hangul.compose(l, v, 0) if t else "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"[l]
    return word[:-1] + last


def _jamo_typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(len(word))
    l, v, t = hangul.decompose(word[i])
    part = rng.choice("lvt" if t else "lv")
    if part == "l":
        l = rng.choice([x for x in range(19) if x != l])
    elif part == "v":
        v = rng.choice([x for x in range(21) if x != v])
    else:
        t = rng.choice([x for x in range(28) if x != t])
    return word[:i] + hangul.compose(l, v, t) + word[i + 1:]


def _glossary(papers: list[Paper]) -> dict[str, Counter]:
    """English term (casefolded) -> Korean terms written before it in parentheses."""
    out: dict[str, Counter] = defaultdict(Counter)
    for p in papers:
        for ko, en in _PAIR.findall(p.summary_text()):
            n = min(3, len(en.replace("-", " ").split()))  # as many words as the English
            words = ko.split()[-n:]
            while words and (words[0] in _KO_STOP or len(words[0]) < 2):
                words = words[1:]
            if words:
                out[en.casefold().strip()][" ".join(words)] += 1
    return out


def generate(papers: list[Paper], per_kind: int = PER_KIND, seed: int = SEED):
    """[(kind, query, paper id)], ``per_kind`` of each kind where the archive allows."""
    rng = random.Random(seed)
    order = papers[:]
    rng.shuffle(order)
    surnames = Counter()
    names = Counter()
    title_df = Counter()
    ko_pairs = Counter()
    ko_df = Counter()
    for p in papers:
        for a in set(p.authors):
            names[_fold(a).casefold()] += 1
            parts = a.split()
            if parts:
                surnames[_fold(parts[-1]).casefold()] += 1
        title_df.update({w.casefold() for w in _WORD.findall(p.title)})
        toks = _KO.findall(p.summary_text())
        ko_df.update(set(toks))
        ko_pairs.update({f"{a} {b}" for a, b in pairwise(toks)})
    gloss = _glossary(papers)
    # specific terms only ("training" is in every other summary): two words or long
    en_terms = sorted((en, c.most_common(1)[0][0]) for en, c in gloss.items()
                      if sum(c.values()) >= 3 and (" " in en or len(en) >= 9))

    def rare_pair(p: Paper) -> str | None:
        s = p.summary_text()
        cands = []
        for m in re.finditer(r"([가-힣]{2,}) ([가-힣]{2,})", s):
            pair = m.group(0)
            if ko_pairs[pair] == 1 and len(pair) >= 6:
                cands.append(pair)
        return rng.choice(cands) if cands else None

    def title_words(p: Paper, k: int, minlen: int = 4) -> list[str] | None:
        ws = [w for w in _WORD.findall(p.title) if len(w) >= minlen and w.casefold() not in _STOP]
        ws = list(dict.fromkeys(ws))
        if len(ws) < k:
            return None
        ws.sort(key=lambda w: title_df[w.casefold()])
        picked = set(ws[:k])
        return [w for w in dict.fromkeys(_WORD.findall(p.title)) if w in picked][:k]

    out: list[tuple[str, str, str]] = []
    count = Counter()

    def add(kind: str, q: str | None, p: Paper) -> None:
        if q and count[kind] < per_kind:
            out.append((kind, q, p.id))
            count[kind] += 1

    for p in order:
        if all(count[k] >= per_kind for k in KINDS):
            break
        ws = title_words(p, 3)
        if ws and count["title_typo"] < per_kind:
            long = [i for i, w in enumerate(ws) if len(w) >= 5]
            if long:
                i = rng.choice(long)
                ws2 = ws[:]
                ws2[i] = _typo(rng, ws2[i])
                add("title_typo", " ".join(ws2).lower(), p)
        ws = title_words(p, 3, 3)
        if ws and count["shuffled"] < per_kind:
            sh = ws[:]
            while sh == ws:
                rng.shuffle(sh)
            add("shuffled", " ".join(sh).lower(), p)
        for a in p.authors:
            parts = a.split()
            if (len(parts) >= 2 and parts[-1].isalpha() and len(parts[-1]) >= 4
                    and surnames[_fold(parts[-1]).casefold()] == 1):
                add("surname", _fold(parts[-1]).lower(), p)
                break
        for a in p.authors:
            if _fold(a) != a and names[_fold(a).casefold()] == 1 and a.isascii() is False:
                add("no_diacritics", _fold(a), p)
                break
        pair = rare_pair(p)
        if pair:
            a, b = pair.split()
            first = rng.choice(["rare_ko", "glued", "half_typed", "choseong",
                                "ko_as_en_keys", "jamo_typo"])
            for kind in [first] + [k for k in ("rare_ko", "glued", "half_typed", "choseong",
                                                "ko_as_en_keys", "jamo_typo") if k != first]:
                if count[kind] >= per_kind:
                    continue
                if kind == "rare_ko":
                    add(kind, pair, p)
                elif kind == "glued":
                    add(kind, a + b, p)
                elif kind == "half_typed":
                    add(kind, f"{a} {_half(b)}", p)
                elif kind == "choseong":
                    add(kind, hangul.choseong(pair), p)
                elif kind == "ko_as_en_keys":
                    add(kind, f"{_keys(a)} {_keys(b)}", p)
                else:
                    w = rng.choice([0, 1])
                    ab = [a, b]
                    ab[w] = _jamo_typo(rng, ab[w])
                    add(kind, " ".join(ab), p)
                break
        ws = title_words(p, 2)
        if ws and count["en_as_ko_keys"] < per_kind and all(w.isalpha() for w in ws):
            from store.search.layout import compose  # the input method's composition
            add("en_as_ko_keys", " ".join(compose("".join(
                {v: k for k, v in _KEY.items()}.get(c, c) for c in w.lower())) for w in ws), p)
        low_title = p.title.casefold()
        summary = p.summary_text()
        low_summary = summary.casefold()
        terms = rng.sample(en_terms, len(en_terms))
        if count["ko_term_en_title"] < per_kind:
            for en, ko in terms:
                if re.search(rf"\b{re.escape(en)}\b", low_title) and \
                        ko.replace(" ", "") not in summary.replace(" ", ""):
                    rest = [w for w in (title_words(p, 3) or [])
                            if w.casefold() not in en.split()]
                    if rest:
                        add("ko_term_en_title", f"{ko} {rest[0].lower()}", p)
                    break
        if count["en_term_ko_summary"] < per_kind:
            for en, ko in terms:
                if ko in summary and en not in low_summary and en not in low_title:
                    rare = [w for w in _KO.findall(summary) if ko_df[w] <= 3 and len(w) >= 3
                            and w not in ko]
                    if rare:
                        add("en_term_ko_summary", f"{en} {rare[0]}", p)
                    break
    return out


# ---------------------------------------------------------------- answering
def _engine(papers: list[Paper]):
    from store.search import SearchIndex

    ix = SearchIndex.build(papers)

    def run(q: str) -> list[str]:  # the first 10 rows the search screen shows
        hits = ix.search(q, 10)
        return [h.id for h in list(hits) + list(hits.partial)][:10]

    return run


def _wratio(papers: list[Paper]):
    from rapidfuzz import fuzz, process

    texts = [_text(p) for p in papers]
    ids = [p.id for p in papers]
    return lambda q: [ids[i] for _, _, i in process.extract(q, texts, scorer=fuzz.WRatio,
                                                              limit=10)]


def _fzf(papers: list[Paper]):
    exe = shutil.which("fzf")
    if exe is None:
        return None
    lines = "".join(f"{p.id}\t{_text(p)}".replace("\n", " ") + "\n" for p in papers).encode()

    def run(q: str) -> list[str]:
        r = subprocess.run([exe, "--filter", q], input=lines, capture_output=True,
                           check=False)  # fzf exits 1 when nothing matches
        return [ln.split(b"\t", 1)[0].decode() for ln in r.stdout.splitlines()[:10]]

    return run


def score(answer, queries) -> dict[str, tuple[float, float, float]]:
    by_kind: dict[str, list[int | None]] = defaultdict(list)
    for kind, q, pid in queries:
        got = answer(q)
        by_kind[kind].append(got.index(pid) + 1 if pid in got else None)
    out = {}
    for kind, ranks in by_kind.items():
        n = len(ranks)
        out[kind] = (sum(r == 1 for r in ranks) / n, sum(r is not None for r in ranks) / n,
                     sum(1 / r for r in ranks if r) / n)
    return out


def table(papers: list[Paper], per_kind: int = PER_KIND, seed: int = SEED):
    queries = generate(papers, per_kind, seed)
    t = time.perf_counter()
    ours = score(_engine(papers), queries)
    t_ours = time.perf_counter() - t
    if "--engine-only" in sys.argv:
        return queries, ours, {k: (0, 0, 0) for k in ours}, None, t_ours
    wr = score(_wratio(papers), queries)
    fz = _fzf(papers)
    fzs = score(fz, queries) if fz else None
    return queries, ours, wr, fzs, t_ours


def run(papers_5k: list[Paper], *_ignored) -> list[tuple[str, str, str]]:
    queries, ours, wr, fzs, _ = table(papers_5k)
    n = Counter(k for k, _, _ in queries)
    rows = []
    for kind in KINDS:
        if kind not in ours:
            continue
        s1, s10, mrr = ours[kind]
        base = f"WRatio {wr[kind][1]:.2f}"
        base += f", fzf {fzs[kind][1]:.2f}" if fzs else ", fzf absent"
        rows.append((f"quality {kind} ({n[kind]} q): s@1 / s@10 / MRR",
                     f"{s1:.2f}/{s10:.2f}/{mrr:.2f}", f"s@10 ≥ 0.9 and ≥ baselines ({base})"))
    return rows


def main() -> int:
    from bench.synth import ARCHIVE
    from store.parse import parse_file

    merged: dict[str, Paper] = {}
    for f in sorted(ARCHIVE.rglob("*.md")):
        for day in parse_file(f).days:
            for p in day.papers:
                merged.setdefault(p.id, p)
    papers = list(merged.values())
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else SEED
    queries, ours, wr, fzs, t = table(papers, seed=seed)
    if "--dump" in sys.argv:
        for kind, q, pid in queries:
            print(f"{kind:20} {pid:12} {q}")
    print(f"{len(queries)} queries over {len(papers)} papers (seed {seed}); engine {t:.1f} s")
    print(f"{'kind':20} {'s@1':>5} {'s@10':>5} {'MRR':>5}   WRatio s@1/s@10   fzf s@1/s@10")
    for kind in KINDS:
        if kind not in ours:
            continue
        s1, s10, mrr = ours[kind]
        f = f"{fzs[kind][0]:.2f}/{fzs[kind][1]:.2f}" if fzs else "absent"
        print(f"{kind:20} {s1:5.2f} {s10:5.2f} {mrr:5.2f}   {wr[kind][0]:.2f}/{wr[kind][1]:.2f}"
              f"          {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
