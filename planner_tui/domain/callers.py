"""Who calls each model (CloudTrail), and the rule for idle Legacy dependencies.

Pure: no clock (today is a parameter), no boto3, no catalog access (the caller passes the
model IDs it knows and the resources a sync discovered).

The idle rule (Bedrock User Guide, model-lifecycle-legacy.html): customers of a Legacy model
may lose access to it after 15 days of inactivity. A dependency on a model that is Legacy
(or in public extended access) in its Region is flagged when its last call CloudTrail saw is
older than 15 days (or CloudTrail saw none in what it covered), and also when the newest
CloudWatch `Invocations` data point with calls is older than 15 days (or the synced days
have none). Where neither source was read, nothing is claimed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from .model_variants import resolve_model
from .vocabulary import Status

IDLE_DAYS = 15
LEGACY_STATES = (Status.LEGACY, Status.PEA)


@dataclass(frozen=True)
class CallerCount:
    """Calls one principal made to one model (as written) in one Region of one account."""

    account_id: str
    account_name: str
    region: str
    principal_arn: str  # an IAM role (the issuer of an assumed-role session), user, root or service
    model_written: str  # as the request named it: model ID, ARN, inference profile ID or ARN
    calls: int
    first_seen: dt.datetime
    last_seen: dt.datetime
    errors: int = 0  # of the calls, those that failed (an errorCode in the event)

    def plus(self, when: dt.datetime, failed: bool = False) -> CallerCount:
        return dataclasses.replace(self, calls=self.calls + 1, errors=self.errors + int(failed),
                                   first_seen=min(self.first_seen, when), last_seen=max(self.last_seen, when))


def principal_of(identity: Any, username: str = "") -> str:
    """Who made a call, from a CloudTrail event's `userIdentity`: an assumed role's session
    counts as its role (each Lambda or task session would otherwise be a caller of its own);
    a user, root or federated identity by its ARN; an AWS service by its name."""
    if isinstance(identity, dict):
        context = identity.get("sessionContext")
        issuer = context.get("sessionIssuer") if isinstance(context, dict) else None
        if isinstance(issuer, dict) and isinstance(issuer.get("arn"), str) and issuer["arn"]:
            return issuer["arn"]
        for key in ("arn", "invokedBy", "principalId"):
            value = identity.get(key)
            if isinstance(value, str) and value:
                return value
    return username or "unknown principal"


def account_of(principal_arn: str) -> str:
    """The account an IAM or STS ARN names (arn:aws:iam::111122223333:role/x), or ''."""
    parts = principal_arn.split(":")
    return parts[4] if len(parts) > 5 and parts[0] == "arn" and len(parts[4]) == 12 and parts[4].isdigit() else ""


@dataclass(frozen=True)
class ResolvedCaller:
    model_id: str  # the catalog's base model; as written when unknown
    profile_id: str  # the inference profile the call went through ('' when none)
    variant: str  # '200k context' …
    known: bool


def resolve_caller_model(written: str, known: Collection[str], resources: Mapping[str, str]) -> ResolvedCaller:
    """The base model a call named: a model ID or ARN, a cross-Region inference profile ID or
    ARN (its prefix dropped), a variant (`…:200k`); an application inference profile,
    Provisioned Throughput or custom model ARN through `resources` (resource ID or ARN → model,
    from the resources a sync discovered)."""
    text = written.strip()
    tail = text.rsplit("/", 1)[-1] if text.startswith("arn:") else text
    for key in (text, tail):
        if key in resources:
            base = resolve_model(resources[key], known)
            return ResolvedCaller(base.model_id, "", base.variant, base.known)
    base = resolve_model(text, known)
    profile = tail if tail != base.raw_id and tail.endswith(base.raw_id) else ""
    return ResolvedCaller(base.model_id, profile, base.variant, base.known)


@dataclass(frozen=True)
class IdleEvidence:
    """What the project knows of a dependency's recent use."""

    last_call: dt.date | None = None  # the newest call CloudTrail saw
    calls_from: dt.date | None = None  # CloudTrail was read back to here (None: never read)
    newest_invocation: dt.date | None = None  # the newest CloudWatch day with Invocations > 0
    invocations_from: dt.date | None = None  # the first day of the synced series (None: none synced)


def idle_reasons(status: Status | None, evidence: IdleEvidence, today: dt.date,
                 days: int = IDLE_DAYS) -> tuple[str, ...]:
    """Why a dependency on a model with `status` in its Region risks losing access on
    `today`: one sentence per source that shows no use in the last `days` days. Nothing for
    a model that is not Legacy (or PEA), or where no source was read."""
    if status not in LEGACY_STATES:
        return ()
    reasons = []
    if evidence.last_call is not None:
        idle = (today - evidence.last_call).days
        if idle > days:
            reasons.append(f"last call {evidence.last_call} ({idle} days ago, CloudTrail)")
    elif evidence.calls_from is not None and (today - evidence.calls_from).days > days:
        reasons.append(f"no call since {evidence.calls_from} (CloudTrail)")
    if evidence.newest_invocation is not None:
        idle = (today - evidence.newest_invocation).days
        if idle > days:
            reasons.append(f"newest Invocations {evidence.newest_invocation} ({idle} days ago, CloudWatch)")
    elif evidence.invocations_from is not None and (today - evidence.invocations_from).days > days:
        reasons.append(f"no Invocations since {evidence.invocations_from} (CloudWatch)")
    return tuple(reasons)


def idle_warning(reasons: tuple[str, ...], days: int = IDLE_DAYS) -> str:
    """The one line shown for an idle Legacy dependency ('' when none)."""
    if not reasons:
        return ""
    return (f"idle Legacy: {'; '.join(reasons)}: accounts inactive for {days} days may lose access "
            "to a Legacy model; call it (or plan the migration) before then.")
