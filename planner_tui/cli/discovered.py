"""`discovered [accept|dismiss]`: resources the sync found calling a model."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from .common import EXIT_OK, Parser, apply, id_arg
from .output import print_json, say, show, table

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore


def register(sub: Any, common: Parser) -> None:
    discovered = sub.add_parser("discovered", parents=[common],
                                help="resources found by sync that call a model: assign or dismiss them")
    discovered.set_defaults(handler=cmd_list)
    discovered_sub = discovered.add_subparsers(dest="discovered_command", metavar="ACTION")
    discovered.add_argument("--json", action="store_true", help="print JSON")
    discovered.add_argument("--all", action="store_true", help="include assigned and dismissed ones")
    discovered.add_argument("--account", metavar="ID_OR_NAME", help="only the resources of this AWS account")
    accept = discovered_sub.add_parser("accept", parents=[common], help="make it a dependency of an app")
    accept.add_argument("id", type=id_arg)
    accept.add_argument("--app", required=True, metavar="NAME")
    accept.set_defaults(handler=cmd_accept)
    dismiss = discovered_sub.add_parser("dismiss", parents=[common], help="hide it from the list")
    dismiss.add_argument("id", type=id_arg)
    dismiss.set_defaults(handler=cmd_dismiss)


def cmd_accept(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands import portfolio

    app = store.application(args.app)
    apply(portfolio.accept_discovered, store, args.id, app.id, today)
    say(f"assigned to {app.name}")
    return EXIT_OK


def cmd_dismiss(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands import portfolio

    apply(portfolio.dismiss_discovered, store, args.id)
    say("dismissed")
    return EXIT_OK


def cmd_list(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.views.discovered import discovered_rows

    resources = store.discovered(include_handled=args.all)
    if args.account:
        wanted = args.account.strip()
        resources = [r for r in resources if wanted in (r.account_id, r.account_name)]
        if not resources:
            say(f"Nothing found in account {wanted!r}.")
            return EXIT_OK
    rows = discovered_rows(store, resources, today)
    several = len({r.account_id for r in resources}) > 1
    if args.json:
        print_json([r.as_json() for r in rows])
        return EXIT_OK
    apps = {a.id: a.name for a in store.applications()}
    show(table(
        ["ID"] + (["ACCOUNT"] if several else []) + ["REGION", "KIND", "MODEL", "NAME / RESOURCE", "FLAG",
                                                     "ASSIGNED"],
        [[r.resource.id] + ([r.account] if several else [])
         + [r.resource.region, r.resource.kind.value, r.model_label, r.resource.name or r.resource.resource_id,
            r.flag, apps.get(r.resource.app_id, "dismissed" if r.resource.dismissed else "")] for r in rows],
    ) if rows else "Nothing unassigned. Run 'planner-tui sync' to discover resources.")
    for row in rows:
        if row.past_eol and not row.resource.dismissed:
            say(f"{row.resource.id}: {row.outage_line}")
    return EXIT_OK
