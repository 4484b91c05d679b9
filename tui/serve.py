"""``papers serve``: the same reader in a web browser, through ``textual-serve``.

Each browser tab runs its own ``papers`` process on this machine, on the same data
directory and config (the store's file lock keeps two readers safe).  It listens on
loopback unless ``--host`` says otherwise; then anyone who can reach the port can read
and change the reading state, and it says so.  Served, ``o`` opens a tab in the
reader's browser and an export is a download (Textual's ``open_url``/``deliver_text``).
"""

from __future__ import annotations

import ipaddress
import shlex
import socket
import sys
from pathlib import Path

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


class ServeError(Exception):
    """One line for the user."""


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int) -> str | None:
    """The warning for a non-loopback address (None on loopback)."""
    if is_loopback(host):
        return None
    return (f"warning: listening on {host}:{port}, not only this machine: anyone who can "
            "reach this port can read your papers and change your reading state (read marks, "
            "bookmarks, notes, tags). Use the default --host 127.0.0.1 unless you mean it.")


def reader_command(home: Path, config: Path | None) -> str:
    """The shell command textual-serve runs per browser tab: this Python, this data."""
    argv = [sys.executable, "-m", "tui.cli", "--home", str(home)]
    if config is not None:
        argv += ["--config", str(config)]
    return shlex.join(argv)


def public_url(host: str, port: int) -> str:
    """Where the page tells the browser to connect back (a wildcard address is not)."""
    if host in ("0.0.0.0", "::", ""):
        host = socket.getfqdn()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def serve(home: Path, config: Path | None, host: str, port: int,
          url: str | None = None) -> None:
    """Serve until Ctrl+C / SIGTERM.  Raises ServeError for what the user can fix."""
    try:
        from textual_serve.server import Server
    except ImportError:
        raise ServeError("papers serve needs textual-serve: "
                         "pip install textual-serve (or the papers[serve] extra)") from None
    if not 0 < port < 65536:
        raise ServeError(f"--port must be from 1 to 65535, not {port}")
    try:  # say so now, not in an aiohttp traceback
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host.strip("[]"), port))
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    server = Server(reader_command(home, config), host=host, port=port, title="papers",
                    public_url=url or public_url(host, port))
    try:
        server.serve()
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
