"""A local HTTP stand-in for CloudTrail's `LookupEvents` (JSON 1.1), for several accounts and
Regions, as tests/fake_bedrock.py stands in for Bedrock.

The Region of a request is read from its SigV4 credential scope and the account from its
access key (`AKIA<12 digits>`, as in fake_bedrock), so one server answers for every account
and Region when boto3 is pointed at it (`endpoint_url`, or AWS_ENDPOINT_URL_CLOUDTRAIL).
It filters by the one lookup attribute (EventName or EventSource), the time window
(inclusive, as CloudTrail) and pages with NextToken, newest first. Behaviour per (account,
Region): "ok", "throttle" (every request: 400 ThrottlingException), "throttle-once" (the
first request only), "denied" (AccessDeniedException). Requests are counted with the time
they came in, so tests can check the 2-per-second limit.

`answer(account, region, body)` is the whole of it, for a server that already routes by
X-Amz-Target (fake_bedrock can hand it the `…CloudTrail_20131101.LookupEvents` requests).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCOPE = re.compile(r"Credential=([^/]+)/\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/")
TARGET = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"


@dataclass
class Call:
    """One model call as CloudTrail logs it."""

    when: dt.datetime
    principal: str  # the role (an assumed-role session of it) or user ARN
    model: str  # requestParameters.modelId as the caller wrote it
    name: str = "InvokeModel"
    region: str = "us-east-1"
    error: str = ""

    def event(self, account: str, number: int) -> dict:
        if ":role/" in self.principal:
            role = self.principal.rsplit("/", 1)[1]
            identity = {"type": "AssumedRole", "principalId": f"AROA{number}:session",
                        "arn": f"arn:aws:sts::{account}:assumed-role/{role}/session-{number}",
                        "accountId": account, "sessionContext": {"sessionIssuer": {
                            "type": "Role", "principalId": f"AROA{number}", "arn": self.principal,
                            "accountId": account, "userName": role}}}
        else:
            identity = {"type": "IAMUser", "arn": self.principal, "accountId": account}
        detail = {"eventVersion": "1.09", "userIdentity": identity,
                  "eventTime": self.when.strftime("%Y-%m-%dT%H:%M:%SZ"), "eventSource": "bedrock.amazonaws.com",
                  "eventName": self.name, "awsRegion": self.region, "sourceIPAddress": "10.0.0.1",
                  "requestParameters": {"modelId": self.model}, "responseElements": None,
                  "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": account,
                  "eventCategory": "Management", "eventID": f"e-{account}-{number}"}
        if self.error:
            detail["errorCode"] = self.error
        return {"EventId": f"e-{account}-{number}", "EventName": self.name, "ReadOnly": "false",
                "EventTime": self.when.timestamp(), "EventSource": "bedrock.amazonaws.com",
                "Username": self.principal.rsplit("/", 1)[-1], "Resources": [],
                "CloudTrailEvent": json.dumps(detail)}


@dataclass
class FakeTrail:
    """One account's CloudTrail: its calls per Region, and how each Region behaves."""

    calls: dict[str, list[Call]] = field(default_factory=dict)  # Region -> calls logged there
    behaviour: dict[str, str] = field(default_factory=dict)  # Region -> ok | throttle | throttle-once | denied
    noise: int = 0  # other Bedrock events (ListFoundationModels) in each Region


class FakeCloudTrail:
    def __init__(self, trails: dict[str, FakeTrail]) -> None:
        self.trails = trails
        self.requests: list[tuple[str, str, float]] = []  # (account, Region, monotonic time)
        self.throttled: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()

    def answer(self, account: str, region: str, body: str) -> tuple[int, dict]:
        """(HTTP status, JSON body) of one LookupEvents request."""
        with self._lock:
            self.requests.append((account, region, time.monotonic()))
            trail = self.trails.get(account, FakeTrail())
            mode = trail.behaviour.get(region, "ok")
            if mode == "throttle" or (mode == "throttle-once" and not self.throttled[(account, region)]):
                self.throttled[(account, region)] += 1
                return 400, {"__type": "ThrottlingException", "message": "Rate exceeded"}
        if mode == "denied":
            return 400, {"__type": "AccessDeniedException",
                         "message": f"User: arn:aws:iam::{account}:user/x is not authorized to perform: "
                                    "cloudtrail:LookupEvents"}
        request = json.loads(body or "{}")
        (attribute,) = request.get("LookupAttributes") or [{"AttributeKey": "", "AttributeValue": ""}]
        start = dt.datetime.fromtimestamp(float(request["StartTime"]), dt.UTC)
        end = dt.datetime.fromtimestamp(float(request["EndTime"]), dt.UTC)
        events = [call.event(account, number) for number, call in enumerate(trail.calls.get(region, []))]
        events += [Call(end - dt.timedelta(minutes=n + 1), f"arn:aws:iam::{account}:role/planner", "",
                        name="ListFoundationModels", region=region).event(account, 10_000 + n)
                   for n in range(trail.noise)]
        key, value = attribute["AttributeKey"], attribute["AttributeValue"]
        matching = [e for e in events
                    if (key != "EventName" or e["EventName"] == value)
                    and (key != "EventSource" or e["EventSource"] == value)
                    and start <= dt.datetime.fromtimestamp(e["EventTime"], dt.UTC) <= end]
        matching.sort(key=lambda e: -e["EventTime"])  # newest first, as CloudTrail
        size = min(int(request.get("MaxResults") or 50), 50)
        offset = int(request.get("NextToken") or 0)
        page = {"Events": matching[offset:offset + size]}
        if offset + size < len(matching):
            page["NextToken"] = str(offset + size)
        return 200, page

    @contextmanager
    def serving(self) -> Iterator[str]:
        """Serve on a local port; yields its URL."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0") or 0)
                body = self.rfile.read(length).decode()
                match = SCOPE.search(self.headers.get("Authorization", ""))
                key, region = (match.group(1), match.group(2)) if match else ("", "?")
                account = key[4:16] if key[:4] in ("AKIA", "ASIA") else ""
                if self.headers.get("X-Amz-Target", "") != TARGET:
                    status, answer = 400, {"__type": "UnknownOperationException", "message": "no route"}
                else:
                    status, answer = fake.answer(account, region, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
