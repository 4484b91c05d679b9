"""Lines as the terminal receives them: the same cells in fewer colour sequences.

Shared by the panes that draw their own lines (the detail pane, the search results).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

_INK = ("underline", "strike", "reverse", "overline", "underline2", "frame", "encircle")


def _blank_ink(style: Style | None) -> tuple:
    """What a run of spaces shows in ``style``: its background and any line drawn through it."""
    if style is None:
        return (None,)
    return (style.bgcolor, *(getattr(style, name) for name in _INK), style.link)


def fewer_segments(strip: Strip) -> Strip:
    """The same cells in fewer segments: spaces join the text beside them when they would
    look the same in its style (same background, nothing drawn through them).  Every
    segment costs the terminal a colour sequence."""
    out: list[Segment] = []
    for segment in strip:
        text, style, control = segment
        if out and not control and not out[-1].control:
            last = out[-1]
            if last.style == style or (
                not text.strip(" ") and _blank_ink(last.style) == _blank_ink(style)
            ):
                out[-1] = Segment(last.text + text, last.style)
                continue
            if not last.text.strip(" ") and _blank_ink(last.style) == _blank_ink(style):
                out[-1] = Segment(last.text + text, style)
                continue
        out.append(segment)
    return Strip(out, strip.cell_length)
