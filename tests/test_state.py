"""Reader state: atomic, locked, recoverable, keyed by paper id."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from store.state import StateFile
from store.storage import atomic_write, load_json

ROOT = Path(__file__).resolve().parents[1]


def test_change_is_on_disk_and_stamped(tmp_path):
    notices: list[str] = []
    s = StateFile(tmp_path / "state.json", notices)
    before = int(time.time() * 1000)
    s.change("bookmark", {"2406.09414": True})
    again = StateFile(tmp_path / "state.json", notices)
    assert again.value("bookmark", "2406.09414") is True
    assert again.changed_at("bookmark", "2406.09414") >= before
    assert notices == []


def test_write_keeps_previous_version_as_bak(tmp_path):
    s = StateFile(tmp_path / "state.json", [])
    s.change("read", {"a": True})
    s.change("read", {"b": True})
    bak = StateFile(tmp_path / "state.json.bak", []).entries("read")
    assert "a" in bak and "b" not in bak


def test_other_process_change_is_seen_and_not_overwritten(tmp_path):
    mine = StateFile(tmp_path / "state.json", [])
    other = StateFile(tmp_path / "state.json", [])
    mine.change("bookmark", {"x": True})
    other.change("read", {"y": True})  # other never re-read after mine wrote
    assert mine.refresh() is True
    assert mine.value("read", "y") is True
    final = StateFile(tmp_path / "state.json", [])
    assert final.value("bookmark", "x") is True and final.value("read", "y") is True


WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from store.state import StateFile
    path, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    s = StateFile(path, [])
    for i in range(count):
        s.change("bookmark" if i % 2 else "read", {{f"{{prefix}}-{{i}}": True}})
        print(f"{{prefix}}-{{i}}", flush=True)
    """
)


def _writer(tmp_path: Path) -> Path:
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(root=str(ROOT)))
    return script


@pytest.mark.parametrize("writers", [2, 4])
def test_concurrent_writers_lose_nothing(tmp_path, writers):
    script = _writer(tmp_path)
    per = 60
    procs = [
        subprocess.Popen([sys.executable, str(script), str(tmp_path / "state.json"), f"w{n}",
                          str(per)], stdout=subprocess.PIPE, text=True)
        for n in range(writers)
    ]
    for p in procs:
        p.communicate(timeout=120)
        assert p.returncode == 0
    s = StateFile(tmp_path / "state.json", [])
    for n in range(writers):
        for i in range(per):
            field = "bookmark" if i % 2 else "read"
            assert s.value(field, f"w{n}-{i}") is True, (n, i)


def test_killed_writer_never_loses_acknowledged_changes(tmp_path):
    script = _writer(tmp_path)
    path = tmp_path / "state.json"
    rng = random.Random(7)
    acknowledged: list[str] = []
    for round_ in range(20):
        proc = subprocess.Popen([sys.executable, str(script), str(path), f"k{round_}", "100000"],
                                stdout=subprocess.PIPE, text=True)
        time.sleep(0.15 + rng.random() * 0.25)
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        acknowledged.extend(out.split())
        notices: list[str] = []
        s = StateFile(path, notices)
        assert notices == [], notices  # loadable as it is, no recovery needed
        missing = [a for a in acknowledged
                   if s.value("bookmark" if int(a.split("-")[1]) % 2 else "read", a) is not True]
        assert missing == []
    assert len(acknowledged) > 20


DAMAGE = {
    "empty": b"",
    "truncated": b'{"read": {"1": {"a": [true, 1',
    "garbage": b"\x00\x01garbage",
    "nul-filled": b"\x00" * 64,
    "list": b"[]",
    "null": b"null",
    "wrong-types": b'{"read": [1, 2, 3]}',
    "invalid-utf8": b'{"read": {"1": {"\xff\xfe": [true, 1]}}}',
    "trailing-garbage": b'{"read": {"1": {}}} xx',
}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_state_restores_bak_with_a_message(tmp_path, kind):
    path = tmp_path / "state.json"
    s = StateFile(path, [])
    s.change("bookmark", {"keep-me": True})
    s.change("read", {"other": True})  # .bak now holds the bookmark
    path.write_bytes(DAMAGE[kind])
    notices: list[str] = []
    s2 = StateFile(path, notices)
    assert s2.value("bookmark", "keep-me") is True
    assert len(notices) == 1 and "restored" in notices[0] and "\n" not in notices[0]
    assert list(tmp_path.glob("state.json.corrupt-*")), "damaged copy must be kept"


def test_damaged_state_without_backup_is_not_silent(tmp_path):
    path = tmp_path / "state.json"
    path.write_bytes(b"{not json")
    notices: list[str] = []
    s = StateFile(path, notices)
    assert s.ids_where("bookmark") == []
    assert len(notices) == 1 and "unreadable" in notices[0]
    aside = list(tmp_path.glob("state.json.corrupt-*"))
    assert aside and aside[0].read_bytes() == b"{not json"


def test_atomic_write_replaces_whole_file(tmp_path):
    p = tmp_path / "f.json"
    atomic_write(p, b'{"t": {}}')
    atomic_write(p, b'{"t": {"1": {"a": 1}}}')
    assert load_json(p, []) == {"t": {"1": {"a": 1}}}
    assert not [x for x in os.listdir(tmp_path) if x.endswith(".tmp")]


def test_a_file_replaced_while_it_is_read_is_read_again(tmp_path, monkeypatch):
    """Another process replaces state.json between our read and our stat: the next change
    must still see its update (the signature is taken before the data, not after)."""
    import store.tinydb_storage as state_module  # where the state file is read

    path = tmp_path / "state.json"
    StateFile(path, []).change("read", {"a": True})
    other = StateFile(path, [])
    real = state_module.load_json

    def racing(p, notices):
        data = real(p, notices)  # the old file is read...
        other.change("bookmark", {"b": True})  # ...then the other process replaces it
        return data

    monkeypatch.setattr(state_module, "load_json", racing)
    mine = StateFile(path, [])
    monkeypatch.setattr(state_module, "load_json", real)
    mine.change("read", {"c": True})
    final = StateFile(path, [])
    assert final.value("bookmark", "b") is True and final.value("read", "c") is True


def test_a_failed_write_leaves_memory_as_the_disk_is(tmp_path, monkeypatch):
    """A write that fails (disk full, read-only) must not leave the change in memory,
    where the reader would show it as saved."""
    from store import storage
    from store.storage import StoreError

    s = StateFile(tmp_path / "state.json", [])
    s.change("bookmark", {"a": True})

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", full)
    with pytest.raises(StoreError):
        s.change("bookmark", {"b": True})
    assert s.value("bookmark", "b") is None and s.value("bookmark", "a") is True


def test_malformed_entries_are_reported_and_kept(tmp_path):
    path = tmp_path / "state.json"
    path.write_bytes(b'{"bookmark": {"1": {"x": true, "y": [true, 5]}}}')
    notices: list[str] = []
    s = StateFile(path, notices)
    assert s.value("bookmark", "y") is True
    assert len(notices) == 1 and "1 malformed record" in notices[0]
    kept = list(tmp_path.glob("state.json.malformed-*"))
    assert kept and kept[0].read_bytes() == path.read_bytes()


def test_malformed_entries_leave_the_file_at_the_next_write_and_are_said_once(tmp_path):
    path = tmp_path / "state.json"
    path.write_bytes(b'{"bookmark": {"1": {"x": true, "y": [true, 5]}}, "read": {"2": {"z": 1}}}')
    StateFile(path, []).change("read", {"a": True})
    notices: list[str] = []
    again = StateFile(path, notices)
    assert notices == []
    assert again.value("bookmark", "y") is True and again.value("read", "a") is True
    assert again.value("bookmark", "x") is None and again.value("read", "z") is None
