"""`models`: the catalog with each model's status today, one row per Region group."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from ..domain.vocabulary import Status
from ..errors import UserInputError
from ..services import overview
from .common import EXIT_OK, Parser, choice_arg, metavar
from .output import print_json, show, table

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore


def register(sub: Any, common: Parser) -> None:
    models = sub.add_parser("models", parents=[common], help="list models with their status per Region")
    models.add_argument("--status", type=choice_arg("status", Status), metavar=metavar(Status),
                        help="only this status today (any case)")
    models.add_argument("--region", help="only rows covering this Region")
    models.add_argument("--json", action="store_true", help="print JSON")
    models.set_defaults(handler=cmd_models)


def cmd_models(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    region = args.region.strip().lower() if args.region else None
    if region:
        known = sorted({r for row in overview.model_rows(store, today) for r in row.regions})
        if region not in known:
            raise UserInputError(f"unknown Region {args.region!r}: the catalog knows {', '.join(known)}.")
    rows = overview.model_rows(store, today, args.status, region)
    if args.json:
        print_json([
            {
                "model_id": r.model.model_id, "name": r.model.name, "provider": r.model.provider,
                "regions": list(r.regions), "status": r.status.value,
                "legacy_date": r.lifecycle.legacy_date if r.lifecycle else None,
                "pea_date": r.lifecycle.pea_date if r.lifecycle else None,
                "eol_date": r.lifecycle.eol_date if r.lifecycle else None,
                "source": r.lifecycle.source if r.lifecycle else r.model.source_url,
                "as_of": r.lifecycle.as_of if r.lifecycle else r.model.as_of,
            }
            for r in rows
        ])
        return EXIT_OK
    show(table(
        ["MODEL ID", "PROVIDER", "STATUS", "LEGACY", "PEA", "EOL", "REGIONS"],
        [
            [r.model.model_id, r.model.provider, r.status.value,
             r.lifecycle.legacy_date if r.lifecycle else "", r.lifecycle.pea_date if r.lifecycle else "",
             r.lifecycle.eol_date if r.lifecycle else "", overview.regions_label(r.regions, 4)]
            for r in rows
        ],
    ))
    return EXIT_OK
