"""The Store's related papers and "for you" order.

Two files in the data directory, both made at import from the search index's text
(``store/related/``): ``related.bin``, what the reader reads (each paper's nearest
papers, with the titles and first days it shows), and ``related.terms``, every paper's
weighed terms, so that the next import tokenises only the papers it brings.  An
unchanged import changes neither; an import of a new day computes its papers' lists
and puts them into the lists they enter (``space.update``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .storage import atomic_write

if TYPE_CHECKING:  # pragma: no cover
    from .models import Paper

RELATED_FILE = "related.bin"
TERMS_FILE = "related.terms"
REBUILD_SHARE = 0.3  # an import touching more of the archive than this builds afresh
_UNREAD = object()   # _related_at before related.bin was looked at


class RelatedPapers:
    """Mixed into ``Store`` (which has ``home``, ``index``, ``state``, ``get``)."""

    _related = None
    # related.bin's (inode, mtime, size) when read or written (None: no file)
    _related_at: object = _UNREAD

    def _write_related(self):
        """The related lists of the whole archive, from the search index's text (a full
        build, after an import that changed much, or with no usable files)."""
        from .related.space import build_from_index

        related, space = build_from_index(self.index)
        self._save_related(related, space)
        return related

    def _save_related(self, related, space) -> None:
        atomic_write(self.home / TERMS_FILE, space.to_bytes(), backup=False)
        atomic_write(self.home / RELATED_FILE, related.to_bytes(), backup=False)
        self._related, self._related_at = related, self._related_sig()

    def _related_sig(self):
        try:
            st = (self.home / RELATED_FILE).stat()
        except OSError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size

    def _update_related(self, touched: set[str]):
        """After an import that changed ``touched`` papers (new, changed or gone): only
        their lists are computed, and they enter the others' lists; the full build when
        the files are missing, damaged or of another corpus."""
        from .related import Related
        from .related.space import Space, order_after, update

        index = self.index
        try:
            if len(touched) > REBUILD_SHARE * max(index.n, 1):
                raise ValueError("most of the archive changed")
            old = Related.from_bytes((self.home / RELATED_FILE).read_bytes())
            space = Space.from_bytes((self.home / TERMS_FILE).read_bytes())
            pos = index.id_pos
            gone = {pid for pid in touched if pid not in pos}
            changed = {pid: (index.titles[pos[pid]], index.summaries[pos[pid]])
                       for pid in sorted(touched) if pid in pos}
            old_ids = list(old.ids)
            ids = order_after(old_ids, list(changed), gone)
            if len(ids) != index.n or not all(pid in pos for pid in ids):
                raise ValueError("related papers of another corpus")
            where = old.pos
            titles = [old.titles[where[pid]] for pid in ids[:len(ids) - len(changed)]]
            days = [old.days[where[pid]] for pid in ids[:len(ids) - len(changed)]]
            for pid in changed:
                dates = index.dates[pos[pid]]
                titles.append(changed[pid][0])
                days.append(dates[-1] if dates else "")
            related, space = update(old, space, changed, gone, titles, days, index.gloss_ko)
        except Exception:  # noqa: BLE001 - anything odd: the full build is always right
            return self._write_related()
        self._save_related(related, space)
        return related

    def _load_related(self, build: bool = False):
        """The lists as read from related.bin, or None when there is no usable file (a
        data directory from before them, or a damaged one): the reader only reads; the
        lists are computed at import (``build``: here and now, when a command asked)."""
        if not self._related_looked:
            from .related import Related

            sig = self._related_sig()  # before the read: a newer file is read again later
            try:
                related = Related.open(self.home / RELATED_FILE)  # mapped, in place
            # missing (a data directory from before), older or damaged: made again at import
            except Exception:  # noqa: BLE001 - a damaged file raises anything
                related = None
            self._related, self._related_at = related, sig
        if self._related is None and build:
            return self._write_related()
        return self._related

    @property
    def _related_looked(self) -> bool:
        """related.bin was looked at, and is still the file on disk (another process's
        import rewrites it)."""
        return self._related_at is not _UNREAD and self._related_sig() == self._related_at

    @property
    def related_ready(self) -> bool:
        """Whether related.bin is read (``warm_related``) and is still the file on disk:
        showing related papers is then a lookup."""
        return self._related is not None and self._related_looked

    @property
    def related_missing(self) -> bool:
        """Whether related.bin was looked at and there are no usable lists (none yet in
        this data directory, or damaged): the next import, or ``build_related``, makes
        them."""
        return self._related is None and self._related_looked

    def warm_related(self) -> None:
        """Read related.bin now (the reader does it in the background after start-up,
        and again when another process rewrote it).  Never computes the lists."""
        self._load_related()

    def build_related(self) -> None:
        """Compute the lists now if there are no usable ones (``papers related`` does, a
        command the user asked for; the reader never does)."""
        self._load_related(build=True)

    def related(self, paper_id: str, limit: int = 5) -> list[Paper]:
        """The ``limit`` papers most like ``paper_id`` across the archive, most alike
        first; [] for an unknown id, or with no lists (``related_missing``).  Only id,
        title and first day are filled in (from related.bin, no metadata read: the
        detail pane asks at every j/k); ``get`` for the rest."""
        from .models import Paper

        related = self._load_related()
        if related is None:
            return []
        try:
            shown = related.shown(paper_id, limit)  # reads the file (packed.py)
        except (OSError, ValueError):  # a file cut short under us: as none
            return []
        return [Paper(pid, title, "", [day] if day else []) for pid, title, day, _ in shown]

    def kept(self) -> dict[str, float]:
        """What the reader kept, weighed: bookmarks, tags and notes most, reading a little."""
        from .related import kept_weights

        st = self.state
        return kept_weights(st.ids_where("bookmark"), st.ids_where("tags"),
                            st.ids_where("note"), st.ids_where("read"))

    def for_you(self, paper_ids: Iterable[str]) -> dict[str, float] | None:
        """How close each paper is to what the reader kept (id -> score); None when
        nothing is kept yet (no bookmark, tag, note or read paper) or there are no
        related lists (``for_you_off`` says which)."""
        kept = self.kept()
        related = self._load_related() if kept else None
        if related is None:
            return None
        return related.for_you(list(paper_ids), kept)

    def for_you_off(self) -> str | None:
        """Why "for you" cannot order papers now: "nothing-kept", "no-related" (no usable
        related.bin yet), or None when it can."""
        if not self.kept():
            return "nothing-kept"
        if self._load_related() is None:
            return "no-related"
        return None

    def for_you_order(self, papers: Iterable[Paper]) -> list[Paper] | None:
        """``papers`` ordered by ``for_you`` (most like what was kept first), votes
        breaking ties, then the given order; None when it cannot (``for_you_off``)."""
        papers = list(papers)
        scores = self.for_you(p.id for p in papers)
        if scores is None:
            return None
        return sorted(papers, key=lambda p: (-round(scores.get(p.id, 0.0), 6),
                                             -(p.votes if p.votes is not None else -1)))
