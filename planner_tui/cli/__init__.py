"""Command line: `planner-tui` starts the TUI; subcommands script the same project.

One module per command group; each registers its parsers and handlers. Every edit goes
through a use case of services/commands, as the TUI's do. Only this entry point reads the
clock (`--today` overrides it). User errors print one line on stderr and exit 2; never a
traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..errors import ImportRejected, PlannerError
from . import (
    apps,
    backup,
    deps,
    discovered,
    history,
    items,
    lifecycle,
    milestones,
    models,
    plans,
    records,
    report,
    status,
    sync,
    transfer,
)
from .common import EXIT_OK, EXIT_OVERDUE, EXIT_USER_ERROR, Parser, common_options
from .output import plain, reader_gone

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore

__all__ = ["EXIT_OK", "EXIT_OVERDUE", "EXIT_USER_ERROR", "build_parser", "main", "run"]

# In the order `planner-tui --help` lists them.
GROUPS = (models, lifecycle, milestones, status, apps, deps, plans, items, records, sync, discovered,
          report, transfer, backup, history)


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = Parser(
        prog="planner-tui", parents=[common],
        description="Plan migrations off Amazon Bedrock models before they reach End-of-Life.",
        epilog="Without a command, planner-tui starts the terminal UI on the project. "
               "User errors exit with code 2.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in GROUPS:
        module.register(sub, common)
    return parser


@contextmanager
def _project(args: argparse.Namespace, today: dt.date) -> Iterator[ProjectStore]:
    from ..persistence.locations import default_db_path
    from ..services.project import DemoProject, open_project

    read_only = getattr(args, "read_only", False)
    if getattr(args, "demo", False):
        demo = DemoProject(today, read_only=read_only)
        try:
            yield demo.store
        finally:
            demo.close()
        return
    store = open_project(getattr(args, "db", None) or default_db_path(), read_only=read_only)
    try:
        yield store
    finally:
        store.close()


def _refuse(message: str) -> int:
    print(f"planner-tui: {plain(message)}", file=sys.stderr)
    return EXIT_USER_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    today = getattr(args, "today", None) or dt.date.today()
    try:
        if args.command is None:
            from ..ui.launch import run_tui

            return run_tui(args, today)
        with _project(args, today) as store:
            code = args.handler(store, args, today)
        sys.stdout.flush()  # a reader that went away shows here, not in a traceback at exit
        return code
    except BrokenPipeError:
        return reader_gone()
    except ImportRejected as error:
        _refuse(str(error))
        for problem in error.problems:
            print(f"  {plain(problem)}", file=sys.stderr)
        return EXIT_USER_ERROR
    except PlannerError as error:
        return _refuse(str(error))
    except sqlite3.DatabaseError as error:
        return _refuse(f"the project file cannot be used: {error}.")
    except KeyboardInterrupt:
        return 130


def run() -> None:
    sys.exit(main())
