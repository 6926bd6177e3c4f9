"""Refresh lifecycle data and discover dependencies in several Regions at once.

Each Region runs in its own thread (boto3 clients are thread-safe; sessions are not, so
clients are made on the calling thread, each Region starting as soon as its are ready).
Results are merged into the project on the calling thread, one transaction per Region, so
what one Region brought is kept even when another fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ...domain.aws_records import DiscoveredResource, ListedModel, UsagePoint
from ...domain.validation import check_region
from ...errors import PlannerError, UserInputError
from ...persistence.store import ProjectStore
from . import bedrock, health, usage
from .clients import client_config, has_credentials
from .errors import explain

STEPS = ("discovery", "usage", "health")
EXIT_COMPLETE, EXIT_PARTIAL, EXIT_FAILED = 0, 1, 3
MAX_THREADS = 32  # one thread per Region for a full --all-regions sync

Progress = Callable[[str, float, str], None]  # region, fraction done, message


class SyncFailed(PlannerError):
    """Nothing could be synced (no credentials, expired token)."""


@dataclass
class RegionReport:
    region: str
    state: str = "pending"  # ok | partial | failed
    models: int = 0
    changed_dates: int = 0
    new_models: int = 0
    retired: int = 0
    discovered: int = 0
    new_discovered: int = 0
    usage_series: int = 0
    invocation_logging: str = ""
    warnings: list[str] = field(default_factory=list)
    error: str = ""


@dataclass
class SyncReport:
    started: dt.datetime
    finished: dt.datetime | None = None
    regions: list[RegionReport] = field(default_factory=list)
    health_events: int = 0
    health_note: str = ""

    @property
    def outcome(self) -> str:
        states = {r.state for r in self.regions}
        if not self.regions or states == {"failed"}:
            return "failed"
        if states == {"ok"} and not self.health_note.startswith("AWS Health failed"):
            return "complete"
        return "partial"

    @property
    def exit_code(self) -> int:
        return {"complete": EXIT_COMPLETE, "partial": EXIT_PARTIAL, "failed": EXIT_FAILED}[self.outcome]

    def as_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "health_events": self.health_events,
                "health_note": self.health_note, "regions": [asdict(r) for r in self.regions]}


@dataclass
class _RegionResult:
    region: str
    listed: list[ListedModel] | None = None
    discovered: list[DiscoveredResource] = field(default_factory=list)
    usage: list[UsagePoint] = field(default_factory=list)
    invocation_logging: str = ""
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    fatal_kind: str = ""


def choose_regions(store: ProjectStore, session: Any, regions: str | None, all_regions: bool) -> list[str]:
    if regions and all_regions:
        raise UserInputError("use either --regions or --all-regions, not both.")
    if all_regions:
        return sorted(session.get_available_regions("bedrock"))
    if regions:
        chosen = [check_region(r) for r in regions.split(",") if r.strip()]
        if not chosen:
            raise UserInputError("--regions needs at least one Region.")
        return sorted(set(chosen))
    used = {d.region for d in store.dependencies()}
    return sorted(used | {session.region_name or "us-east-1"})


def _sync_region(region: str, bedrock_client: Any, cloudwatch_client: Any | None, do_discovery: bool,
                 known_ids: set[str], today: dt.date, progress: Progress) -> _RegionResult:
    result = _RegionResult(region)
    try:
        progress(region, 0.1, "listing foundation models")
        result.listed = bedrock.list_models(bedrock_client)
    except (ClientError, BotoCoreError) as error:
        result.fatal_kind, result.error = explain(error, "bedrock", region)
        progress(region, 1.0, "failed")
        return result
    try:
        if do_discovery:
            progress(region, 0.4, "discovering inference profiles, throughput, custom models, jobs")
            result.discovered, warnings = bedrock.discover(bedrock_client, region)
            result.warnings += warnings
            try:
                result.invocation_logging = bedrock.invocation_logging(bedrock_client)
            except (ClientError, BotoCoreError) as error:
                result.warnings.append(explain(error, "bedrock", region)[1])
        if cloudwatch_client is not None:
            progress(region, 0.7, "reading 30 days of CloudWatch invocations")
            ids = set(known_ids)
            ids |= {m.model_id for m in result.listed if m.status == "LEGACY"}
            ids |= {d.model_id for d in result.discovered}
            ids |= {d.resource_id for d in result.discovered if d.kind.value == "inference-profile"}
            try:
                ids |= usage.active_model_ids(cloudwatch_client)
                result.usage = usage.fetch_usage(cloudwatch_client, region, ids, today)
            except (ClientError, BotoCoreError) as error:
                result.warnings.append(explain(error, "cloudwatch", region)[1])
    except (ClientError, BotoCoreError) as error:
        kind, message = explain(error, "bedrock", region)
        result.warnings.append(message)
        if kind in ("credentials", "expired"):
            result.fatal_kind, result.error = kind, message
    progress(region, 1.0, "done" if not result.warnings else "done with warnings")
    return result


def run_sync(store: ProjectStore, session: Any, regions: Iterable[str], today: dt.date,
             skip: frozenset[str] = frozenset(), progress: Progress | None = None,
             now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> SyncReport:
    """Sync the chosen Regions; returns a report whose outcome is complete, partial or failed."""
    if store.read_only:
        raise UserInputError("this project is open read-only (--read-only); a sync would change it.")
    unknown = skip - set(STEPS)
    if unknown:
        raise UserInputError(f"unknown --skip {', '.join(sorted(unknown))}: choose from {', '.join(STEPS)}.")
    if not has_credentials(session):
        raise SyncFailed("no AWS credentials found: set AWS_PROFILE or --profile, "
                         "or run 'aws configure' / 'aws sso login'.")
    report_progress = progress or (lambda region, fraction, message: None)
    regions = list(regions)
    report = SyncReport(started=now(), regions=[RegionReport(r) for r in regions])
    by_region = {r.region: r for r in report.regions}
    config = client_config(session)
    known: dict[str, set[str]] = {region: set() for region in regions}
    for dependency in store.dependencies():
        if dependency.region in known:
            known[dependency.region].add(dependency.model_id)
            if dependency.resource_id and not dependency.resource_id.startswith("arn:"):
                known[dependency.region].add(dependency.resource_id)

    with ThreadPoolExecutor(max_workers=max(1, min(MAX_THREADS, len(regions)))) as pool:
        futures = []
        for region in regions:
            # Clients are made here, one after another (a session is not thread-safe), and
            # each Region starts as soon as its own are ready.
            bedrock_client = session.client("bedrock", region_name=region, config=config)
            cloudwatch_client = (None if "usage" in skip
                                 else session.client("cloudwatch", region_name=region, config=config))
            if not futures:
                # botocore reads a service's paginator definitions when a client first pages;
                # done here once for the session, not by every Region's thread at the same time.
                bedrock_client.can_paginate("list_inference_profiles")
                if cloudwatch_client is not None:
                    cloudwatch_client.can_paginate("list_metrics")
            futures.append(pool.submit(_sync_region, region, bedrock_client, cloudwatch_client,
                                       "discovery" not in skip, known[region], today, report_progress))
        for future in as_completed(futures):
            result = future.result()
            region_report = by_region[result.region]
            region_report.warnings = result.warnings
            region_report.invocation_logging = result.invocation_logging
            if result.listed is None:
                region_report.state, region_report.error = "failed", result.error
                continue
            fetched = now()
            with store.batch():  # one Region, one transaction
                counts = store.apply_region_listing(result.region, result.listed, fetched, today)
                known_models = store.model_ids()
                proposals = [d for d in result.discovered if d.model_id in known_models]
                region_report.new_discovered = store.record_discovered(proposals, fetched)
                if result.usage:
                    store.record_usage(result.usage)
            region_report.models = counts["models"]
            region_report.changed_dates = counts["changed_dates"]
            region_report.new_models = counts["new_models"]
            region_report.retired = counts["retired"]
            region_report.discovered = len(proposals)
            region_report.usage_series = len({(p.model_id, p.metric) for p in result.usage})
            region_report.error = result.error
            region_report.state = "partial" if result.warnings or result.error else "ok"

    if "health" not in skip and any(r.state != "failed" for r in report.regions):
        try:
            client = session.client("health", region_name=health.HEALTH_REGION, config=config)
            events = health.fetch_health(client)
            store.record_health(events, now())
            report.health_events = len(events)
        except health.SubscriptionRequired as note:
            report.health_note = str(note)
        except (ClientError, BotoCoreError) as error:
            report.health_note = "AWS Health failed: " + explain(error, "health", health.HEALTH_REGION)[1]

    report.finished = now()
    store.ensure_plans(today)
    store.record_sync_run(report.started, report.finished, report.outcome, report.as_dict())
    if all(r.state == "failed" for r in report.regions):
        kinds = {r.error for r in report.regions}
        if len(kinds) == 1:
            raise SyncFailed(next(iter(kinds)))
    return report
