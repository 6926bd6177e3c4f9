"""`check`: is the project file sound? SQLite's integrity check and the foreign keys."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from .common import EXIT_OK, EXIT_OVERDUE, Parser
from .output import plain, say

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore

EXIT_DAMAGED = EXIT_OVERDUE  # 1: something is wrong (as `status` says 1 when a plan is)


def register(sub: Any, common: Parser) -> None:
    check = sub.add_parser(
        "check", parents=[common],
        help="check the project file: prints ok (exit 0) or every problem found (exit 1)")
    # Only ever reads: the project is opened read-only, as with --read-only. (Not by setting
    # read_only here: the option is shared by every command's parser.)
    # It reads no table of ours, so a project of an older schema is checked as it is.
    check.set_defaults(handler=cmd_check, opens_read_only=True, any_schema=True)


def cmd_check(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..persistence.integrity import problems

    with store.snapshot() as conn:
        found = problems(conn)
    if not found:
        say("ok")
        return EXIT_OK
    for problem in found:
        say(plain(problem))
    say(f"{len(found)} problem(s) found; restore a backup ('planner-tui backup' refuses to copy "
          "a damaged project).")
    return EXIT_DAMAGED
