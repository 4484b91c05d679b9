"""The Store's related papers and "for you" order: ``related.json`` in the data
directory, built at import from the search index (``store/related.py``), read on
first use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from .storage import atomic_write

if TYPE_CHECKING:  # pragma: no cover
    from .models import Paper

RELATED_FILE = "related.json"


class RelatedPapers:
    """Mixed into ``Store`` (which has ``home``, ``index``, ``state``, ``get``)."""

    _related = None

    def _write_related(self):
        """The related lists of the whole archive, from the search index's text (a full
        rebuild, ~3 s at 5.5k papers, after an import that changed something)."""
        from .related import build_from_index

        related = build_from_index(self.index)
        atomic_write(self.home / RELATED_FILE, related.to_bytes(), backup=False)
        self._related = related
        return related

    def _load_related(self):
        if self._related is None:
            from .related import Related

            try:
                related = Related.from_bytes((self.home / RELATED_FILE).read_bytes())
            except Exception:  # missing (a data directory from before) or damaged
                related = self._write_related()
            self._related = related
        return self._related

    @property
    def related_ready(self) -> bool:
        """Whether related.json is read (``warm_related``): showing related papers is
        then a lookup."""
        return self._related is not None

    def warm_related(self) -> None:
        """Read related.json now (the reader does it in the background after start-up)."""
        self._load_related()

    def related(self, paper_id: str, limit: int = 5) -> list["Paper"]:
        """The ``limit`` papers most like ``paper_id`` across the archive, most alike
        first; [] for an unknown id.  Only id, title and first day are filled in (from
        related.json, no metadata read: the detail pane asks at every j/k); ``get`` for
        the rest."""
        from .models import Paper

        related = self._load_related()
        out = []
        for pid, _ in related.of(paper_id, limit):
            title, day = related.entry(pid) or ("", "")
            out.append(Paper(pid, title, "", [day] if day else []))
        return out

    def kept(self) -> dict[str, float]:
        """What the reader kept, weighed: bookmarks, tags and notes most, reading a little."""
        from .related import kept_weights

        st = self.state
        return kept_weights(st.ids_where("bookmark"), st.ids_where("tags"),
                            st.ids_where("note"), st.ids_where("read"))

    def for_you(self, paper_ids: Iterable[str]) -> dict[str, float] | None:
        """How close each paper is to what the reader kept (id -> score); None when
        nothing is kept yet (no bookmark, tag, note or read paper)."""
        kept = self.kept()
        if not kept:
            return None
        return self._load_related().for_you(list(paper_ids), kept)

    def for_you_order(self, papers: Iterable["Paper"]) -> list["Paper"] | None:
        """``papers`` ordered by ``for_you`` (most like what was kept first), votes
        breaking ties, then the given order; None when nothing is kept yet."""
        papers = list(papers)
        scores = self.for_you(p.id for p in papers)
        if scores is None:
            return None
        return sorted(papers, key=lambda p: (-round(scores.get(p.id, 0.0), 6),
                                             -(p.votes if p.votes is not None else -1)))
