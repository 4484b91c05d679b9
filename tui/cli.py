"""``papers``: the reader with no subcommand, a scriptable CLI with one.

Errors are one line on stderr and a non-zero exit; never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING

from store.db import Store
from store.storage import StoreError
from tui.config import load as load_config

from .cli_keep import (
    cmd_export,
    cmd_note,
    cmd_state_export,
    cmd_state_merge,
    cmd_stats,
    cmd_tag,
    cmd_tags,
)
from .cli_more import add_update_commands, cmd_completion, cmd_config, cmd_serve, cmd_update
from .cli_output import (
    CliError,
    display_width,  # noqa: F401 - part of tui.cli's surface (tests)
    paper_json,
    paper_rows,
    print_json,
    print_table,
)

if TYPE_CHECKING:
    import argparse

    from store.models import Paper


def cmd_import(store: Store, args: argparse.Namespace) -> int:
    from .progress import phase_progress

    before = list(store.corpus.days)
    with phase_progress(quiet=args.json) as progress:
        report = store.import_paths(
            args.paths,
            (lambda done, total: progress("parse", done, total)) if progress else None,
            phase=(lambda name: progress(name, 0, None)) if progress else None)
    if report.changed:  # so `papers days --new` names what this brought (a first import
        store.ensure_days_seen(before or list(store.corpus.days))  # brings nothing "new")
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
    papers = sort_papers(store, papers, args.sort)
    if args.json:
        store.load_bullets(papers)  # the paper object carries its summary, as `show` does
        print_json([paper_json(store, p) for p in papers])
    else:
        print_table(["DATE", "ID", "VOTES", "", "TITLE"], paper_rows(store, papers))
    return 0


def sort_papers(store: Store, papers: list[Paper], sort: str) -> list[Paper]:
    """The list in the reader's sorts (``digest``: as listed, the default here)."""
    if sort == "votes":
        return sorted(papers, key=lambda p: -(p.votes if p.votes is not None else -1))
    if sort == "title":
        return sorted(papers, key=lambda p: p.title.casefold())
    if sort == "for-you":
        ordered = store.for_you_order(papers)
        if ordered is None:
            if store.for_you_off() == "no-related":
                print("papers: no related papers in this data directory yet (the next "
                      "papers import or papers update computes them): sorted by votes",
                      file=sys.stderr)
            else:
                print("papers: nothing kept yet (no bookmark, tag, note or read paper): "
                      "sorted by votes", file=sys.stderr)
            return sort_papers(store, papers, "votes")
        return ordered
    return papers


def cmd_related(store: Store, args: argparse.Namespace) -> int:
    if store.get(args.id) is None:
        raise CliError(f"unknown paper id: {args.id}")
    if args.limit < 1:
        raise CliError(f"--limit must be 1 or more, not {args.limit}")
    store.warm_related()
    if store.related_missing:  # a data directory from before related papers
        print("papers: computing the related papers of the whole archive (once; the "
              "next import keeps them up to date)...", file=sys.stderr, flush=True)
        store.build_related()
    papers = [p for p in map(store.get, (r.id for r in store.related(args.id, args.limit)))
              if p is not None]
    if args.json:
        print_json([{"id": p.id, "title": p.title, "dates": list(p.dates), "votes": p.votes,
                     "url": p.url} for p in papers])
    elif papers:
        print_table(["DATE", "ID", "VOTES", "", "TITLE"], paper_rows(store, papers))
    else:
        sys.stdout.write("no related papers\n")
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
    tags = store.tags(paper.id)
    if tags:
        lines.append("tags: " + ", ".join(tags))
    if paper.authors:
        more = ", + hidden authors" if paper.authors_truncated else ""
        lines.append("authors: " + ", ".join(paper.authors) + more)
    lines.append("")
    for b in paper.bullets:
        lines.append(f"- {b.label}: {b.text}" if b.label else f"- {b.text}")
        lines.extend(f"    {c}" for c in b.children)
    note = store.note(paper.id)
    if note:
        lines += ["", "note:"] + [f"    {line}" for line in note.split("\n")]
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
    searched = getattr(hits, "searched_for", "")
    if searched:  # read in the other keyboard layout: say so, apart from the results
        print(f"searched for {searched}", file=sys.stderr)
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
    partial = list(getattr(hits, "partial", ()))  # no paper (or almost none) has every word
    if partial:
        print(f"{len(hits)} with every word; then {len(partial)} without some (FIELD says "
              "which words)", file=sys.stderr)
    for h in list(hits) + partial:
        p = store.get(h.id)
        if p is not None:
            field = h.reason if h in partial else h.field
            rows.append([*paper_rows(store, [p])[0][:3], field, p.title])
    print_table(["DATE", "ID", "VOTES", "FIELD", "TITLE"], rows)
    return 0


def cmd_days_or_new(store: Store, args: argparse.Namespace) -> int:
    if not getattr(args, "new", False):
        return cmd_days(store, args)
    new = set(store.new_days())
    days = [d for d in store.days() if d.date in new]
    if args.json:
        print_json([{"date": d.date, "papers": d.total, "unread": d.unread} for d in days])
    elif days:
        print_table(["DATE", "PAPERS", "UNREAD"], [[d.date, str(d.total), str(d.unread)]
                                                    for d in days])
    return 0


DUMB_TERMS = ("dumb", "unknown")  # what Rich and Textual take for a terminal without a screen


def dumb_terminal() -> str | None:
    """Why the reader cannot run in this terminal (None: it can).  A dumb terminal (an
    editor's shell buffer, a serial console) cannot move the cursor: the reader's screen
    would arrive as a stream of escape codes, so the user is told what works instead."""
    term = os.environ.get("TERM", "")
    if term.strip().lower() not in DUMB_TERMS:
        return None
    return (f"the reader needs a terminal that can draw a screen (TERM={term}); here use "
            "papers days, list, show ID, search QUERY (papers --help), or set "
            "TERM=xterm-256color if this terminal can")


def cmd_read(store: Store, args: argparse.Namespace) -> int:
    from tui.app import run_app

    return run_app(store, getattr(args, "settings", None))  # non-zero after a crash


# -- update and what's new (issue 12) ------------------------------------------
SEARCH_SYNTAX = """\
query syntax (parts are separated by spaces; every part must match):
  diffusion transformer   both words, anywhere; typos and prefixes forgiven
  "depth anything"        a phrase: the words next to each other
  a:kang  author:kang     in the authors only
  t:depth  title:depth    in the title only (t:"a phrase" too)
  s:확산  summary:확산    in the Korean summary only
  d:2024-04  d>=2024-01   listed on a day with that prefix / in those bounds
  v>50  v>=10  v<5        by votes
  is:unread  is:read  is:bookmarked   by reading state
  tag:NAME  has:note      by your tags and notes
  -word  -a:name  -"a phrase"         exclude what matches
  ㄱㅇ ㅊㅈ               Korean initial consonants (choseong): 깊이 추정
  확사                    a half-typed last syllable still matches (확산)
"""


def _query(value: str) -> str:
    if not value.strip():
        import argparse

        raise argparse.ArgumentTypeError(
            "an empty query matches nothing; give a word or a filter like a:NAME")
    return value


def _limit(value: str) -> int:
    import argparse

    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return n


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"papers {version('papers')}"
    except PackageNotFoundError:  # run from a checkout that is not installed
        return "papers (version unknown: not installed)"


def build_parser() -> argparse.ArgumentParser:
    import argparse

    class Parser(argparse.ArgumentParser):
        """Usage errors in one line (the usage itself is one ``--help`` away)."""

        def error(self, message: str):  # type: ignore[override]
            self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")

    class Version(argparse.Action):
        """``--version``: the installed version, looked up only when asked for."""

        def __call__(self, parser, namespace, values, option_string=None):
            sys.stdout.write(_version() + "\n")
            parser.exit(0)

    json_help = "print JSON (the paper object: see the README)"
    common = Parser(add_help=False)
    common.add_argument("--home", metavar="DIR", default=argparse.SUPPRESS,
                        help="data directory (default: $PAPERS_HOME or the user data dir)")
    common.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                        help="config file (default: $PAPERS_CONFIG or "
                             "config.toml in the user config dir)")
    parser = Parser(
        prog="papers", parents=[common],
        description="A terminal reader for Korean ML-paper digests. "
                    "With no command, opens the reader.")
    parser.add_argument("--version", action=Version, nargs=0,
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                help="one of these (papers COMMAND --help says more)")

    p = sub.add_parser("import", parents=[common], help="import digest files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH", help="a .md file or a folder (recursive)")
    p.add_argument("--verbose", "-v", action="store_true", help="list every parse warning")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("days", parents=[common], help="list the days, newest first")
    p.add_argument("--json", action="store_true",
                   help="print JSON: date, papers and unread for each day")
    p.set_defaults(func=cmd_days)

    p = sub.add_parser("list", parents=[common], help="list papers")
    p.add_argument("--day", metavar="DATE", help="only this day (YYYY-MM-DD)")
    p.add_argument("--unread", action="store_true", help="only unread papers")
    p.add_argument("--bookmarked", action="store_true", help="only bookmarked papers")
    p.add_argument("--sort", choices=("digest", "votes", "title", "for-you"), default="digest",
                   help="the order: as in the digest (default), by votes, by title, or "
                        "for you (most like what you bookmarked, tagged, noted or read)")
    p.add_argument("--json", action="store_true", help=json_help)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("related", parents=[common],
                       help="the papers most like one paper, across the archive")
    p.add_argument("id", metavar="ID", help="arXiv id, e.g. 2406.09414")
    p.add_argument("--limit", type=int, default=5, metavar="N",
                   help="how many (default 5, at most 20)")
    p.add_argument("--json", action="store_true",
                   help="print JSON: id, title, dates, votes and url of each")
    p.set_defaults(func=cmd_related)

    p = sub.add_parser("show", parents=[common], help="show one paper")
    p.add_argument("id", metavar="ID", help="arXiv id, e.g. 2406.09414")
    p.add_argument("--json", action="store_true", help=json_help)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("mark", parents=[common], help="mark papers read/unread/bookmarked")
    p.add_argument("ids", nargs="+", metavar="ID", help="arXiv ids")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--read", action="store_true", help="mark them read")
    g.add_argument("--unread", action="store_true", help="mark them unread")
    g.add_argument("--bookmark", action="store_true", help="bookmark them")
    g.add_argument("--unbookmark", action="store_true", help="remove their bookmarks")
    p.set_defaults(func=cmd_mark)

    p = sub.add_parser("search", parents=[common], help="fuzzy search titles, authors, summaries",
                       epilog=SEARCH_SYNTAX, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("query", metavar="QUERY", type=_query,
                   help="words and filters (quote it in the shell; syntax below)")
    p.add_argument("--limit", type=_limit, default=20, metavar="N",
                   help="at most N results (default: 20)")
    p.add_argument("--json", action="store_true",
                   help=json_help + ", with score and matched field")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("note", parents=[common], help="show, set or edit a paper's note")
    p.add_argument("id", metavar="ID", help="arXiv id")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--set", metavar="TEXT", help="replace the note (\"\" removes it)")
    g.add_argument("--edit", action="store_true", help="edit the note in $EDITOR")
    p.set_defaults(func=cmd_note)

    p = sub.add_parser("tag", parents=[common], help="show, add or remove a paper's tags")
    p.add_argument("ids", nargs="+", metavar="ID", help="arXiv ids")
    p.add_argument("--add", action="append", metavar="TAG", help="add a tag (repeatable)")
    p.add_argument("--remove", action="append", metavar="TAG",
                   help="remove a tag (repeatable)")
    p.set_defaults(func=cmd_tag)

    p = sub.add_parser("tags", parents=[common], help="every tag with its paper count")
    p.add_argument("--json", action="store_true", help="print JSON: tag and papers")
    p.set_defaults(func=cmd_tags)

    p = sub.add_parser("export", parents=[common],
                       help="export papers as BibTeX, digest Markdown, CSV or JSON")
    p.add_argument("--bookmarked", action="store_true", help="only bookmarked papers")
    p.add_argument("--tag", metavar="TAG", help="only papers with this tag")
    p.add_argument("--day", action="append", metavar="DATE", help="only this day (repeatable)")
    p.add_argument("--ids", nargs="+", metavar="ID", help="only these papers")
    p.add_argument("--format", "-f", choices=["bibtex", "markdown", "csv", "json"],
                   help="output format (default: from the -o file name)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("stats", parents=[common], help="statistics of the corpus and reading")
    p.add_argument("--since", metavar="DATE", help="first day (YYYY, YYYY-MM or YYYY-MM-DD)")
    p.add_argument("--until", metavar="DATE", help="last day (inclusive prefix)")
    p.add_argument("--json", action="store_true", help="print the statistics as JSON")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("state", parents=[common],
                       help="export or merge reader state (to sync machines)")
    ssub = p.add_subparsers(dest="state_command", metavar="ACTION", required=True,
                            help="export or merge")
    q = ssub.add_parser("export", parents=[common],
                        help="write all reader state (read, bookmarks, notes, tags) as JSON")
    q.add_argument("file", metavar="FILE", help="output file (- for stdout)")
    q.set_defaults(func=cmd_state_export)
    q = ssub.add_parser("merge", parents=[common],
                        help="fold in another machine's export (newest change wins)")
    q.add_argument("file", metavar="FILE", help="an export (- for stdin)")
    q.set_defaults(func=cmd_state_merge)
    add_update_commands(sub, common)
    days = sub.choices["days"]
    days.add_argument("--new", action="store_true",
                      help="only the days added since the reader last ran")
    days.set_defaults(func=cmd_days_or_new)

    p = sub.add_parser("config", parents=[common],
                       help="print the config file's path and the settings in effect")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_config, no_store=True)

    p = sub.add_parser("completion", parents=[common],
                       help="print a shell completion script (bash, zsh or fish)")
    p.add_argument("shell", choices=["bash", "zsh", "fish"], metavar="SHELL",
                   help="bash, zsh or fish")
    p.set_defaults(func=cmd_completion, no_store=True, parser_factory=build_parser)

    p = sub.add_parser("serve", parents=[common],
                       help="the reader in a web browser (needs textual-serve)")
    p.add_argument("--host", default="127.0.0.1", metavar="HOST",
                   help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, metavar="PORT",
                   help="port to listen on (default: 8000)")
    p.add_argument("--public-url", metavar="URL",
                   help="the address browsers use to reach it (default: http://HOST:PORT)")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv:
        args = build_parser().parse_args(argv)
    else:  # the reader: no need to build the whole CLI (a few ms of every start-up)
        from tui.startup import pause_gc

        pause_gc()  # until the first frame is drawn (tui/startup.py)
        args = SimpleNamespace(func=cmd_read)
    func = getattr(args, "func", cmd_read)
    if func is cmd_read and (reason := dumb_terminal()):
        print(f"papers: {reason}", file=sys.stderr)
        return 1
    args.settings = settings = load_config(getattr(args, "config", None))
    if getattr(args, "no_store", False):
        return func(args)
    if func is not cmd_read:  # the reader shows them as notifications
        for message in settings.messages:
            print(f"papers: {message}", file=sys.stderr)
    home = getattr(args, "home", None)
    if home is None and not os.environ.get("PAPERS_HOME"):
        home = settings.data_dir
    try:
        store = Store.open(home, sample=func not in (cmd_import, cmd_update))
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
