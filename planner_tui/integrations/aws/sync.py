"""Refresh lifecycle data and discover dependencies in several Regions at once.

Each Region runs in its own thread (boto3 clients are thread-safe; sessions are not, so
clients are made on the calling thread, each Region starting as soon as its are ready).
Results are merged into the project on the calling thread, one transaction per Region, so
what one Region brought is kept even when another fails.

A sync can be stopped at any moment (Ctrl+C, or the `cancel` event the TUI sets): the
calling thread only ever waits in short slices, and the calls run in daemon threads that it
then leaves behind, so a hung endpoint never holds the program (it would otherwise wait out
every timeout and retry). Regions already merged are kept; the others are reported
"cancelled".

Several accounts (`--profiles`, `--org`; integrations/aws/accounts.py) run the same way, every
account × Region on one bounded pool: an account is first asked who it is (STS; where an
assumed role is taken), and its Regions start as soon as it answers. An account whose role
cannot be assumed, a Region not enabled, a call an SCP denies, throttling after retries: each
is one line, and every other account's results are kept.
"""

from __future__ import annotations

import datetime as dt
import gc
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ...domain.aws_records import DiscoveredResource, ListedModel, UsagePoint
from ...domain.validation import check_region
from ...errors import PlannerError, UserInputError
from ...persistence.store import ProjectStore
from ...services.views.discovered import discovered_rows
from . import bedrock, usage
from .accounts import Account, identify, single
from .clients import client_config, has_credentials, shared_caches
from .errors import explain
from .region_records import resolved, tag_account, unique
from .sync_callers import CallersResult, read_callers
from .sync_callers import record as record_callers
from .sync_health import account_health, organization_health

STEPS = ("discovery", "usage", "health", "callers")
EXIT_COMPLETE, EXIT_PARTIAL, EXIT_FAILED, EXIT_CANCELLED = 0, 1, 3, 130
MAX_THREADS = 32  # calls at once: accounts × Regions share them
POLL_SECONDS = 0.1  # how often a waiting sync looks whether it was cancelled

Progress = Callable[[str, float, str], None]  # where (a Region; 'account · Region'), fraction done, message
ACROSS = " · "  # between an account and a Region in a progress key


class SyncFailed(PlannerError):
    """Nothing could be synced (no credentials, expired token)."""


class _Cancelled(Exception):
    """The sync was asked to stop."""


@dataclass
class RegionReport:
    region: str
    state: str = "pending"  # ok | partial | failed | cancelled
    account_id: str = ""
    account_name: str = ""
    models: int = 0
    changed_dates: int = 0
    new_models: int = 0
    retired: int = 0
    discovered: int = 0  # resources found, each as `discovered --all` lists it
    new_discovered: int = 0
    unknown_models: int = 0  # of them, on a model the catalog does not know
    outages: list[str] = field(default_factory=list)  # one line per resource past EOL
    usage_series: int = 0
    callers: int = 0  # CloudTrail callers the Region's scan found new
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
    cancelled: bool = False
    accounts: int = 1  # accounts the sync covered
    health_source: str = ""  # "organizational view" when Health was read for the whole organization
    failed_accounts: list[str] = field(default_factory=list)  # one line each: role denied, …

    @property
    def synced(self) -> int:
        """Regions whose listing was merged (ok or partial)."""
        return sum(r.state in ("ok", "partial") for r in self.regions)

    @property
    def outcome(self) -> str:
        states = {r.state for r in self.regions}
        if self.cancelled:
            return "cancelled"
        if not self.regions or states == {"failed"}:
            return "failed"
        if states == {"ok"} and not self.health_note.startswith("AWS Health failed") and not self.failed_accounts:
            return "complete"
        return "partial"

    @property
    def exit_code(self) -> int:
        return {"complete": EXIT_COMPLETE, "partial": EXIT_PARTIAL, "failed": EXIT_FAILED,
                "cancelled": EXIT_CANCELLED}[self.outcome]

    def as_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "health_events": self.health_events,
                "health_note": self.health_note, "health_source": self.health_source, "accounts": self.accounts,
                "failed_accounts": self.failed_accounts, "regions": [asdict(r) for r in self.regions]}


@dataclass
class _RegionResult:
    region: str
    index: int = 0  # of the report's row
    listed: list[ListedModel] | None = None
    discovered: list[DiscoveredResource] = field(default_factory=list)
    usage: list[UsagePoint] = field(default_factory=list)
    invocation_logging: str = ""
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    fatal_kind: str = ""


class _Calls:
    """Work run on at most `limit` daemon threads, started as work comes and kept for the
    sync's next work (a thread per call cost 200 accounts × 17 Regions thousands of thread
    starts), its results handed back in the order they finish. Whoever waits for them looks
    at `cancel` every POLL_SECONDS and may stop waiting at any time (a KeyboardInterrupt
    reaches it there too): a thread stuck on a hung socket is left behind, and being a daemon
    it never keeps the program from exiting. `close()` lets the threads end."""

    def __init__(self, limit: int, cancel: threading.Event) -> None:
        self._done: queue.Queue[tuple[bool, Any]] = queue.Queue()
        self._work: queue.SimpleQueue[tuple[Callable[..., Any], tuple[Any, ...]] | None] = queue.SimpleQueue()
        self._limit = max(1, limit)
        self._threads = 0
        self._pending = 0
        self.cancel = cancel

    def submit(self, work: Callable[..., Any], *args: Any) -> None:
        self._pending += 1
        self._work.put((work, args))
        if self._threads < min(self._limit, self._pending):
            self._threads += 1
            threading.Thread(target=self._worker, name="planner-sync", daemon=True).start()

    def _worker(self) -> None:
        while (job := self._work.get()) is not None:
            work, args = job
            if self.cancel.is_set():
                self._done.put((True, None))
                continue
            try:
                self._done.put((True, work(*args)))
            except BaseException as error:  # noqa: BLE001 - raised again where it is awaited
                self._done.put((False, error))

    def close(self) -> None:  # each thread ends once the work before it is done (or passed over)
        for _ in range(self._threads):
            self._work.put(None)
        self._threads = 0

    def results(self) -> Iterator[Any]:
        """Each result as its work finishes; raises _Cancelled as soon as cancel is set.
        Work submitted meanwhile (by whoever reads the results) is waited for too."""
        while self._pending:
            if self.cancel.is_set():
                raise _Cancelled
            try:
                ok, value = self._done.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue
            self._pending -= 1
            if not ok:
                raise value
            if value is not None:
                yield value

    def one(self, work: Callable[..., Any], *args: Any) -> Any:
        self.submit(work, *args)
        return next(self.results(), None)


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


def _region_error(error: BaseException, service: str, region: str, account: Account) -> tuple[str, str]:
    """explain(), told for a sync of several accounts: which account; an opt-in Region that is
    not enabled (its STS-verified credentials are refused there alone); an SCP's deny."""
    kind, message = explain(error, service, region)
    if account.verified and kind == "expired":
        kind, message = "region", (f"{region} is not enabled for this account (or refuses its "
                                   "credentials): enable the Region, or leave it out with --regions.")
    elif kind == "denied" and isinstance(error, ClientError) and "service control polic" in str(
            error.response.get("Error", {}).get("Message", "")).lower():
        kind, message = "denied", (f"denied by a service control policy (SCP) in {region}: "
                                   f"{service}:{error.operation_name}.")
    if account.verify:
        message = f"account {account.label}, {message}"
    return kind, message


def _sync_region(index: int, region: str, account: Account, bedrock_client: Any, cloudwatch_client: Any | None,
                 do_discovery: bool, known_ids: set[str], today: dt.date, progress: Callable[[float, str], None],
                 ) -> _RegionResult:
    result = _RegionResult(region, index)
    try:
        progress(0.1, "listing foundation models")
        result.listed = bedrock.list_models(bedrock_client)
    except (ClientError, BotoCoreError) as error:
        result.fatal_kind, result.error = _region_error(error, "bedrock", region, account)
        progress(1.0, "failed")
        return result
    try:
        if do_discovery:
            progress(0.4, "discovering inference profiles, throughput, custom models, jobs")
            result.discovered, warnings = bedrock.discover(bedrock_client, region)
            result.warnings += [f"account {account.label}, {w}" if account.verify else w for w in warnings]
            try:
                result.invocation_logging = bedrock.invocation_logging(bedrock_client)
            except (ClientError, BotoCoreError) as error:
                result.warnings.append(_region_error(error, "bedrock", region, account)[1])
        if cloudwatch_client is not None:
            progress(0.7, "reading 30 days of CloudWatch invocations")
            ids = set(known_ids)
            ids |= {m.model_id for m in result.listed if m.status == "LEGACY"}
            ids |= {d.model_id for d in result.discovered}
            ids |= {d.resource_id for d in result.discovered if d.kind.value == "inference-profile"}
            try:
                ids |= usage.active_model_ids(cloudwatch_client)
                result.usage = usage.fetch_usage(cloudwatch_client, region, ids, today)
            except (ClientError, BotoCoreError) as error:
                result.warnings.append(_region_error(error, "cloudwatch", region, account)[1])
    except (ClientError, BotoCoreError) as error:
        kind, message = _region_error(error, "bedrock", region, account)
        result.warnings.append(message)
        if kind in ("credentials", "expired"):
            result.fatal_kind, result.error = kind, message
    progress(1.0, "done" if not result.warnings else "done with warnings")
    return result


def run_sync(store: ProjectStore, session: Any, regions: Iterable[str], today: dt.date,
             skip: frozenset[str] = frozenset(), progress: Progress | None = None,
             now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
             cancel: threading.Event | None = None, accounts: list[Account] | None = None,
             organization: Any | None = None) -> SyncReport:
    """Sync the chosen Regions of `accounts` (default: the one `session` reaches); returns a
    report whose outcome is complete, partial, failed or cancelled (`cancel` set, or Ctrl+C:
    what finished before is kept). `organization`: the management account's session, whose
    AWS Health organizational view is read first (each account's own Health otherwise)."""
    if store.read_only:
        raise UserInputError("this project is open read-only (--read-only); a sync would change it.")
    unknown = skip - set(STEPS)
    if unknown:
        raise UserInputError(f"unknown --skip {', '.join(sorted(unknown))}: choose from {', '.join(STEPS)}.")
    accounts = accounts if accounts is not None else single(session)
    if not accounts:
        raise SyncFailed("the organization has no ACTIVE account to sync.")
    if any(not a.role and not has_credentials(a.session) for a in accounts):
        raise SyncFailed("no AWS credentials found: set AWS_PROFILE or --profile, "
                         "or run 'aws configure' / 'aws sso login'.")
    cancel = cancel if cancel is not None else threading.Event()
    several = len(accounts) > 1 or accounts[0].verify

    def report_progress(where: str, fraction: float, message: str) -> None:
        if progress is not None and not cancel.is_set():  # nothing from threads left behind
            progress(where, fraction, message)

    regions = list(regions)
    report = SyncReport(started=now(), accounts=len(accounts), regions=[
        RegionReport(r, account_id=a.account_id, account_name=a.account_name) for a in accounts for r in regions])
    config = client_config(session)
    calls = _Calls(min(MAX_THREADS, len(accounts) * len(regions)), cancel)
    # What exists now lives through the sync (the project, every account's session and its
    # botocore handler tables): the cyclic collector's full passes over it were a quarter of
    # a 200-account sync's CPU. Left out of collections until the sync ends.
    gc.freeze()
    try:
        _sync_accounts(store, accounts, calls, report, regions, config, skip, today, now, report_progress, several)
        if "health" not in skip and report.synced:
            if organization is None or not organization_health(store, organization, accounts, calls, report,
                                                               config, now):
                account_health(store, accounts, calls, report, regions, config, now)
    except (_Cancelled, KeyboardInterrupt):
        cancel.set()
        report.cancelled = True
        for region in report.regions:
            if region.state == "pending":
                region.state, region.error = "cancelled", "cancelled before it finished"
    finally:
        calls.close()
        gc.unfreeze()

    report.finished = now()
    store.ensure_plans(today)
    store.record_sync_run(report.started, report.finished, report.outcome, report.as_dict())
    if not report.cancelled and all(r.state == "failed" for r in report.regions):
        kinds = {r.error for r in report.regions}
        if len(kinds) == 1:
            raise SyncFailed(next(iter(kinds)))
    return report


def _sync_accounts(store: ProjectStore, accounts: list[Account], calls: _Calls, report: SyncReport,
                   regions: list[str], config: Any, skip: frozenset[str], today: dt.date,
                   now: Callable[[], dt.datetime], progress: Progress, several: bool) -> None:
    known: dict[str, set[str]] = {r: set() for r in regions}
    for dependency in store.dependencies():
        if dependency.region in known:
            known[dependency.region].add(dependency.model_id)
            if dependency.resource_id and not dependency.resource_id.startswith("arn:"):
                known[dependency.region].add(dependency.resource_id)

    def where(account: Account, region: str) -> str:
        return f"{account.title}{ACROSS}{region}" if several else region

    def start(number: int, account: Account) -> None:
        """Submit the account's Regions; each makes its Bedrock clients when it starts, under
        the account's lock (a session is not thread-safe), and lets them go when it ends."""
        for offset, region in enumerate(regions):
            index = number * len(regions) + offset
            row = report.regions[index]
            row.account_id, row.account_name = account.account_id, account.account_name
            key = where(account, region)
            if "callers" in skip:
                calls.submit(region_job, index, region, account,
                             lambda fraction, message, key=key: progress(key, fraction, message))
                continue
            # Who calls each model: a job of its own, from where its last scan ended (read here:
            # the store's thread).
            since = store.caller_scan_end(account.account_id, region)
            pending[index] = [None, None]
            calls.submit(region_job, index, region, account,
                         lambda fraction, message, key=key, index=index: region_progress(key, index, fraction,
                                                                                         message))
            calls.submit(read_callers, index, region, account, config, since, now(), calls.cancel)

    def region_progress(key: str, index: int, fraction: float, message: str) -> None:
        """A Region is done when its callers are read too: its last word waits for them."""
        if fraction >= 1.0 and index in pending and pending[index][1] is None:
            final[index] = message
            progress(key, 0.95, "reading CloudTrail callers")
        else:
            progress(key, fraction, message)

    def region_job(index: int, region: str, account: Account, report_progress: Callable[[float, str], None],
                   ) -> _RegionResult:
        with account.lock:
            bedrock_client = shared_caches(account.session.client("bedrock", region_name=region, config=config))
            cloudwatch_client = (None if "usage" in skip else shared_caches(
                account.session.client("cloudwatch", region_name=region, config=config)))
            if not account.warm:
                # botocore reads a service's paginator definitions when a client first pages:
                # once per session here, not by all its Regions' threads at the same time.
                bedrock_client.can_paginate("list_inference_profiles")
                if cloudwatch_client is not None:
                    cloudwatch_client.can_paginate("list_metrics")
                account.warm = True
        return _sync_region(index, region, account, bedrock_client, cloudwatch_client, "discovery" not in skip,
                            known[region], today, report_progress)

    def who(number: int, account: Account) -> tuple[int, str, str]:
        progress(where(account, regions[0]) if regions else account.title, 0.05, "asking STS who it is")
        return (number, *identify(account, config))

    merged: dict[str, tuple[list[ListedModel], dict[str, int]]] = {}
    pending: dict[int, list[Any]] = {}  # row -> [its Region's result, its callers'] until both are in
    final: dict[int, str] = {}  # row -> the Region's last progress word, said once its callers are in
    for number, account in enumerate(accounts):
        if account.verify:
            calls.submit(who, number, account)
        else:
            start(number, account)
    for result in calls.results():
        if isinstance(result, tuple):  # an account answered (or not)
            number, kind, message = result
            account = accounts[number]
            rows = report.regions[number * len(regions):(number + 1) * len(regions)]
            if kind:
                report.failed_accounts.append(message)
                for row in rows:
                    row.state, row.error = "failed", message
                    progress(where(account, row.region), 1.0, "failed")
                continue
            start(number, account)
            continue
        found = None
        if result.index in pending:  # a Region whose callers are read: merged when both are in
            (pieces := pending[result.index])[isinstance(result, CallersResult)] = result
            if pieces[0] is None or pieces[1] is None:
                continue
            result, found = pending.pop(result.index)
        account = accounts[result.index // max(1, len(regions))]
        _merge(store, report.regions[result.index], result, account, today, now, merged, found)
        if found is not None:
            word = final.pop(result.index, "done")
            progress(where(account, result.region), 1.0,
                     "done with warnings" if word == "done" and found.warnings else word)


def _merge(store: ProjectStore, region_report: RegionReport, result: _RegionResult, account: Account,
           today: dt.date, now: Callable[[], dt.datetime],
           merged: dict[str, tuple[list[ListedModel], dict[str, int]]] | None = None,
           callers: CallersResult | None = None) -> None:
    """What one Region of one account brought, into the project in one transaction. A Region's
    listing that another account of this sync already brought, the same, is merged once
    (`merged`: Region -> (listing, its counts)): the catalog does not differ by account.
    `callers`: its CloudTrail scan, recorded in that transaction (after the resources it
    may name), its lines among the Region's warnings."""
    tag_account(result, account)
    if callers is not None:
        result.warnings = result.warnings + callers.warnings
    region_report.warnings = result.warnings
    region_report.invocation_logging = result.invocation_logging
    fetched = now()
    if result.listed is None:
        region_report.state, region_report.error = "failed", result.error
        if callers is not None and callers.scan is not None:
            with store.batch():
                region_report.callers = record_callers(store, callers, fetched)[0]
        return
    seen = merged.get(result.region) if merged is not None else None
    with store.batch():  # one Region, one transaction
        if seen is not None and seen[0] == result.listed:
            counts = {"models": len(result.listed), "changed_dates": 0, "new_models": 0, "retired": 0}
        else:
            counts = store.apply_region_listing(result.region, result.listed, fetched, today)
            if merged is not None:
                merged[result.region] = (result.listed, counts)
        # Every resource is kept: its model resolved to the catalog's base model (variant as
        # detail), or kept as AWS wrote it and listed as 'unknown model'.
        rows = discovered_rows(store, unique(resolved(result.discovered, store.model_ids())), today)
        region_report.new_discovered = store.record_discovered([r.resource for r in rows], fetched)
        if result.usage:
            store.record_usage(result.usage)
        region_report.callers = record_callers(store, callers, fetched)[0]
    region_report.models = counts["models"]
    region_report.changed_dates = counts["changed_dates"]
    region_report.new_models = counts["new_models"]
    region_report.retired = counts["retired"]
    region_report.discovered = len(rows)
    region_report.unknown_models = sum(not r.model.known for r in rows)
    region_report.outages = [r.outage_line for r in rows if r.past_eol]
    region_report.usage_series = len({(p.model_id, p.metric) for p in result.usage})
    region_report.error = result.error
    region_report.state = "partial" if result.warnings or result.error else "ok"
