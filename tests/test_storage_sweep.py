"""Temporary files of writers killed mid-write are swept by the next write, even when
the killed writer's pid has since been given to another process."""

from __future__ import annotations

import os
import sys
import time

import pytest

from store import storage
from store.storage import atomic_write

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def old(path):
    path.write_bytes(b"half")
    os.utime(path, (time.time() - 60, time.time() - 60))
    return path


def test_a_temp_file_whose_pid_was_reused_is_swept(tmp_path):
    live = os.getppid()  # alive, and not the writer that named this file
    started = storage._start_time(live)
    target = tmp_path / "state.json"
    reused = old(tmp_path / f".state.json.{live}.{int(started) + 1}.tmp")
    gone = old(tmp_path / ".state.json.999999999.123.baktmp")
    atomic_write(target, b"{}")
    assert not reused.exists() and not gone.exists()


def test_a_live_writers_temp_file_is_kept(tmp_path):
    live = os.getppid()
    target = tmp_path / "state.json"
    same = old(tmp_path / f".state.json.{live}.{storage._start_time(live)}.tmp")
    unnamed = old(tmp_path / f".state.json.{live}.tmp")  # older naming: the pid alone
    atomic_write(target, b"{}")
    assert same.exists() and unnamed.exists()


def test_our_own_temp_files_are_named_after_this_process(tmp_path, monkeypatch):
    names = []
    real_replace = os.replace

    def spy(src, dst):
        names.append(os.path.basename(src))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    atomic_write(tmp_path / "x.json", b"1")
    atomic_write(tmp_path / "x.json", b"2")
    me = f"{os.getpid()}.{storage._start_time(os.getpid())}"
    assert f".x.json.{me}.tmp" in names and f".x.json.{me}.baktmp" in names


def _killed_between_the_two_renames(target):
    """A writer SIGKILLed after it renamed its ``.baktmp`` to ``.bak`` and before it
    renamed its ``.tmp`` over the file: ``.bak`` and the file are then one inode."""
    import signal

    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            real_replace = os.replace

            def replace(src, dst):
                if os.fspath(dst) == os.fspath(target):
                    os.kill(os.getpid(), signal.SIGKILL)
                real_replace(src, dst)

            os.replace = replace
            atomic_write(target, b'{"v": 3}')
        finally:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def test_a_write_after_a_writer_killed_between_its_renames_leaves_no_temp_file(tmp_path):
    target = tmp_path / "state.json"
    atomic_write(target, b'{"v": 1}')
    atomic_write(target, b'{"v": 2}')
    _killed_between_the_two_renames(target)
    bak = tmp_path / "state.json.bak"
    assert os.path.samefile(target, bak)  # the interleaving this test is about
    for p in tmp_path.iterdir():  # the killed writer's .tmp, old enough to be swept
        os.utime(p, (time.time() - 60, time.time() - 60))
    atomic_write(target, b'{"v": 4}')
    litter = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(("tmp",)))
    assert litter == []
    assert target.read_bytes() == b'{"v": 4}' and bak.read_bytes() == b'{"v": 2}'
    assert not os.path.samefile(target, bak)
