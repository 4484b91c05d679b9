"""``papers update``: bring the digest repository up to date with the system ``git``,
then import what changed under its ``paper_logs/``.

The first run makes a shallow clone in the data directory (``upstream/``); later runs
fetch the upstream head and move the clone there.  The importer skips unchanged files
by content hash, so only new and changed day files are parsed.

The upstream is untrusted data.  Nothing from it runs: every git call gets an isolated
configuration (no system or global config, so no filter or credential helper; hooks
pointed at /dev/null; no submodules; only the https, http, ssh, git and file transports;
no prompts).  Only regular ``*.md`` files inside the clone's ``paper_logs/`` are read:
symbolic links (of files or folders), FIFOs, devices and files over ``MAX_FILE_BYTES``
are refused with a warning, and the parser's own limits apply to what is read.

Every failure is one ``UpdateError`` line, raised before the corpus is touched: the
corpus and the reader state stay byte-identical.  (The clone itself may have moved to
the new head when the import is what failed; the next run imports from it, since the
importer compares content, not commits.)
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from .storage import StoreError, atomic_write, file_lock

if TYPE_CHECKING:
    from .db import Store
    from .importer import ImportReport

DEFAULT_SOURCE = "https://github.com/l-yohai/daily_papers_ko"
CLONE_DIR = "upstream"          # the clone, in the data directory
SOURCE_FILE = "upstream.json"   # the remembered source
LOCK_FILE = "upstream.lock"     # one update at a time
LOGS = "paper_logs"
MAX_FILE_BYTES = 8 * 1024 * 1024  # a day file is ~30 KB (the largest so far 118 KB)
GIT_TIMEOUT = 900.0             # seconds for one git call (a stalled transfer also
                                # ends on http.lowSpeedTime below)

# Passed as ``-c`` to every git call (after the environment has dropped the system and
# global configuration): nothing the repository or the machine configures runs.
SAFE_CONFIG = (
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "core.askPass=",
    "credential.helper=",
    "protocol.allow=never",
    "protocol.https.allow=always",
    "protocol.http.allow=always",
    "protocol.ssh.allow=always",
    "protocol.git.allow=always",
    "protocol.file.allow=always",
    "submodule.recurse=false",
    "fetch.recurseSubmodules=false",
    "transfer.fsckObjects=true",
    "http.lowSpeedLimit=1000",
    "http.lowSpeedTime=60",
    "advice.detachedHead=false",
    "gc.auto=0",
)

Progress = Callable[[str, int, "int | None"], None]  # (phase, done, total or None)


class UpdateError(StoreError):
    """Why the update did not happen, in one line."""


@dataclass(slots=True)
class UpdateReport:
    source: str
    cloned: bool = False            # True on the first run
    head: str = ""                  # the commit imported
    days_added: list[str] = field(default_factory=list)
    days_changed: list[str] = field(default_factory=list)
    papers_added: int = 0
    refused: list[str] = field(default_factory=list)  # files not read, and why
    imported: ImportReport | None = None

    @property
    def anything_new(self) -> bool:
        return bool(self.days_added or self.days_changed or self.papers_added)

    def counts(self) -> str:
        """``1 day added, 0 changed, 21 papers added`` (or ``no new days``)."""
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        if not self.anything_new:
            return "no new days"
        return (f"{n(len(self.days_added), 'day')} added, {len(self.days_changed)} changed, "
                f"{n(self.papers_added, 'paper')} added")

    def summary(self) -> str:
        if not self.anything_new:
            return f"up to date with {self.source} (no new days)"
        return f"updated from {self.source}: {self.counts()}"


# ---------------------------------------------------------------- git, safely
def git_env() -> dict[str, str]:
    """The environment of every git call: no inherited ``GIT_*`` (a ``GIT_DIR`` or
    ``GIT_CONFIG_PARAMETERS`` of the caller must not steer it), no system or global
    configuration, no prompts, plain C messages."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GIT_") and k not in ("SSH_ASKPASS", "LC_ALL", "LANGUAGE")}
    env.update({
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "",
        "GIT_SSH_COMMAND": "ssh -o BatchMode=yes -o ConnectTimeout=30",
        "GIT_PROTOCOL_FROM_USER": "0",
        "GIT_ALLOW_PROTOCOL": "https:http:ssh:git:file",
        "GIT_LFS_SKIP_SMUDGE": "1",
        "LC_ALL": "C",
    })
    return env


def git_binary() -> str:
    path = shutil.which("git")
    if not path:
        raise UpdateError("git is not installed (papers update needs it): install git first")
    return path


def _last_line(text: str) -> str:
    """git's most telling line (its first ``fatal:``/``error:``), printable and short."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for prefix in ("fatal:", "error:"):
        for ln in lines:
            if ln.lower().startswith(prefix):
                return _printable(ln.split(":", 1)[1].strip())[:300]
    return _printable(lines[-1])[:300] if lines else "no message"


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)


def git(args: list[str], *, cwd: Path | None = None, what: str) -> str:
    """Run ``git -c SAFE... args``; its stdout, or UpdateError(``what: reason``)."""
    argv = [git_binary()]
    for option in SAFE_CONFIG:
        argv += ["-c", option]
    argv += args
    try:
        proc = subprocess.run(argv, cwd=cwd, env=git_env(), stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise UpdateError(f"{what}: git took longer than {GIT_TIMEOUT:.0f} s") from None
    except OSError as exc:
        raise UpdateError(f"{what}: cannot run git ({exc.strerror or exc})") from None
    if proc.returncode != 0:
        reason = _last_line(proc.stderr.decode("utf-8", "replace"))
        raise UpdateError(f"{what}: {reason}")
    return proc.stdout.decode("utf-8", "replace")


def source_url(source: str) -> tuple[str, str]:
    """(a URL git can fetch shallowly, the source as remembered): a local folder becomes
    ``file://`` (and is remembered as an absolute path)."""
    source = source.strip()
    if not source:
        raise UpdateError("the update source is empty")
    if source.startswith("-"):
        raise UpdateError(f"not a repository address: {_printable(source)}")
    if "://" in source or (":" in source.split("/", 1)[0] and not os.path.exists(source)):
        return source, source  # a URL, or scp-like user@host:path
    path = Path(source).expanduser()
    if not path.exists():
        raise UpdateError(f"no such repository: {_printable(source)}")
    path = path.resolve()
    return path.as_uri(), str(path)


# ---------------------------------------------------------------- the remembered source
def remembered_source(home: Path) -> str | None:
    try:
        data = orjson.loads((Path(home) / SOURCE_FILE).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    value = data.get("source") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else None


def remember_source(home: Path, source: str) -> None:
    atomic_write(Path(home) / SOURCE_FILE, orjson.dumps({"source": source}), backup=False)


# ---------------------------------------------------------------- what may be read
def digest_files(clone: Path, refused: list[str], max_bytes: int = MAX_FILE_BYTES
                 ) -> list[Path]:
    """The regular ``*.md`` files under ``clone/paper_logs`` (never following a link),
    each at most ``max_bytes``; what is refused is said in ``refused``."""
    logs = clone / LOGS
    try:
        st = os.lstat(logs)
    except OSError:
        st = None
    if st is None or not stat.S_ISDIR(st.st_mode):
        raise UpdateError(f"not a digest repository (no {LOGS}/ folder)")
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(logs, followlinks=False):
        here = Path(dirpath)
        for name in list(dirnames):
            if (here / name).is_symlink():  # os.walk lists it but does not enter it
                refused.append(f"{_rel(here / name, clone)}: a symbolic link (not followed)")
                dirnames.remove(name)
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".md"):
                continue
            path = here / name
            try:
                st = os.lstat(path)
            except OSError as exc:
                refused.append(f"{_rel(path, clone)}: cannot read ({exc.strerror or exc})")
                continue
            if stat.S_ISLNK(st.st_mode):
                refused.append(f"{_rel(path, clone)}: a symbolic link (not followed)")
            elif not stat.S_ISREG(st.st_mode):
                refused.append(f"{_rel(path, clone)}: not a regular file")
            elif st.st_size > max_bytes:
                refused.append(f"{_rel(path, clone)}: {st.st_size:,} bytes, over the "
                               f"{max_bytes:,}-byte limit for a day file")
            else:
                found.append(path)
    return found


def _rel(path: Path, clone: Path) -> str:
    try:
        return _printable(str(path.relative_to(clone)))
    except ValueError:
        return _printable(str(path))


# ---------------------------------------------------------------- the update
def _clone(url: str, home: Path, clone: Path, progress: Progress | None) -> None:
    tmp = home / f".{CLONE_DIR}.new"
    shutil.rmtree(tmp, ignore_errors=True)
    if progress:
        progress("fetch", 0, None)
    try:
        git(["clone", "--quiet", "--depth", "1", "--no-tags", "--single-branch",
             "--no-recurse-submodules", "--template=", "--", url, str(tmp)],
            what=f"cannot clone {_printable(url)}")
        try:  # not a digest repository: said before anything is kept
            digest_files(tmp, [])
        except UpdateError:
            raise UpdateError(f"not a digest repository: {_printable(url)} has no {LOGS}/ "
                              "folder") from None
        if clone.exists() or clone.is_symlink():
            _remove(clone)
        os.replace(tmp, clone)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink()
    else:
        shutil.rmtree(path)


def _fetch(url: str, clone: Path, progress: Progress | None) -> None:
    if progress:
        progress("fetch", 0, None)
    for stale in (clone / ".git").glob("*.lock"):  # left by a git killed mid-way (we hold
        stale.unlink(missing_ok=True)              # the update lock: no other git runs here)
    what = f"cannot fetch {_printable(url)}"
    git(["fetch", "--quiet", "--depth", "1", "--no-tags", "--no-recurse-submodules",
         "--end-of-options", url, "HEAD"], cwd=clone, what=what)
    head = git(["rev-parse", "--verify", "--quiet", "FETCH_HEAD^{commit}"], cwd=clone,
               what=what).strip()
    entry = git(["ls-tree", "--end-of-options", head, LOGS], cwd=clone, what=what).split()
    if entry[1:2] != ["tree"]:  # "040000 tree <id>\tpaper_logs", or nothing
        raise UpdateError(f"not a digest repository: {_printable(url)} has no {LOGS}/ folder")
    git(["reset", "--quiet", "--hard", head], cwd=clone, what=f"cannot check out {head[:12]}")


def _is_clone(clone: Path) -> bool:
    return not clone.is_symlink() and (clone / ".git").is_dir()


def run_update(
    store: Store,
    source: str | None = None,
    progress: Progress | None = None,
    *,
    max_file_bytes: int = MAX_FILE_BYTES,
) -> UpdateReport:
    """Clone or fetch ``source`` (else the remembered one, else ``DEFAULT_SOURCE``) and
    import what changed.  Raises ``UpdateError`` with the corpus untouched."""
    home = store.home
    url, chosen = source_url(source or remembered_source(home) or DEFAULT_SOURCE)
    report = UpdateReport(source=_printable(chosen))
    clone = home / CLONE_DIR
    git_binary()
    with file_lock(home / LOCK_FILE):
        shutil.rmtree(home / f".{CLONE_DIR}.new", ignore_errors=True)  # a killed first clone
        if _is_clone(clone):
            _fetch(url, clone, progress)
        else:
            _clone(url, home, clone, progress)
            report.cloned = True
        report.head = git(["rev-parse", "HEAD"], cwd=clone, what="cannot read the clone").strip()
        files = digest_files(clone, report.refused, max_file_bytes)
        if not files:
            raise UpdateError(f"not a digest repository: no day files under {LOGS}/")
        before = _day_hashes(store)
        parse = (lambda done, total: progress("parse", done, total)) if progress else None
        phase = (lambda name: progress(name, 0, None)) if progress else None
        report.imported = store.import_paths(files, parse, phase=phase)
        after = _day_hashes(store)
        report.days_added = sorted(d for d in after if d not in before)
        report.days_changed = sorted(d for d in after if d in before and after[d] != before[d])
        report.papers_added = report.imported.added
        if source or remembered_source(home) is None:
            remember_source(home, chosen)
    return report


def _day_hashes(store: Store) -> dict[str, tuple]:
    """date -> (its ids, the content hash of the file it came from)."""
    corpus = store.corpus
    out = {}
    for date, day in corpus.days.items():
        known = corpus.files.get(day.get("source", ""), {})
        out[date] = (tuple(day["ids"]), known.get("hash"))
    return out
