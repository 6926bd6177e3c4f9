"""`history`: the audit trail, with lifecycle dates typed by hand and synced ones."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from .common import EXIT_OK, Parser, count_arg, name_arg
from .output import history, print_json, show, table

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore


def register(sub: Any, common: Parser) -> None:
    parser = sub.add_parser("history", parents=[common], help="the audit trail: every change, who, when")
    parser.add_argument("--app", type=name_arg, metavar="NAME", help="only this application")
    parser.add_argument("--limit", type=count_arg, default=50, metavar="N",
                        help="the N most recent changes (default 50)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=cmd_history)


def cmd_history(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    app_id = store.application(args.app).id if args.app else None
    entries = history(store, app_id, args.limit)
    if args.json:
        print_json(entries)
        return EXIT_OK
    show(table(["WHEN (UTC)", "WHO", "WHAT"], [[e["at"], e["actor"], e["what"]] for e in entries])
          if entries else "No changes recorded yet.")
    return EXIT_OK
