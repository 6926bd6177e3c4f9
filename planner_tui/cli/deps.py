"""`deps add|remove`: what an application uses; plans open and close with it."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from ..errors import NotFoundError, UserInputError
from .common import EXIT_OK, Parser, apply, group, parse_uses, validated, volume_arg
from .output import say

if TYPE_CHECKING:
    from ..domain.models import Application, Dependency
    from ..persistence.store import ProjectStore


def register(sub: Any, common: Parser) -> None:
    actions = group(sub, "deps", common, "add or remove what an application uses", "deps_command")
    add = actions.add_parser("add", parents=[common],
                             help="the application uses a model (or inference profile) in a Region")
    add.add_argument("app", metavar="APP")
    add.add_argument("--uses", required=True, metavar="MODEL_ID@REGION")
    add.add_argument("--env", default="prod", metavar="ENV", help="its environment (default prod)")
    add.add_argument("--volume", type=volume_arg, default=0, metavar="N", help="requests per month")
    add.add_argument("--notes", default="")
    add.set_defaults(handler=cmd_add)
    remove = actions.add_parser("remove", parents=[common],
                                help="the application no longer uses a model in a Region")
    remove.add_argument("app", metavar="APP")
    remove.add_argument("--uses", required=True, metavar="MODEL_ID@REGION")
    remove.add_argument("--env", metavar="ENV", help="only the dependency of this environment")
    remove.set_defaults(handler=cmd_remove)


def cmd_add(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..domain.models import Dependency
    from ..services.commands import portfolio

    app = store.application(args.app)
    model_id, region = parse_uses(args.uses)
    dependency = validated(Dependency, {"app_id": app.id, "model_id": model_id, "region": region,
                                        "environment": args.env.strip() or "prod",
                                        "monthly_volume": args.volume, "notes": args.notes})
    resolved = store.resolve_dependency(dependency)  # a read: names the model a profile ID stands for
    opened = apply(portfolio.add_dependency, store, dependency, today).result
    say(f"{app.name} now uses {resolved.model_id} in {resolved.region}")
    for plan in opened:
        say(f"opened plan {plan.id} for {plan.model_id} (see 'planner-tui plans show {plan.id}')")
    return EXIT_OK


def cmd_remove(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands import portfolio

    app = store.application(args.app)
    found = _matching(store, app, args.uses, args.env)
    closed: list[int] = []
    for dependency in found:
        closed += apply(portfolio.remove_dependency, store, dependency.id, today).result
    what = f"{found[0].model_id} in {found[0].region}"
    say(f"{app.name} no longer uses {what}" + (f" ({len(found)} dependencies)" if len(found) > 1 else ""))
    for plan_id in closed:
        say(f"closed plan {plan_id} as no longer needed (reopens if {app.name} uses the model again)")
    return EXIT_OK


def _matching(store: ProjectStore, app: Application, spec: str, env: str | None) -> list[Dependency]:
    """The application's dependencies on MODEL_ID@REGION (a profile ID: those through it)."""
    from ..domain.validation import split_profile

    model_or_profile, region = parse_uses(spec)
    model_id, profile_id = split_profile(model_or_profile.strip())
    region = region.strip().lower()
    mine = store.dependencies(app.id)
    found = [d for d in mine if d.model_id == model_id and d.region == region
             and (not profile_id or d.resource_id == profile_id)
             and (env is None or d.environment == env.strip())]
    if not found:
        uses = ", ".join(sorted({f"{d.model_id}@{d.region}" for d in mine})) or "nothing"
        env_text = f" in environment {env!r}" if env is not None else ""
        raise NotFoundError(f"{app.name} does not use {model_or_profile} in {region}{env_text}; it uses {uses}.")
    environments = {d.environment for d in found}
    if env is None and len(environments) > 1:
        raise UserInputError(f"{app.name} uses {model_or_profile} in {region} in environments "
                             f"{', '.join(sorted(environments))}: say which with --env.")
    return found
