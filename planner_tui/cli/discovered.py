"""`discovered [accept|dismiss]`: resources the sync found calling a model, and places in
code a scan recorded for no application (`scan PATH --record`, source: code)."""

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


def register(sub: Any, common: Parser) -> None:
    discovered = sub.add_parser("discovered", parents=[common],
                                help="resources found by sync and places found in code by 'scan --record' that "
                                     "call a model: assign or dismiss them")
    discovered.set_defaults(handler=cmd_list)
    discovered_sub = discovered.add_subparsers(dest="discovered_command", metavar="ACTION")
    discovered.add_argument("--json", action="store_true", help="print JSON")
    discovered.add_argument("--all", action="store_true",
                            help="include assigned and dismissed ones (and places in code no longer found)")
    discovered.add_argument("--account", metavar="ID_OR_NAME", help="only the resources of this AWS account")
    discovered.add_argument("--source", type=choice_arg("source", Source), metavar=metavar(Source),
                            help="only what the AWS sync found (aws) or what a scan of code found (code)")
    accept = discovered_sub.add_parser(
        "accept", parents=[common], help="make it a dependency of an app",
        description="Make a discovered resource (ID) or a place in code (cID, e.g. c12) a dependency of the "
                    "application; a place in code also becomes the application's evidence (its plans list it).")
    accept.add_argument("id", metavar="ID", help="a resource's ID, or c and a code finding's ID (c12)")
    accept.add_argument("--app", required=True, metavar="NAME")
    accept.add_argument("--region", metavar="R",
                        help="a code finding: the Region the application calls the model in (default: its ARN's)")
    accept.set_defaults(handler=cmd_accept)
    dismiss = discovered_sub.add_parser("dismiss", parents=[common], help="hide it from the list")
    dismiss.add_argument("id", metavar="ID", help="a resource's ID, or c and a code finding's ID (c12)")
    dismiss.set_defaults(handler=cmd_dismiss)


def cmd_accept(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..errors import UserInputError
    from ..services.commands import portfolio
    from ..services.commands.code_findings import accept_discovered_code
    from ..services.views.discovered import CODE, parse_key

    source, number = parse_key(args.id)
    app = store.application(args.app)
    assert app.id is not None
    if source == CODE:
        change = apply(accept_discovered_code, store, number, app.id, args.region, today)
        added = change.result.added
        what = f"{added[0].model_or_profile} in {added[0].region}" if added else "a model it uses already"
        say(plain(f"assigned to {app.name}: {what}; the place is its evidence now"))
        for plan_id in change.result.opened_plans:
            say(f"opened plan {plan_id} (see 'planner-tui plans show {plan_id}')")
        return EXIT_OK
    if args.region:
        raise UserInputError("--region is for a code finding (cID): a resource is in its own Region.")
    apply(portfolio.accept_discovered, store, number, app.id, today)
    say(f"assigned to {app.name}")
    return EXIT_OK


def cmd_dismiss(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands import portfolio
    from ..services.commands.code_findings import dismiss_code_finding
    from ..services.views.discovered import CODE, parse_key

    source, number = parse_key(args.id)
    apply(dismiss_code_finding if source == CODE else portfolio.dismiss_discovered, store, number)
    say("dismissed")
    return EXIT_OK


def cmd_list(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.views.discovered import code_rows, discovered_rows

    wanted = args.source.value if args.source else None
    resources = store.discovered(include_handled=args.all) if wanted != Source.CODE else []
    code = code_rows(store, include_handled=args.all) if wanted != Source.AWS and not args.account else []
    if args.account:
        account = args.account.strip()
        resources = [r for r in resources if account in (r.account_id, r.account_name)]
        if not resources:
            say(f"Nothing found in account {account!r}.")
            return EXIT_OK
    rows = discovered_rows(store, resources, today)
    if args.json:
        print_json([r.as_json() for r in rows] + [c.as_json() for c in code])
        return EXIT_OK
    several = len({r.account_id for r in resources}) > 1
    sources = bool(code)  # a Source column once there are places in code
    apps = {a.id: a.name for a in store.applications()}
    body: list[list[Any]] = [[r.resource.id] + (["aws"] if sources else []) + ([r.account] if several else [])
            + [r.resource.region, r.resource.kind.value, r.model_label, r.resource.name or r.resource.resource_id,
               r.flag, apps.get(r.resource.app_id, "dismissed" if r.resource.dismissed else "")] for r in rows]
    body += [[c.key, "code"] + ([""] if several else [])
             + [c.region, c.kind, c.model_label, f"{c.place}  {c.finding.reference.matched}", c.flag, c.assigned]
             for c in code]
    headers = (["ID"] + (["SOURCE"] if sources else []) + (["ACCOUNT"] if several else [])
               + ["REGION", "KIND", "MODEL", "NAME / RESOURCE" + (" / PLACE" if sources else ""), "FLAG",
                  "ASSIGNED"])
    show(table(headers, body) if body else _nothing(wanted))
    for row in rows:
        if row.past_eol and not row.resource.dismissed:
            say(f"{row.resource.id}: {row.outage_line}")
    if any(not c.finding.reference.known for c in code if c.finding.app_id is None):
        warn("An unknown model cannot be accepted: fix the code (see 'did you mean'), or dismiss it.")
    return EXIT_OK


def _nothing(source: str | None) -> str:
    if source == Source.CODE:
        return "No place in code unassigned. 'planner-tui scan PATH --record' records a scan for triage."
    return "Nothing unassigned. Run 'planner-tui sync' to discover resources."
