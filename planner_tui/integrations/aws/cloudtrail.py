"""CloudTrail: who calls which model, from the management events Bedrock logs by default.

`lookup_callers` reads one account's events in one Region with `LookupEvents` (the last 90
days, or only what is new since the previous scan there): the events of
bedrock.amazonaws.com, of which InvokeModel, InvokeModelWithResponseStream, Converse and
ConverseStream are counted per (principal ARN, model as written, Region).

`LookupEvents` allows 2 requests per second per account and Region. Every request waits
for a `RateLimiter` (one per account and Region; pass a shared one when several threads
read the same account and Region), and a ThrottlingException that outlives botocore's own
retries is waited out with exponential backoff before it counts as a failure.

The caller makes the client (a boto3 session per account, its endpoint overrides and retry
settings); nothing here reads the clock or sleeps but through `clock` and `sleep`, so tests
run without waiting. The IAM action needed is `cloudtrail:LookupEvents`.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from ...domain.callers import CallerCount, principal_of
from .errors import THROTTLED

EVENT_SOURCE = "bedrock.amazonaws.com"
EVENT_NAMES = ("InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream")
LOOKBACK_DAYS = 90  # what LookupEvents keeps
SETTLE = dt.timedelta(minutes=15)  # CloudTrail delivers events up to ~15 minutes late: read up to now - SETTLE
REQUESTS_PER_SECOND = 2.0  # LookupEvents' limit per account and Region
PAGE_SIZE = 50  # LookupEvents' largest page
BACKOFF_START = 1.0  # seconds before the first retry of a throttled request, doubling
BACKOFF_ATTEMPTS = 5  # throttled requests retried this many times before the scan fails
MAX_PAGES = 1000  # 50,000 events (about 8 minutes at 2 requests a second): then the scan stops at the oldest read


class CallersThrottled(Exception):
    """LookupEvents stayed throttled after every backoff (one sentence)."""


class CallersCancelled(Exception):
    """The scan was asked to stop (`cancel` set): nothing of it is to be recorded."""


class RateLimiter:
    """At most `rate` requests a second: each `wait()` returns no earlier than 1/rate seconds
    after the previous one. Thread-safe; `clock` and `sleep` are injected (tests pass a fake
    clock whose sleep moves it)."""

    def __init__(self, rate: float = REQUESTS_PER_SECOND, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 1.0 / rate
        self.clock = clock
        self.sleep = sleep
        self._next = float("-inf")
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self.sleep(start - now)


_LIMITERS: dict[tuple[str, str], RateLimiter] = {}
_LIMITERS_LOCK = threading.Lock()


def limiter_for(account_id: str, region: str) -> RateLimiter:
    """The process-wide limiter of one account and Region (every scan of it shares it)."""
    with _LIMITERS_LOCK:
        return _LIMITERS.setdefault((account_id, region), RateLimiter())


@dataclass
class CallerScan:
    """What one scan of one account and Region found."""

    account_id: str
    account_name: str
    region: str
    start: dt.datetime  # the window read: (start, end]
    end: dt.datetime  # the next scan of this account and Region starts here
    callers: list[CallerCount] = field(default_factory=list)
    events: int = 0  # events counted
    skipped: int = 0  # events whose CloudTrailEvent was not readable JSON (or named no model): not counted
    other: int = 0  # Bedrock events that are not model calls (ListFoundationModels …), passed over
    requests: int = 0  # LookupEvents requests made
    throttled: int = 0  # of them, answered ThrottlingException and retried after a backoff
    truncated: bool = False  # MAX_PAGES read before the window's start: `start` is the oldest event read

    @property
    def warnings(self) -> list[str]:
        """One line each for what a sync should report: a truncated scan, unreadable events."""
        lines = []
        if self.truncated:
            lines.append(f"CloudTrail in {self.region}: more events than one scan reads; callers counted back to "
                         f"{self.start:%Y-%m-%d %H:%M} UTC only.")
        if self.skipped:
            lines.append(f"CloudTrail in {self.region}: {self.skipped} event(s) unreadable or naming no model, "
                         "skipped.")
        return lines


def window(since: dt.datetime | None, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """(start, end) of a scan at `now`: what is new since `since` (the previous scan's end),
    never further back than LookupEvents keeps, and not the last minutes CloudTrail may
    still deliver."""
    end = now - SETTLE
    oldest = now - dt.timedelta(days=LOOKBACK_DAYS)
    start = oldest if since is None else max(since, oldest)
    return min(start, end), end


def _utc(stamp: Any) -> dt.datetime | None:
    if isinstance(stamp, dt.datetime):  # botocore's are in local time
        return stamp.astimezone(dt.UTC) if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)
    if isinstance(stamp, str):
        try:
            parsed = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed.astimezone(dt.UTC) if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return None


def _request(client: Any, kwargs: dict[str, Any], limiter: RateLimiter, sleep: Callable[[float], object],
             scan: CallerScan, cancel: threading.Event | None) -> dict[str, Any]:
    """One LookupEvents request, after the limiter; throttling waited out with backoff."""
    delay = BACKOFF_START
    for attempt in range(BACKOFF_ATTEMPTS + 1):
        if cancel is not None and cancel.is_set():
            raise CallersCancelled
        limiter.wait()
        scan.requests += 1
        try:
            return client.lookup_events(**kwargs)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in THROTTLED:
                raise
            if attempt == BACKOFF_ATTEMPTS:
                raise CallersThrottled(
                    f"CloudTrail LookupEvents in {scan.region} stayed throttled after "
                    f"{BACKOFF_ATTEMPTS + 1} attempts; the callers there were not updated.") from None
            scan.throttled += 1
            sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover


def lookup_callers(client: Any, region: str, since: dt.datetime | None, now: dt.datetime, *,
                   account_id: str = "", account_name: str = "", limiter: RateLimiter | None = None,
                   sleep: Callable[[float], object] = time.sleep, max_pages: int = MAX_PAGES,
                   cancel: threading.Event | None = None) -> CallerScan:
    """Count the Bedrock model calls CloudTrail logged in `region` after `since` (None: the
    last 90 days) up to `now` minus SETTLE.

    `client` is a boto3 `cloudtrail` client for that account and Region. `since` is the
    previous scan's `end` for the same account and Region (store.caller_scan_end gives it).
    At most `max_pages` pages are read (newest first): past them the scan is `truncated` and
    its `start` is the oldest event read, so what it covers is what it says. The result is
    recorded with services.commands.callers.record_caller_scan. Raises
    CallersThrottled, or botocore's ClientError/BotoCoreError for anything else (denied,
    network): the caller turns them into one line (errors.explain). With `cancel`,
    CallersCancelled is raised before the next request once it is set (pass
    `sleep=cancel.wait` too, and a backoff wait ends at once).
    """
    now = now if now.tzinfo else now.replace(tzinfo=dt.UTC)
    since = since.replace(tzinfo=dt.UTC) if since is not None and since.tzinfo is None else since
    start, end = window(since, now)
    scan = CallerScan(account_id, account_name, region, start, end)
    limiter = limiter or limiter_for(account_id, region)
    counts: dict[tuple[str, str, str], CallerCount] = {}
    if start >= end:
        return scan
    # One lookup by event source (LookupEvents takes one attribute): a quiet account and Region
    # costs one request, not one per event name; the other Bedrock events are passed over.
    kwargs: dict[str, Any] = {
        "LookupAttributes": [{"AttributeKey": "EventSource", "AttributeValue": EVENT_SOURCE}],
        "StartTime": start, "EndTime": end, "MaxResults": PAGE_SIZE,
    }
    seen_tokens: set[str] = set()
    oldest = end
    for _ in range(max(1, max_pages)):
        page = _request(client, kwargs, limiter, sleep, scan, cancel)
        for event in page.get("Events") or []:
            when = _count(event, scan, counts, start)
            oldest = min(oldest, when or oldest)
        token = page.get("NextToken")
        if not token or token in seen_tokens:  # the end (or an endpoint that pages in a circle)
            break
        seen_tokens.add(token)
        kwargs["NextToken"] = token
    else:
        scan.truncated, scan.start = True, max(start, oldest - dt.timedelta(seconds=1))
    scan.callers = sorted(counts.values(), key=lambda c: (c.principal_arn, c.model_written, c.region))
    return scan


def _count(event: dict[str, Any], scan: CallerScan, counts: dict[tuple[str, str, str], CallerCount],
           start: dt.datetime) -> dt.datetime | None:
    """Count one event if it is a model call; returns its time (None when it has none)."""
    when = _utc(event.get("EventTime"))
    source = event.get("EventSource")
    if (source and source != EVENT_SOURCE) or (event.get("EventName") and event["EventName"] not in EVENT_NAMES):
        scan.other += 1  # ListFoundationModels, GetInferenceProfile … : not a model call
        return when
    try:
        detail = json.loads(event.get("CloudTrailEvent") or "")
    except (TypeError, ValueError):
        detail = None
    if not isinstance(detail, dict):
        scan.skipped += 1
        return when
    if (detail.get("eventSource", EVENT_SOURCE) != EVENT_SOURCE
            or detail.get("eventName", EVENT_NAMES[0]) not in EVENT_NAMES):
        scan.other += 1
        return when
    when = when or _utc(detail.get("eventTime"))
    if when is None:
        scan.skipped += 1
        return None
    if when <= start:  # the previous scan's window ended here, inclusive
        return when
    parameters = detail.get("requestParameters")
    model = parameters.get("modelId") if isinstance(parameters, dict) else None
    if not isinstance(model, str) or not model.strip():
        scan.skipped += 1
        return when
    principal = principal_of(detail.get("userIdentity"), event.get("Username") or "")
    region = detail.get("awsRegion") if isinstance(detail.get("awsRegion"), str) else scan.region
    failed = bool(detail.get("errorCode"))
    key = (principal, model.strip(), region or scan.region)
    found = counts.get(key)
    if found is None:
        counts[key] = CallerCount(account_id=scan.account_id, account_name=scan.account_name, region=key[2],
                                  principal_arn=principal, model_written=key[1], calls=1, errors=int(failed),
                                  first_seen=when, last_seen=when)
    else:
        counts[key] = found.plus(when, failed)
    scan.events += 1
    return when
