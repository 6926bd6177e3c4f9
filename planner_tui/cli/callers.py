"""`callers [MODEL_ID]`, `callers accept ID --app APP`, `callers idle`: who calls each model
(CloudTrail, read by `sync`), a caller made a dependency, and Legacy dependencies idle for
15 days."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from ..errors import UserInputError
from .common import EXIT_OK, Parser, apply, id_arg, name_arg
from .output import print_json, say, show, table

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore

ACTIONS = ("accept", "idle")


def register(sub: Any, common: Parser) -> None:
    callers = sub.add_parser(
        "callers", parents=[common], help="who calls each model (CloudTrail, read by sync); accept one as a dependency",
        usage="%(prog)s [MODEL_ID] [--account ID_OR_NAME] [--json]\n"
              "       %(prog)s accept ID --app APP [--env ENV]\n"
              "       %(prog)s idle [--json]",
        description="Without an action: every principal that called a model (or MODEL_ID: a model, "
                    "inference profile or ID as written), per account and Region, with its calls and last "
                    "call. 'accept ID --app APP' makes caller ID a dependency of APP (as 'deps add' does). "
                    "'idle' lists Legacy dependencies with no call for more than 15 days (CloudTrail or "
                    "CloudWatch): such accounts may lose access to the model.")
    callers.add_argument("what", nargs="?", metavar="MODEL_ID|accept|idle", type=name_arg)
    callers.add_argument("caller_id", nargs="?", metavar="ID",
                         help="the caller to accept (accept only): t7, as listed, or 7")
    callers.add_argument("--app", metavar="APP", type=name_arg, help="the application (accept only)")
    callers.add_argument("--env", default="prod", metavar="ENV",
                         help="the dependency's environment (accept only; default prod)")
    callers.add_argument("--account", metavar="ID_OR_NAME", help="only the callers of this AWS account")
    callers.add_argument("--json", action="store_true", help="print JSON")
    callers.set_defaults(handler=cmd_callers)


def cmd_callers(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    if args.what == "accept":
        return _accept(store, args, today)
    if args.caller_id is not None:
        raise UserInputError(f"unexpected {args.caller_id!r}: an ID goes with 'callers accept ID --app APP'.")
    if args.app is not None:
        raise UserInputError("--app goes with 'callers accept ID --app APP'.")
    if args.what == "idle":
        return _idle(store, args, today)
    return _list(store, args, today)


def _accept(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands.callers import accept_caller

    if args.caller_id is None or args.app is None:
        raise UserInputError("callers accept needs the caller's ID and --app APP (see 'planner-tui callers').")
    try:
        # t3, as `discovered` and the plan show it, or 3
        caller_id = id_arg(args.caller_id.strip().removeprefix("t").removeprefix("T"))
    except argparse.ArgumentTypeError as error:
        raise UserInputError(str(error)) from None
    app = store.application(args.app)
    change = apply(accept_caller, store, caller_id, app.id, today, args.env)
    caller = store.caller(caller_id)
    assert caller is not None
    say(f"{app.name} now uses {caller.model_id} in {caller.region}"
        + ("" if change.result is not None else " (it did already)")
        + f", as {caller.principal_arn} calls it")
    return EXIT_OK


def _idle(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.views.callers import idle_legacy_dependencies

    found = idle_legacy_dependencies(store, today)
    if args.json:
        print_json([f.as_json() for f in found])
        return EXIT_OK
    if not found:
        say("No Legacy dependency has been idle for more than 15 days (as far as CloudTrail and CloudWatch, "
            "read by 'planner-tui sync', show).")
        return EXIT_OK
    show(table(["APP", "MODEL", "REGION", "ACCOUNT", "STATUS", "WHY"],
               [[f.app_name, f.dependency.model_id, f.dependency.region,
                 f.dependency.account_name or f.dependency.account_id or "–", f.status.value, "; ".join(f.reasons)]
                for f in found]))
    say("Accounts inactive for 15 days may lose access to a Legacy model: call it from there (or plan "
        "the migration) before then.")
    return EXIT_OK


def _list(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..domain.validation import split_profile
    from ..services.views.callers import caller_lines

    model = args.what
    lines = caller_lines(store, today, model)
    if model and not lines:  # an ARN, or a profile nobody called through: the model's callers
        base = split_profile(model.rsplit("/", 1)[-1])[0]
        lines = caller_lines(store, today, base)
        if not lines and base not in store.model_ids():
            from ..domain.model_variants import did_you_mean

            hint = did_you_mean(base, store.model_ids())
            raise UserInputError(f"unknown model ID {model!r}" + (f"; did you mean {hint}?" if hint else
                                                                  "; see 'planner-tui models'."))
    if args.account:
        from ..services.views.discovered import check_account

        wanted = args.account.strip()
        check_account(store, wanted)
        lines = [line for line in lines if wanted in (line.caller.account_id, line.caller.account_name)]
    if args.json:
        print_json([line.as_json() for line in lines])
        return EXIT_OK
    if not lines:
        scanned = store.caller_scans()
        say((f"No caller of {model} " if model else "No caller ")
            + (f"in account {args.account.strip()!r} " if args.account else "")
            + ("in what CloudTrail kept (90 days)." if scanned else
               "recorded yet: 'planner-tui sync' reads them from CloudTrail (cloudtrail:LookupEvents)."))
        return EXIT_OK
    show(table(["ID", "ACCOUNT", "REGION", "PRINCIPAL", "MODEL", "CALLS", "LAST CALL", "FLAG", "ASSIGNED"],
               [[line.key, line.account, line.caller.region, line.caller.principal_arn, line.model_label,
                 f"{line.caller.calls:,}", line.caller.last_seen.strftime("%Y-%m-%d %H:%M"), line.flag,
                 line.app_name] for line in lines]))
    for line in lines:
        if line.idle:
            say(f"{line.key}: {line.caller.principal_arn} last called {line.caller.model_id} "
                f"({line.status.value if line.status else ''}) on {line.caller.last_seen:%Y-%m-%d}: accounts "
                "inactive for 15 days may lose access to a Legacy model.")
    return EXIT_OK
