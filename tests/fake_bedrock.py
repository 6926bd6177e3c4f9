"""A local HTTP server that speaks Bedrock's REST JSON for several Regions, and (for syncs of
several accounts) STS and Organizations.

The Region of each request is read from its SigV4 credential scope, so one server stands in
for every Region when boto3 is pointed at it with AWS_ENDPOINT_URL_BEDROCK. Behaviour per
Region: "ok" (serve the listing), "throttle" (429 ThrottlingException), "error" (500),
"disabled" (an opt-in Region not enabled: 403 UnrecognizedClientException), "scp" (403
AccessDeniedException from a service control policy).

With `accounts` ({account ID: FakeAccount}), the account of a call is read from its access
key: `AKIA<12 digits>` (a profile's long-term key) or `ASIA<12 digits>` (what AssumeRole here
issues). ListAccounts (Organizations, JSON 1.1, pages of 10) lists them, plus a SUSPENDED
one; AssumeRole and GetCallerIdentity (STS, query protocol) answer for them. Every session
token issued is kept in `tokens` (tests grep the project for them).

CloudTrail's `LookupEvents` (X-Amz-Target `…CloudTrail_20131101.LookupEvents`) is handed to
`cloudtrail` (tests/fake_cloudtrail.py's FakeCloudTrail.answer; no trail: no events), so one
server stands in for every service a sync calls when AWS_ENDPOINT_URL points at it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

try:  # as a test module (tests.fake_bedrock) or from benchmarks (tests/ on sys.path)
    from .fake_cloudtrail import TARGET as LOOKUP_EVENTS
    from .fake_cloudtrail import FakeCloudTrail
except ImportError:
    from fake_cloudtrail import TARGET as LOOKUP_EVENTS  # type: ignore[no-redef]
    from fake_cloudtrail import FakeCloudTrail  # type: ignore[no-redef]

SCOPE = re.compile(r"Credential=([^/]+)/\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/")
SUSPENDED = "999999999999"
STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"


@dataclass
class FakeAccount:
    name: str
    role: str = "ok"  # "denied": AssumeRole refused
    behaviour: dict[str, str] = field(default_factory=dict)  # Region -> mode (see above)
    extra: dict[str, dict[str, dict]] = field(default_factory=dict)  # Region -> path -> answer
    external_id: str = ""  # the external ID its role's trust policy asks for
EMPTY_LISTS = {
    "/inference-profiles": "inferenceProfileSummaries",
    "/provisioned-model-throughputs": "provisionedModelSummaries",
    "/custom-models": "modelSummaries",
    "/model-invocation-jobs": "invocationJobSummaries",
    "/model-customization/custom-model-deployments": "modelDeploymentSummaries",
    "/prompt-routers": "promptRouterSummaries",
}


class FakeBedrock:
    def __init__(self, behaviour: dict[str, str], listings: dict[str, list[dict]],
                 extra: dict[str, dict[str, dict]] | None = None, delay: float = 0.0,
                 accounts: dict[str, FakeAccount] | None = None) -> None:
        self.behaviour = behaviour
        self.accounts = accounts or {}
        self.tokens: list[str] = []  # session tokens AssumeRole issued
        self.secrets: list[str] = []
        self.assumed: Counter[str] = Counter()  # AssumeRole calls per account
        self.calls: Counter[tuple[str, str, str]] = Counter()  # (account, Region, service)
        self.health_org = True  # the organizational view of AWS Health is on
        self.health_affected: list[str] = []  # the accounts its one Bedrock event affects
        self.cloudtrail = FakeCloudTrail({})  # LookupEvents of every account and Region
        self.delay = delay  # seconds added to every answer (latency benchmarks)
        self.listings = listings
        self.extra = extra or {}
        self.requests: Counter[tuple[str, str]] = Counter()
        self.headers_seen: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep connections open between calls, as AWS does
            disable_nagle_algorithm = True  # else each answer's body waits ~40 ms for an ACK

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                auth = self.headers.get("Authorization", "")
                server.headers_seen.append(auth)
                match = SCOPE.search(auth)
                key, region, service = match.groups() if match else ("", "?", "?")
                account = server.account_of(key)
                path = urlparse(self.path).path
                server.requests[(region, path)] += 1
                server.calls[(account, region, service)] += 1
                if server.delay:
                    time.sleep(server.delay)
                fake = server.accounts.get(account)
                mode = (fake.behaviour if fake else server.behaviour).get(region, "ok")
                extra = (fake.extra if fake else server.extra).get(region, {})
                if mode == "throttle":
                    self._send(429, {"message": "Rate exceeded"}, "ThrottlingException")
                elif mode == "error":
                    self._send(500, {"message": "Internal failure"}, "InternalServerException")
                elif mode == "disabled":
                    self._send(403, {"message": "The security token included in the request is invalid."},
                               "UnrecognizedClientException")
                elif mode == "scp":
                    self._send(403, {"message": f"User: arn:aws:sts::{account}:assumed-role/x is not "
                                     "authorized to perform: bedrock:ListFoundationModels with an explicit "
                                     "deny in a service control policy"}, "AccessDeniedException")
                elif path == "/foundation-models":
                    self._send(200, {"modelSummaries": server.listings.get(region, [])})
                elif path in extra:
                    self._send(200, extra[path])
                elif path == "/logging/modelinvocations":
                    self._send(200, {})
                elif path in EMPTY_LISTS:
                    self._send(200, {EMPTY_LISTS[path]: []})
                else:
                    self._send(404, {"message": f"no route {path}"}, "ResourceNotFoundException")

            def do_POST(self) -> None:  # noqa: N802 - STS (query) and Organizations (JSON 1.1)
                length = int(self.headers.get("Content-Length", "0") or 0)
                body = self.rfile.read(length).decode()
                auth = self.headers.get("Authorization", "")
                match = SCOPE.search(auth)
                key, region, service = match.groups() if match else ("", "?", "?")
                caller = server.account_of(key)
                server.calls[(caller, region, service)] += 1
                if server.delay:
                    time.sleep(server.delay)
                target = self.headers.get("X-Amz-Target", "")
                if target == LOOKUP_EVENTS:
                    status, answer = server.cloudtrail.answer(caller, region, body)
                    self._send(status, answer)
                    return
                if target.startswith("AWSHealth_20160804."):
                    self._health(target.split(".", 1)[1], json.loads(body or "{}"), caller)
                    return
                if target.endswith(".ListAccounts"):
                    self._list_accounts(json.loads(body or "{}"))
                    return
                form = {k: v[0] for k, v in parse_qs(body).items()}
                if form.get("Action") == "AssumeRole":
                    self._assume_role(form)
                elif form.get("Action") == "GetCallerIdentity":
                    self._xml(200, f"<GetCallerIdentityResponse xmlns='{STS_NS}'><GetCallerIdentityResult>"
                              f"<UserId>AIDA{caller}</UserId><Account>{caller}</Account>"
                              f"<Arn>arn:aws:iam::{caller}:user/planner</Arn></GetCallerIdentityResult>"
                              "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
                              "</GetCallerIdentityResponse>")
                else:
                    self._send(404, {"message": "no route"}, "UnknownOperationException")

            def _list_accounts(self, request: dict) -> None:
                listed = [(a, f.name, "ACTIVE") for a, f in sorted(server.accounts.items())]
                listed.append((SUSPENDED, "closed-sandbox", "SUSPENDED"))
                start = int(request.get("NextToken") or 0)
                page = listed[start:start + 10]
                answer: dict = {"Accounts": [{
                    "Id": a, "Arn": f"arn:aws:organizations::000000000000:account/o-x/{a}",
                    "Email": f"{a}@example.com", "Name": name, "State": state,
                    "Status": "ACTIVE" if state == "ACTIVE" else "SUSPENDED",
                    "JoinedMethod": "CREATED", "JoinedTimestamp": 1.7e9} for a, name, state in page]}
                if start + 10 < len(listed):
                    answer["NextToken"] = str(start + 10)
                self._send(200, answer)

            def _assume_role(self, form: dict[str, str]) -> None:
                role_arn = form.get("RoleArn", "")
                account = role_arn.split(":")[4] if role_arn.count(":") >= 5 else ""
                fake = server.accounts.get(account)
                server.assumed[account] += 1
                if fake is None or fake.role == "denied" or form.get("ExternalId", "") != fake.external_id:
                    self._xml(403, f"<ErrorResponse xmlns='{STS_NS}'><Error><Type>Sender</Type>"
                              "<Code>AccessDenied</Code><Message>User is not authorized to perform: "
                              f"sts:AssumeRole on resource: {role_arn}</Message></Error>"
                              "<RequestId>r</RequestId></ErrorResponse>")
                    return
                secret, token = secrets.token_hex(20), "FQoGZXIvYXdzEFAKE" + secrets.token_hex(24)
                server.tokens.append(token)
                server.secrets.append(secret)
                expiry = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
                self._xml(200, f"<AssumeRoleResponse xmlns='{STS_NS}'><AssumeRoleResult><Credentials>"
                          f"<AccessKeyId>ASIA{account}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey>"
                          f"<SessionToken>{token}</SessionToken><Expiration>{expiry}</Expiration>"
                          "</Credentials><AssumedRoleUser><AssumedRoleId>AROA:planner</AssumedRoleId>"
                          f"<Arn>arn:aws:sts::{account}:assumed-role/r/planner-tui-sync</Arn></AssumedRoleUser>"
                          "</AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
                          "</AssumeRoleResponse>")

            def _health(self, operation: str, request: dict, caller: str) -> None:
                """The organizational view (for the caller outside the member accounts, when
                `health_org` is on); any account's own Health needs a support plan it lacks."""
                arn = "arn:aws:health:us-east-1::event/BEDROCK/AWS_BEDROCK_PLANNED_LIFECYCLE_EVENT/e1"
                affected = server.health_affected
                if operation.endswith("ForOrganization") and (caller in server.accounts or not server.health_org):
                    self._send(400, {"message": "not enabled"}, "AWSOrganizationsNotInUseException")
                elif operation == "DescribeEventsForOrganization":
                    self._send(200, {"events": [{
                        "arn": arn, "service": "BEDROCK", "eventTypeCode": "AWS_BEDROCK_PLANNED_LIFECYCLE_EVENT",
                        "eventTypeCategory": "scheduledChange", "region": "us-east-1", "statusCode": "upcoming",
                        "startTime": 1.8e9}]})
                elif operation == "DescribeAffectedAccountsForOrganization":
                    self._send(200, {"affectedAccounts": affected, "eventScopeCode": "ACCOUNT_SPECIFIC"})
                elif operation == "DescribeEventDetailsForOrganization":
                    self._send(200, {"successfulSet": [
                        {"awsAccountId": f["awsAccountId"], "event": {"arn": arn},
                         "eventDescription": {"latestDescription": "Claude 3 Haiku reaches its end of life."}}
                        for f in request.get("organizationEventDetailFilters", [])], "failedSet": []})
                elif operation == "DescribeAffectedEntitiesForOrganization":
                    self._send(200, {"entities": [
                        {"eventArn": arn, "awsAccountId": f["awsAccountId"],
                         "entityValue": "anthropic.claude-3-haiku-20240307-v1:0"}
                        for f in request.get("organizationEntityFilters", [])]})
                else:
                    self._send(400, {"message": "no support plan"}, "SubscriptionRequiredException")

            def _xml(self, status: int, text: str) -> None:
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _send(self, status: int, body: dict, error_type: str = "") -> None:
                if error_type:  # JSON 1.1 services (Organizations, Health) read it from the body
                    body = {"__type": error_type, **body}
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if error_type:
                    self.send_header("x-amzn-ErrorType", error_type)
                self.end_headers()
                self.wfile.write(data)

        class Server(ThreadingHTTPServer):
            request_queue_size = 128  # many Regions connect at once

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.management = "000000000000"  # the account of any other key (the caller's own)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def account_of(self, access_key: str) -> str:
        digits = access_key[4:16]
        if access_key[:4] in ("AKIA", "ASIA") and digits in self.accounts:
            return digits
        return self.management if self.accounts else ""

    def __enter__(self) -> FakeBedrock:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
