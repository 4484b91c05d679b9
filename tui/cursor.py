"""Text cursors that stay still: an idle screen writes nothing to the terminal (over a
slow SSH link every byte is time; a blinking cursor repaints its line twice a second).
The config's ``cursor_blink = true`` turns blinking back on.  Each Input and TextArea the
app makes goes through :func:`steady`."""

from __future__ import annotations

from typing import Any, TypeVar

W = TypeVar("W")


def cursor_blink(app: Any) -> bool:
    """Whether text cursors blink (the app's config ``cursor_blink``; off by default)."""
    config = getattr(app, "config", None)  # tui.config.Config (not imported: it reaches
    return bool(getattr(config, "cursor_blink", False))  # the screens, through keys_check)


def steady(app: Any, widget: W) -> W:
    """``widget`` (an Input or a TextArea) with its cursor blinking only if configured."""
    widget.cursor_blink = cursor_blink(app)  # type: ignore[attr-defined]
    return widget
