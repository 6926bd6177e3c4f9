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
    callers,
    campaigns,
    check,
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
    scan,
    settings,
    status,
    sync,
    transfer,
)
from .common import EXIT_OK, EXIT_OVERDUE, EXIT_USER_ERROR, Parser, common_options
from .output import plain, reader_gone, warn

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore

__all__ = ["EXIT_OK", "EXIT_OVERDUE", "EXIT_USER_ERROR", "build_parser", "main", "run"]

# In the order `planner-tui --help` lists them.
GROUPS = (models, lifecycle, milestones, status, apps, deps, campaigns, plans, items, records, sync, discovered,
          callers, report, transfer, settings, backup, check, history, scan)

# The commands that add something: only these make a project where there is none (at the
# path --db names, or the default one). Every other command needs an existing project and
# exits 2 without one, creating nothing. Starting the TUI creates one too (ui/launch.py).
CREATING = (apps.cmd_add, apps.cmd_import, deps.cmd_add, lifecycle.cmd_set, sync.cmd_sync,
            transfer.cmd_import_json)


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
    from ..services.project import DemoProject, close_project, open_project

    read_only = getattr(args, "read_only", False) or getattr(args, "opens_read_only", False)
    if getattr(args, "demo", False):
        demo = DemoProject(today, read_only=read_only)
        try:
            yield demo.store
        finally:
            demo.close()
        return
    named = getattr(args, "db", None)  # None: the default project
    creates = getattr(args, "handler", None) in CREATING
    # An empty file is made a project only when a command that adds something is pointed at it
    # by name, and it says so; never the default project, never by a read.
    store = open_project(named, read_only=read_only, create=creates, adopt_empty=creates and named is not None,
                         any_schema=getattr(args, "any_schema", False))
    failed = True
    try:
        if store.opened_as == "adopted":
            warn(f"{named} was an empty file; it is now a new planner project.")
        yield store
        failed = False
    finally:
        close_project(store, failed)  # a project made for a command that was refused: removed


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
        opens_project = getattr(args, "opens_project", None)
        if opens_project is not None and not opens_project(args):
            code = args.handler(None, args, today)  # scan in CI: the bundled catalog, no project
        else:
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
    except OverflowError:  # a number past what SQLite stores, or a date past 9999, passed on unchecked
        return _refuse(f"a value is out of range (a number above {2**63 - 1:,} or a date past 9999-12-31); "
                       "nothing was changed.")
    except sqlite3.DatabaseError as error:
        return _refuse(_database_error(error))
    except KeyboardInterrupt:
        return 130


def _database_error(error: sqlite3.DatabaseError) -> str:
    """Blame the project file only for what says it is damaged or unreadable; anything else
    (a value SQLite refused, say) is this command's failure, not the file's."""
    text = str(error)
    damaged = ("malformed", "not a database", "corrupt", "disk i/o", "unable to open", "readonly",
               "disk is full", "locked", "busy")
    if type(error) is sqlite3.DatabaseError or any(word in text.lower() for word in damaged):
        return f"the project file cannot be used: {text}."
    return f"the command could not be completed ({text}); nothing was changed."


def run() -> None:
    sys.exit(main())
