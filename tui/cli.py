"""``papers``: the reader with no subcommand, a scriptable CLI with one.

Errors are one line on stderr and a non-zero exit; never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

import orjson

from store.db import Store
from store.models import Paper
from store.storage import StoreError


class CliError(Exception):
    """One line for the user, exit code 1 (2 for usage)."""


def paper_json(store: Store, paper: Paper) -> dict:
    data = paper.to_json()
    data["read"] = store.is_read(paper.id)
    data["bookmarked"] = store.is_bookmarked(paper.id)
    return data


def print_json(data: object) -> None:
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


def display_width(text: str) -> int:
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """An aligned plain-text table (CJK-aware widths); last column unpadded."""
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))
    out = []
    for row in [headers, *rows]:
        cells = [c + " " * (widths[i] - display_width(c)) for i, c in enumerate(row[:-1])]
        out.append("  ".join([*cells, row[-1]]).rstrip())
    sys.stdout.write("\n".join(out) + "\n")


def flags(store: Store, pid: str) -> str:
    return ("●" if not store.is_read(pid) else " ") + ("★" if store.is_bookmarked(pid) else " ")


def paper_rows(store: Store, papers: Sequence[Paper]) -> list[list[str]]:
    return [
        [p.dates[0] if p.dates else "", p.id, "-" if p.votes is None else str(p.votes),
         flags(store, p.id), p.title]
        for p in papers
    ]


# -- commands ----------------------------------------------------------------
def cmd_import(store: Store, args: argparse.Namespace) -> int:
    progress = None
    bar = None
    if sys.stderr.isatty() and not args.json:
        from rich.progress import Progress

        bar = Progress(transient=True)
        task = None

        def progress(done: int, total: int) -> None:
            nonlocal task
            if total < 20:
                return
            if task is None:
                bar.start()
                task = bar.add_task("importing", total=total)
            bar.update(task, completed=done)

    try:
        report = store.import_paths(args.paths, progress)
    finally:
        if bar is not None:
            bar.stop()
    for reason in report.skipped_reasons:
        print(f"skipped {reason}", file=sys.stderr)
    if args.verbose:
        for w in report.warnings:
            print(f"warning: {w}", file=sys.stderr)
    if args.json:
        print_json({
            "files_read": report.files_read, "unchanged": report.unchanged,
            "skipped": report.skipped, "days": report.days, "added": report.added,
            "updated": report.updated, "warnings": report.warnings,
        })
    else:
        print(report.summary())
    if not report.imported_anything:
        raise CliError("nothing could be imported (no readable digest files with papers)")
    return 0


def cmd_days(store: Store, args: argparse.Namespace) -> int:
    days = store.days()
    if args.json:
        print_json([{"date": d.date, "papers": d.total, "unread": d.unread} for d in days])
    else:
        print_table(["DATE", "PAPERS", "UNREAD"], [[d.date, str(d.total), str(d.unread)]
                                                    for d in days])
    return 0


def cmd_list(store: Store, args: argparse.Namespace) -> int:
    if args.day:
        if not store.day_ids(args.day):
            raise CliError(f"no digest for day {args.day}")
        papers = store.day_papers(args.day)
    else:
        papers = [p for d in store.days() for p in store.day_papers(d.date)]
        seen: set[str] = set()
        papers = [p for p in papers if not (p.id in seen or seen.add(p.id))]
    if args.unread:
        papers = [p for p in papers if not store.is_read(p.id)]
    if args.bookmarked:
        papers = [p for p in papers if store.is_bookmarked(p.id)]
    if args.json:
        print_json([paper_json(store, p) for p in papers])
    else:
        print_table(["DATE", "ID", "VOTES", "", "TITLE"], paper_rows(store, papers))
    return 0


def cmd_show(store: Store, args: argparse.Namespace) -> int:
    paper = store.paper(args.id)
    if paper is None:
        raise CliError(f"unknown paper id: {args.id}")
    if args.json:
        print_json(paper_json(store, paper))
        return 0
    lines = [paper.title, paper.url]
    lines.append(f"id: {paper.id}   votes: {'-' if paper.votes is None else paper.votes}"
                 f"   dates: {', '.join(paper.dates)}")
    state = ["read" if store.is_read(paper.id) else "unread"]
    if store.is_bookmarked(paper.id):
        state.append("bookmarked")
    lines.append("state: " + ", ".join(state))
    if paper.authors:
        more = ", + hidden authors" if paper.authors_truncated else ""
        lines.append("authors: " + ", ".join(paper.authors) + more)
    lines.append("")
    for b in paper.bullets:
        lines.append(f"- {b.label}: {b.text}" if b.label else f"- {b.text}")
        lines.extend(f"    {c}" for c in b.children)
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def cmd_mark(store: Store, args: argparse.Namespace) -> int:
    unknown = [i for i in args.ids if i not in store]
    if unknown:
        raise CliError(f"unknown paper id: {', '.join(unknown)}")
    if args.read or args.unread:
        store.set_read(args.ids, bool(args.read))
    else:
        store.set_bookmarked(args.ids, bool(args.bookmark))
    what = ("read" if args.read else "unread" if args.unread
            else "bookmarked" if args.bookmark else "unbookmarked")
    print(f"marked {len(args.ids)} paper{'s' if len(args.ids) != 1 else ''} {what}")
    return 0


def cmd_search(store: Store, args: argparse.Namespace) -> int:
    hits = store.search(args.query, limit=args.limit)
    if args.json:
        out = []
        for h in hits:
            paper = store.paper(h.id)
            if paper is None:
                continue
            data = paper_json(store, paper)
            data["score"] = round(h.score, 2)
            data["field"] = h.field
            out.append(data)
        print_json(out)
        return 0
    rows = []
    for h in hits:
        p = store.get(h.id)
        if p is not None:
            rows.append([*paper_rows(store, [p])[0][:3], h.field, p.title])
    print_table(["DATE", "ID", "VOTES", "FIELD", "TITLE"], rows)
    return 0


def cmd_read(store: Store, args: argparse.Namespace) -> int:
    from tui.app import run_app

    run_app(store)
    return 0


# -- parser ------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", metavar="DIR", default=argparse.SUPPRESS,
                        help="data directory (default: $PAPERS_HOME or the user data dir)")
    parser = argparse.ArgumentParser(
        prog="papers", parents=[common],
        description="A terminal reader for Korean ML-paper digests. "
                    "With no command, opens the reader.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", parents=[common], help="import digest files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH", help="a .md file or a folder (recursive)")
    p.add_argument("--verbose", "-v", action="store_true", help="list every parse warning")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("days", parents=[common], help="list the days, newest first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_days)

    p = sub.add_parser("list", parents=[common], help="list papers")
    p.add_argument("--day", metavar="DATE", help="only this day (YYYY-MM-DD)")
    p.add_argument("--unread", action="store_true", help="only unread papers")
    p.add_argument("--bookmarked", action="store_true", help="only bookmarked papers")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", parents=[common], help="show one paper")
    p.add_argument("id", metavar="ID", help="arXiv id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("mark", parents=[common], help="mark papers read/unread/bookmarked")
    p.add_argument("ids", nargs="+", metavar="ID")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--read", action="store_true")
    g.add_argument("--unread", action="store_true")
    g.add_argument("--bookmark", action="store_true")
    g.add_argument("--unbookmark", action="store_true")
    p.set_defaults(func=cmd_mark)

    p = sub.add_parser("search", parents=[common], help="fuzzy search titles, authors, summaries")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", cmd_read)
    try:
        store = Store.open(getattr(args, "home", None), sample=func is not cmd_import)
        for message in store.messages if func is not cmd_read else ():
            print(f"papers: {message}", file=sys.stderr)
        return func(store, args)
    except (CliError, StoreError) as exc:
        print(f"papers: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("papers: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
