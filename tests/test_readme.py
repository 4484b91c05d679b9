"""The README says what the code does: every ``see "X"`` names one of its headings, every
binding id of the reader is in the ``[keymap]`` table (and every id there is a binding),
and every key of the "Keys" table is bound on the main screen."""

from __future__ import annotations

import re
from pathlib import Path

from textual.binding import Binding

from tui.keys_check import binding_chains, split_keys

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")

# How the README writes a key -> how Textual names it (single characters: keys_check)
KEY_NAMES = {"↓": "down", "↑": "up", "←": "left", "→": "right", "Home": "home", "End": "end",
             "Tab": "tab", "Shift+Tab": "shift+tab", "Enter": "enter", "Escape": "escape",
             "Space": "space", "PageDown": "pagedown", "PageUp": "pageup", "Ctrl+P": "ctrl+p"}


def section(start: str) -> str:
    """The README's lines from the one holding ``start`` to the end of the first table
    after it."""
    text = README[README.index(start):]
    table = text.index("\n|")
    end = text.find("\n\n", table)
    return text[:end if end >= 0 else len(text)]


def test_every_see_names_a_heading():
    prose = re.sub(r"^```.*?^```", "", README, flags=re.MULTILINE | re.DOTALL)  # no code
    headings = {m.group(1).strip() for m in re.finditer(r"^#+ (.+)$", prose, re.MULTILINE)}
    assert "Related papers and for you" in headings and "Keys" in headings
    refs = re.findall(r'see "([^"]+)"', README)
    assert refs, "no references found: the pattern no longer matches the README"
    assert [r for r in refs if r not in headings] == [], sorted(headings)


def test_the_keymap_table_lists_every_binding_id():
    listed = set(re.findall(r"`([a-z][a-z0-9.-]*)`",
                            section("The binding ids, with their default keys:")))
    bound = {binding_id for chain in binding_chains() for binding_id, _ in chain}
    assert sorted(listed - bound) == [], "listed in the README, bound nowhere"
    assert sorted(bound - listed) == [], "bound, missing from the README's [keymap] table"


def _main_screen_keys() -> set[str]:
    from tui.app import PapersApp
    from tui.screens.main import MainScreen
    from tui.widgets.paper_detail import PaperDetail
    from tui.widgets.virtual_list import VirtualList

    keys: set[str] = set()
    for owner in (VirtualList, PaperDetail, MainScreen, PapersApp):
        for binding in owner.BINDINGS:
            keys.update(split_keys(binding.key if isinstance(binding, Binding) else binding[0]))
    return keys


def test_every_key_of_the_keys_table_is_bound():
    rows = [line for line in section("## Keys").splitlines() if line.startswith("| `")]
    written: list[str] = []
    for row in rows:
        cell = row.split(" | ")[0]
        for key in re.findall(r"`([^`]+)`", cell):
            if re.fullmatch(r"\d–\d", key):  # 1–5
                written += [str(n) for n in range(int(key[0]), int(key[-1]) + 1)]
            else:
                written.append(key)
    assert len(written) > 40, written  # the table was read
    names = {key: KEY_NAMES.get(key) or split_keys(key)[0] for key in written}
    bound = _main_screen_keys()
    assert {key: name for key, name in names.items() if name not in bound} == {}
