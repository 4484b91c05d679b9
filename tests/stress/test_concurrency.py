"""Check 2: processes changing disjoint sets of papers at the same time lose no
update; neither do the reader and ``papers mark`` running side by side."""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import subprocess
import threading
import time
from pathlib import Path

import pytest

import store.db  # noqa: F401 - imported before fork(), never inside a child
import tui.cli  # noqa: F401

from .stresskit import PAPERS, Reader, reader_env, record

pytestmark = pytest.mark.stress

FIELDS = ("read", "bookmark")
FLAG = {("read", True): "--read", ("read", False): "--unread",
        ("bookmark", True): "--bookmark", ("bookmark", False): "--unbookmark"}


def _writer(home: Path, name: str, ids: list[str], count: int, seed: int, go: int, out: int
            ) -> None:
    """Child: ``count`` toggles of its own papers (through the Store and, every third,
    through ``papers mark`` in-process), plus its own UI key; then its final view."""
    from store.db import Store
    from tui.cli import main

    rng = random.Random(seed)
    store = Store.open(home, sample=False)
    model = {f"{f} {i}": bool(store.state.value(f, i, False)) for f in FIELDS for i in ids}
    os.read(go, 1)  # everybody starts together
    sink = io.StringIO()
    for n in range(count):
        field, pid = rng.choice(FIELDS), rng.choice(ids)
        value = not model[f"{field} {pid}"]
        if n % 3 == 2:
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                if main(["--home", str(home), "mark", pid, FLAG[field, value]]) != 0:
                    os._exit(3)
        elif field == "read":
            store.set_read([pid], value)
        else:
            store.set_bookmarked([pid], value)
        model[f"{field} {pid}"] = value
        if n % 10 == 0:
            store.ui_set(name, n)
    store.ui_set(name, count)
    os.write(out, json.dumps(model).encode())


def _run_writers(home: Path, ids: list[str], writers: int, per: int, seed: int
                 ) -> tuple[int, int]:
    """``writers`` processes at once; returns (changes made, lost updates)."""
    from store.db import Store

    go_r, go_w = os.pipe()
    children = []
    for w in range(writers):
        mine = ids[w::writers]
        r, out = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            code = 1
            try:
                os.close(r)
                _writer(home, f"writer{w}", mine, per, seed + w, go_r, out)
                code = 0
            finally:
                os._exit(code)
        os.close(out)
        children.append((pid, r))
    os.write(go_w, b"x" * writers)
    finals: dict[str, bool] = {}
    for pid, r in children:
        data = b""
        while chunk := os.read(r, 1 << 16):
            data += chunk
        os.close(r)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, "a writer failed"
        finals.update(json.loads(data))
    os.close(go_r)
    os.close(go_w)
    store = Store.open(home, sample=False)
    wrong = [key for key, value in finals.items()
             if bool(store.state.value(*key.split(" "), False)) != value]
    wrong += [f"ui writer{w}" for w in range(writers) if store.ui_get(f"writer{w}") != per]
    if wrong:
        print("lost:", wrong, {k: store.ui_get(k) for k in store.state.ui})
    return writers * per, len(wrong)


def test_two_then_four_writers_lose_no_update(fresh_home, full):
    from store.db import Store

    ids = Store.open(fresh_home, sample=False).ids()
    started = time.monotonic()
    figures = []
    total = lost = 0
    for writers, per in ((2, 500 if full else 40), (4, 250 if full else 20)):
        made, missing = _run_writers(fresh_home, ids, writers, per, seed=writers * 100)
        figures.append(f"{writers} writers {made} changes {missing} lost")
        total += made
        lost += missing
    record("2 concurrent writers",
           f"{lost} lost updates in {total} changes ({'; '.join(figures)}; "
           f"{time.monotonic() - started:.0f} s)")
    assert lost == 0
    assert total >= (1000 if full else 160)


def _newest_day_order(home: Path) -> tuple[str, list[str]]:
    """The newest day and its papers in the reader's default (votes) order."""
    from store.db import Store

    store = Store.open(home, sample=False)
    day = store.days()[0].date
    papers = sorted(store.day_papers(day), key=lambda p: -(p.votes if p.votes is not None
                                                             else -1))
    return day, [p.id for p in papers]


def test_reader_and_papers_mark_side_by_side(fresh_home, full):
    """The reader bookmarks papers (and records its position at every move) while
    ``papers mark --read`` runs beside it on the same papers."""
    from store.db import Store

    k = 24 if full else 8
    day, order = _newest_day_order(fresh_home)
    targets = order[:k]
    cli_ok: list[str] = []
    cli_errors: list[str] = []
    env = reader_env(fresh_home)

    def cli() -> None:
        for pid in reversed(targets):
            proc = subprocess.run([str(PAPERS), "mark", pid, "--read"], env=env,
                                  capture_output=True, text=True, timeout=60, check=False)
            (cli_ok if proc.returncode == 0 else cli_errors).append(pid)

    with Reader(fresh_home, 120, 40) as reader:
        assert reader.wait_text(f"{day} ·"), reader.screen.text()
        reader.settle(0.3)
        thread = threading.Thread(target=cli)
        thread.start()
        for i in range(k):
            if i:
                reader.send("j")
                reader.pump(0.05)
            reader.send("b")
            reader.pump(0.1)
        thread.join(120)
        # the reader picks up the other process's marks (timer poll, 2 s)
        unread = len(order) - len(cli_ok)
        shown = reader.wait_text(f"{unread}/{len(order)}", timeout=10)
        reader.send("q")
        status = reader.wait_exit(20)
    store = Store.open(fresh_home, sample=False)
    lost_reader = [p for p in targets if not store.is_bookmarked(p)]
    lost_cli = [p for p in cli_ok if not store.is_read(p)]
    lost = len(lost_reader) + len(lost_cli)
    record("2b reader + papers mark",
           f"{lost} lost updates ({k} bookmarks from the reader, {len(cli_ok)} read marks "
           f"from papers mark; the reader showed them: {'yes' if shown else 'no'})")
    assert status == 0
    assert not cli_errors
    assert lost == 0, (lost_reader, lost_cli)
    assert shown
