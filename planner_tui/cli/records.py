"""`results add`, `stages add`, `decisions add`: a plan's test results and rollout records."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from .common import (
    EXIT_OK,
    Parser,
    apply,
    choice_arg,
    date_arg,
    find_plan,
    id_arg,
    number_arg,
    percent_arg,
    text_arg,
    validated,
)
from .output import plain, say

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore

DECISIONS = "{advance,hold,roll back}"


def _decision(text: str) -> Any:
    from ..domain.workspace import Decision  # pydantic: loaded only when a decision is typed

    return choice_arg("decision", Decision)(text)


def _add(sub: Any, common: Parser, name: str, group_help: str, help: str, handler: Any) -> Parser:  # noqa: A002
    actions = sub.add_parser(name, parents=[common], help=group_help).add_subparsers(
        dest=f"{name}_command", metavar="ACTION", required=True)
    parser = actions.add_parser("add", parents=[common], help=help)
    parser.add_argument("plan_id", type=id_arg, metavar="PLAN_ID")
    parser.set_defaults(handler=handler)
    return parser


def register(sub: Any, common: Parser) -> None:
    results = _add(sub, common, "results", "a plan's test results (Test)",
                   "record a metric of the candidate against its threshold", cmd_result)
    results.add_argument("--metric", type=text_arg, required=True, metavar="M")
    results.add_argument("--candidate", type=number_arg, required=True, metavar="X", help="the candidate's value")
    results.add_argument("--threshold", type=number_arg, required=True, metavar="Y",
                         help="the bound it must meet to pass")
    results.add_argument("--baseline", type=number_arg, metavar="B", help="the legacy model's value")
    results.add_argument("--lower-is-better", action="store_true",
                         help="pass at or below the threshold (latency, error rate)")
    results.add_argument("--notes", default="")

    stages = _add(sub, common, "stages", "a plan's rollout stages (Rollout)", "plan a rollout stage", cmd_stage)
    stages.add_argument("--traffic", type=percent_arg, required=True, metavar="PCT", help="share of traffic, 0-100")
    stages.add_argument("--from", dest="start", type=date_arg, metavar="DATE")
    stages.add_argument("--to", dest="end", type=date_arg, metavar="DATE")
    stages.add_argument("--notes", default="")

    decisions = _add(sub, common, "decisions", "a plan's rollout decisions (Rollout)",
                     "record a decision: advance, hold or roll back", cmd_decision)
    decisions.add_argument("--decision", type=_decision, required=True, metavar=DECISIONS, help="any case")
    decisions.add_argument("--traffic", type=percent_arg, metavar="PCT", help="traffic share now, 0-100")
    decisions.add_argument("--date", type=date_arg, metavar="DATE", help="when (default: today)")
    decisions.add_argument("--note", type=text_arg, required=True, metavar="TEXT", help="why")


def cmd_result(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..domain.workspace import TestResult
    from ..services.commands import workspace

    plan = find_plan(store, args.plan_id)
    result = validated(TestResult, {"plan_id": plan.id, "metric": args.metric, "baseline": args.baseline,
                                    "candidate": args.candidate, "threshold": args.threshold,
                                    "higher_is_better": not args.lower_is_better, "notes": args.notes})
    saved = apply(workspace.add_test_result, store, result).result
    bound = "at most" if args.lower_is_better else "at least"
    say(f"test result '{plain(saved.metric)}' of plan {plan.id}: {'pass' if saved.passed else 'FAIL'} "
          f"({saved.candidate:g}, {bound} {saved.threshold:g} needed)")
    return EXIT_OK


def cmd_stage(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..domain.workspace import RolloutStage
    from ..services.commands import workspace

    plan = find_plan(store, args.plan_id)
    stage = validated(RolloutStage, {"plan_id": plan.id, "traffic_percent": args.traffic,
                                     "start_date": args.start, "end_date": args.end, "notes": args.notes})
    saved = apply(workspace.add_stage, store, stage, today).result
    dates = " → ".join(str(d) for d in (saved.start_date, saved.end_date) if d)
    say(f"rollout stage {saved.traffic_percent}% added to plan {plan.id}" + (f" ({dates})" if dates else ""))
    return EXIT_OK


def cmd_decision(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..domain.workspace import RolloutDecision
    from ..services.commands import workspace

    plan = find_plan(store, args.plan_id)
    decision = validated(RolloutDecision, {"plan_id": plan.id, "decided_on": args.date or today,
                                           "decision": args.decision, "traffic_percent": args.traffic,
                                           "note": args.note})
    saved = apply(workspace.record_decision, store, decision).result
    traffic = f" at {saved.traffic_percent}% traffic" if saved.traffic_percent is not None else ""
    say(f"decision '{saved.decision.value}'{traffic} on {saved.decided_on} recorded for plan {plan.id}")
    return EXIT_OK
