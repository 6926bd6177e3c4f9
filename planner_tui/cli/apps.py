"""`apps add|import|list|edit|remove`: applications and what they use."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.vocabulary import Criticality
from ..errors import UserInputError
from .common import EXIT_OK, Parser, apply, choice_arg, group, metavar, parse_uses, validated
from .output import print_json, say, show, table

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore


def register(sub: Any, common: Parser) -> None:
    actions = group(sub, "apps", common, "manage applications", "apps_command")
    add = actions.add_parser("add", parents=[common], help="add an application and what it uses")
    add.add_argument("name")
    add.add_argument("--owner", required=True)
    add.add_argument("--team", default="")
    add.add_argument("--criticality", type=choice_arg("criticality", Criticality),
                     default=Criticality.MEDIUM, metavar=metavar(Criticality))
    add.add_argument("--uses", action="append", default=[], metavar="MODEL_ID@REGION",
                     help="a model (or inference profile) ID and Region; repeatable")
    add.add_argument("--env", default="prod", help="environment of these dependencies")
    add.add_argument("--notes", default="")
    add.set_defaults(handler=cmd_add)

    bulk = actions.add_parser("import", parents=[common],
                              help="add applications and dependencies from CSV (all or nothing)")
    bulk.add_argument("file", type=Path)
    bulk.set_defaults(handler=cmd_import)

    listing = actions.add_parser("list", parents=[common], help="list applications")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_list)

    edit = actions.add_parser("edit", parents=[common], help="change an application's name, owner, "
                              "team, criticality, environments or notes")
    edit.add_argument("name")
    edit.add_argument("--name", dest="new_name", metavar="NEW_NAME")
    edit.add_argument("--owner")
    edit.add_argument("--team")
    edit.add_argument("--criticality", type=choice_arg("criticality", Criticality), metavar=metavar(Criticality))
    edit.add_argument("--env", action="append", metavar="ENV",
                      help="its environments: repeatable or comma-separated (replaces the list)")
    edit.add_argument("--notes")
    edit.set_defaults(handler=cmd_edit)

    remove = actions.add_parser("remove", parents=[common],
                                help="remove an application with its dependencies and plans")
    remove.add_argument("name")
    remove.set_defaults(handler=cmd_remove)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def cmd_add(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..domain.models import Application, Dependency  # pydantic: only for commands that validate input
    from ..services.commands import portfolio

    app = validated(Application, {"name": args.name, "owner": args.owner, "team": args.team,
                                  "criticality": args.criticality, "notes": args.notes,
                                  "environments": (args.env,)})
    dependencies = []
    for spec in args.uses:
        model_id, region = parse_uses(spec)
        dependencies.append(Dependency(app_id=0, model_id=model_id, region=region, environment=args.env))
    added = apply(portfolio.add_application, store, app, dependencies, today).result
    plans = [p for p in store.plans(with_items=False) if p.app_id == added.id]
    say(f"added {added.name} with {_plural(len(dependencies), 'dependency', 'dependencies')}"
          f"; {len(plans)} migration plan(s) created")
    return EXIT_OK


SHOWN_WARNINGS = 5  # past-EOL warnings of an import shown one by one; more are summed up


def _import_warning(note: str) -> str:
    """Onboarding's warning, one sentence pair per dependency on a model already past its
    EOL there, summed up when there are more than a few (an import of thousands would print
    them all on one line)."""
    import re
    from collections import Counter

    past_eol = re.compile(r"(\S+) is past its EOL in (\S+): calls to it fail already\. "
                          r"The plan for it is rated 'past EOL'\.")
    found = Counter(f"{match[1]}@{match[2]}" for match in past_eol.finditer(note))
    total = sum(found.values())
    if total <= SHOWN_WARNINGS:
        return note
    common = ", ".join(f"{target} ({count})" for target, count in found.most_common(SHOWN_WARNINGS))
    more = len(found) - SHOWN_WARNINGS
    rest = " ".join(past_eol.sub("", note).split())
    return (f"{total:,} imported dependencies are on models already past their EOL in their Region: "
            f"calls to them fail already, and their plans are rated 'past EOL'. Most of them: {common}"
            + (f", and {more} more model@Region" if more > 0 else "") + "." + (f" {rest}" if rest else ""))


def cmd_import(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..integrations.csv_import import parse_csv
    from ..services.commands.onboarding import add_applications
    from .output import warn

    batch = parse_csv(store, args.file)
    applications, dependencies = len(batch), sum(len(deps) for _, deps in batch)
    change = add_applications(store, batch, today)  # a use case, as `apply` runs it
    if change.note:
        warn(_import_warning(change.note))
    say(f"imported {applications} application(s) with {dependencies} dependencies from {args.file}")
    return EXIT_OK


def cmd_list(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    apps = store.applications()
    deps = store.dependencies()
    if args.json:
        print_json([
            {**a.model_dump(mode="json"),
             "dependencies": [d.model_dump(mode="json") for d in deps if d.app_id == a.id]}
            for a in apps
        ])
    else:
        show(table(
            ["NAME", "OWNER", "TEAM", "CRITICALITY", "USES"],
            [[a.name, a.owner, a.team, a.criticality.value,
              ", ".join(sorted({f"{d.model_id}@{d.region}" for d in deps if d.app_id == a.id}))]
             for a in apps],
        ) if apps else "No applications yet: add one with 'planner-tui apps add NAME --owner O'.")
    return EXIT_OK


def cmd_edit(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..domain.models import Application
    from ..services.commands import portfolio

    app = store.application(args.name)
    updates: dict[str, Any] = {key: value for key, value in (
        ("name", args.new_name), ("owner", args.owner), ("team", args.team),
        ("criticality", args.criticality), ("notes", args.notes)) if value is not None}
    if args.env is not None:
        environments = tuple(e.strip() for spec in args.env for e in spec.split(",") if e.strip())
        if not environments:
            raise UserInputError("--env needs at least one environment name.")
        updates["environments"] = environments
    if not updates:
        raise UserInputError("nothing to change: give --name, --owner, --team, --criticality, --env or --notes.")
    edited = validated(Application, {**app.model_dump(), **updates})
    saved = apply(portfolio.edit_application, store, edited).result
    changed = [key for key in updates if getattr(saved, key) != getattr(app, key)]
    say(f"edited {saved.name}: " + (", ".join(changed) + " changed" if changed else "nothing changed"))
    return EXIT_OK


def cmd_remove(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..services.commands import portfolio

    app = store.application(args.name)
    dependencies = len(store.dependencies(app.id))
    plans = sum(p.app_id == app.id for p in store.plans(with_items=False))
    apply(portfolio.remove_application, store, app.id)
    say(f"removed {app.name} with {_plural(dependencies, 'dependency', 'dependencies')} "
          f"and {_plural(plans, 'migration plan', 'migration plans')}")
    return EXIT_OK
