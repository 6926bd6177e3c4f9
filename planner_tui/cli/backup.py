"""`backup`: a consistent copy of the project file, safe while the TUI is open."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common import EXIT_OK, Parser
from .output import say

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore


def register(sub: Any, common: Parser) -> None:
    backup = sub.add_parser("backup", parents=[common], help="a consistent copy of the project file")
    backup.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    backup.add_argument("--force", action="store_true",
                        help="replace FILE even when it is another planner project or SQLite database")
    backup.set_defaults(handler=cmd_backup)


def cmd_backup(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..integrations.files import safe_output_target
    from ..persistence.backup import backup_project

    safe_output_target(args.output, store.path, args.force)
    size = backup_project(store, args.output)
    say(f"backed up the project to {args.output} ({size:,} bytes)")
    return EXIT_OK
