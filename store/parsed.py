"""What the parser returns for one file: its days, their papers, and warnings.

Plain data, used only while importing (kept out of ``models.py`` so that opening
the reader does not build these classes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Paper


@dataclass(slots=True, frozen=True)
class ParseWarning:
    """Something odd in an input file; never fatal."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(slots=True)
class ParsedDay:
    date: str
    papers: list[Paper] = field(default_factory=list)


@dataclass(slots=True)
class ParsedFile:
    """What the parser found in one file."""

    source: str
    days: list[ParsedDay] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def paper_count(self) -> int:
        return sum(len(d.papers) for d in self.days)
