"""`status`: every open plan with phase, next due date, deadline and risk; exit 1 for CI
when any is overdue or past EOL."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Any

from ..domain.schedule import Risk
from ..services import overview
from .common import EXIT_OK, EXIT_OVERDUE, Parser
from .output import say, show, table

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore


def register(sub: Any, common: Parser) -> None:
    status = sub.add_parser("status", parents=[common],
                            help="plans with phase, next due date and risk; exit 1 if any is overdue")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(handler=cmd_status)


def line_json(r: overview.PlanLine) -> dict[str, Any]:
    """One plan of an overview, as `status --json` and `plans list --json` print it."""
    iso = dt.date.isoformat
    return {
        "id": r.plan_id, "application": r.app_name, "model_id": r.model_id,
        "model_name": r.model_name, "phase": r.phase.value,
        "next_due": r.next_due and iso(r.next_due), "deadline": r.deadline and iso(r.deadline),
        "deadline_basis": r.deadline_basis if r.deadline else None,
        "risk": r.risk.value, "compressed": r.compressed, "progress": round(r.progress, 3),
        "urgency": r.urgency, "target_model_id": r.target_model_id,
    }


def cmd_status(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.views.discovered import outages

    broken = outages(store, today)  # discovered resources on a model past EOL: failing now
    if args.json:
        return _stream_json(store, today, broken)
    rows = overview.plan_lines(store, today, with_closed=False)
    overdue = any(r.risk in (Risk.OVERDUE, Risk.PAST_EOL) for r in rows) or bool(broken)
    show(table(
        ["APPLICATION", "MODEL", "PHASE", "NEXT DUE", "DEADLINE", "RISK", "DONE"],
        [[r.app_name, r.model_name, r.phase_label, r.next_due or "", r.deadline or "",
          r.risk.value, f"{r.progress:.0%}"] for r in rows],
    ) if rows else _none_open(store))
    for row in broken:
        say(row.outage_line)
    return EXIT_OVERDUE if overdue else EXIT_OK


def _stream_json(store: ProjectStore, today: dt.date, broken: list[Any]) -> int:
    """The same document print_json would write, written plan by plan as SQLite finds them:
    a project of any size takes no more memory than one plan."""
    indent = 2 if sys.stdout.isatty() else None
    encode = json.JSONEncoder(indent=indent, default=str).encode  # one encoder for every plan

    def dumps(value: Any, level: int) -> str:
        text = encode(value)
        return text.replace("\n", "\n" + "  " * level) if indent else text

    gap, item_gap = ("\n  ", "\n    ") if indent else ("", "")
    sep = ", " if indent is None else ","
    out = sys.stdout
    out.write("{" + gap + '"today": ' + dumps(today, 1) + sep + gap + '"plans": [')
    overdue = past_eol = bool(broken)
    first = True
    for line in overview.iter_plan_lines(store, today, with_closed=False):
        overdue = overdue or line.risk in (Risk.OVERDUE, Risk.PAST_EOL)
        past_eol = past_eol or line.risk is Risk.PAST_EOL
        out.write(("" if first else sep) + item_gap + dumps(line_json(line), 2))
        first = False
    out.write(("" if first else gap) + "]")
    for key, value in (("overdue", overdue), ("past_eol", past_eol), ("outages", [r.as_json() for r in broken])):
        out.write(sep + gap + json.dumps(key) + ": " + dumps(value, 1))
    out.write(("\n" if indent else "") + "}\n")
    return EXIT_OVERDUE if overdue else EXIT_OK


def _none_open(store: ProjectStore) -> str:
    if store.plan_count():
        return "No open migration plans ('planner-tui plans list --all' lists the ended ones)."
    return "No migration plans: no application depends on a Legacy model."
