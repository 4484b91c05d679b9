"""The config file (tui/config.py): every key, each kind of bad file, theme persistence,
a remapped key.  Through the CLI (`papers config`) and the reader driven by Pilot."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import run
from store.db import Store
from tui import config as cfg
from tui.app import PapersApp
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen

SIZE = (100, 30)
FIRST_ID = "2406.09414"  # top of the newest sample day by votes
SECOND_ID = "2406.09415"


@pytest.fixture
def conf(home, tmp_path):
    """The config file the CLI reads in these tests ($PAPERS_CONFIG, from ``home``)."""
    return tmp_path / "config.toml"


def settings(capsys, *argv) -> tuple[dict, list[str]]:
    code, out, err = run(capsys, "config", "--json", *argv)
    assert code == 0
    return json.loads(out), [line for line in err.splitlines() if line]


def app_with(store: Store, path) -> PapersApp:
    config = cfg.load(path)
    return PapersApp(store, config=config)


async def settle(pilot) -> None:
    await pilot.pause(0.12)


def screen_of(app) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def toasts(app) -> str:
    """The text of every notification on screen (run_test(notifications=True)), joined."""
    return " ".join(str(t.render()) for t in app.screen.query("Toast"))


# ---------------------------------------------------------------- where the file is
def test_no_file_prints_the_path_and_the_defaults(conf, capsys):
    code, out, err = run(capsys, "config")
    assert code == 0 and err == ""
    assert out.splitlines()[0] == f"# {conf}  (no such file yet: these are the defaults)"
    assert 'theme = "textual-dark"' in out
    assert 'mark_read = "open"' in out
    assert "mark_read_after = 2.0" in out
    assert "# sort is not set" in out and "# no keys remapped" in out


def test_config_option_beats_the_environment(conf, tmp_path, capsys):
    other = tmp_path / "other.toml"
    other.write_text('theme = "nord"\n', encoding="utf-8")
    conf.write_text('theme = "gruvbox"\n', encoding="utf-8")
    data, _ = settings(capsys)
    assert data["path"] == str(conf) and data["theme"] == "gruvbox"
    data, _ = settings(capsys, "--config", str(other))
    assert data["path"] == str(other) and data["theme"] == "nord" and data["exists"]


def test_default_path_is_the_user_config_dir(monkeypatch, tmp_path):
    from platformdirs import user_config_dir

    monkeypatch.delenv("PAPERS_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    path, named = cfg.config_path()
    assert path == tmp_path / "xdg" / "papers" / "config.toml" and not named
    assert path.parent == Path(user_config_dir("papers", appauthor=False))
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert cfg.default_path().parent == Path(user_config_dir("papers", appauthor=False))


# ---------------------------------------------------------------- every key
def test_every_key_is_read(conf, tmp_path, capsys):
    conf.write_text(
        "# mine\n"
        'theme = "nord"\n'
        'mark_read = "shown"\n'
        "mark_read_after = 5\n"
        'sort = "title"\n'
        "unread_only = true\n"
        "cursor_blink = true\n"
        f'data_dir = "{tmp_path / "data"}"\n'
        'update_source = "https://example.org/digests.git"\n'
        "\n[layout]\ndays_width = 30\ndetail_share = 3\n"
        '\n[keymap]\ntoggle-read = "m"\n"open-browser" = "O"\n',
        encoding="utf-8")
    data, err = settings(capsys)
    assert err == []
    assert data == {
        "path": str(conf), "exists": True, "theme": "nord", "mark_read": "shown",
        "mark_read_after": 5.0, "sort": "title", "unread_only": True, "cursor_blink": True,
        "data_dir": str(tmp_path / "data"), "update_source": "https://example.org/digests.git",
        "layout": {"days_width": 30, "detail_share": 3},
        "keymap": {"toggle-read": "m", "open-browser": "O"},
    }


def test_data_dir_is_used_unless_home_says_otherwise(conf, tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    conf.write_text(f'data_dir = "{data}"\n', encoding="utf-8")
    monkeypatch.delenv("PAPERS_HOME")
    code, out, _ = run(capsys, "days")
    assert code == 0 and "2024-06-14" in out
    assert (data / "state.json").exists() or (data / "corpus.json").exists()
    other = tmp_path / "other"
    assert run(capsys, "--home", str(other), "days")[0] == 0
    assert other.is_dir()
    monkeypatch.setenv("PAPERS_HOME", str(tmp_path / "env"))
    assert run(capsys, "days")[0] == 0
    assert (tmp_path / "env").is_dir()


# ---------------------------------------------------------------- bad files
@pytest.mark.parametrize("text, line, key, problem", [
    ('mark_read = "sometimes"\n', 1, "mark_read",
     'expected one of open, shown, manual, got "sometimes"; using "open"'),
    ('\nmark_read_after = "soon"\n', 2, "mark_read_after",
     'expected a number of seconds, got "soon"; using 2.0'),
    ("mark_read_after = -1\n", 1, "mark_read_after", "expected 0 to 3600 seconds, got -1"),
    ("unread_only = 1\n", 1, "unread_only", "expected true or false, got 1"),
    ('cursor_blink = "yes"\n', 1, "cursor_blink", 'expected true or false, got "yes"; using false'),
    ('sort = "date"\n', 1, "sort", 'expected one of votes, title, digest, got "date"'),
    ("theme = 3\n", 1, "theme", "expected a theme name, got 3"),
    ('# c\ncolour = "red"\n', 2, "colour", "unknown setting; ignored"),
    ("data_dir = false\n", 1, "data_dir", "expected a path, got false"),
    ('keymap = "j"\n', 1, "keymap", "expected a [keymap] table; ignored"),
    ('[keymap]\ntoggle-read = 5\n', 2, "keymap.toggle-read", "expected keys as a string"),
    ('[keymap]\ntoggle-read = "ctrl+zz"\n', 2, "keymap.toggle-read", "'ctrl+zz' is not a key"),
    ('[keymap]\n\nno-such-binding = "z"\n', 3, "keymap.no-such-binding",
     "no binding has this id"),
    ('[keymap]\ntoggle-read = "b"\n', 2, "keymap.toggle-read",
     "'b' is already bound to toggle-bookmark; keeping 'r'"),
    ('[keymap]\ntoggle-read = "m"\ntoggle-bookmark = "m"\n', 3, "keymap.toggle-bookmark",
     "'m' is already bound to toggle-read; keeping 'b'"),
    ('[layout]\ndays_width = 2\n', 2, "layout.days_width", "from 12 to 60, got 2"),
    ('[layout]\ndays_width = 61\n', 2, "layout.days_width",
     "expected a whole number of columns from 12 to 60, got 61; sizing the day list"),
    ('[layout]\ndays_width = true\n', 2, "layout.days_width", "from 12 to 60, got true;"),
    ('[layout]\n\ndetail_share = 0\n', 3, "layout.detail_share",
     "expected a whole number from 1 to 9, got 0; using the default split"),
    ('[layout]\ndetail_share = 2.5\n', 2, "layout.detail_share", "from 1 to 9, got 2.5;"),
    ('[layout]\nwidth = 2\n', 2, "layout.width", "unknown setting; ignored"),
])
def test_a_bad_key_is_one_line_with_file_line_and_key(conf, capsys, text, line, key, problem):
    conf.write_text(text, encoding="utf-8")
    data, err = settings(capsys)
    assert len(err) == 1, err
    assert err[0].startswith(f"papers: {conf}:{line}: {key}: "), err[0]
    assert problem in err[0]
    defaults = cfg.Config()
    assert data["mark_read"] == defaults.mark_read  # everything else: the defaults
    assert data["theme"] == defaults.theme
    assert data["keymap"] == ({"toggle-read": "m"} if "toggle-bookmark" in text else {})


def test_a_bad_key_keeps_the_good_ones(conf, capsys):
    conf.write_text('sort = "title"\nmark_read = 3\nunread_only = true\n', encoding="utf-8")
    data, err = settings(capsys)
    assert len(err) == 1 and "mark_read" in err[0]
    assert data["sort"] == "title" and data["unread_only"] is True


@pytest.mark.parametrize("raw, start", [
    (b'theme = "nord\n', ":1: not valid TOML"),
    (b'sort = "title"\n[keymap\n', ":2: not valid TOML"),
    (b'sort = "title"\nsort = "votes"\n', ":2: not valid TOML"),
    (b'theme = "\xff\xfe"\n', ":1: not UTF-8 text"),
])
def test_a_broken_file_is_one_line_and_the_defaults(conf, capsys, raw, start):
    conf.write_bytes(raw)
    data, err = settings(capsys)
    assert len(err) == 1 and err[0].startswith(f"papers: {conf}{start}"), err
    assert err[0].endswith("using the defaults")
    assert data["theme"] == "textual-dark" and data["sort"] is None


def test_a_directory_or_unreadable_file_is_one_line(conf, capsys):
    conf.mkdir()
    _, err = settings(capsys)
    assert err == [f"papers: {conf}: is a directory, not a config file; using the defaults"]
    conf.rmdir()
    conf.write_text('theme = "nord"\n', encoding="utf-8")
    conf.chmod(0)
    try:
        if os.access(conf, os.R_OK):
            pytest.skip("running as root: every file is readable")
        _, err = settings(capsys)
        assert err == [f"papers: {conf}: cannot read (Permission denied); using the defaults"]
    finally:
        conf.chmod(0o644)


def test_other_commands_still_work_with_a_bad_file(conf, capsys):
    conf.write_text("theme = [\n", encoding="utf-8")
    code, out, err = run(capsys, "days")
    assert code == 0 and "2024-06-14" in out
    assert err.count("\n") == 1 and "not valid TOML" in err and "Traceback" not in err


def test_an_unknown_theme_is_named_and_the_default_used(conf, capsys):
    conf.write_text('\ntheme = "no-such-theme"\n', encoding="utf-8")
    data, err = settings(capsys)
    assert len(err) == 1
    assert err[0].startswith(f"papers: {conf}:2: theme: no theme named 'no-such-theme'")
    assert data["theme"] == "textual-dark"


# ---------------------------------------------------------------- the reader
async def test_the_reader_starts_with_a_bad_file_and_says_so(store, conf):
    conf.write_text('sort = "title"\nmark_read = "never"\n', encoding="utf-8")
    app = app_with(store, conf)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        assert screen.model.sort == "title"  # the good key still applies
        assert "(by title)" in screen.paper_list.border_title
        shown = toasts(app)
        assert "config.toml:2: mark_read: expected one of open, shown, manual" in shown


async def test_a_broken_toml_file_still_opens_the_reader(store, conf):
    conf.write_text("[[[\n", encoding="utf-8")
    app = app_with(store, conf)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert screen_of(app).paper_list.current.id == FIRST_ID
        assert "config.toml:1: not valid TOML" in toasts(app)


@pytest.mark.parametrize("text, blinks", [("", False), ("cursor_blink = true\n", True)])
async def test_the_search_box_cursor_blinks_only_if_asked(store, conf, text, blinks):
    conf.write_text(text, encoding="utf-8")
    app = app_with(store, conf)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        box = app.screen.query_one("#search-input")
        assert box.has_focus
        assert box.cursor_blink is blinks


async def test_theme_from_the_file_is_used(store, conf):
    conf.write_text('theme = "nord"\n', encoding="utf-8")
    app = app_with(store, conf)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        assert toasts(app) == ""


async def test_a_theme_chosen_in_the_palette_survives_a_restart(store, conf):
    original = ('# my reader\ntheme = "nord"   # was dark\nsort = "title"\n\n'
                '[keymap]\n# move like less\ntoggle-read = "m"\n')
    conf.write_text(original, encoding="utf-8")
    app = app_with(store, conf)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        await pilot.press("ctrl+p")
        await pilot.pause()
        for ch in "theme":
            await pilot.press(ch)
        await pilot.pause(0.3)
        await pilot.press("enter")  # "Theme: Change the current theme"
        await pilot.pause(0.3)
        for ch in "gruvbox":
            await pilot.press(ch)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "gruvbox"
    # only the theme line changed; comments, order and the keymap are the user's
    assert conf.read_text(encoding="utf-8") == original.replace(
        'theme = "nord"   # was dark', 'theme = "gruvbox"')
    app = app_with(Store.open(store.home, sample=False), conf)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "gruvbox"
        assert screen_of(app).model.sort == "title"


async def test_a_theme_is_added_before_the_first_table(store, conf):
    conf.write_text('[keymap]\ntoggle-read = "m"\n', encoding="utf-8")
    app = app_with(store, conf)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.theme = "dracula"
        await pilot.pause()
    assert conf.read_text(encoding="utf-8") == (
        'theme = "dracula"\n\n[keymap]\ntoggle-read = "m"\n')
    assert cfg.load(conf).keymap == {"toggle-read": "m"}


async def test_a_theme_creates_a_missing_file(store, tmp_path):
    path = tmp_path / "new" / "config.toml"
    app = app_with(store, path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    assert path.read_text(encoding="utf-8") == 'theme = "nord"\n'
    assert not [p for p in path.parent.iterdir() if p.name != "config.toml"]  # no temp left


async def test_an_app_without_a_file_saves_nothing(store, tmp_path):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    assert app.config.path is None


def key_bar_text(app) -> str:
    from tui.widgets.key_bar import KeyBar

    return app.screen.query_one(KeyBar).render().plain


def rendered(renderable, width: int = 80) -> str:
    import io

    from rich.console import Console

    console = Console(width=width, file=io.StringIO(), color_system=None, record=True)
    console.print(renderable)
    return console.export_text()


async def test_a_remapped_key_does_its_action_and_shows_in_help(store, conf, screen_text):
    conf.write_text('[keymap]\ntoggle-read = "m"\nhelp = "f1,question_mark"\n',
                    encoding="utf-8")
    app = app_with(store, conf)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "m Read" in key_bar_text(app)
        await pilot.press("r")  # no longer bound
        await pilot.pause()
        assert not store.is_read(FIRST_ID)
        await pilot.press("m")
        await pilot.pause()
        assert Store.open(store.home, sample=False).is_read(FIRST_ID)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)  # the row is on the first page of the help screen
        row = next(line for line in shown.splitlines() if "Mark the paper read" in line)
        assert re.search(r"│ +m +Mark the paper read / unread", row), row
        body = rendered(app.screen.build())  # all of it, as scrolling shows it
        help_row = next(line for line in body.splitlines() if "This list of keys" in line)
        assert help_row.split()[:2] == ["f1", "?"]


async def test_a_clashing_key_keeps_the_default_and_says_so(store, conf):
    conf.write_text('[keymap]\ntoggle-read = "b"\n', encoding="utf-8")
    app = app_with(store, conf)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "keymap.toggle-read: 'b' is already bound to toggle-bookmark" in toasts(app)
        await pilot.press("b")
        await pilot.pause()
        assert store.is_bookmarked(FIRST_ID) and not store.is_read(FIRST_ID)
        await pilot.press("r")
        await pilot.pause()
        assert store.is_read(FIRST_ID)


# ---------------------------------------------------------------- reading habits
async def test_sort_and_unread_only_from_the_file(store, conf):
    store.set_read([FIRST_ID], True)
    conf.write_text('sort = "title"\nunread_only = true\n', encoding="utf-8")
    app = app_with(store, conf)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        titles = [p.title.casefold() for p in screen.paper_list.papers]
        assert titles == sorted(titles)
        assert FIRST_ID not in [p.id for p in screen.paper_list.papers]
        assert "(unread only, by title)" in screen.paper_list.border_title


async def test_mark_read_open_marks_on_enter(store, conf):
    app = app_with(store, conf)  # no file: mark_read = "open"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        assert not store.is_read(FIRST_ID) and not store.is_read(SECOND_ID)
        await pilot.press("enter")
        await pilot.pause()
        assert store.is_read(SECOND_ID)


async def test_mark_read_manual_never_marks_by_itself(store, conf):
    conf.write_text('mark_read = "manual"\n', encoding="utf-8")
    app = app_with(store, conf)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen_of(app).detail.has_focus_within
        assert not store.is_read(FIRST_ID)
        await pilot.press("r")
        await pilot.pause()
        assert store.is_read(FIRST_ID)


async def test_mark_read_shown_marks_what_was_shown(store, conf, screen_text):
    conf.write_text('mark_read = "shown"\nmark_read_after = 0\n', encoding="utf-8")
    app = app_with(store, conf)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert Store.open(store.home, sample=False).is_read(FIRST_ID)
        await pilot.press("n")  # next unread: shown, so read too
        await settle(pilot)
        await pilot.pause()
        assert store.is_read(SECOND_ID)
        assert "● unread" not in screen_text(app)  # the detail pane says so too


async def test_mark_read_shown_waits_for_the_delay(store, conf):
    conf.write_text('mark_read = "shown"\nmark_read_after = 3600\n', encoding="utf-8")
    app = app_with(store, conf)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert not store.is_read(FIRST_ID) and not store.is_read(SECOND_ID)


async def test_a_theme_is_not_written_into_a_broken_file(store, conf):
    conf.write_text("theme = [\n# keep me\n", encoding="utf-8")
    app = app_with(store, conf)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
        assert f"Theme not saved to {conf}: {conf} is not valid TOML; not changing it" in [
            n.message for n in app._notifications]
        assert "Theme not saved" in toasts(app)
    assert conf.read_text(encoding="utf-8") == "theme = [\n# keep me\n"
