"""The records the store hands out: a paper and its summary bullets.

Everything here is plain data: no I/O, no UI.  (What the parser returns is in
``parsed.py``, imported only when importing.)  ``to_json``/``from_json`` give
the stable JSON form used by the CLI (`papers show --json`) and by the files
on disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Bullet:
    """One summary bullet: ``- **Label**: text`` with the lines nested under it."""

    label: str | None
    text: str
    children: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"label": self.label, "text": self.text, "children": list(self.children)}

    @classmethod
    def from_json(cls, data: dict) -> Bullet:
        return cls(data.get("label"), data.get("text", ""), list(data.get("children") or []))


@dataclass(slots=True)
class Paper:
    """One paper as the digest lists it (the corpus side; reader state lives apart)."""

    id: str
    title: str
    url: str
    dates: list[str] = field(default_factory=list)
    votes: int | None = None
    authors: list[str] = field(default_factory=list)
    authors_truncated: bool = False
    thumbnail: str | None = None
    video: str | None = None
    bullets: list[Bullet] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "dates": list(self.dates),
            "votes": self.votes,
            "authors": list(self.authors),
            "authors_truncated": self.authors_truncated,
            "thumbnail": self.thumbnail,
            "video": self.video,
            "bullets": [b.to_json() for b in self.bullets],
        }

    @classmethod
    def from_json(cls, data: dict) -> Paper:
        return cls(
            id=data["id"],
            title=data.get("title", ""),
            url=data.get("url", ""),
            dates=list(data.get("dates") or []),
            votes=data.get("votes"),
            authors=list(data.get("authors") or []),
            authors_truncated=bool(data.get("authors_truncated")),
            thumbnail=data.get("thumbnail"),
            video=data.get("video"),
            bullets=[Bullet.from_json(b) for b in data.get("bullets") or []],
        )

    def summary_text(self) -> str:
        """Labels, bullets and nested lines as one string (for search)."""
        parts: list[str] = []
        for b in self.bullets:
            if b.label:
                parts.append(b.label)
            parts.append(b.text)
            parts.extend(b.children)
        return "\n".join(parts)
