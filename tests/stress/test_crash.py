"""Check 1: a writer killed with SIGKILL at random instants never loses an
acknowledged change and never leaves an unreadable state file."""

from __future__ import annotations

import contextlib
import io
import os
import random
import select
import signal
import time
from pathlib import Path

import pytest

import store.db  # noqa: F401 - imported before fork(), never inside a child
import tui.cli  # noqa: F401

from .stresskit import record

pytestmark = pytest.mark.stress

FIELDS = ("read", "bookmark")


def _writer(home: Path, ids: list[str], seed: int, out: int, via_cli: bool) -> None:
    """Child process: toggle read marks and bookmarks forever, reporting each change
    before it starts (``B field id value``) and after it returned (``A``)."""
    from store.db import Store
    from tui.cli import main

    rng = random.Random(seed)
    store = Store.open(home, sample=False)
    model = {(f, i): store.state.value(f, i, False) for f in FIELDS for i in ids}
    sink = io.StringIO()
    os.write(out, b"R\n")
    while True:
        field, pid = rng.choice(FIELDS), rng.choice(ids)
        value = not model[field, pid]
        os.write(out, f"B {field} {pid} {int(value)}\n".encode())
        if via_cli:  # the real command, in-process: `papers mark ID --read` etc.
            flag = {("read", True): "--read", ("read", False): "--unread",
                    ("bookmark", True): "--bookmark", ("bookmark", False): "--unbookmark"}
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                rc = main(["--home", str(home), "mark", pid, flag[field, value]])
            if rc != 0:
                os.write(out, f"E {rc}\n".encode())
                os._exit(3)
            sink.seek(0)
            sink.truncate()
        elif field == "read":
            store.set_read([pid], value)
        else:
            store.set_bookmarked([pid], value)
        model[field, pid] = value
        os.write(out, b"A\n")


def _spawn(home: Path, ids: list[str], seed: int, via_cli: bool) -> tuple[int, int]:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 1
        try:
            os.close(r)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            _writer(home, ids, seed, w, via_cli)
        except BaseException:  # noqa: BLE001 - a forked child never returns into pytest
            code = 2
        finally:
            os._exit(code)
    os.close(w)
    return pid, r


def _read_until_ack(fd: int, timeout: float = 20.0) -> bytes:
    """What the writer said up to its first acknowledged change (``A``): the kill is meant
    to land while it writes, not while a loaded machine is still starting it."""
    got = b""
    end = time.monotonic() + timeout
    while not (got.startswith(b"A\n") or b"\nA\n" in got) and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            got += chunk
    return got


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


def test_sigkill_during_writes_loses_no_acknowledged_change(fresh_home, full):
    from store.db import Store
    from store.state import StateFile
    from store.storage import load_json

    kills = 1000 if full else 50
    home = fresh_home
    ids = Store.open(home, sample=False).ids()[:24]
    path = home / "state.json"
    rng = random.Random(1)
    acked: dict[tuple[str, str], bool] = {}
    survived = lost = unreadable = phantom = mid_write = changes = 0
    problems: list[str] = []
    started = time.monotonic()
    for round_ in range(kills):
        pid, fd = _spawn(home, ids, 1000 + round_, via_cli=bool(round_ % 2))
        said = _read_until_ack(fd)  # then a random moment of its writing
        time.sleep(rng.uniform(0.0, 0.03))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        lines = (said + _read_all(fd)).decode().splitlines()
        if os.WIFEXITED(status):  # it must have been killed, not have failed
            problems.append(f"round {round_}: writer exited by itself ({lines[-3:]})")
            continue
        pending = None
        for line in lines:
            if line.startswith("B "):
                _, field, paper, value = line.split()
                pending = (field, paper), value == "1"
            elif line == "A" and pending is not None:
                acked[pending[0]] = pending[1]
                changes += 1
                pending = None
        mid_write += any(home.glob(f".state.json.{pid}.*tmp"))
        # the file as the next process finds it: loadable as it is, no recovery needed
        notices: list[str] = []
        try:
            if path.exists() and (load_json(path, notices) is None or notices):
                raise ValueError(notices)
            bak = path.with_name("state.json.bak")
            if bak.exists() and load_json(bak, []) is None:
                raise ValueError("unreadable .bak")
            state = StateFile(path, notices)
        except Exception as exc:  # noqa: BLE001 - counted, then the run goes on
            unreadable += 1
            problems.append(f"round {round_}: unreadable state: {exc}")
            continue
        for key, value in list(acked.items()):
            disk = bool(state.value(key[0], key[1], False))
            if pending is not None and key == pending[0]:
                acked[key] = disk  # the change in flight may or may not have landed
                continue
            if disk != value:
                lost += 1
                problems.append(f"round {round_}: {key} is {disk}, acknowledged {value}")
                acked[key] = disk
        if pending is not None and pending[0] not in acked:
            acked[pending[0]] = bool(state.value(*pending[0], False))
        for field in FIELDS:
            for paper, (value, _) in state.entries(field).items():
                if (field, paper) not in acked:
                    phantom += 1
                    problems.append(f"round {round_}: unexpected {field} {paper}={value}")
        survived += 1
    # the temporary files of killed writers, once old enough, go with the next write
    left = [p for p in home.iterdir() if p.name.endswith((".tmp", ".baktmp"))]
    for p in left:
        os.utime(p, (time.time() - 60, time.time() - 60))
    Store.open(home, sample=False).set_read([ids[0]], True)
    litter = [p.name for p in home.iterdir() if p.name.endswith((".tmp", ".baktmp"))]
    record("1 crash during writes",
           f"{survived}/{kills} kills survived, {lost} lost acknowledged changes, "
           f"{unreadable} unreadable files ({changes} acknowledged changes; "
           f"{mid_write} kills cut a write short; {len(litter)} temp files left after the "
           f"next write; {time.monotonic() - started:.0f} s)")
    assert not problems, problems[:10]
    assert survived == kills and lost == 0 and unreadable == 0 and phantom == 0
    assert changes >= kills  # the writer really was writing
    assert mid_write > 0  # some kills did land inside a write
    assert litter == []
