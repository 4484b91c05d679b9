"""How related papers weigh two-word terms (store/related/space.py): a pair of words that
belong together counts more than two common words that happen to meet, and a paper
carrying this paper's title terms anywhere ranks first."""

from __future__ import annotations

import numpy as np

from store.related.space import Space, build, update

FILLER = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa"]


def corpus() -> tuple[list[str], list[str], list[str]]:
    """120 papers: "enhancing" and "text" each open forty titles with other words;
    "document understanding" is a unit in six."""
    ids, titles, summaries = [], [], []

    def add(title: str, summary: str = "") -> None:
        ids.append(f"p{len(ids)}")
        titles.append(title)
        summaries.append(summary)

    add("Enhancing Text Document Understanding")           # p0, the paper asked about
    add("Enhancing Text Rendering")                        # p1: the chance pair only
    add("Robust Document Understanding")                   # p2: the unit
    for i in range(40):
        add(f"Enhancing {FILLER[i % 8]}{i} Methods")
        add(f"Text {FILLER[(i + 3) % 8]}{i} Corpora")
    for i in range(4):
        add(f"Document Understanding Suite {i}")
    while len(ids) < 120:
        add(f"Unrelated {FILLER[len(ids) % 8]} Topic {len(ids)}")
    return ids, titles, summaries


def test_a_pair_that_belongs_together_outweighs_a_chance_meeting_of_common_words():
    ids, titles, summaries = corpus()
    related, space = build(ids, titles, summaries, [""] * len(ids), None)
    first = [pid for pid, _ in related.of("p0", 5)]
    assert first.index("p2") < first.index("p1")
    factor = space.cohesion(np.ones(len(space.vocab), bool))
    at = space.term_id.__getitem__
    assert factor[at("document understanding")] > 0.9
    assert factor[at("enhancing text")] < 0.7
    assert factor[at("document")] == 1.0  # words are not touched


def test_a_paper_carrying_the_title_term_in_its_summary_comes_before_one_sharing_words():
    """The long summary of p1 writes the title's two-word term; p2 only shares its
    words, in its title (which weighs more, and p2 says little else)."""
    n = 64
    ids = [f"p{i}" for i in range(n)]
    titles = ["Sparse Autoencoders Probe Features", "Steering Vectors",
              "Sparse Probe Autoencoders Features"] + [f"Other {i} Work" for i in range(n - 3)]
    others = [f"keyword{i}" for i in range(n - 3)]
    long = "이 연구는 sparse autoencoders 로 특징을 찾는다 " + " ".join(others)
    summaries = ["", long, ""] + others
    related, _ = build(ids, titles, summaries, [""] * n, None)
    assert [pid for pid, _ in related.of("p0", 2)] == ["p1", "p2"]


def test_paper_counts_follow_papers_that_come_and_go_and_are_kept_on_disk():
    ids, titles, summaries = corpus()
    related, space = build(ids, titles, summaries, [""] * len(ids), None)
    back = Space.from_bytes(space.to_bytes())
    assert back.seen.tolist() == space.seen.tolist()
    gone = {"p2", "p3"}
    new = {"q1": ("Document Understanding Again", "")}
    kept = [i for i in ids if i not in gone]
    order = kept + list(new)
    titles_after = [titles[ids.index(i)] if i in ids else new[i][0] for i in order]
    _, after = update(related, back, new, gone, titles_after, [""] * len(order), None)
    df = np.bincount(after.fid.astype(np.int64), minlength=len(after.vocab))
    useful = ~after.generic
    assert after.seen[useful].tolist() == df[useful].tolist()
    assert after.seen[after.term_id["document understanding"]] == 6  # 6 - 1 + 1
