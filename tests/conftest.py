"""Shared fixtures: a data directory per test, the bundled sample, small digests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "store" / "sample"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared" / "corpus"
ARCHIVE = SHARED / "daily_papers_ko" / "paper_logs"


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An empty data directory, also set as PAPERS_HOME."""
    h = tmp_path / "home"
    monkeypatch.setenv("PAPERS_HOME", str(h))
    # and never the developer's own config file (tui/config.py)
    monkeypatch.setenv("PAPERS_CONFIG", str(tmp_path / "config.toml"))
    return h


@pytest.fixture
def store(home):
    from store.db import Store

    return Store.open(home)


@pytest.fixture
def topics(home):
    """A data directory holding tests/fixtures/related: papers on a few clear topics."""
    from store.db import Store

    s = Store.open(home, sample=False)
    s.import_paths([FIXTURES / "related"])
    return s


# ---------------------------------------------------------------- CLI and file helpers
def run(capsys, *argv: str) -> tuple[int, str, str]:
    """``papers ARGV`` in this process: (exit status, stdout, stderr)."""
    from tui.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, text: str | bytes) -> Path:
    """``text`` (UTF-8) or bytes written to ``path`` (its folders made)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def ids(rows) -> list[str]:
    """The ids of papers or search hits, in order."""
    return [r.id for r in rows]


# ---------------------------------------------------------------- Pilot helpers
# Imported by the app tests: ``from conftest import settle, reopen, main, ...``.
SETTLE = 0.15  # seconds: past the detail pane's throttle and the finders' preview delay


async def settle(pilot, delay: float = SETTLE) -> None:
    """Let the app finish what a key started: its workers, then its timers (the detail
    pane's throttle, a finder's coalesced preview), then the messages they post."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(delay)


async def wait_until(pilot, done, tries: int = 250) -> None:
    """Let the app run until ``done()`` holds: for tests about the order of events
    (a worker's result, a screen closing), instead of a pause that is hoped long enough."""
    for _ in range(tries):
        if done():
            return
        await pilot.pause(0.02)
    assert done()


def reopen(store):
    """The same data directory opened again: what is on disk."""
    from store.db import Store

    return Store.open(store.home, sample=False)


def main(app):
    """The reader's main screen (``PapersApp.reader``), whatever is on top of it."""
    from tui.screens.main import MainScreen

    assert isinstance(app.reader, MainScreen)
    return app.reader


def on_main(app):
    """The reader's main screen, which must be the screen shown."""
    screen = main(app)
    assert app.screen is screen
    return screen


def notifications(app) -> list:
    """The notifications the app has shown (Textual keeps no public list of them)."""
    return list(app._notifications)


def messages(app) -> list[str]:
    return [n.message for n in notifications(app)]


def pytest_addoption(parser):
    parser.addoption("--stress-full", action="store_true", default=False,
                     help="run the stress checks at full size (make stress)")


# ---------------------------------------------------------------- reader (tui) fixtures
SMALL_DIGEST = """\
## Daily Papers (2024-03-02)

### [Zeta Paper on Two Days](https://arxiv.org/abs/2403.00001)

![](https://example.org/thumb/2403.00001.png)

Vote: 12

Authors: {many}

- **What's New**: 두 날짜에 실린 논문입니다. 한국어 문장은 화면 너비에 맞춰 줄바꿈되어야 합니다.
- **Method**: A custom label.
- An unlabelled bullet
  - a nested child line
  - another child
- Second unlabelled bullet

[Watch Video](https://example.org/video/2403.00001.mp4)

### [Alpha Paper](https://arxiv.org/abs/2403.00002)

Vote: 3

Authors: Ann Able, Bob Baker, +

- **What's New**: Alpha.

### [Mid Paper](https://arxiv.org/abs/2403.00003)

Vote: 7

Authors: Carol Cole

- **What's New**: Mid.

## Daily Papers (2024-03-01)

### [Zeta Paper on Two Days](https://arxiv.org/abs/2403.00001)

Vote: 12

Authors: Solo Author

- **What's New**: 두 날짜에 실린 논문입니다.

### [Older Paper](https://arxiv.org/abs/2403.00004)

Vote: 1

Authors: Dan Dole

- **What's New**: Older.
"""

HOSTILE_DIGEST = """\
## Daily Papers (2024-05-05)

### [I Don't Know: Explicit Modeling of Uncertainty with an [IDK] Token](https://arxiv.org/abs/2412.06676)

Vote: 9

Authors: Mallory [bold red]Evil[/], [@click=app.quit]Eve[/], O'Brien

- **What's New**: [bold red]x[/] then [@click=app.quit]click me[/] and [link=https://evil.example]y[/link] \\[escaped]
- **[red]Label[/red]**: a label with markup
- plain [b]unlabelled[/b] bullet
  - child [i]one[/i] [@click=app.bell]ring[/]

### [[@click=app.quit]Quit me[/]](https://arxiv.org/abs/2401.00002)

Vote: 2

Authors: $accent, [on red]x[/on red]

- **What's New**: <script>alert(1)</script> {{braces}} %s %(x)s

### [Bad link paper](javascript:alert(1))

Vote: 1

Authors: Nobody

- **What's New**: the link must never open.
"""


@pytest.fixture
def small_store(tmp_path):
    """Two days; a paper listed on both; long and truncated author lists; children; video."""
    from store.db import Store

    many = ", ".join(f"Author{i:03d} Surname" for i in range(700))
    src = tmp_path / "digests"
    src.mkdir()
    (src / "small.md").write_text(SMALL_DIGEST.format(many=many), encoding="utf-8")
    st = Store.open(tmp_path / "small-home", sample=False)
    st.import_paths([src / "small.md"])
    return st


@pytest.fixture
def hostile_store(tmp_path):
    """Titles, authors and bullets full of markup, action links and brackets."""
    from store.db import Store

    src = tmp_path / "hostile"
    src.mkdir()
    path = src / "2024-05-05.md"
    path.write_text(HOSTILE_DIGEST, encoding="utf-8")
    st = Store.open(tmp_path / "hostile-home", sample=False)
    st.import_paths([path])
    return st


@pytest.fixture
def screen_text():
    """Plain text of what the app shows right now (all layers, like a terminal).  Textual
    has no public call for the screen as plain text (``export_screenshot`` gives SVG), so
    this renders the compositor's update the way the driver would."""
    import io

    from rich.console import Console

    def render(app) -> str:
        width, height = app.size
        console = Console(
            width=width, height=height, file=io.StringIO(), force_terminal=True,
            color_system=None, record=True, legacy_windows=False, safe_box=False,
        )
        update = app.screen._compositor.render_update(
            full=True, screen_stack=app._background_screens
        )
        console.print(update)
        return console.export_text(styles=False)

    return render
