"""`sync`: refresh lifecycle data and discover what calls each model, from an AWS account.
Exit 0 complete, 1 partial, 3 failed."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

from .common import Parser
from .output import say, show, table

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore


def register(sub: Any, common: Parser) -> None:
    sync = sub.add_parser("sync", parents=[common],
                          help="refresh lifecycle data and discover dependencies from your AWS account")
    sync.add_argument("--profile", help="AWS profile (default: the standard AWS configuration)")
    sync.add_argument("--regions", metavar="R1,R2", help="Regions to sync (default: those your "
                      "applications use, plus the profile's Region)")
    sync.add_argument("--all-regions", action="store_true", help="every Region that offers Bedrock")
    sync.add_argument("--skip", default="", metavar="STEPS",
                      help="leave out some of: discovery, usage, health (comma-separated)")
    sync.set_defaults(handler=cmd_sync)


def cmd_sync(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..integrations.aws.clients import make_session
    from ..integrations.aws.sync import EXIT_FAILED, SyncFailed, choose_regions, run_sync

    session = make_session(args.profile)
    regions = choose_regions(store, session, args.regions, args.all_regions)
    skip = frozenset(s.strip() for s in args.skip.split(",") if s.strip())

    def progress(region: str, fraction: float, message: str) -> None:
        say(f"[{region}] {message}", file=sys.stderr)
        sys.stderr.flush()

    try:
        # Ctrl+C stops it within a moment: what finished is kept, the report says cancelled.
        report = run_sync(store, session, regions, today, skip, progress)
    except SyncFailed as error:
        say(f"planner-tui: sync failed: {error}", file=sys.stderr)
        return EXIT_FAILED
    show(table(
        ["REGION", "STATE", "MODELS", "DATES CHANGED", "RETIRED", "DISCOVERED", "NOTE"],
        [[r.region, r.state, r.models, r.changed_dates, r.retired,
          f"{r.discovered} ({r.new_discovered} new)", r.error or "; ".join(r.warnings)]
         for r in report.regions],
    ))
    for region in report.regions:
        for line in region.outages:
            say(line)
        if region.unknown_models:
            say(f"{region.region}: {region.unknown_models} resource(s) on a model the catalog does not "
                "know, kept as 'unknown model' ('planner-tui discovered' lists them).")
    for region in report.regions:
        if region.invocation_logging:
            say(f"{region.region}: model invocation logging {region.invocation_logging}")
    if report.health_note:
        say(report.health_note)
    elif "health" not in skip and not report.cancelled:
        say(f"AWS Health: {report.health_events} Bedrock event(s).")
    say(f"sync {report.outcome}: {report.synced} of {len(report.regions)} Region(s) synced"
        + (" (kept; Ctrl+C stopped the rest)." if report.cancelled else "."))
    return report.exit_code
