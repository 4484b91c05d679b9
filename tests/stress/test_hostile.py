"""Check 4: a generated corpus of hostile digests.  Import never crashes, the reader
shows every title literally, and nothing from the data reaches the terminal as a
control sequence (the reader runs in a pseudo-terminal; its output is scanned)."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import time

import pytest
from rich.cells import get_character_cell_size

from .hostile import MARKER, MARKUP, generate
from .stresskit import BIDI, C1_UTF8, ESCAPE, PAPERS, Reader, reader_env, record

pytestmark = pytest.mark.stress

OWN_OSC = re.compile(rb"\x1b\]22;[^\x07\x1b]*(?:\x07|\x1b\\)")  # Textual: pointer shape
# The reader's own hyperlinks (OSC 8, Rich's form with an id): only around a URL that
# passed safe_url unchanged, and their end.  Anything else that looks like one counts.
OWN_LINK = re.compile(rb"\x1b\]8;id=[0-9-]+;([^\x07\x1b]*)\x1b\\")
OWN_LINK_END = b"\x1b]8;;\x1b\\"


def own_osc(seq: bytes) -> bool:
    """Textual's pointer shape, or an opening hyperlink around a safe URL (each of those
    is closed by one OWN_LINK_END, counted in ``scan``)."""
    from tui.clipboard import safe_url

    if OWN_OSC.fullmatch(seq):
        return True
    link = OWN_LINK.fullmatch(seq)
    if link is None:
        return False
    url = link.group(1).decode("utf-8", "replace")
    return safe_url(url) == url
OTHER_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def scan(data: bytes) -> dict[str, int]:
    """Count what in ``data`` could act on a terminal and came from the data."""
    seqs = ESCAPE.findall(data)
    rest = ESCAPE.sub(b"", data)
    text = data.decode("utf-8", "replace")
    return {
        "marked escape sequences": sum(MARKER.encode() in s for s in seqs),
        "OSC other than Textual's": sum(s.startswith(b"\x1b]") and s != OWN_LINK_END
                                        and not own_osc(s) for s in seqs)
        # a link's end is the reader's only as often as it opened one of its own links
        + max(0, seqs.count(OWN_LINK_END) - sum(bool(OWN_LINK.fullmatch(s)) and own_osc(s)
                                                for s in seqs)),
        "C1 controls": len(C1_UTF8.findall(data)),
        "bidi controls": sum(text.count(c) for c in BIDI),
        "other C0 controls": len(OTHER_CONTROLS.findall(rest.replace(b"\r", b"").replace(
            b"\n", b""))),
    }


def visible(text: str) -> str:
    """What a terminal cell grid keeps of ``text`` (zero-width characters go)."""
    return "".join(c for c in text if get_character_cell_size(c) > 0)


def papers_cli(*argv: str) -> tuple[int | str, bytes]:
    from tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc: int | str = main(list(argv))
        except BaseException as exc:  # noqa: BLE001
            rc = f"{type(exc).__name__}: {exc}"
    return rc, (out.getvalue() + err.getvalue()).encode("utf-8", "surrogateescape")


def test_hostile_digests(tmp_path, full):
    from store.db import Store

    files = 240 if full else 30
    src = tmp_path / "digests"
    generate(src, files)
    home = tmp_path / "home"
    env = reader_env(home)

    # import, the real command (and again: unchanged files are skipped)
    started = time.monotonic()
    proc = subprocess.run([str(PAPERS), "import", "--verbose", str(src)], env=env,
                          capture_output=True, timeout=600, check=False)
    import_s = time.monotonic() - started
    again = subprocess.run([str(PAPERS), "import", str(src)], env=env, capture_output=True,
                           timeout=600, check=False)
    assert proc.returncode == 0 and again.returncode == 0, proc.stderr[-2000:]
    assert b"Traceback" not in proc.stderr + again.stderr
    assert again.stdout.startswith(b"0 files read"), again.stdout  # all known: skipped
    cli_out = proc.stdout + proc.stderr

    store = Store.open(home, sample=False)
    days = store.days()
    ids = store.ids()
    assert len(days) >= files * 0.8 and len(ids) >= len(days)
    # markup in titles is kept as text, byte for byte
    literal = [p for p in map(store.get, ids) if any(m in p.title for m in MARKUP)]
    assert len(literal) >= 5

    # the other commands print data: none of it may carry a control sequence
    first = days[0].date
    target = store.day_ids(first)[0]
    for argv in (["note", target, "--set", f"note \x1b]52;c;UFdO\x07 {MARKER}-note \x1b[2J"],
                 ["tag", target, "--add", f"\x1b[31m{MARKER}-tag\u202e"]):
        rc, out = papers_cli("--home", str(home), *argv)
        assert rc == 0, out
    for argv in (["days"], ["list"], ["list", "--json"], ["search", MARKER, "--limit", "500"],
                 ["tags"], ["stats"], *(["show", i] for i in ids)):
        rc, out = papers_cli("--home", str(home), *argv)
        assert rc == 0, (argv, out[-500:])
        cli_out += out

    # the reader: every day, every paper
    walked = papers_seen = 0
    mismatches: list[str] = []
    slowest = 0.0
    with Reader(home, 200, 50) as reader:
        assert reader.wait_text(f"{first} ·", timeout=60), reader.screen.text()
        reader.settle(0.2)
        for n, day in enumerate(days):
            if n:
                t = time.monotonic()
                reader.send("]")
                assert reader.wait_text(f"{day.date} ·", timeout=60), day.date
                reader.settle(0.03)
                slowest = max(slowest, time.monotonic() - t)
            walked += 1
            screen = reader.screen.lines()
            papers = store.day_papers(day.date)
            for paper in papers:
                mismatches += _title_shown(paper.title, screen)
            for _ in papers[1:]:  # each paper's detail pane
                t = time.monotonic()
                reader.send("j")
                reader.settle(0.03)
                slowest = max(slowest, time.monotonic() - t)
            papers_seen += len(papers)
        reader.send("q")
        status = reader.wait_exit(60)
        shown_markers = MARKER in reader.out.decode("utf-8", "replace")
    found = scan(reader.out)
    found_cli = scan(cli_out)
    leaks = sum(found.values()) + sum(found_cli.values())
    record("4 hostile digests",
           f"{files} files ({proc.stdout.decode().strip()}); import {import_s:.1f} s, "
           f"0 crashes; reader walked {walked} days / {papers_seen} papers, "
           f"{len(mismatches)} titles not shown literally; {leaks} escapes from the data "
           f"reached the terminal ({sum(found.values())} reader, {sum(found_cli.values())} "
           f"CLI; {len(reader.out) // 1024} KiB scanned); slowest key {slowest:.1f} s")
    assert status == 0
    assert shown_markers  # the payloads were on screen as text: the scan had something to find
    assert not mismatches, mismatches[:5]
    assert leaks == 0, (found, found_cli, [s for s in ESCAPE.findall(cli_out)][:5])
    assert slowest < 3.0  # a 1 MB line must not freeze the reader (it took 11-14 s once)


def _title_shown(title: str, screen: list[str]) -> list[str]:
    """The list row of a paper shows its title as text (cut at the pane's edge)."""
    tag = title.split(" ", 1)[0]
    want = visible(title).replace("\n", " ")
    for line in screen:
        at = line.find(tag + " ")
        if at < 0:
            continue
        shown = line[at:].split("│", 1)[0].rstrip()
        shown = shown.removesuffix("…")
        if len(shown) >= min(len(want), 12) and want.startswith(shown):
            return []
        return [f"{tag}: shown {shown!r}, title {want[:80]!r}"]
    return [f"{tag}: not on screen"]


SABOTAGE = """\
import store.parse as parse
import tui.text as text
parse.clean_text = lambda s: s
text.clean = lambda v: "" if v is None else str(v)
text.one_line = lambda v: str(v or "")
"""


def test_the_scan_finds_leaks_when_sanitising_is_off(tmp_path):
    """Control run: the same corpus and scan, with the parser's and the reader's
    sanitising switched off (sitecustomize), must find leaks, or the scan is blind."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SABOTAGE)
    generate(tmp_path / "digests", 12)
    home = tmp_path / "home"
    proc = subprocess.run([str(PAPERS), "import", str(tmp_path / "digests")],
                          env=reader_env(home, PYTHONPATH=str(site)), capture_output=True,
                          check=False)
    assert proc.returncode == 0
    with Reader(home, 120, 40, PYTHONPATH=str(site)) as reader:
        assert reader.wait_text("Days", timeout=30)
        reader.settle(0.2)
        for _ in range(5):
            reader.send("]")
            reader.settle(0.05)
        reader.send("q")
        reader.wait_exit(30)
    found = scan(reader.out)
    record("4b control run",
           f"sanitising switched off: the scan finds {sum(found.values())} leaks "
           f"({', '.join(f'{v} {k}' for k, v in found.items())})")
    assert found["marked escape sequences"] > 0 and found["C1 controls"] > 0
