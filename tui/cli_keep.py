"""The CLI's keep commands: notes, tags, exports, statistics and the reader state's
export and merge (``papers note/tag/tags/export/stats/state``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import orjson

from .cli_output import CliError, display_width, known, print_json, print_table, write_out

if TYPE_CHECKING:
    import argparse

    from store.db import Store


def edit_text(initial: str, name: str = "note") -> str:
    """``initial`` in $EDITOR (else $VISUAL, else vi/nano) on a temporary file; the text
    saved.  No shell: the command is ``shlex.split($EDITOR) + [file]``."""
    import shlex
    import shutil
    import subprocess
    import tempfile

    command = os.environ.get("EDITOR") or os.environ.get("VISUAL")
    try:
        argv = shlex.split(command) if command else []
    except ValueError as exc:
        raise CliError(f"cannot read $EDITOR ({exc})") from None
    if not argv:
        fallback = shutil.which("vi") or shutil.which("nano")
        if not fallback:
            raise CliError("no editor: set $EDITOR")
        argv = [fallback]
    fd, path = tempfile.mkstemp(prefix=f"papers-{name}-", suffix=".md")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(initial)
        try:
            proc = subprocess.run([*argv, path], check=False)  # its status is read below
        except OSError as exc:
            raise CliError(f"cannot run editor {argv[0]}: {exc.strerror or exc}") from None
        if proc.returncode != 0:
            raise CliError(f"editor exited with status {proc.returncode}; {name} unchanged")
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass


def cmd_note(store: Store, args: argparse.Namespace) -> int:
    known(store, [args.id])
    current = store.note(args.id)
    if args.set is None and not args.edit:
        if current:
            write_out(current + "\n")
        return 0
    if args.edit:
        from store.sync import normalize_note

        text = edit_text(current + "\n" if current else "")
        if normalize_note(text) == current:
            print(f"note for {args.id} unchanged")
            return 0
    else:
        text = args.set
    kept = store.set_note(args.id, text)
    print(f"note for {args.id} {'saved' if kept else 'removed' if current else 'empty'}")
    return 0


def _split_tags(values: Sequence[str] | None) -> list[str]:
    return [t for v in values or () for t in v.split(",")]


def cmd_tag(store: Store, args: argparse.Namespace) -> int:
    known(store, args.ids)
    add, remove = _split_tags(args.add), _split_tags(args.remove)
    for pid in args.ids:
        tags = store.edit_tags(pid, add, remove) if add or remove else store.tags(pid)
        print(f"{pid}: {', '.join(tags) if tags else '(no tags)'}")
    return 0


def cmd_tags(store: Store, args: argparse.Namespace) -> int:
    tags = store.all_tags()
    if args.json:
        print_json([{"tag": t, "papers": n} for t, n in tags])
    elif tags:
        print_table(["PAPERS", "TAG"], [[str(n), t] for t, n in tags])
    return 0


EXPORT_SUFFIXES = {".bib": "bibtex", ".bibtex": "bibtex", ".md": "markdown",
                   ".markdown": "markdown", ".csv": "csv", ".json": "json"}


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    from pathlib import Path

    from store.export import render

    fmt = args.format
    if fmt is None:
        fmt = EXPORT_SUFFIXES.get(Path(args.output).suffix.lower()) if args.output else None
        if fmt is None:
            raise CliError("choose a format: --format bibtex|markdown|csv|json")
    if args.ids:
        known(store, args.ids)
    for day in args.day or ():
        if not store.day_ids(day):
            raise CliError(f"no digest for day {day}")
    selection = store.export_set(ids=args.ids, days=args.day, bookmarked=args.bookmarked,
                                 tag=args.tag)
    count = len(selection)
    if not count:
        raise CliError("no papers to export (nothing matches the filters)")
    text = render(fmt, selection)
    if args.output in (None, "-"):
        write_out(text)
        return 0
    from store.storage import atomic_write

    atomic_write(Path(args.output), text.encode("utf-8"), backup=False)
    print(f"exported {count} paper{'s' if count != 1 else ''} as {fmt} to {args.output}")
    return 0


def cmd_stats(store: Store, args: argparse.Namespace) -> int:
    from store.stats import bar, sparkline

    st = store.stats(args.since, args.until)
    if args.json:
        print_json(st.to_json())
        return 0
    if not st.days:
        raise CliError("no days in that range")
    from store.words import plural

    out = [(f"{st.first_day} .. {st.last_day}: {plural(st.days, 'day')}, "
            f"{plural(st.papers, 'paper')}; "
            f"read {st.read}, unread {st.unread}, bookmarked {st.bookmarked}"), ""]
    counts = [n for _, n in st.per_day]
    out.append(f"Papers per day   {sparkline(counts, 60)}")
    out.append(f"                 min {min(counts)}, max {max(counts)}, "
               f"mean {sum(counts) / len(counts):.1f}")
    out += ["", "Votes" + (f" (median {st.votes_median:g}, mean {st.votes_mean:g}, "
                           f"max {st.votes_max})" if st.votes_max is not None else "")]
    top = max((n for _, n in st.votes), default=0)
    for label, n in st.votes:
        out.append(f"  {label:<9}{n:>6}  {bar(n, top, 40)}".rstrip())
    if st.authors:
        out += ["", "Most frequent authors"]
        width = max(display_width(a) for a, _ in st.authors)
        top = st.authors[0][1]
        for a, n in st.authors:
            out.append(f"  {a}{' ' * (width - display_width(a))}{n:>5}  {bar(n, top, 20)}")
    out += ["", "Reading progress by month", "  MONTH     PAPERS   READ  BOOKMARKED  UNREAD"]
    for m in st.progress:
        out.append(f"  {m.month}  {m.papers:>7}{m.read:>7}{m.bookmarked:>12}{m.unread:>8}")
    out += ["", "Busiest days"]
    for d, n, v in st.busiest:
        out.append(f"  {d}  {n:>4} {'paper ' if n == 1 else 'papers'}  {v:>6} "
                   f"{'vote' if v == 1 else 'votes'}")
    write_out("\n".join(out) + "\n")
    return 0


def cmd_state_export(store: Store, args: argparse.Namespace) -> int:
    from pathlib import Path

    from store.storage import atomic_write

    data = orjson.dumps(store.state_export(), option=orjson.OPT_INDENT_2) + b"\n"
    if args.file == "-":
        write_out(data.decode())
        return 0
    atomic_write(Path(args.file), data, backup=False)
    n = {k: len(v) for k, v in orjson.loads(data)["fields"].items()}
    from store.words import plural

    print(f"exported reader state to {args.file}: {plural(n['read'], 'read mark')}, "
          f"{plural(n['bookmark'], 'bookmark')}, {plural(n['note'], 'note')}, "
          f"{plural(n['tags'], 'tag set')}")
    return 0


def cmd_state_merge(store: Store, args: argparse.Namespace) -> int:
    from store.sync import SyncError

    try:
        if args.file == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(args.file, "rb") as fh:
                raw = fh.read()
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    try:
        won = store.state_merge(raw)
    except SyncError as exc:
        raise CliError(f"{args.file}: {exc}") from None
    if not any(won.values()):
        print(f"merged {args.file}: nothing newer")
    else:
        from store.words import plural

        print(f"merged {args.file}: {plural(won['read'], 'read mark')}, "
              f"{plural(won['bookmark'], 'bookmark')}, {plural(won['note'], 'note')}, "
              f"{plural(won['tags'], 'tag set')} changed")
    return 0
