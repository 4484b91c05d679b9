"""Atomic, recoverable JSON files for TinyDB.

Every write goes to a temporary file in the same directory, is flushed and
fsynced, the previous version is kept as ``<name>.bak`` (a hard link, so the
real file never disappears), then ``os.replace`` swaps the new file in and the
directory is fsynced.  A process killed at any instant leaves either the old
or the new file behind, both loadable.

Reading a damaged file never raises: the file is moved aside as
``<name>.corrupt-<timestamp>``, the ``.bak`` is restored when it is loadable,
and a one-line notice is recorded for the user.
"""

from __future__ import annotations

import errno
import fcntl
import gc
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import repeat
from pathlib import Path

import orjson


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection while a burst of long-lived objects is made (loading rows):
    a collection would walk every row made so far, again and again (twice the time at
    55k papers).  Leaves the collector as it found it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class StoreError(Exception):
    """A problem the user must hear about, in one line."""


def fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes | list[bytes], *, backup: bool = True) -> None:
    """Replace ``path`` with ``data`` (bytes, or chunks written in order) so that a
    crash leaves the old file or the new one, never half of either."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{_writer()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                fh.writelines(data)
            fh.flush()
            os.fsync(fh.fileno())
        if backup and path.is_file() and not _same_file(path, path.with_name(path.name + ".bak")):
            bak_tmp = path.with_name(f".{path.name}.{_writer()}.baktmp")
            try:
                if bak_tmp.exists():
                    bak_tmp.unlink()
                os.link(path, bak_tmp)
            except OSError:
                shutil.copyfile(path, bak_tmp)
            os.replace(bak_tmp, path.with_name(path.name + ".bak"))
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from exc
    fsync_dir(path.parent)
    _sweep_stale(path)


def _same_file(a: Path, b: Path) -> bool:
    """True if ``a`` and ``b`` are one inode.  A writer killed between its two renames
    leaves ``.bak`` as a hard link of the file; the file is then already backed up, and
    renaming a link of it over ``.bak`` would do nothing (POSIX: rename() of two links to
    one file succeeds and leaves both names), so the ``.baktmp`` would stay behind."""
    try:
        sa, sb = os.stat(a), os.stat(b)
    except OSError:
        return False
    return sa.st_ino == sb.st_ino and sa.st_dev == sb.st_dev


STALE_AGE = 10.0  # seconds; a live writer's temporary file exists for milliseconds


def _start_time(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot, from /proc), or None
    where that cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
        return stat[stat.rindex(b")") + 2:].split()[19].decode()  # field 22, starttime
    except (OSError, ValueError, IndexError):
        return None


_writer_name: tuple[int, str] = (0, "")


def _writer() -> str:
    """This process as temporary files name it: its pid and, where /proc says, its start
    time, so a file left by a killed writer is known as such even once its pid is reused."""
    global _writer_name
    pid = os.getpid()
    if _writer_name[0] != pid:  # first use, or a forked child
        _writer_name = (pid, f"{pid}.{_start_time(pid) or 0}")
    return _writer_name[1]


def _sweep_stale(path: Path) -> None:
    """Delete temporary files of ``path`` left by writers killed mid-write (their
    process is gone, or its pid now belongs to a later process; and the file is older
    than ``STALE_AGE``)."""
    prefix = f".{path.name}."
    try:
        names = [n for n in os.listdir(path.parent)
                 if n.startswith(prefix) and n.endswith((".tmp", ".baktmp"))]
    except OSError:
        return
    for name in names:
        writer = name[len(prefix):].rsplit(".", 1)[0]
        pid, _, started = writer.partition(".")
        if not pid.isdigit() or writer == _writer() or (int(pid) == os.getpid() and not started):
            continue
        try:
            os.kill(int(pid), 0)
            # Alive: the writer, unless its number now belongs to a newer process.
            if started in ("", "0") or _start_time(int(pid)) in (None, started):
                continue
        except ProcessLookupError:
            pass
        except OSError:
            continue
        stale = path.with_name(name)
        try:
            if time.time() - stale.stat().st_mtime > STALE_AGE:
                stale.unlink()
        except OSError:
            pass


def keep_copy(path: Path) -> str:
    """Copy ``path`` aside (once per content) as ``<name>.malformed-<hash>`` before
    records the program cannot use are dropped from it; the copy's name, or ''."""
    try:
        import hashlib

        raw = Path(path).read_bytes()
        digest = hashlib.blake2b(raw, digest_size=4).hexdigest()
        copy = Path(path).with_name(f"{Path(path).name}.malformed-{digest}")
        if not copy.exists():
            atomic_write(copy, raw, backup=False)
        return copy.name
    except (OSError, StoreError):
        return ""


def malformed_notice(path: Path, count: int) -> str:
    """The one line saying ``count`` records of ``path`` were ignored (and kept aside)."""
    kept = keep_copy(path)
    records = "record" if count == 1 else "records"
    return (f"{Path(path).name} had {count} malformed {records}, ignored"
            + (f"; the file is kept as {kept}" if kept else ""))


def _valid(data: object) -> bool:
    """A TinyDB file is an object of tables, each an object of documents keyed by their
    integer ids (TinyDB cannot open another key)."""
    return isinstance(data, dict) and all(
        isinstance(t, dict) and all(map(isinstance, t.values(), repeat(dict)))
        and all(map(str.isdigit, t)) and "".join(t).isascii()
        for t in data.values()
    )


def load_json(path: Path, notices: list[str]) -> dict | None:
    """Load a TinyDB JSON file; recover from damage.  None means "no file yet"."""
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{path} is a directory, expected a file; move it away and retry")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raw = None
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if raw is not None:
        data = _decode(raw)
        if data is not None:
            return data
    bak = path.with_name(path.name + ".bak")
    if raw is None and not bak.is_file():
        return None
    aside = None
    if raw is not None:
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        n = 1
        while aside.exists():
            aside = aside.with_name(f"{aside.name}.{n}")
            n += 1
        try:
            os.replace(path, aside)
        except OSError:
            aside = None
    try:
        bak_data = _decode(bak.read_bytes()) if bak.is_file() else None
    except OSError:
        bak_data = None
    moved = f"; the damaged file is kept as {aside.name}" if aside else ""
    if bak_data is not None:
        try:
            atomic_write(path, orjson.dumps(bak_data), backup=False)
        except StoreError:
            pass
        what = "was damaged" if raw is not None else "was missing"
        notices.append(f"{path.name} {what}; restored the previous version from {bak.name}{moved}")
        return bak_data
    if raw is not None:
        notices.append(f"{path.name} was unreadable and has no usable backup; starting empty{moved}")
    return None


def _decode(raw: bytes) -> dict | None:
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark from a text editor
    if not raw.strip():
        return None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return data if _valid(data) else None


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``path`` (created if needed)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot lock {path}: {exc.strerror or exc}") from exc
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                break
            except OSError as exc:  # pragma: no cover - EINTR on signals
                if exc.errno != errno.EINTR:
                    raise
        yield
    finally:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def lock_busy(path: Path) -> bool:
    """True if a process holds ``file_lock(path)`` right now (this one included, when it
    holds it through another descriptor); False if not, or if that cannot be told."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
