"""Checks of a ``[keymap]`` from the config: key names, binding ids, clashes.

Textual applies a keymap silently: an unknown id does nothing and a key bound to
two bindings of one chain quietly loses one of them.  These checks turn each into
one message, and the entry is dropped so that binding keeps its default keys.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config import Config

MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_REPLACEMENTS = {"solidus": "slash", "reverse_solidus": "backslash", "commercial_at": "at",
                 "hyphen_minus": "minus", "plus_sign": "plus", "low_line": "underscore"}


def normalize(key: str) -> str:
    """A key as Textual names it (``?`` -> ``question_mark``), for comparing."""
    key = key.strip()
    if len(key) != 1 or key.isalnum():
        return key
    try:
        name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return {"\t": "tab"}.get(key, key)
    return _REPLACEMENTS.get(name, name)


def split_keys(keys: str) -> list[str]:
    return [normalize(k) for k in keys.split(",") if k.strip()]


def key_problem(keys: str) -> str | None:
    """Why ``keys`` ("j,down", "ctrl+n") is not a usable key list, or None."""
    from textual.keys import Keys

    names = {k.value for k in Keys}
    tokens = [k.strip() for k in keys.split(",")]
    if not any(tokens):
        return "no keys given"
    for token in tokens:
        if not token:
            return f"an empty key in {keys!r}"
        if len(token) == 1:
            if not token.isprintable() or token.isspace():
                return f"{token!r} is not a key"
            continue
        *mods, last = token.split("+")
        bad = [m for m in mods if m not in MODIFIERS]
        if bad or not last:
            return f"{token!r} is not a key (modifiers are {', '.join(sorted(MODIFIERS))})"
        if len(last) == 1 or last in names:
            continue
        try:
            unicodedata.lookup(last.replace("_", " "))
        except KeyError:
            return f"{token!r} is not a key name (like j, ctrl+n, down, pagedown, f5, question_mark)"
    return None


def binding_chains() -> list[list[tuple[str, str]]]:
    """Each chain of bindings active together: (binding id, default keys), widget first,
    then its screen, then the app."""
    from textual.binding import Binding

    from .app import PapersApp
    from .screens.authors import AuthorScreen
    from .screens.export_dialog import ExportDialog
    from .screens.help import HelpScreen
    from .screens.main import MainScreen
    from .screens.note_editor import Confirm, NoteEditor
    from .screens.search import SearchScreen
    from .screens.stats import StatsScreen
    from .screens.tags import TagEditor, TagView
    from .widgets.paper_detail import PaperDetail
    from .widgets.virtual_list import VirtualList

    def ids(*owners: type) -> list[tuple[str, str]]:
        out = []
        for owner in owners:
            for binding in owner.BINDINGS:
                if isinstance(binding, Binding) and binding.id:
                    out.append((binding.id, binding.key))
        return out

    app = (PapersApp,)
    chains = [
        ids(VirtualList, MainScreen, *app),
        ids(PaperDetail, MainScreen, *app),
        ids(VirtualList, TagView, *app),
    ]
    known = {VirtualList, PaperDetail, MainScreen, TagView}
    for screen in (SearchScreen, AuthorScreen, HelpScreen, StatsScreen, TagEditor,
                   ExportDialog, NoteEditor, Confirm):
        chains.append(ids(screen, *app))
        known.add(screen)
    # any other screen or widget of the package (added later): its ids are known, and
    # checked against the app's own keys
    for owner in _other_owners(known):
        chains.append(ids(owner, *app))
    return chains


def _other_owners(known: set[type]) -> list[type]:
    import importlib
    import inspect
    import pkgutil

    from textual.dom import DOMNode

    from . import screens, widgets

    out: list[type] = []
    for package in (screens, widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if (issubclass(cls, DOMNode) and cls.__module__ == module.__name__
                        and cls not in known and "BINDINGS" in vars(cls)):
                    out.append(cls)
                    known.add(cls)
    return out


def check_keymap(config: Config, chains: Iterable[list[tuple[str, str]]] | None = None) -> None:
    """Drop (with a message) keymap entries naming no binding, or binding a key that
    another binding of the same chain already has."""
    if not config.keymap:
        return
    chains = list(binding_chains() if chains is None else chains)
    defaults: dict[str, list[str]] = {}
    for chain in chains:
        for binding_id, keys in chain:
            defaults.setdefault(binding_id, split_keys(keys))
    effective = dict(defaults)
    kept: dict[str, str] = {}
    for binding_id, keys in config.keymap.items():
        name = f"keymap.{binding_id}"
        if binding_id not in defaults:
            near = sorted(i for i in defaults if binding_id.split(".")[-1] in i)[:3]
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            config.warn(name, f"no binding has this id{hint}; ignored (`?` lists the keys, "
                              "the README lists the ids)")
            continue
        new = split_keys(keys)
        clash = None
        for key in new:
            if key in defaults[binding_id]:
                continue  # shared with another binding by design already
            for chain in chains:
                if not any(i == binding_id for i, _ in chain):
                    continue
                for other, _ in chain:
                    if other != binding_id and key in effective[other]:
                        clash = (key, other)
                        break
                if clash:
                    break
            if clash:
                break
        if clash:
            key, other = clash
            default = ",".join(defaults[binding_id])
            config.warn(name, f"{key!r} is already bound to {other}; keeping {default!r}")
            continue
        effective[binding_id] = new
        kept[binding_id] = keys
    config.keymap = kept
