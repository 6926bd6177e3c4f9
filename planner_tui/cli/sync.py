"""`sync`: refresh lifecycle data and discover what calls each model, from an AWS account.
Exit 0 complete, 1 partial, 3 failed."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

from ..domain.arns import account_label
from .common import Parser
from .output import say, show, table

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore


def register(sub: Any, common: Parser) -> None:
    sync = sub.add_parser("sync", parents=[common],
                          help="refresh lifecycle data and discover dependencies from your AWS account")
    sync.add_argument("--profile", help="AWS profile (default: the standard AWS configuration)")
    sync.add_argument("--profiles", metavar="A,B,C", help="several accounts: named or SSO profiles of "
                      "your AWS config, each synced as its own account")
    sync.add_argument("--org", action="store_true", help="every ACTIVE account of the organization "
                      "(run from the management account or a delegated administrator)")
    sync.add_argument("--role-name", metavar="NAME", help="with --org: the role assumed in each "
                      "account (default OrganizationAccountAccessRole)")
    sync.add_argument("--external-id", metavar="ID", help="with --org: the external ID the role's "
                      "trust policy asks for")
    sync.add_argument("--regions", metavar="R1,R2", help="Regions to sync (default: those your "
                      "applications use, plus the profile's Region)")
    sync.add_argument("--all-regions", action="store_true", help="every Region that offers Bedrock")
    sync.add_argument("--skip", default="", metavar="STEPS",
                      help="leave out some of: discovery, usage, health, callers (comma-separated)")
    sync.set_defaults(handler=cmd_sync)


def now() -> dt.datetime:
    """The sync's clock (CloudTrail windows, when it ran): read here, at the entry point."""
    return dt.datetime.now(dt.UTC)


def cmd_sync(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..errors import UserInputError
    from ..integrations.aws import accounts as aws_accounts
    from ..integrations.aws.clients import client_config, make_session
    from ..integrations.aws.sync import ACROSS, EXIT_FAILED, SyncFailed, choose_regions, run_sync

    chosen = [flag for flag, on in (("--profile", args.profile), ("--profiles", args.profiles),
                                    ("--org", args.org)) if on]
    if len(chosen) > 1:
        raise UserInputError(f"use one of {', '.join(chosen)}, not several.")
    if (args.role_name or args.external_id) and not args.org:
        raise UserInputError("--role-name and --external-id go with --org.")
    session = make_session(args.profile)
    regions = choose_regions(store, session, args.regions, args.all_regions)
    skip = frozenset(s.strip() for s in args.skip.split(",") if s.strip())
    try:
        if args.profiles:
            accounts = aws_accounts.from_profiles(args.profiles)
        elif args.org:
            accounts = aws_accounts.from_organization(session, client_config(session), args.role_name,
                                                      args.external_id)
            say(f"organization: {len(accounts)} ACTIVE account(s)", file=sys.stderr)
        else:
            accounts = None
    except aws_accounts.AccountsFailed as error:
        say(f"planner-tui: sync failed: {error}", file=sys.stderr)
        return EXIT_FAILED

    done: dict[str, set[str]] = {}  # account -> its Regions finished (a sync of several accounts)

    def progress(where: str, fraction: float, message: str) -> None:
        account, across, region = where.rpartition(ACROSS)
        if across and len(regions) > 1:  # one line per account as its Regions finish, not six per Region
            if fraction < 1.0:
                return
            done.setdefault(account, set()).add(region)
            message = f"{len(done[account])} of {len(regions)} Region(s) done" + (
                f" ({region} failed)" if message == "failed" else "")
            where = account
        say(f"[{where}] {message}", file=sys.stderr)
        sys.stderr.flush()

    try:
        # Ctrl+C stops it within a moment: what finished is kept, the report says cancelled.
        report = run_sync(store, session, regions, today, skip, progress, now=now, accounts=accounts,
                          organization=session if args.org else None)
    except SyncFailed as error:
        say(f"planner-tui: sync failed: {error}", file=sys.stderr)
        return EXIT_FAILED
    several = report.accounts > 1 or bool(accounts)
    failed_accounts = set(report.failed_accounts)
    rows = [r for r in report.regions if r.error not in failed_accounts]
    show(table(
        (["ACCOUNT"] if several else []) + ["REGION", "STATE", "MODELS", "DATES CHANGED", "RETIRED",
                                            "DISCOVERED", "NOTE"],
        [([account_label(r.account_id, r.account_name)] if several else [])
         + [r.region, r.state, r.models, r.changed_dates, r.retired,
            f"{r.discovered} ({r.new_discovered} new)", r.error or "; ".join(r.warnings)]
         for r in rows],
    ) if rows else "No Region was synced.")
    for line in report.failed_accounts:
        say(f"FAILED: {line}")
    def where(r: Any) -> str:
        return f"{account_label(r.account_id, r.account_name)}, {r.region}" if several else r.region

    for region in report.regions:
        for line in region.outages:
            say(line)
        if region.unknown_models:
            say(f"{where(region)}: {region.unknown_models} resource(s) on a model the catalog does not "
                "know, kept as 'unknown model' ('planner-tui discovered' lists them).")
    for region in report.regions:
        if region.invocation_logging:
            say(f"{where(region)}: model invocation logging {region.invocation_logging}")
    if "callers" not in skip and not report.cancelled:
        found = sum(r.callers for r in report.regions)
        say(f"CloudTrail: {found} new caller(s) of Bedrock models"
            + (" ('planner-tui callers' lists them; 'callers idle' the idle Legacy dependencies)." if found else "."))
    if report.health_note:
        say(report.health_note)
    elif "health" not in skip and not report.cancelled:
        source = f" ({report.health_source})" if report.health_source else ""
        say(f"AWS Health{source}: {report.health_events} Bedrock event(s).")
    synced_accounts = report.accounts - len(report.failed_accounts)
    scope = (f"{synced_accounts} of {report.accounts} account(s), " if several else "")
    say(f"sync {report.outcome}: {scope}{report.synced} of {len(report.regions)} Region(s) synced"
        + (" (kept; Ctrl+C stopped the rest)." if report.cancelled else "."))
    return report.exit_code
