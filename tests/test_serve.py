"""`papers serve`: the reader in a browser through textual-serve, checked in a real headless
Chromium (DevTools protocol), plus the command's own messages.  Loopback only."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.db import Store
from tui.cli import main
from tui.serve import exposure_warning, is_loopback, reader_command

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cdp import Browser, find_chromium
from stress.stresskit import Screen

PAPERS = Path(sys.executable).with_name("papers")
NEWEST = "2024-06-14"
FIRST_ID = "2406.09414"
SECOND_ID = "2406.09415"
HANGUL = re.compile("[\uac00-\ud7a3]{2,}")

try:
    import textual_serve  # noqa: F401

    HAVE_SERVE = True
except ImportError:
    HAVE_SERVE = False


# ---------------------------------------------------------------- the command's messages
@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("127.0.0.2", True), ("0.0.0.0", False), ("192.168.1.5", False), ("::", False),
    ("tablet.example", False),
])
def test_only_loopback_goes_without_a_warning(host, loopback):
    assert is_loopback(host) is loopback
    warning = exposure_warning(host, 8000)
    if loopback:
        assert warning is None
    else:
        assert warning.startswith(f"warning: listening on {host}:8000, not only this machine")
        assert ("anyone who can reach this port can read your papers and change your reading "
                "state") in warning


def test_another_host_warns_before_anything_else(home, capsys):
    # 192.0.2.1 is TEST-NET-1: never this machine's, so the bind fails and nothing listens
    code = main(["serve", "--host", "192.0.2.1", "--port", "8000"])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    if not HAVE_SERVE:
        pytest.skip("textual-serve is not installed")
    assert err[0].startswith("papers: warning: listening on 192.0.2.1:8000, not only this")
    assert err[1].startswith("papers: cannot listen on 192.0.2.1:8000: ")
    assert len(err) == 2


@pytest.mark.skipif(not HAVE_SERVE, reason="textual-serve is not installed")
def test_a_busy_port_is_one_line(home, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(["serve", "--port", str(port)])
    assert code == 1
    assert capsys.readouterr().err == (
        f"papers: cannot listen on 127.0.0.1:{port}: Address already in use\n")


def test_without_textual_serve_it_says_what_to_install(home, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    assert main(["serve"]) == 1
    assert capsys.readouterr().err == (
        "papers: papers serve needs textual-serve: pip install textual-serve "
        "(or the papers[serve] extra)\n")


def test_each_tab_runs_this_python_on_this_data(tmp_path):
    command = reader_command(tmp_path / "my data", tmp_path / "c.toml")
    assert command == (f"{sys.executable} -m tui.cli --home '{tmp_path / 'my data'}' "
                       f"--config {tmp_path / 'c.toml'}")


# ---------------------------------------------------------------- in Chromium
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"papers serve exited: {proc.stderr.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("papers serve did not start listening")


@pytest.fixture
def served(home, tmp_path):
    """`papers serve` on a free loopback port, on the bundled sample."""
    if not HAVE_SERVE:
        pytest.skip("textual-serve is not installed (pip install textual-serve)")
    if find_chromium() is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    store = Store.open(home)  # the sample, imported before the server starts
    port = free_port()
    env = dict(os.environ, PAPERS_HOME=str(home), PAPERS_CONFIG=str(tmp_path / "config.toml"))
    proc = subprocess.Popen([str(PAPERS), "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        wait_listening(port, proc)
        yield f"http://127.0.0.1:{port}/", store
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the server and the readers it started
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def screen_of(page: Browser) -> Screen | None:
    """The served terminal as the page shows it (its size is what the page asked for)."""
    sizes = [m[1] for m in page.ws_sent() if isinstance(m, list) and m[:1] == ["resize"]]
    if not sizes:
        return None
    screen = Screen(sizes[-1]["width"], sizes[-1]["height"])
    screen.feed(page.ws_received())
    return screen


async def drive(url: str, store: Store, shot: Path | None = None) -> dict:
    seen: dict = {}
    async with Browser() as page:
        await page.call("Page.navigate", url=url)
        # textual-serve's landing page, named after the app
        seen["title"] = await page.wait_for(lambda: page.evaluate(
            "document.querySelector('.intro') && document.querySelector('.intro').innerText"))
        # the app starts in it: the terminal gets its first bytes, then the reader
        seen["started"] = await page.wait_for(lambda: page.evaluate(
            "document.body.classList.contains('-first-byte')"))
        summary = store.paper(FIRST_ID).bullets[0].text
        korean = HANGUL.findall(summary)[0]
        seen["korean"] = korean

        def shows(*needles: str):
            screen = screen_of(page)
            text = screen.text() if screen else ""
            return text if all(n in text for n in needles) else ""

        seen["first"] = await page.wait_for(
            lambda: shows(f"{NEWEST} Fri", f"arXiv {FIRST_ID}", korean), timeout=60)
        if shot is not None:
            await asyncio.sleep(0.5)  # let the page paint the frame it has
            await page.screenshot(shot)
        await page.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
        await page.press("j")
        seen["moved"] = await page.wait_for(lambda: shows(f"arXiv {SECOND_ID}"), timeout=30)
        await page.press("o")  # opens the paper in a new tab of this browser
        seen["opened"] = await page.wait_for(
            lambda: {u for u in page.window_opens() if SECOND_ID in u}, timeout=30)
        await page.press("x")  # export the day: a download in this browser
        seen["dialog"] = await page.wait_for(lambda: shows("Export 30 papers"), timeout=30)
        await page.press_enter()
        seen["downloads"] = await page.wait_for(
            lambda: {u.split("?")[0].rsplit("/", 1)[0] for u in page.window_opens()
                     if "/download/" in u}, timeout=30)
        seen["exported"] = await page.wait_for(lambda: shows("is downloading"), timeout=30)
    return seen


@pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed "
                    "(apt-get install chromium)")
def test_the_reader_runs_in_chromium(served):
    url, store = served
    seen = asyncio.run(drive(url, store, shot=os.environ.get("PAPERS_SERVE_SHOT") or None))
    assert seen["title"] == "papers"
    assert seen["started"] is True
    assert seen["first"], "the newest day and a Korean summary never appeared in the page"
    first = seen["first"]
    assert f"{NEWEST} Fri" in first and "Depth Anything V2" in first
    assert seen["korean"] in first
    assert seen["moved"], "j did not move the cursor to the second paper"
    assert seen["opened"] == {f"https://arxiv.org/abs/{SECOND_ID}"}
    assert seen["dialog"], "x did not open the export dialog"
    assert seen["downloads"] == {url + "download"}  # textual-serve's single-use download
    assert "Exported 30 papers: papers-2024-06-14.bib is downloading" in seen["exported"]
    # the key went through the store like in a terminal: j moved, o opened, nothing read
    assert not Store.open(store.home, sample=False).is_read(SECOND_ID)
