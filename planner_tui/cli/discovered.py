"""`discovered [accept|dismiss]`: resources the sync found calling a model, places in code a
scan recorded for no application (`scan PATH --record`, source: code), and the principals
CloudTrail saw calling a model (source: cloudtrail) that no application has taken yet."""

from __future__ import annotations

import argparse
import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from .common import EXIT_OK, Parser, apply, choice_arg, metavar
from .output import plain, print_json, say, show, table, warn

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore


class Source(StrEnum):
    AWS = "aws"
    CODE = "code"
    CLOUDTRAIL = "cloudtrail"

IDS = "a resource's ID, c and a code finding's ID (c12), or t and a caller's ID (t7)"


def register(sub: Any, common: Parser) -> None:
    discovered = sub.add_parser("discovered", parents=[common],
                                help="resources found by sync, places found in code by 'scan --record' and "
                                     "CloudTrail's callers that call a model: assign or dismiss them")
    discovered.set_defaults(handler=cmd_list)
    discovered_sub = discovered.add_subparsers(dest="discovered_command", metavar="ACTION")
    discovered.add_argument("--json", action="store_true", help="print JSON")
    discovered.add_argument("--all", action="store_true",
                            help="include assigned and dismissed ones (and places in code no longer found)")
    discovered.add_argument("--account", metavar="ID_OR_NAME",
                            help="only the resources and callers of this AWS account")
    discovered.add_argument("--source", type=choice_arg("source", Source), metavar=metavar(Source),
                            help="only what the AWS sync found (aws), what a scan of code found (code) or who "
                                 "CloudTrail saw calling a model (cloudtrail)")
    accept = discovered_sub.add_parser(
        "accept", parents=[common], help="make it a dependency of an app",
        description="Make a discovered resource (ID), a place in code (cID, e.g. c12) or a caller (tID, e.g. t7) "
                    "a dependency of the application; a place in code also becomes the application's evidence "
                    "(its plans list it).")
    accept.add_argument("id", metavar="ID", help=IDS)
    accept.add_argument("--app", required=True, metavar="NAME")
    accept.add_argument("--region", metavar="R",
                        help="a code finding: the Region the application calls the model in (default: its ARN's)")
    accept.add_argument("--env", metavar="ENV",
                        help="a caller: the dependency's environment (default prod)")
    accept.set_defaults(handler=cmd_accept)
    dismiss = discovered_sub.add_parser("dismiss", parents=[common], help="hide it from the list")
    dismiss.add_argument("id", metavar="ID", help=IDS)
    dismiss.set_defaults(handler=cmd_dismiss)


def cmd_accept(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..errors import UserInputError
    from ..services.commands import portfolio
    from ..services.commands.code_findings import accept_discovered_code
    from ..services.views.discovered import CLOUDTRAIL, CODE, parse_key

    source, number = parse_key(args.id)
    if args.region and source != CODE:
        raise UserInputError("--region is for a code finding (cID): a resource or a caller is in its own Region.")
    if args.env is not None and source != CLOUDTRAIL:
        raise UserInputError("--env is for a caller (tID): a resource or a place in code is taken as found.")
    app = store.application(args.app)
    assert app.id is not None
    if source == CLOUDTRAIL:
        return _accept_caller(store, number, app.id, app.name, args.env, today)
    if source == CODE:
        change = apply(accept_discovered_code, store, number, app.id, args.region, today)
        added = change.result.added
        what = f"{added[0].model_or_profile} in {added[0].region}" if added else "a model it uses already"
        say(plain(f"assigned to {app.name}: {what}; the place is its evidence now"))
        for plan_id in change.result.opened_plans:
            say(f"opened plan {plan_id} (see 'planner-tui plans show {plan_id}')")
        return EXIT_OK
    apply(portfolio.accept_discovered, store, number, app.id, today)
    say(f"assigned to {app.name}")
    return EXIT_OK


def _accept_caller(store: ProjectStore, caller_id: int, app_id: int, app_name: str, environment: str | None,
                   today: dt.date) -> int:
    from ..services.commands.callers import accept_caller

    change = apply(accept_caller, store, caller_id, app_id, today, environment or "prod")
    caller = store.caller(caller_id)
    assert caller is not None
    say(plain(f"assigned to {app_name}: {caller.profile_id or caller.model_id} in {caller.region}"
              + ("" if change.result is not None else " (it used it there already)")
              + f", as {caller.principal_arn} calls it"))
    if change.note:
        say(plain(change.note))
    return EXIT_OK


def cmd_dismiss(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands import portfolio
    from ..services.commands.callers import dismiss_caller
    from ..services.commands.code_findings import dismiss_code_finding
    from ..services.views.discovered import CLOUDTRAIL, CODE, parse_key

    source, number = parse_key(args.id)
    dismiss = {CODE: dismiss_code_finding, CLOUDTRAIL: dismiss_caller}.get(source, portfolio.dismiss_discovered)
    apply(dismiss, store, number)
    say("dismissed")
    return EXIT_OK


def cmd_list(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.views.callers import lines_of
    from ..services.views.discovered import check_account, code_rows, discovered_rows

    wanted = args.source.value if args.source else None
    resources = store.discovered(include_handled=args.all) if wanted in (None, Source.AWS) else []
    code = code_rows(store, include_handled=args.all) if wanted in (None, Source.CODE) and not args.account else []
    callers = ((store.callers() if args.all else store.triage_callers()) if wanted in (None, Source.CLOUDTRAIL)
               else [])
    if args.account:
        account = args.account.strip()
        check_account(store, account)
        resources = [r for r in resources if account in (r.account_id, r.account_name)]
        callers = [c for c in callers if account in (c.account_id, c.account_name)]
        if not resources and not callers:
            say(plain(f"Nothing found in account {account!r}."))
            return EXIT_OK
    rows = discovered_rows(store, resources, today)
    lines = lines_of(store, today, callers)
    if args.json:
        print_json([r.as_json() for r in rows] + [c.as_json() for c in code]
                   + [{"source": Source.CLOUDTRAIL.value, "key": line.key, **line.as_json()} for line in lines])
        return EXIT_OK
    several = len({r.account_id for r in resources} | {c.account_id for c in callers}) > 1
    sources = bool(code) or bool(lines)  # a Source column once there is more than the sync's resources
    apps = {a.id: a.name for a in store.applications()}
    body: list[list[Any]] = [[r.resource.id] + (["aws"] if sources else []) + ([r.account] if several else [])
            + [r.resource.region, r.resource.kind.value, r.model_label, r.resource.name or r.resource.resource_id,
               r.flag, apps.get(r.resource.app_id, "dismissed" if r.resource.dismissed else "")] for r in rows]
    body += [[c.key] + (["code"] if sources else []) + ([""] if several else [])
             + [c.region, c.kind, c.model_label, f"{c.place}  {c.finding.reference.matched}", c.flag, c.assigned]
             for c in code]
    body += [[line.key] + (["cloudtrail"] if sources else []) + ([line.account] if several else [])
             + [line.caller.region, "caller", line.model_label,
                f"{line.caller.principal_arn}  {line.caller.calls:,} calls, last {line.caller.last_seen:%Y-%m-%d}",
                line.triage_flag,
                line.app_name or ("dismissed" if line.caller.dismissed else "")]
             for line in lines]
    headers = (["ID"] + (["SOURCE"] if sources else []) + (["ACCOUNT"] if several else [])
               + ["REGION", "KIND", "MODEL", "NAME / RESOURCE" + (" / PLACE" if code else "")
                  + (" / CALLER" if lines else ""), "FLAG", "ASSIGNED"])
    show(table(headers, body) if body else _nothing(wanted))
    for row in rows:
        if row.past_eol and not row.resource.dismissed:
            say(f"{row.resource.id}: {row.outage_line}")
    if any(not c.finding.reference.known for c in code if c.finding.app_id is None):
        warn("An unknown model cannot be accepted: fix the code (see 'did you mean'), or dismiss it.")
    if any(line.idle for line in lines):
        say("A caller flagged idle last called a Legacy model more than 15 days ago: accounts inactive for 15 "
            "days may lose access to it.")
    return EXIT_OK


def _nothing(source: str | None) -> str:
    if source == Source.CODE:
        return "No place in code unassigned. 'planner-tui scan PATH --record' records a scan for triage."
    if source == Source.CLOUDTRAIL:
        return ("No caller unassigned. 'planner-tui sync' reads who calls each model from CloudTrail "
                "('planner-tui callers' lists every one).")
    return "Nothing unassigned. Run 'planner-tui sync' to discover resources."
