"""`plans list|show|advance|complete|cancel|reopen`: migration plans and their course."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from ..domain.vocabulary import PHASES
from ..errors import UserInputError
from ..services import overview
from .common import EXIT_OK, Parser, apply, find_plan, group, id_arg, plan_label, text_arg
from .output import print_json, say, show, table
from .status import line_json

if TYPE_CHECKING:
    from ..domain.models import MigrationPlan
    from ..persistence.store import ProjectStore


def register(sub: Any, common: Parser) -> None:
    from .plan_detail import cmd_show

    actions = group(sub, "plans", common, "migration plans: list, show, choose, advance, complete, cancel, reopen",
                    "plans_command")
    listing = actions.add_parser("list", parents=[common], help="open plans, most urgent first")
    listing.add_argument("--app", metavar="NAME", help="only this application's plans")
    listing.add_argument("--all", action="store_true", help="completed, closed and cancelled plans too")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_list)

    show = actions.add_parser("show", parents=[common], help="a plan with its schedule, phases, checklist, "
                              "fields, results, stages, decisions and warnings")
    show.add_argument("plan_id", type=id_arg, metavar="ID")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=cmd_show)

    advance = actions.add_parser("advance", parents=[common], help="close the current phase, move to the next")
    advance.add_argument("plan_id", type=id_arg, metavar="ID")
    advance.add_argument("--reason", type=text_arg, metavar="TEXT",
                         help="why move on with items still open (required then; kept in the plan's log)")
    advance.set_defaults(handler=cmd_advance)

    complete = actions.add_parser("complete", parents=[common], help="close Rollout: the migration is done")
    complete.add_argument("plan_id", type=id_arg, metavar="ID")
    complete.add_argument("--reason", type=text_arg, metavar="TEXT",
                          help="why complete with items still open (required then)")
    complete.add_argument("--switch", action="store_true",
                          help="then move the application's dependencies to the chosen replacement")
    complete.set_defaults(handler=cmd_complete)

    cancel = actions.add_parser("cancel", parents=[common],
                                help="the application won't migrate: the plan leaves status")
    cancel.add_argument("plan_id", type=id_arg, metavar="ID")
    cancel.add_argument("--reason", type=text_arg, required=True, metavar="TEXT", help="why (kept with the plan)")
    cancel.set_defaults(handler=cmd_cancel)

    choose = actions.add_parser("choose", parents=[common],
                                help="choose the replacement model (what 'complete --switch' moves to)")
    choose.add_argument("plan_id", type=id_arg, metavar="ID")
    choose.add_argument("model_id", metavar="MODEL_ID")
    choose.add_argument("--reason", type=text_arg, required=True, metavar="TEXT",
                        help="why this model (recorded with the decision)")
    choose.set_defaults(handler=cmd_choose)

    reopen = actions.add_parser("reopen", parents=[common], help="open a completed, closed or cancelled plan")
    reopen.add_argument("plan_id", type=id_arg, metavar="ID")
    reopen.set_defaults(handler=cmd_reopen)


def cmd_list(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    app_id = store.application(args.app).id if args.app else None
    rows = overview.plan_lines(store, today, app_id=app_id, with_closed=args.all)
    if not args.all:
        rows = [r for r in rows if r.is_open]
    if args.json:
        print_json([{**line_json(r), "state": r.phase_label, "open": r.is_open,
                     "completed_on": r.completed_on, "closed_kind": r.closed_kind} for r in rows])
        return EXIT_OK
    if not rows:
        say("No open migration plans." + ("" if args.all else " ('--all' lists ended ones too.)"))
        return EXIT_OK
    show(table(
        ["ID", "APPLICATION", "MODEL", "PHASE", "NEXT DUE", "DEADLINE", "RISK", "DONE"],
        [[r.plan_id, r.app_name, r.model_name, r.phase_label, r.next_due or "", r.deadline or "",
          r.risk.value, f"{r.progress:.0%}"] for r in rows],
    ))
    return EXIT_OK


def cmd_advance(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands import plans

    plan = find_plan(store, args.plan_id)
    if plan.is_open and plan.current_phase is PHASES[-1]:
        raise UserInputError(f"{plan_label(plan)} is in Rollout, its last phase: complete it with "
                             f"'planner-tui plans complete {plan.id}'.")
    open_count = _check_reason(plan, args.reason)
    following = apply(plans.advance, store, plan.id, today, args.reason or "").result
    kept = f" ({open_count} item(s) left open, reason logged)" if open_count else ""
    say(f"{plan_label(plan)}: {plan.current_phase.title} closed{kept}; now in {following.title}")
    return EXIT_OK


def cmd_complete(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands import plans

    plan = find_plan(store, args.plan_id)
    if plan.is_open and plan.current_phase is not PHASES[-1]:
        raise UserInputError(f"{plan_label(plan)} is in {plan.current_phase.title}: only Rollout, the last "
                             f"phase, completes it (move on with 'planner-tui plans advance {plan.id}').")
    if args.switch and not plan.target_model_id:
        raise UserInputError(f"{plan_label(plan)} has no chosen replacement to switch to; nothing was changed.")
    open_count = _check_reason(plan, args.reason)
    apply(plans.advance, store, plan.id, today, args.reason or "")
    kept = f" with {open_count} item(s) open (reason logged)" if open_count else ""
    say(f"{plan_label(plan)}: complete{kept}")
    if args.switch:
        moved = apply(plans.switch_to_replacement, store, plan.id, today).result
        say(f"{plan.app_name} switched {moved} dependenc{'y' if moved == 1 else 'ies'} from "
              f"{plan.model_id} to {plan.target_model_id}")
    elif plan.target_model_id:
        say(f"({plan.app_name} still uses {plan.model_id}: '--switch' moves it to {plan.target_model_id})")
    return EXIT_OK


def _check_reason(plan: MigrationPlan, reason: str | None) -> int:
    """How many items of the current phase are open; with any, a reason is required (the use
    case refuses too: this says which option gives it)."""
    open_count = len(plan.open_items(plan.current_phase)) if plan.is_open else 0
    if open_count and not reason:
        raise UserInputError(f"{open_count} of {len(plan.items_in(plan.current_phase))} item(s) of "
                             f"{plan.current_phase.title} are still open in {plan_label(plan)}: tick them "
                             "('planner-tui items done') or give --reason TEXT to move on anyway.")
    return open_count


def cmd_cancel(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands import plans

    plan = find_plan(store, args.plan_id)
    apply(plans.cancel, store, plan.id, args.reason, today)
    say(f"{plan_label(plan)}: cancelled (won't migrate); out of status, dashboard and calendar. "
          f"'planner-tui plans reopen {plan.id}' opens it again.")
    return EXIT_OK


def cmd_reopen(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands import plans

    plan = find_plan(store, args.plan_id)
    apply(plans.reopen, store, plan.id)
    say(f"{plan_label(plan)}: reopened in {plan.current_phase.title} (was {plan.state_label})")
    return EXIT_OK


def cmd_choose(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    """Through the plan's campaign (plans.choose): what the choice did is said here, on
    stdout, rather than as the use case's note."""
    from ..domain.campaigns import PlanChoiceKind
    from ..services.commands import plans

    plan = find_plan(store, args.plan_id)
    choice = plans.choose(store, args.plan_id, args.model_id.strip(), args.reason, today).result
    said = f"{plan_label(plan)}: replacement {choice.target_model_id} chosen"
    if choice.kind is PlanChoiceKind.DECISION:
        count = len(choice.others)
        others = ", ".join(choice.others[:5]) + (f" and {count - 5} more" if count > 5 else "")
        said += ": now the decision of its campaign" + (
            f", for {count} other application{'s' if count != 1 else ''} too ({others})" if count else "")
    elif choice.kind is PlanChoiceKind.FOLLOWS:
        said += ": the campaign's decision, which it follows"
    else:
        said += f", as this application's own (the campaign's decision is {choice.campaign_target})"
    say(said)
    return EXIT_OK
