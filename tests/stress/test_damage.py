"""Check 3: damaged, missing, unwritable state.json and corpus.json.

Each case either recovers (from ``.bak``, with one line saying so) or fails with one
clear line; never a traceback, never a silent loss of bookmarks."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import random
import shutil
import subprocess
from pathlib import Path

import orjson
import pytest

from .stresskit import PAPERS, Reader, reader_env, record

pytestmark = pytest.mark.stress

CHATTR = shutil.which("chattr")


# ---------------------------------------------------------------- the damage
def _truncate(frac: float):
    return lambda raw: raw[: max(1, int(len(raw) * frac))]


CONTENT = {  # name -> new bytes from the intact file's bytes
    "empty": lambda raw: b"",
    "blank": lambda raw: b"  \n\t\n",
    "truncated-1-byte": lambda raw: raw[:1],
    "truncated-25%": _truncate(0.25),
    "truncated-50%": _truncate(0.5),
    "truncated-last-byte": lambda raw: raw[:-1],
    "nul-filled": lambda raw: b"\x00" * len(raw),
    "nul-tail": lambda raw: raw[: len(raw) // 2] + b"\x00" * (len(raw) - len(raw) // 2),
    "trailing-garbage": lambda raw: raw + b"\n}garbage\x00",
    "two-documents": lambda raw: raw + raw,
    "list": lambda raw: b"[]",
    "null": lambda raw: b"null",
    "number": lambda raw: b"42",
    "string": lambda raw: b'"state"',
    "invalid-utf8": lambda raw: raw.replace(b'"', b'"\xff\xfe', 1),
    "utf8-bom": lambda raw: b"\xef\xbb\xbf" + raw,
    "deep-nesting": lambda raw: b"[" * 200_000 + b"]" * 200_000,
    "random-bytes": lambda raw: random.Random(3).randbytes(len(raw)),
}
WRONG_TYPES = {
    "state.json": [b'{"read": [1, 2, 3], "bookmark": {}}',
                   b'{"bookmark": {"1": "yes"}}'],
    "corpus.json": [b'{"papers": [1, 2], "days": {}}',
                    b'{"papers": {"1": 5}}'],
}


def _wrong_entries(raw: bytes, target: str) -> bytes:
    """Valid JSON of the right outline whose entries have the wrong shape."""
    data = orjson.loads(raw)
    if target == "state.json":
        for doc in data["bookmark"].values():
            for key in doc:
                doc[key] = True  # was [True, changed_at]
    else:
        for doc in data["days"].values():
            doc["ids"] = ",".join(doc["ids"])  # was a list
    return orjson.dumps(data)


# ---------------------------------------------------------------- running the CLI
def papers(*argv: str) -> tuple[int | str, str, str]:
    """``papers ARGV`` in-process: (exit code, or "traceback"; stdout; stderr)."""
    from tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc: int | str = main(list(argv))
        except SystemExit as exc:
            rc = exc.code if isinstance(exc.code, int) else 1
        except BaseException as exc:  # noqa: BLE001 - the very thing counted
            rc = f"traceback: {type(exc).__name__}: {exc}"
    return rc, out.getvalue(), err.getvalue()


def bookmarks(home: Path) -> tuple[int | str, set[str] | None, list[str]]:
    rc, out, err = papers("--home", str(home), "list", "--bookmarked", "--json")
    ids = {p["id"] for p in orjson.loads(out)} if rc == 0 else None
    return rc, ids, err.splitlines()


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[Path, set[str]]:
    """A data directory imported twice (so corpus.json has a .bak) with three bookmarks
    that are in both state.json and state.json.bak."""
    from store.db import SAMPLE_DIR, Store

    home = tmp_path_factory.mktemp("damage") / "home"
    extra = home.parent / "2024-07-01.md"
    extra.write_text("## Daily Papers (2024-07-01)\n\n### [Extra](https://arxiv.org/abs/2407.00001)"
                     "\n\nVote: 1\n\nAuthors: A\n\n- **What's New**: 새 논문.\n")
    store = Store.open(home, sample=False)
    store.import_paths(sorted(SAMPLE_DIR.glob("20*.md")))
    store.import_paths([extra])  # corpus.json.bak: the sample, with every bookmark
    ids = store.ids()
    marked = {ids[0], ids[5], ids[40]}
    store.set_bookmarked(sorted(marked), True)
    store.set_read([ids[1]], True)
    assert (home / "corpus.json.bak").is_file() and (home / "state.json.bak").is_file()
    return home, marked


class Outcome:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def add(self, case: str, kind: str, detail: str = "") -> None:
        self.rows.append((case, kind, detail))

    def count(self, kind: str) -> int:
        return sum(1 for _, k, _ in self.rows if k == kind)

    def bad(self) -> list[tuple[str, str, str]]:
        return [r for r in self.rows if r[1] in ("traceback", "silent-loss", "not-one-line",
                                                 "lost")]


def judge(outcome: Outcome, case: str, home: Path, marked: set[str], *,
          backup: bool = True) -> None:
    """Run ``papers list --bookmarked`` on the damaged directory and classify."""
    rc, ids, err = bookmarks(home)
    if isinstance(rc, str):
        outcome.add(case, "traceback", rc)
        return
    if len(err) > 1 or any("Traceback" in line for line in err):
        outcome.add(case, "not-one-line", " | ".join(err))
        return
    if rc != 0:
        if not (err and err[0].startswith("papers: ")):
            outcome.add(case, "not-one-line", f"exit {rc} without a message")
        else:
            outcome.add(case, "error", err[0])
        return
    if ids == marked:
        outcome.add(case, "recovered" if err else "intact", err[0] if err else "")
    elif err:  # told: allowed where there was no usable backup or the data is kept aside
        outcome.add(case, "reported" if not backup or "kept as" in err[0] else "lost", err[0])
    else:
        outcome.add(case, "silent-loss", f"bookmarks {sorted(ids or ())}")
        return
    # recovery sticks: the next run says nothing more and a change goes through
    rc2, _, err2 = papers("--home", str(home), "mark", min(marked), "--bookmark")
    rc3, ids3, err3 = bookmarks(home)
    repeated = err2.splitlines() in ([], err[:1])  # said again until the next write
    if rc2 != 0 or rc3 != 0 or not repeated or err3 or (ids == marked and ids3 != marked):
        outcome.add(case, "lost", f"after recovery: {rc2} {rc3} {err2.strip()} {err3} {ids3}")


@contextlib.contextmanager
def immutable(path: Path):
    subprocess.run([CHATTR, "+i", str(path)], check=True)
    try:
        yield
    finally:
        subprocess.run([CHATTR, "-i", str(path)], check=True)


def _chattr_works(tmp: Path) -> bool:
    if CHATTR is None:
        return False
    probe = tmp / "chattr-probe"
    probe.write_text("x")
    ok = subprocess.run([CHATTR, "+i", str(probe)], capture_output=True,
                        check=False).returncode == 0
    if ok:
        subprocess.run([CHATTR, "-i", str(probe)], check=True)
    return ok


class _FullDisk:
    """A file object whose writes fail with ENOSPC after a few bytes went through."""

    def __init__(self, real):
        self.real = real

    def write(self, data):
        self.real.write(bytes(data)[:7])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def writelines(self, chunks):
        for chunk in chunks:
            self.write(chunk)

    def __getattr__(self, name):
        return getattr(self.real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()


# ---------------------------------------------------------------- the check
def test_damaged_files_recover_or_fail_in_one_line(base, tmp_path, monkeypatch):
    from store import storage

    src, marked = base
    outcome = Outcome()
    skipped: list[str] = []

    def fresh(name: str) -> Path:
        home = tmp_path / name
        shutil.copytree(src, home, symlinks=True)
        return home

    # content damage, both files
    for target in ("state.json", "corpus.json"):
        variants = dict(CONTENT)
        for i, blob in enumerate(WRONG_TYPES[target]):
            variants[f"wrong-types-{i + 1}"] = lambda raw, blob=blob: blob
        variants["wrong-entry-shapes"] = lambda raw, target=target: _wrong_entries(raw, target)
        for name, damage in variants.items():
            home = fresh(f"{target}-{name}")
            path = home / target
            path.write_bytes(damage(path.read_bytes()))
            judge(outcome, f"{target} {name}", home, marked)

    # the file missing, its .bak intact
    for target in ("state.json", "corpus.json"):
        home = fresh(f"{target}-missing")
        (home / target).unlink()
        judge(outcome, f"{target} missing (bak present)", home, marked)

    # the file and its backup both damaged: a loss, but said
    for target in ("state.json", "corpus.json"):
        home = fresh(f"{target}-both")
        (home / target).write_bytes(b"{garbage")
        (home / f"{target}.bak").write_bytes(b"")
        judge(outcome, f"{target} and .bak damaged", home, marked, backup=False)

    # a directory where the file should be
    for target in ("state.json", "corpus.json"):
        home = fresh(f"{target}-dir")
        (home / target).unlink()
        (home / target).mkdir()
        judge(outcome, f"{target} is a directory", home, marked)

    # a symlink loop
    home = fresh("state-loop")
    (home / "state.json").unlink()
    (home / "state.json").symlink_to("state.json")
    judge(outcome, "state.json symlink loop", home, marked)

    # the data directory is a file
    home = tmp_path / "home-is-a-file"
    home.write_text("not a directory")
    rc, _, err = papers("--home", str(home), "days")
    ok = rc == 1 and len(err.splitlines()) == 1 and err.startswith("papers: ")
    outcome.add("data directory is a file", "error" if ok else "not-one-line", err.strip())

    # unreadable (as root, permissions do not stop reads: simulated)
    home = fresh("state-unreadable")
    real_read = Path.read_bytes

    def denied(self):
        if self.name == "state.json":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_read(self)

    with monkeypatch.context() as m:
        m.setattr(Path, "read_bytes", denied)
        judge(outcome, "state.json unreadable (simulated EACCES)", home, marked)

    # disk full while writing (simulated: every write fails with ENOSPC)
    home = fresh("disk-full")
    victim = min(marked)
    real_open = open

    def full_disk(p, mode="r", *a, **k):
        fh = real_open(p, mode, *a, **k)
        return _FullDisk(fh) if "w" in mode else fh

    with monkeypatch.context() as m:
        m.setattr(storage, "open", full_disk, raising=False)
        rc, _, err = papers("--home", str(home), "mark", victim, "--unbookmark")
    _one_line_error(outcome, "disk full on write (simulated ENOSPC)", rc, err, home, marked)

    # no write permission: an immutable file, an immutable directory
    if _chattr_works(tmp_path):
        home = fresh("immutable-file")
        with immutable(home / "state.json"):
            rc, _, err = papers("--home", str(home), "mark", victim, "--unbookmark")
        _one_line_error(outcome, "state.json not writable (chattr +i)", rc, err, home, marked)
        home = fresh("immutable-dir")
        with immutable(home):
            rc, _, err = papers("--home", str(home), "mark", victim, "--unbookmark")
        _one_line_error(outcome, "data directory not writable (chattr +i)", rc, err, home,
                        marked)
    else:
        skipped.append("no write permission (chattr unavailable; root ignores modes)")

    # a really full disk: a tiny tmpfs
    full = _tiny_tmpfs(tmp_path / "tmpfs")
    if full is not None:
        try:
            home = full / "home"
            shutil.copytree(src, home)
            filler = full / "filler"
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
            try:
                while os.write(fd, b"\0" * 1024):
                    pass
            except OSError:
                pass
            finally:
                os.close(fd)
            proc = subprocess.run([str(PAPERS), "--home", str(home), "mark", victim,
                                   "--unbookmark"], capture_output=True, text=True, check=False)
            _one_line_error(outcome, "disk full on write (tiny tmpfs, filled)", proc.returncode,
                            proc.stderr, home, marked)
        finally:
            subprocess.run(["umount", str(full)], check=False)
    else:
        skipped.append("real full disk (cannot mount a tmpfs here)")

    counts = {k: outcome.count(k) for k in ("recovered", "intact", "reported", "error")}
    bad = outcome.bad()
    record("3 broken files",
           f"{len(outcome.rows)} cases: {counts['recovered']} recovered with a one-line notice, "
           f"{counts['error']} clear one-line errors, {counts['reported']} losses reported "
           f"(no usable backup, or the damaged file kept), {counts['intact']} read as intact; "
           f"{outcome.count('traceback')} tracebacks, {outcome.count('silent-loss')} silent "
           f"losses, {len(bad)} failures" + (f"; skipped: {'; '.join(skipped)}" if skipped
                                              else ""))
    for row in outcome.rows:
        print(" | ".join(row))
    assert not bad, bad
    assert len(outcome.rows) >= 40


def _one_line_error(outcome: Outcome, case: str, rc, err: str, home: Path,
                    marked: set[str]) -> None:
    lines = err.splitlines()
    if isinstance(rc, str):
        outcome.add(case, "traceback", rc)
    elif rc == 0 or len(lines) != 1 or not lines[0].startswith("papers: "):
        outcome.add(case, "not-one-line", f"exit {rc}: {' | '.join(lines)}")
    else:
        _, ids, err2 = bookmarks(home)  # the failed write changed nothing
        leftovers = [p.name for p in home.iterdir() if p.name.endswith(".tmp")]
        if ids != marked or err2 or leftovers:
            outcome.add(case, "lost", f"after the error: {ids} {err2} {leftovers}")
        else:
            outcome.add(case, "error", lines[0])


def _tiny_tmpfs(where: Path) -> Path | None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return None
    where.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
                          capture_output=True, check=False)
    return where if proc.returncode == 0 else None


def test_the_reader_with_broken_files(base, tmp_path):
    """The reader says what it recovered, survives an unwritable state file (the key
    reports the error, the screen keeps the truth) and refuses a directory in one line."""
    from store.db import Store

    src, _ = base
    results = []

    # damaged state.json: the reader opens on the .bak and says so
    home = tmp_path / "damaged"
    shutil.copytree(src, home)
    (home / "state.json").write_bytes(b'{"read": {"1": {"x": [tr')
    with Reader(home, 120, 40) as reader:
        told = reader.wait_text("restored the previous", timeout=15)
        reader.send("q")
        status = reader.wait_exit()
    ok = told and status == 0 and Store.open(home).state.ids_where("bookmark") != []
    results.append(("damaged state.json", ok))

    # state.json that cannot be written: the reader opens, `b` reports, nothing changes
    if _chattr_works(tmp_path):
        home = tmp_path / "immutable"
        shutil.copytree(src, home)
        before = (home / "state.json").read_bytes()
        with immutable(home / "state.json"), Reader(home, 120, 40) as reader:
            opened = reader.wait_text("Days", timeout=15)
            reader.settle(0.3)
            reader.send("b")
            said = reader.wait_text("Not saved", timeout=10)
            stars = reader.screen.text().count("★")
            reader.send("q")
            status = reader.wait_exit()
        ok = (opened and said and status == 0 and b"Traceback" not in reader.out
              and (home / "state.json").read_bytes() == before
              and stars == reader_stars_expected(home))
        results.append(("unwritable state.json", ok))

    # a directory where state.json should be: one line, exit 1, before any screen
    home = tmp_path / "directory"
    shutil.copytree(src, home)
    (home / "state.json").unlink()
    (home / "state.json").mkdir()
    proc = subprocess.run([str(PAPERS)], env=reader_env(home), capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL, check=False)
    results.append(("state.json is a directory",
                    proc.returncode == 1 and len(proc.stderr.splitlines()) == 1
                    and "is a directory" in proc.stderr))
    good = sum(ok for _, ok in results)
    record("3b reader with broken files",
           f"{good}/{len(results)} handled ({', '.join(n for n, _ in results)}); 0 tracebacks"
           if good == len(results) else
           f"{good}/{len(results)} handled; failed: {[n for n, ok in results if not ok]}")
    assert good == len(results), results


def reader_stars_expected(home: Path) -> int:
    """How many ★ the first screen should show: the newest day's bookmarked papers, plus
    the detail pane's legend if the highlighted (first by votes) paper is bookmarked."""
    from store.db import Store

    store = Store.open(home, sample=False)
    papers = store.day_papers(store.days()[0].date)
    first = max(papers, key=lambda p: p.votes if p.votes is not None else -1)
    return sum(store.is_bookmarked(p.id) for p in papers) + store.is_bookmarked(first.id)
