"""The width classes of ``HORIZONTAL_BREAKPOINTS``, given to a screen when it is made:
the first resize then finds them there already (adding a class restyles the whole
screen, a second layout pass just after the screen's first frame)."""

from __future__ import annotations


def width_class(width: int, breakpoints: list[tuple[int, str]]) -> str | None:
    """The class ``HORIZONTAL_BREAKPOINTS`` gives a screen ``width`` cells wide."""
    for threshold, name in sorted(breakpoints, reverse=True):
        if width >= threshold:
            return name
    return None
