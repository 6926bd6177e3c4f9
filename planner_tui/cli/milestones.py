"""`milestones`: upcoming Legacy, PEA and EOL dates with the applications they affect."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from ..services import overview
from .common import EXIT_OK, Parser, days_arg
from .output import print_json, show, table

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore


def register(sub: Any, common: Parser) -> None:
    milestones = sub.add_parser("milestones", parents=[common], help="upcoming Legacy, PEA and EOL dates")
    milestones.add_argument("--within", type=days_arg, metavar="DAYS", help="only the next DAYS days")
    milestones.add_argument("--json", action="store_true", help="print JSON")
    milestones.set_defaults(handler=cmd_milestones)


def cmd_milestones(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    rows = overview.milestone_rows(store, today, args.within)
    if args.json:
        print_json([
            {
                "date": r.milestone.date, "days_left": r.days_left, "kind": r.milestone.kind.value,
                "label": r.milestone.kind.label, "model_id": r.milestone.model_id,
                "model_name": r.model_name, "regions": list(r.milestone.regions),
                "consequences": list(r.milestone.consequences),
                "affected_applications": list(r.affected_apps), "source": r.milestone.source,
            }
            for r in rows
        ])
        return EXIT_OK
    show(table(
        ["DATE", "DAYS", "MILESTONE", "MODEL", "REGIONS", "APPS"],
        [[r.milestone.date, r.days_left, r.milestone.kind.label, r.model_name,
          overview.regions_label(r.milestone.regions, 3), ", ".join(r.affected_apps)] for r in rows],
    ))
    return EXIT_OK
