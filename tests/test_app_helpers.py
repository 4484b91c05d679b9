"""Small pure helpers of the reader: URL checks, display detection, undo."""

from __future__ import annotations

import pytest

from tui.clipboard import has_display, safe_url
from tui.undo import UndoStack


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://arxiv.org/abs/2406.09414", True),
        ("http://example.org/x?y=1", True),
        ("HTTPS://ARXIV.ORG/abs/1", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("https://", False),
        ("ftp://example.org", False),
        ("https://e.org/\x1b]52;c;x\x07", False),
        ("https://e.org/a b", False),
        ("", False),
        (None, False),
        ("-–help", False),
    ],
)
def test_safe_url(url, ok):
    assert (safe_url(url) is not None) is ok


@pytest.mark.parametrize(
    "url, opened",
    [
        ("https://arxiv.org/abs/2406.09414", "https://arxiv.org/abs/2406.09414"),
        ("HTTPS://ARXIV.ORG./abs/1", "https://arxiv.org./abs/1"),  # a trailing dot stays
        ("https://a..org/x", None),  # an empty label
        (f"https://{'a' * 63}.org/", f"https://{'a' * 63}.org/"),  # the longest label
        (f"https://{'a' * 64}.org/", None),
        (f"https://arxiv.{'o' * 64}/", None),  # the last label too long
        ("https://bücher.de/x", "https://xn--bcher-kva.de/x"),  # non-ASCII: punycode
        ("https://xn--bcher-kva.de/x", "https://xn--bcher-kva.de/x"),
    ],
)
def test_safe_url_checks_the_host_as_the_idna_codec_does(url, opened):
    """An ASCII host is checked without the codec (tui/clipboard.py), as the codec would."""
    assert safe_url(url) == opened


@pytest.mark.parametrize(
    "env, platform, expected",
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"SSH_CONNECTION": "1 2 3 4"}, "linux", False),
        ({"SSH_CONNECTION": "1 2 3 4", "BROWSER": "firefox"}, "linux", True),
        ({}, "darwin", True),
        ({"SSH_TTY": "/dev/pts/1"}, "darwin", False),
        ({}, "win32", True),
    ],
)
def test_has_display(env, platform, expected):
    assert has_display(env, platform) is expected


def test_undo_stack_is_bounded_and_lifo():
    stack = UndoStack(limit=3)
    stack.push("read", {})  # nothing changed: nothing to undo
    assert len(stack) == 0
    for i in range(5):
        stack.push("read", {f"id{i}": False})
    assert len(stack) == 3
    assert stack.pop().before == {"id4": False}
    assert stack.pop().before == {"id3": False}
    assert stack.pop().before == {"id2": False}
    assert stack.pop() is None
