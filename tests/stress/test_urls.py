"""Check 6: hostile URLs.  ``o`` opens only http(s) URLs with a real host, through the
``webbrowser`` module (no shell), and shows exactly what it opened."""

from __future__ import annotations

import os
import shutil
import stat
import time

import pytest

from .stresskit import Reader, record

pytestmark = pytest.mark.stress

SHELLY = "https://example.org/a;b$(touch${IFS}PWNED-dollar)`touch${IFS}PWNED-tick`|c&d>PWNED-gt"

# (url, what `o` may open: None = nothing, "same" = the URL itself, or the exact string)
URLS: list[tuple[str, str | None]] = [
    ("https://arxiv.org/abs/2406.09414", "same"),
    ("http://example.org/x?y=1#frag", "same"),
    ("HTTPS://ARXIV.ORG/abs/1", "https://arxiv.org/abs/1"),
    ("https://example.org:8443/path", "same"),
    ("https://[2001:db8::1]/x", "same"),
    ("  https://arxiv.org/abs/2406.09414  ", "https://arxiv.org/abs/2406.09414"),
    ("https://huggingface.co/papers/2406.09414?q=한국어", "same"),
    (SHELLY, "same"),  # odd but harmless: no shell ever sees it
    ("https://例え.jp/パス", "https://xn--r8jz45g.jp/パス"),  # IDN: opened as punycode
    ("https://аrxiv.org/abs/2406.09414", "https://xn--rxiv-43d.org/abs/2406.09414"),
    ("javascript:alert(1)", None),
    ("JAVASCRIPT:alert(document.cookie)", None),
    (" javascript:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("jav&#x09;ascript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("vbscript:msgbox(1)", None),
    ("file:///etc/passwd", None),
    ("FILE://localhost/etc/passwd", None),
    ("ftp://example.org/x", None),
    ("mailto:someone@example.org", None),
    ("ssh://example.org", None),
    ("chrome://settings", None),
    ("about:blank", None),
    ("-https://arxiv.org/abs/1", None),
    ("--help", None),
    ("-oProxyCommand=touch PWNED", None),
    ("-–help", None),
    ("https://", None),
    ("http:///etc/passwd", None),
    ("https:example.org", None),
    ("//example.org/x", None),
    ("https://exa mple.org/", None),
    ("https://example.org/a b", None),
    ("https://example.org/\tx", None),
    ("https://example.org/\nx", None),
    ("https://example.org/\rx", None),
    ("https://example.org/\x00x", None),
    ("https://example.org/\x1b]52;c;UFdO\x07", None),
    ("https://example.org/\x1b[2J", None),
    ("https://example.org/\x9b2J", None),
    ("https://example.org/\u202egpj.exe", None),
    ("https://example.org/\u200bx", None),
    ("https://example.org/\u00a0x", None),
    ("https://example.org/\u3000x", None),
    ("https://example.org/\u2028x", None),
    ("https://example.org/" + "a" * 100_000, None),
    ("https://arxiv.org@evil.example/abs/1", None),
    ("https://user:pass@example.org/", None),
    ("https://example.org:99999/", None),
    ("https://example.org:port/", None),
    ("https://%65vil.example/", None),
    ("https://evil.example\\.arxiv.org/", None),
    ("https://a..b/", None),
    ("https://" + "a" * 64 + ".org/", None),
    ("", None),
    (None, None),
]


def expected(url, verdict):
    return url if verdict == "same" else verdict


def test_safe_url_verdicts():
    from tui.clipboard import safe_url

    wrong = [(u, safe_url(u), expected(u, v)) for u, v in URLS
             if safe_url(u) != expected(u, v)]
    shown = [(repr(u)[:80], got, want) for u, got, want in wrong]
    record("6 hostile URLs",
           f"{len(URLS)} URLs: {sum(v is not None for _, v in URLS)} opened, "
           f"{sum(v is None for _, v in URLS)} refused, {len(wrong)} wrong verdicts")
    assert not wrong, shown


async def test_o_key_opens_only_what_safe_url_allows(tmp_path, monkeypatch):
    """The real key: every URL above as a paper; ``o`` calls the browser only for the
    allowed ones, with exactly the allowed string; otherwise it warns."""
    from store.db import Store
    from store.models import Paper
    from tui.app import PapersApp

    opened: list[str] = []
    monkeypatch.setattr("tui.screens.links.has_display", lambda *a, **k: True)
    monkeypatch.setattr("tui.clipboard.webbrowser.open",
                        lambda url, *a, **k: opened.append(url) or True)
    app = PapersApp(Store.open(tmp_path / "home"))
    wrong = []
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause(0.1)
        screen = app.screen
        for n, (url, verdict) in enumerate(URLS):
            paper = Paper(f"u{n}", f"URL case {n}", url or "", ["2024-06-14"])
            screen.paper_list.set_papers([paper], notify=False)
            opened.clear()
            await pilot.press("o")
            await app.workers.wait_for_complete()
            await pilot.pause(0.02)
            want = expected(url, verdict)
            if opened != ([want] if want else []):
                wrong.append((repr(url)[:60], opened[:1], want))
    assert not wrong, wrong


def test_no_shell_between_o_and_the_browser(tmp_path):
    """The reader in a terminal, BROWSER set to a recorder: a URL full of shell syntax
    arrives as one argument, byte for byte, and nothing in it runs."""
    work = tmp_path / "work"
    work.mkdir()
    log = tmp_path / "browser.log"
    recorder = tmp_path / "browser"
    recorder.write_text(f'#!/bin/sh\nprintf "%s\\n" "$#" "$@" >> "{log}"\n')
    recorder.chmod(recorder.stat().st_mode | stat.S_IEXEC)
    digest = tmp_path / "2024-06-14.md"
    digest.write_text(f"## Daily Papers (2024-06-14)\n\n### [Shell]({SHELLY})\n\nVote: 1\n\n"
                      "Authors: A\n\n- **What's New**: x\n", encoding="utf-8")
    from store.db import Store

    Store.open(tmp_path / "home", sample=False).import_paths([digest])
    cwd = os.getcwd()
    os.chdir(work)  # where a `touch PWNED...` would land
    try:
        with Reader(tmp_path / "home", 120, 30, BROWSER=str(recorder)) as reader:
            assert reader.wait_text("Shell", timeout=20)
            reader.settle(0.2)
            reader.send("o")
            end = time.monotonic() + 10
            while not log.exists() and time.monotonic() < end:
                reader.pump(0.05)
            reader.settle(0.3)
            reader.send("q")
            reader.wait_exit()
    finally:
        os.chdir(cwd)
    lines = log.read_text().splitlines() if log.exists() else []
    pwned = [p.name for p in list(work.iterdir()) + list(tmp_path.iterdir())
             if p.name.startswith("PWNED")]
    record("6b no shell",
           f"browser got {lines[:1] or ['nothing']} argument(s), URL intact: "
           f"{'yes' if lines[1:] == [SHELLY] else 'no'}; {len(pwned)} injected commands ran")
    assert lines == ["1", SHELLY], lines
    assert not pwned
    shutil.rmtree(work)
