"""Who calls each model, end to end through real HTTP, signing and paging: the local
CloudTrail stand-in with callers in three accounts, a throttled Region, a denied one; each
account and Region scanned the way a sync does (since its last scan), recorded, and listed
by `callers`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from planner_tui.cli import main
from planner_tui.domain.models import Application, Dependency
from planner_tui.integrations.aws.cloudtrail import CallersThrottled, RateLimiter, lookup_callers
from planner_tui.integrations.aws.errors import explain
from planner_tui.services.commands import portfolio
from planner_tui.services.commands.callers import record_caller_scan
from planner_tui.services.project import open_project

from .conftest import TODAY
from .fake_cloudtrail import Call, FakeCloudTrail, FakeTrail

PROD, DR, ANALYTICS, LOCKED = "111122223333", "444455556666", "777788889999", "222233334444"
NAMES = {PROD: "prod-payments", DR: "dr", ANALYTICS: "analytics", LOCKED: "locked"}
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"  # Legacy in us-east-1 on TODAY (bundled)
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
API = f"arn:aws:iam::{PROD}:role/checkout-api"
DR_ROLE = f"arn:aws:iam::{DR}:role/checkout-dr"
ANA = f"arn:aws:iam::{ANALYTICS}:user/ana"


def ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def trails() -> dict[str, FakeTrail]:
    profile_arn = f"arn:aws:bedrock:us-east-1:{PROD}:inference-profile/us.{SONNET_45}"
    prod = [Call(ago(1 + n / 100), API, profile_arn, name="Converse") for n in range(120)]  # three pages
    prod += [Call(ago(2), API, OPUS_41, name="InvokeModelWithResponseStream"),
             Call(ago(3), API, OPUS_41, name="ConverseStream", error="ValidationException"),
             Call(ago(200), API, OPUS_41)]  # older than CloudTrail keeps: never asked for
    return {
        PROD: FakeTrail({"us-east-1": prod}, noise=30),
        DR: FakeTrail({"us-east-1": [Call(ago(30), DR_ROLE, SONNET_45), Call(ago(31), DR_ROLE, SONNET_45)]}),
        ANALYTICS: FakeTrail({"us-west-2": [Call(ago(5), ANA, f"us.{OPUS_41}", region="us-west-2")]},
                             behaviour={"us-west-2": "throttle-once", "eu-west-1": "throttle"}),
        LOCKED: FakeTrail(behaviour={"us-east-1": "denied"}),
    }


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def client(url: str, account: str, region: str):
    session = boto3.Session(aws_access_key_id=f"AKIA{account}", aws_secret_access_key="secret", region_name=region)
    # botocore's own retries off here: the scan's backoff is what is tested (no real sleeping)
    return session.client("cloudtrail", endpoint_url=url,
                          config=Config(retries={"mode": "standard", "total_max_attempts": 1}))


def scan(store, url: str, account: str, region: str, now: dt.datetime = NOW, clock: Clock | None = None):
    clock = clock or Clock()
    since = store.caller_scan_end(account, region)  # on the calling thread, as the sync does
    found = lookup_callers(client(url, account, region), region, since, now, account_id=account,
                           account_name=NAMES[account], limiter=RateLimiter(clock=clock, sleep=clock.sleep),
                           sleep=clock.sleep)
    record_caller_scan(store, found, now)
    return found


@pytest.fixture
def fake() -> FakeCloudTrail:
    return FakeCloudTrail(trails())


def test_callers_in_three_accounts_are_read_paged_recorded_and_listed(db_path: Path, fake, capsys) -> None:
    store = open_project(db_path)
    try:
        app = portfolio.add_application(store, Application(name="Checkout"), [], TODAY).result.id
        portfolio.add_dependency(store, Dependency(app_id=app, model_id=SONNET_45, region="us-east-1",
                                                   account_id=DR, account_name="dr", environment="dr"), TODAY)
        with fake.serving() as url:
            prod = scan(store, url, PROD, "us-east-1")
            dr = scan(store, url, DR, "us-east-1")
            clock = Clock()
            analytics = scan(store, url, ANALYTICS, "us-west-2", clock=clock)
    finally:
        store.close()
    assert prod.events == 122 and prod.skipped == 0 and prod.other == 30  # ListFoundationModels passed over
    assert prod.requests == 4  # 152 Bedrock events in the window, in pages of 50
    assert dr.requests == 1
    assert dr.events == 2 and analytics.events == 1
    assert analytics.throttled == 1 and 1.0 in clock.slept  # backed off once, then read
    code = main(["callers", "--json", "--db", str(db_path), "--today", TODAY.isoformat()])
    rows = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {(r["account_name"], r["principal_arn"], r["model_id"], r["region"], r["calls"]) for r in rows} == {
        ("prod-payments", API, SONNET_45, "us-east-1", 120),
        ("prod-payments", API, OPUS_41, "us-east-1", 2),
        ("dr", DR_ROLE, SONNET_45, "us-east-1", 2),
        ("analytics", ANA, OPUS_41, "us-west-2", 1),
    }
    opus = next(r for r in rows if r["model_id"] == OPUS_41 and r["account_id"] == PROD)
    assert opus["errors"] == 1
    assert next(r for r in rows if r["account_id"] == DR)["idle"] is True
    code = main(["callers", "idle", "--db", str(db_path), "--today", TODAY.isoformat()])
    out = capsys.readouterr().out
    assert code == 0 and "Checkout" in out and "30 days ago, CloudTrail" in out


def test_a_second_scan_reads_only_what_is_new_and_adds_it(db_path: Path, fake) -> None:
    store = open_project(db_path)
    try:
        with fake.serving() as url:
            first = scan(store, url, DR, "us-east-1")
            fake.trails[DR].calls["us-east-1"].append(Call(NOW + dt.timedelta(days=1), DR_ROLE, SONNET_45))
            fake.requests.clear()
            second = scan(store, url, DR, "us-east-1", now=NOW + dt.timedelta(days=2))
        assert second.start == first.end and second.events == 1
        (caller,) = store.callers()
        assert caller.calls == 3 and caller.last_seen == NOW + dt.timedelta(days=1)
        assert all(c.last_seen.tzinfo is dt.UTC for scanned in (first, second) for c in scanned.callers)
        assert store.caller_scan_end(DR, "us-east-1") == second.end
    finally:
        store.close()


def test_a_region_throttled_after_every_backoff_and_a_denied_one_are_one_line_each(db_path: Path, fake) -> None:
    store = open_project(db_path)
    try:
        with fake.serving() as url:
            with pytest.raises(CallersThrottled) as throttled:
                scan(store, url, ANALYTICS, "eu-west-1")
            with pytest.raises(ClientError) as denied:
                scan(store, url, LOCKED, "us-east-1")
            scan(store, url, PROD, "us-east-1")  # the others' results are kept
        assert "stayed throttled" in str(throttled.value) and "\n" not in str(throttled.value)
        kind, message = explain(denied.value, "cloudtrail", "us-east-1")
        assert kind == "denied" and "cloudtrail:LookupEvents" in message
        assert store.caller_scan_end(ANALYTICS, "eu-west-1") is None  # nothing recorded: read again next time
        assert {c.account_id for c in store.callers()} == {PROD}
    finally:
        store.close()


def test_the_endpoint_override_reaches_the_stand_in(db_path: Path, fake, monkeypatch) -> None:
    store = open_project(db_path)
    try:
        with fake.serving() as url:
            monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDTRAIL", url)
            session = boto3.Session(aws_access_key_id=f"AKIA{DR}", aws_secret_access_key="s", region_name="us-east-1")
            clock = Clock()
            found = lookup_callers(session.client("cloudtrail"), "us-east-1", None, NOW, account_id=DR,
                                   limiter=RateLimiter(clock=clock, sleep=clock.sleep), sleep=clock.sleep)
        assert found.events == 2 and {a for a, _, _ in fake.requests} == {DR}
    finally:
        store.close()


def test_accounts_and_regions_scanned_at_once_on_a_pool_and_recorded_on_the_calling_thread(db_path: Path,
                                                                                          fake) -> None:
    """What a sync does: `since` read and scans recorded on its thread, lookups on a pool."""
    from concurrent.futures import ThreadPoolExecutor

    store = open_project(db_path)
    jobs = [(PROD, "us-east-1"), (DR, "us-east-1"), (ANALYTICS, "us-west-2"), (ANALYTICS, "us-east-1")]
    try:
        with fake.serving() as url, ThreadPoolExecutor(4) as pool:
            clients = {job: client(url, *job) for job in jobs}  # made on this thread (sessions are not thread-safe)
            clock = Clock()
            futures = [pool.submit(lookup_callers, clients[(a, r)], r, store.caller_scan_end(a, r), NOW,
                                   account_id=a, account_name=NAMES[a], sleep=clock.sleep,
                                   limiter=RateLimiter(clock=clock, sleep=clock.sleep)) for a, r in jobs]
            for future in futures:
                record_caller_scan(store, future.result(), NOW)
        assert {(s.account_id, s.region) for s in store.caller_scans()} == set(jobs)
        assert {c.account_id for c in store.callers()} == {PROD, DR, ANALYTICS}
    finally:
        store.close()
