"""Links leave the reader two ways: OSC 52 copy and the system web browser.

Only ``http``/``https`` URLs are ever opened, always through the
``webbrowser`` module (no shell).  Where no browser can show anything (SSH
without DISPLAY/BROWSER, a headless Linux box) the caller copies instead.
"""

from __future__ import annotations

import ipaddress
import os
import re
import sys
import webbrowser
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

MAX_URL = 2048  # longer is not a paper link; and argv has limits


def safe_url(url: str | None) -> str | None:
    """``url`` if it is a plain http(s) URL with a real host, as it will be opened
    (scheme and host lower-cased, a non-ASCII host in punycode so look-alike letters
    show); None for anything else: other schemes, no host, user:password@, a bad port,
    whitespace, control, bidi or invisible characters, or more than ``MAX_URL``."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or len(url) > MAX_URL:
        return None
    if any(c.isspace() or not c.isprintable() for c in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port  # ValueError if not a number in range
    except ValueError:
        return None
    host = parts.hostname
    if parts.scheme.lower() not in ("http", "https") or not host or "@" in parts.netloc:
        return None
    if ":" in host:  # an IPv6 literal
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return None
        host = f"[{host}]"
    else:
        host = _ascii_host(host)
        if host is None or not _HOST.fullmatch(host):
            return None
    netloc = host if port is None else f"{host}:{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))


def _ascii_host(host: str) -> str | None:
    """``host`` in ASCII (punycode), as the ``idna`` codec gives it; None if it has an empty
    or too long label.  An ASCII host (every paper link: arxiv.org) is checked as the
    codec checks it, without importing the codec (it and ``stringprep`` took a
    millisecond of the reader's first frame, which shows a link)."""
    if not host.isascii():
        try:
            return host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    labels = host.split(".")
    if any(not 0 < len(label) < 64 for label in labels[:-1]) or len(labels[-1]) >= 64:
        return None
    return host


_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?")


def has_display(env: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether ``webbrowser`` can plausibly show a page to the person at this terminal."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if env.get("BROWSER"):
        return True
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return True
    remote = bool(env.get("SSH_CONNECTION") or env.get("SSH_TTY") or env.get("SSH_CLIENT"))
    if platform == "darwin" or platform.startswith("win"):
        return not remote
    return False


def open_in_browser(url: str) -> bool:
    """Open ``url`` (already checked with :func:`safe_url`); False if nothing opened it."""
    try:
        return bool(webbrowser.open(url, new=2))
    # webbrowser.Error, OSError from a broken $BROWSER, or whatever a registered browser
    # raises: never take the reader down for an outside program
    except Exception:  # noqa: BLE001
        return False
