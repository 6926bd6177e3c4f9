"""CloudTrail LookupEvents through botocore's Stubber: paging, throttling, profile ARNs,
unreadable events; the rate limiter on an injected clock (no real sleeping)."""

from __future__ import annotations

import datetime as dt
import json

import boto3
import pytest
from botocore.stub import Stubber

from planner_tui.domain.callers import principal_of, resolve_caller_model
from planner_tui.integrations.aws import cloudtrail
from planner_tui.integrations.aws.cloudtrail import CallersThrottled, RateLimiter, lookup_callers, window

REGION = "us-east-1"
ACCOUNT = "111122223333"
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
ROLE = f"arn:aws:iam::{ACCOUNT}:role/checkout-api"


class FakeClock:
    """A monotonic clock that only moves when slept on."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def client():
    return boto3.client("cloudtrail", region_name=REGION, aws_access_key_id="testing",
                        aws_secret_access_key="testing")


def event(name: str, model: str, when: dt.datetime, *, role: str = ROLE, error: str = "",
          region: str = REGION) -> dict:
    detail = {
        "eventVersion": "1.09", "eventSource": "bedrock.amazonaws.com", "eventName": name,
        "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "awsRegion": region,
        "userIdentity": {"type": "AssumedRole", "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/x/session-{when:%H%M}",
                         "sessionContext": {"sessionIssuer": {"type": "Role", "arn": role}}},
        "requestParameters": {"modelId": model},
    }
    if error:
        detail["errorCode"] = error
    return {"EventId": f"{name}-{when.isoformat()}", "EventName": name, "EventTime": when,
            "EventSource": "bedrock.amazonaws.com", "Username": "session", "CloudTrailEvent": json.dumps(detail)}


BY_SOURCE = [{"AttributeKey": "EventSource", "AttributeValue": "bedrock.amazonaws.com"}]


def scan(client, limiter: RateLimiter | None = None, since: dt.datetime | None = None, sleep=None):
    clock = FakeClock()
    return lookup_callers(client, REGION, since, NOW, account_id=ACCOUNT, account_name="prod-payments",
                          limiter=limiter or RateLimiter(clock=clock, sleep=clock.sleep),
                          sleep=sleep or clock.sleep)


def test_pages_are_followed_with_next_token_and_counted_per_principal_model_and_region(client) -> None:
    day = NOW - dt.timedelta(days=3)
    start, end = window(None, NOW)
    other = {**event("ListFoundationModels", HAIKU, day), "EventName": "ListFoundationModels"}
    with Stubber(client) as stub:
        stub.add_response("lookup_events", {"Events": [event("InvokeModel", HAIKU, day + dt.timedelta(hours=2)),
                                                       other, event("Converse", HAIKU, day)],
                                            "NextToken": "page-2"},
                          {"LookupAttributes": BY_SOURCE, "StartTime": start, "EndTime": end, "MaxResults": 50})
        stub.add_response("lookup_events", {"Events": [event("InvokeModel", HAIKU, day - dt.timedelta(days=10),
                                                             error="ThrottlingException")]},
                          {"LookupAttributes": BY_SOURCE, "StartTime": start, "EndTime": end, "MaxResults": 50,
                           "NextToken": "page-2"})
        found = scan(client)
        stub.assert_no_pending_responses()
    assert found.requests == 2 and found.events == 3 and found.skipped == 0 and found.other == 1
    (caller,) = found.callers
    assert (caller.principal_arn, caller.model_written, caller.region, caller.calls, caller.errors) == (
        ROLE, HAIKU, REGION, 3, 1)
    assert caller.first_seen == day - dt.timedelta(days=10) and caller.last_seen == day + dt.timedelta(hours=2)
    assert (caller.account_id, caller.account_name) == (ACCOUNT, "prod-payments")


def test_throttling_is_backed_off_then_succeeds(client) -> None:
    clock = FakeClock()
    with Stubber(client) as stub:
        stub.add_client_error("lookup_events", "ThrottlingException", "Rate exceeded", 400)
        stub.add_client_error("lookup_events", "ThrottlingException", "Rate exceeded", 400)
        stub.add_response("lookup_events", {"Events": [event("Converse", HAIKU, NOW - dt.timedelta(days=1))]})
        found = lookup_callers(client, REGION, None, NOW, account_id=ACCOUNT,
                               limiter=RateLimiter(clock=clock, sleep=clock.sleep), sleep=clock.sleep)
    assert found.throttled == 2 and found.events == 1
    # backoff of 1 s then 2 s between the throttled attempts (the limiter's own waits are 0.5 s)
    assert [s for s in clock.slept if s >= 1] == [1.0, 2.0]


def test_throttled_after_every_backoff_is_one_sentence(client) -> None:
    clock = FakeClock()
    with Stubber(client) as stub:
        for _ in range(cloudtrail.BACKOFF_ATTEMPTS + 1):
            stub.add_client_error("lookup_events", "ThrottlingException", "Rate exceeded", 400)
        with pytest.raises(CallersThrottled, match="stayed throttled after 6 attempts"):
            lookup_callers(client, REGION, None, NOW, limiter=RateLimiter(clock=clock, sleep=clock.sleep),
                           sleep=clock.sleep)
    assert sum(s for s in clock.slept if s >= 1) == 1 + 2 + 4 + 8 + 16


def test_profile_arns_and_ids_are_kept_as_written_and_resolve_to_the_base_model(client) -> None:
    profile_arn = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:inference-profile/us.{SONNET_45}"
    app_profile = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:application-inference-profile/a1b2c3d4e5f6"
    with Stubber(client) as stub:
        stub.add_response("lookup_events", {"Events": [
            event("InvokeModel", profile_arn, NOW - dt.timedelta(days=2)),
            event("InvokeModel", f"us.{SONNET_45}", NOW - dt.timedelta(days=2)),
            event("InvokeModel", app_profile, NOW - dt.timedelta(days=2)),
            event("InvokeModelWithResponseStream", f"{HAIKU}:200k", NOW - dt.timedelta(days=4)),
        ]})
        found = scan(client)
    written = {c.model_written for c in found.callers}
    assert written == {profile_arn, f"us.{SONNET_45}", app_profile, f"{HAIKU}:200k"}
    known = {HAIKU, SONNET_45}
    resources = {"a1b2c3d4e5f6": f"arn:aws:bedrock:{REGION}::foundation-model/{HAIKU}"}
    assert resolve_caller_model(profile_arn, known, resources).model_id == SONNET_45
    assert resolve_caller_model(profile_arn, known, resources).profile_id == f"us.{SONNET_45}"
    assert resolve_caller_model(f"us.{SONNET_45}", known, resources).profile_id == f"us.{SONNET_45}"
    assert resolve_caller_model(app_profile, known, resources).model_id == HAIKU
    variant = resolve_caller_model(f"{HAIKU}:200k", known, resources)
    assert (variant.model_id, variant.variant, variant.profile_id) == (HAIKU, "200k context", "")
    unknown = resolve_caller_model(app_profile, known, {})
    assert not unknown.known


def test_malformed_cloudtrail_events_are_skipped_and_counted_never_a_crash(client) -> None:
    good = event("InvokeModel", HAIKU, NOW - dt.timedelta(days=1))
    broken = [
        {**good, "EventId": "1", "CloudTrailEvent": "{not json"},
        {**good, "EventId": "2", "CloudTrailEvent": "[1, 2]"},
        {**good, "EventId": "3", "CloudTrailEvent": json.dumps({"eventSource": "bedrock.amazonaws.com",
                                                                 "requestParameters": None})},
        {**good, "EventId": "4", "CloudTrailEvent": json.dumps({"requestParameters": {"modelId": 7}})},
        {k: v for k, v in good.items() if k != "CloudTrailEvent"},
        {**good, "EventId": "5", "CloudTrailEvent": json.dumps({"requestParameters": {"modelId": HAIKU},
                                                                 "userIdentity": "nobody"})},
    ]
    with Stubber(client) as stub:
        stub.add_response("lookup_events", {"Events": [good, *broken]})
        found = scan(client)
    assert found.skipped == 5 and found.events == 2
    assert found.warnings == [f"CloudTrail in {REGION}: 5 event(s) unreadable or naming no model, skipped."]
    assert {c.principal_arn: c.calls for c in found.callers} == {ROLE: 1, "session": 1}


def test_only_what_is_new_since_the_last_scan_is_read(client) -> None:
    since = NOW - dt.timedelta(days=2)
    start, end = window(since, NOW)
    assert (start, end) == (since, NOW - cloudtrail.SETTLE)
    with Stubber(client) as stub:
        stub.add_response("lookup_events", {"Events": [event("InvokeModel", HAIKU, since),  # read last time
                                                       event("InvokeModel", HAIKU, since + dt.timedelta(hours=1))]},
                          {"LookupAttributes": BY_SOURCE, "StartTime": since, "EndTime": end, "MaxResults": 50})
        found = scan(client, since=since)
    assert found.events == 1 and found.callers[0].calls == 1
    # never further back than CloudTrail keeps
    assert window(NOW - dt.timedelta(days=400), NOW)[0] == NOW - dt.timedelta(days=90)


def test_the_rate_limiter_allows_two_requests_a_second_per_account_and_region() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, clock=clock, sleep=clock.sleep)
    stamps = []
    for _ in range(7):
        limiter.wait()
        stamps.append(clock.now - 1000.0)
    assert stamps == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
    # in any one-second window, never more than 2 requests
    assert all(sum(a <= s < a + 1 for s in stamps) <= 2 for a in stamps)
    # time passing on its own is not slept again
    clock.now += 10
    slept = len(clock.slept)
    limiter.wait()
    assert len(clock.slept) == slept
    assert cloudtrail.limiter_for(ACCOUNT, REGION) is cloudtrail.limiter_for(ACCOUNT, REGION)
    assert cloudtrail.limiter_for(ACCOUNT, REGION) is not cloudtrail.limiter_for(ACCOUNT, "us-west-2")


def test_a_scan_waits_for_the_limiter_before_each_request(client) -> None:
    clock = FakeClock()
    with Stubber(client) as stub:
        for token in ("2", "3", "4", None):
            stub.add_response("lookup_events", {"Events": [], **({"NextToken": token} if token else {})})
        found = lookup_callers(client, REGION, None, NOW, limiter=RateLimiter(clock=clock, sleep=clock.sleep),
                               sleep=clock.sleep)
    assert found.requests == 4 and clock.slept == [0.5, 0.5, 0.5] and clock.now - 1000.0 == 1.5


def test_principal_of_reads_roles_users_and_services() -> None:
    assert principal_of({"type": "IAMUser", "arn": "arn:aws:iam::1:user/ana"}) == "arn:aws:iam::1:user/ana"
    assert principal_of({"type": "AWSService", "invokedBy": "lambda.amazonaws.com"}) == "lambda.amazonaws.com"
    assert principal_of({"sessionContext": {"sessionIssuer": {"arn": ROLE}}, "arn": "x"}) == ROLE
    assert principal_of(None, "bob") == "bob"
    assert principal_of("garbage") == "unknown principal"


def test_a_quiet_account_and_region_costs_one_request_and_no_wait(client) -> None:
    clock = FakeClock()
    with Stubber(client) as stub:
        stub.add_response("lookup_events", {"Events": []}, {
            "LookupAttributes": BY_SOURCE, "StartTime": window(None, NOW)[0], "EndTime": window(None, NOW)[1],
            "MaxResults": 50})
        found = lookup_callers(client, REGION, None, NOW, limiter=RateLimiter(clock=clock, sleep=clock.sleep),
                               sleep=clock.sleep)
    assert (found.requests, found.events, found.callers, clock.slept) == (1, 0, [], [])


def test_a_scan_past_its_page_limit_says_so_and_covers_only_what_it_read(client) -> None:
    newest, older = NOW - dt.timedelta(days=1), NOW - dt.timedelta(days=5)
    with Stubber(client) as stub:
        stub.add_response("lookup_events", {"Events": [event("InvokeModel", HAIKU, newest)], "NextToken": "2"})
        stub.add_response("lookup_events", {"Events": [event("InvokeModel", HAIKU, older)], "NextToken": "3"})
        clock = FakeClock()
        found = lookup_callers(client, REGION, None, NOW, limiter=RateLimiter(clock=clock, sleep=clock.sleep),
                               sleep=clock.sleep, max_pages=2)
        stub.assert_no_pending_responses()
    assert found.truncated and found.requests == 2 and found.events == 2
    assert found.start == older - dt.timedelta(seconds=1) and found.end == NOW - cloudtrail.SETTLE
    assert found.warnings == [f"CloudTrail in {REGION}: more events than one scan reads; callers counted back to "
                              f"{found.start:%Y-%m-%d %H:%M} UTC only."]


def test_an_endpoint_paging_in_a_circle_ends(client) -> None:
    with Stubber(client) as stub:
        stub.add_response("lookup_events", {"Events": [], "NextToken": "again"})
        stub.add_response("lookup_events", {"Events": [], "NextToken": "again"})
        found = scan(client)
    assert found.requests == 2 and not found.truncated


def test_a_cancelled_scan_stops_before_its_next_request_and_its_backoff_wait_ends_at_once(client) -> None:
    import threading

    cancel = threading.Event()
    clock = FakeClock()

    def backoff(seconds: float) -> bool:  # what cancel.wait does when the sync is stopped meanwhile
        cancel.set()
        return True

    with Stubber(client) as stub:
        stub.add_client_error("lookup_events", "ThrottlingException", "Rate exceeded", 400)
        with pytest.raises(cloudtrail.CallersCancelled):
            lookup_callers(client, REGION, None, NOW, limiter=RateLimiter(clock=clock, sleep=clock.sleep),
                           sleep=backoff, cancel=cancel)
        stub.assert_no_pending_responses()
