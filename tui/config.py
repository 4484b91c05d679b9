"""The user's ``config.toml``: theme, keymap, reading habits, layout.

Where: ``--config FILE``, else ``$PAPERS_CONFIG``, else ``config.toml`` in the
platform's user config directory (``~/.config/papers/`` on Linux).  Read with
``tomllib``.  A missing file means the defaults; anything wrong in a file (bad
TOML, an unknown key, a wrong type, a key bound twice) is one message naming the
file, the line and the key, and that key keeps its default: the reader still starts.

This module imports neither Textual nor Rich (``papers config`` and start-up use it);
the keymap's check against the app's bindings is in :mod:`tui.keys_check`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

CONFIG_NAME = "config.toml"
DEFAULT_THEME = "textual-dark"
SORTS = ("votes", "title", "digest")
MARK_READ = ("open", "shown", "manual")
DEFAULT_MARK_READ_AFTER = 2.0
MAX_MARK_READ_AFTER = 3600.0
DAYS_WIDTH = (12, 60)  # cells: the day list's width, when set
DETAIL_SHARE = (1, 9)  # the detail pane's share of the rest, against 1 for the paper list


def default_path() -> Path:
    """``config.toml`` in the user config directory.  On Linux that is platformdirs'
    answer computed without importing it (a few ms of every ``papers mark``)."""
    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_CONFIG_HOME", "").strip() or os.path.expanduser("~/.config")
        return Path(base) / "papers" / CONFIG_NAME
    from platformdirs import user_config_dir

    return Path(user_config_dir("papers", appauthor=False)) / CONFIG_NAME


def config_path(explicit: str | os.PathLike | None = None,
                env: Mapping[str, str] | None = None) -> tuple[Path, bool]:
    """The config file to read and whether the user named it (``--config`` or
    ``$PAPERS_CONFIG``) rather than it being the platform default."""
    env = os.environ if env is None else env
    if explicit:
        return Path(explicit).expanduser(), True
    if env.get("PAPERS_CONFIG"):
        return Path(env["PAPERS_CONFIG"]).expanduser(), True
    return default_path(), False


class Config:
    """The effective settings (defaults where the file says nothing usable).
    (A plain class: making a dataclass costs milliseconds of every start-up.)"""

    # the defaults (also what a bad value falls back to)
    theme = DEFAULT_THEME
    mark_read = "open"
    mark_read_after = DEFAULT_MARK_READ_AFTER
    cursor_blink = False

    def __init__(self, path: Path | None = None) -> None:
        self.path = path  # None: not backed by a file (tests, an embedded app)
        self.theme: str = Config.theme
        self.mark_read: str = Config.mark_read
        self.mark_read_after: float = Config.mark_read_after
        self.sort: str | None = None  # None: the last sort chosen in the reader
        self.unread_only: bool | None = None  # None: as last left in the reader
        self.cursor_blink: bool = Config.cursor_blink  # off: idle writes nothing (over SSH)
        self.data_dir: str | None = None
        self.update_source: str | None = None
        self.days_width: int | None = None  # None: sized to its content
        self.detail_share: int | None = None  # None: the stylesheet's split
        self.keymap: dict[str, str] = {}
        self.messages: list[str] = []
        self.lines: dict[str, int] = {}  # "keymap.open" -> line
        self.exists = False

    def where(self, key: str) -> str:
        """``file:line`` of ``key`` (``file`` alone when the line is unknown)."""
        line = self.lines.get(key)
        return f"{self.path}:{line}" if line else f"{self.path}"

    def warn(self, key: str, problem: str) -> None:
        self.messages.append(f"{self.where(key)}: {key}: {problem}")

    def settings(self) -> dict[str, Any]:
        """What ``papers config`` prints: every setting as it is in effect."""
        return {
            "theme": self.theme,
            "mark_read": self.mark_read,
            "mark_read_after": self.mark_read_after,
            "sort": self.sort,
            "unread_only": self.unread_only,
            "cursor_blink": self.cursor_blink,
            "data_dir": self.data_dir,
            "update_source": self.update_source,
            "layout": {"days_width": self.days_width, "detail_share": self.detail_share},
            "keymap": dict(self.keymap),
        }


_TABLE = re.compile(r"^\s*\[\s*([^\]\s]+)\s*\]")
_KEY = re.compile(r"""^\s*("([^"]*)"|'([^']*)'|[A-Za-z0-9_.-]+)\s*=""")


def key_lines(text: str) -> dict[str, int]:
    """Dotted key -> 1-based line, for messages (tomllib gives no positions)."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        m = _TABLE.match(line)
        if m:
            table = m.group(1).strip("\"'")
            lines.setdefault(table, number)
            continue
        m = _KEY.match(line)
        if m:
            name = m.group(2) if m.group(2) is not None else m.group(3)
            if name is None:
                name = m.group(1)
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


def _show(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def load(explicit: str | os.PathLike | None = None,
         env: Mapping[str, str] | None = None) -> Config:
    """Read the config file; never raises (problems are in ``Config.messages``)."""
    path, _named = config_path(explicit, env)
    config = Config(path=path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:  # the defaults; a theme chosen in the reader creates it
        return config
    except IsADirectoryError:
        config.messages.append(f"{path}: is a directory, not a config file; using the defaults")
        return config
    except OSError as exc:
        config.messages.append(f"{path}: cannot read ({exc.strerror or exc}); using the defaults")
        return config
    config.exists = True
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        config.messages.append(f"{path}:{line}: not UTF-8 text; using the defaults")
        return config
    import tomllib  # only when there is a file (a few ms of start-up otherwise)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column \d+\)", message)
        where = f"{path}:{m.group(1)}" if m else f"{path}"
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", message) or "invalid TOML"
        reason = re.sub(r"\s*\(at end of document\)", " at the end of the file", reason)
        config.messages.append(f"{where}: not valid TOML ({reason}); using the defaults")
        return config
    config.lines = key_lines(text)
    apply(config, data)
    return config


def apply(config: Config, data: dict[str, Any]) -> None:
    """Take each usable setting from ``data`` into ``config``; a message for the rest."""
    for key, value in data.items():
        check = _CHECKS.get(key)
        if key in ("keymap", "layout"):
            if not isinstance(value, dict):
                config.warn(key, f"expected a [{key}] table; ignored")
            elif key == "keymap":
                _keymap(config, value)
            else:
                _layout(config, value)
        elif check is None:
            config.warn(key, "unknown setting; ignored")
        else:
            problem = check(config, value)
            if problem:
                default = getattr(Config, key, None) if key != "keymap" else None
                shown = "the default" if default is None else _show(default)
                if key in ("sort", "unread_only"):
                    shown = "the last one used"
                config.warn(key, f"{problem}; using {shown}")


def _string(config: Config, name: str, value: Any, choices: tuple[str, ...] = ()) -> str | None:
    if not isinstance(value, str):
        return f"expected a string, got {_show(value)}"
    if choices and value not in choices:
        return f"expected one of {', '.join(choices)}, got {_show(value)}"
    setattr(config, name, value)
    return None


def _theme(config: Config, value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"expected a theme name, got {_show(value)}"
    config.theme = value.strip()  # checked against the app's themes when it starts
    return None


def _mark_read_after(config: Config, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"expected a number of seconds, got {_show(value)}"
    if not 0 <= value <= MAX_MARK_READ_AFTER:
        return f"expected 0 to {MAX_MARK_READ_AFTER:g} seconds, got {value:g}"
    config.mark_read_after = float(value)
    return None


def _unread_only(config: Config, value: Any) -> str | None:
    if not isinstance(value, bool):
        return f"expected true or false, got {_show(value)}"
    config.unread_only = value
    return None


def _cursor_blink(config: Config, value: Any) -> str | None:
    if not isinstance(value, bool):
        return f"expected true or false, got {_show(value)}"
    config.cursor_blink = value
    return None


def _path(config: Config, name: str, value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"expected a path, got {_show(value)}"
    setattr(config, name, value)
    return None


_CHECKS = {
    "theme": _theme,
    "mark_read": lambda c, v: _string(c, "mark_read", v, MARK_READ),
    "mark_read_after": _mark_read_after,
    "sort": lambda c, v: _string(c, "sort", v, SORTS),
    "unread_only": _unread_only,
    "cursor_blink": _cursor_blink,
    "data_dir": lambda c, v: _path(c, "data_dir", v),
    "update_source": lambda c, v: _path(c, "update_source", v),
}


def _keymap(config: Config, table: dict[str, Any]) -> None:
    from .keys_check import key_problem

    for binding_id, keys in table.items():
        name = f"keymap.{binding_id}"
        if not isinstance(keys, str):
            config.warn(name, f"expected keys as a string like \"j,down\", got {_show(keys)}; "
                              "keeping the default keys")
            continue
        problem = key_problem(keys)
        if problem:
            config.warn(name, f"{problem}; keeping the default keys")
            continue
        config.keymap[binding_id] = keys


# [layout] key (a Config attribute) -> (its range, what it counts, what a bad value gets)
_LAYOUT = {
    "days_width": (DAYS_WIDTH, "a whole number of columns", "sizing the day list to its content"),
    "detail_share": (DETAIL_SHARE, "a whole number", "using the default split"),
}


def _layout(config: Config, table: dict[str, Any]) -> None:
    for key, value in table.items():
        name = f"layout.{key}"
        if key not in _LAYOUT:
            config.warn(name, "unknown setting; ignored")
            continue
        (low, high), expected, otherwise = _LAYOUT[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            config.warn(name, f"expected {expected} from {low} to {high}, "
                              f"got {_show(value)}; {otherwise}")
            continue
        setattr(config, key, value)


def check_theme(config: Config, names: Iterable[str], fallback: str = DEFAULT_THEME) -> None:
    """A theme not among ``names`` is named in a message and ``fallback`` used."""
    names = sorted(names)
    if config.theme not in names:
        config.warn("theme", f"no theme named {config.theme!r} (there are: {', '.join(names)});"
                             f" using {fallback!r}")
        config.theme = fallback


# -- writing: only the theme line changes ------------------------------------------
_THEME_LINE = re.compile(r"^(\s*)theme\s*=.*?(\r?\n)?$")


def with_theme(text: str, theme: str) -> str:
    """``text`` with its top-level ``theme = ...`` line replaced (or one added before the
    first table): every other line, comment and blank stays as it was."""
    line = f"theme = {_show(theme)}"
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    first_table = len(lines)
    for i, current in enumerate(lines):
        if _TABLE.match(current):
            first_table = i
            break
        m = _THEME_LINE.match(current)
        if m:
            lines[i] = m.group(1) + line + (m.group(2) or "")
            return "".join(lines)
    if first_table and not lines[first_table - 1].endswith(("\n", "\r")):
        lines[first_table - 1] += newline
    insert = [line + newline]
    if first_table < len(lines) and (not first_table or lines[first_table - 1].strip()):
        insert.append(newline)  # keep a blank line before the table
    lines[first_table:first_table] = insert
    return "".join(lines)


def save_theme(path: Path, theme: str) -> None:
    """Write ``theme`` into the file at ``path`` atomically (created if missing).
    Raises OSError (with a readable strerror) when it cannot."""
    from store.storage import StoreError, atomic_write

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except UnicodeDecodeError:
        raise OSError(f"{path} is not UTF-8 text; not changing it") from None
    import tomllib

    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise OSError(f"{path} is not valid TOML; not changing it") from None
    new = with_theme(text, theme)
    if new == text:
        return
    if tomllib.loads(new).get("theme") != theme:  # pragma: no cover - a safety net
        raise OSError(f"could not place the theme in {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        atomic_write(path, new.encode("utf-8"), backup=False)
    except StoreError as exc:
        raise OSError(str(exc)) from None


def render(config: Config) -> str:
    """The effective settings as TOML (what ``papers config`` prints)."""
    s = config.settings()
    out = []
    for key in ("theme", "mark_read", "mark_read_after", "sort", "unread_only", "cursor_blink",
                "data_dir", "update_source"):
        value = s[key]
        if value is None:
            out.append(f"# {key} is not set ({_UNSET[key]})")
        else:
            out.append(f"{key} = {_show(value)}")
    out += ["", "[layout]"]
    for key, value in s["layout"].items():
        out.append(f"{key} = {value}" if value is not None else f"# {key} is not set "
                   f"({_UNSET[key]})")
    out += ["", "[keymap]"]
    if not s["keymap"]:
        out.append("# no keys remapped")
    for binding_id, keys in s["keymap"].items():
        out.append(f"{_key(binding_id)} = {_show(keys)}")
    return "\n".join(out) + "\n"


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _show(name)


_UNSET = {
    "sort": "the last sort chosen in the reader; first votes",
    "unread_only": "as last left in the reader; first off",
    "data_dir": "--home, $PAPERS_HOME or the platform data directory",
    "update_source": "papers update: the last --source used, else the upstream repository",
    "days_width": "sized to its content",
    "detail_share": "the stylesheet's split",
}
