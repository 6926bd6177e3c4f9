"""`lifecycle set`: lifecycle dates entered by hand."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

from ..errors import UserInputError
from .common import EXIT_OK, Parser, date_arg, group, parse_uses
from .output import plain, say

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore


def register(sub: Any, common: Parser) -> None:
    actions = group(sub, "lifecycle", common, "enter lifecycle dates by hand", "lifecycle_command")
    set_dates = actions.add_parser(
        "set", parents=[common],
        help="set a model's dates in a Region; catalog reloads and syncs keep them")
    set_dates.add_argument("target", metavar="MODEL_ID@REGION")
    set_dates.add_argument("--legacy", type=date_arg, metavar="DATE")
    set_dates.add_argument("--pea", type=date_arg, metavar="DATE")
    set_dates.add_argument("--eol", type=date_arg, metavar="DATE")
    set_dates.set_defaults(handler=cmd_set)


def cmd_set(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..domain.lifecycle import Severity
    from ..services.commands.lifecycle import set_dates

    model_id, region = parse_uses(args.target)
    given = {f: v for f, v in (("legacy_date", args.legacy), ("pea_date", args.pea),
                                ("eol_date", args.eol)) if v is not None}
    if not given:
        raise UserInputError("give at least one of --legacy, --pea, --eol.")
    change = set_dates(store, model_id, region, given, today)
    model_id, region = change.result.model_id, change.result.region
    say(f"set {', '.join(f.removesuffix('_date') for f in given)} of "
          f"{model_id} in {region}; kept over catalog reloads and syncs")
    # Each finding on its own line, by severity (the change's note joins them for the TUI).
    for finding in change.result.findings:
        say(f"planner-tui: {'warning' if finding.severity is Severity.WARNING else 'note'}: "
              f"{model_id} in {region}: {plain(finding.message)}", file=sys.stderr)
    return EXIT_OK
