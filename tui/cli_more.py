"""The CLI's newer commands: ``papers update`` and ``days --new`` (the upstream archive),
``config``, ``completion`` and ``serve``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from .cli_output import CliError, print_json, write_out

if TYPE_CHECKING:
    import argparse

    from store.db import Store


def cmd_update(store: Store, args: argparse.Namespace) -> int:
    from store.update import run_update

    from .progress import phase_progress

    before = list(store.corpus.days)
    as_json = getattr(args, "progress", "auto") == "json"
    with phase_progress(quiet=args.quiet, as_json=as_json) as progress:
        source = args.source or getattr(args.settings, "update_source", None)
        report = run_update(store, source, progress)
    skipped = report.imported.skipped_reasons if report.imported is not None else []
    if not args.json:
        for reason in report.refused:
            print(f"papers: refused {reason}", file=sys.stderr)
        for reason in skipped:
            print(f"papers: skipped {reason}", file=sys.stderr)
    store.ensure_days_seen(before or list(store.corpus.days))  # as in cmd_import
    if args.json:
        print_json(update_json(report, skipped))
    elif not args.quiet:
        print(report.summary())
    return 0


def update_json(report, skipped: list[str]) -> dict:
    """``papers update --json``: the report (the reader's ``R`` reads it)."""
    return {"source": report.source, "cloned": report.cloned, "head": report.head,
            "days_added": report.days_added, "days_changed": report.days_changed,
            "papers_added": report.papers_added, "refused": report.refused,
            "skipped": skipped, "summary": report.summary()}


def cmd_config(args: argparse.Namespace) -> int:
    """The config file's path and every setting in effect (tui/config.py)."""
    from textual.theme import BUILTIN_THEMES

    from tui.config import check_theme, render
    from tui.keys_check import check_keymap

    config = args.settings
    check_theme(config, BUILTIN_THEMES)
    check_keymap(config)
    for message in config.messages:
        print(f"papers: {message}", file=sys.stderr)
    if args.json:
        print_json({"path": str(config.path), "exists": config.exists, **config.settings()})
        return 0
    state = "" if config.exists else "  (no such file yet: these are the defaults)"
    write_out(f"# {config.path}{state}\n" + render(config))
    return 0


def cmd_completion(args: argparse.Namespace) -> int:
    """A completion script generated from this parser (tui/completion.py)."""
    from tui.completion import script

    write_out(script(args.shell, args.parser_factory()))
    return 0


def cmd_serve(store: Store, args: argparse.Namespace) -> int:
    """The reader in a browser through textual-serve (tui/serve.py)."""
    from tui.serve import ServeError, exposure_warning, serve

    warning = exposure_warning(args.host, args.port)
    if warning:
        print(f"papers: {warning}", file=sys.stderr)
    try:  # each tab's reader gets this data directory and this config file
        serve(store.home.resolve(), args.settings.path, args.host, args.port, args.public_url)
    except ServeError as exc:
        raise CliError(str(exc)) from None
    return 0



def add_update_commands(sub, common) -> None:
    """``papers update`` and ``papers days --new``."""
    p = sub.add_parser(
        "update", parents=[common], help="fetch new days from the digest repository",
        description="Clone (first time, shallow) or fetch the digest repository with git "
                    "into the data directory, then import the day files that changed.")
    p.add_argument("--source", metavar="URL|PATH",
                   help="repository to fetch (remembered; default: the last one used, "
                        "else https://github.com/l-yohai/daily_papers_ko)")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="no progress and no summary line (warnings and errors still show)")
    p.add_argument("--json", action="store_true",
                   help="print the report as JSON on stdout (source, cloned, head, days_added, "
                        "days_changed, papers_added, refused, skipped, summary) instead of "
                        "the summary line; refused and skipped files are in it, not on stderr")
    p.add_argument("--progress", choices=["auto", "json"], default="auto",
                   help="auto (default): a bar on a terminal, else one line per phase on "
                        "stderr; json: one JSON object a line on stderr as each phase "
                        'begins, e.g. {"phase": "parse", "total": 12} (phases: fetch, '
                        "parse, save, index; total is null when unknown)")
    p.set_defaults(func=cmd_update)

