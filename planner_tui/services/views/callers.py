"""Reads of who calls each model, shared by `callers` and the model detail screen: the
callers (of one model), each with its model's status in its Region and whether a Legacy
model sits idle there; and every Legacy dependency that has been idle for 15 days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...domain.arns import account_label
from ...domain.callers import LEGACY_STATES, IdleEvidence, idle_reasons, idle_warning
from ...domain.lifecycle import status_in_region
from ...domain.vocabulary import Status
from ...persistence.repos.callers import CallerRow, CallerScanRow
from ...persistence.store import ProjectStore

if TYPE_CHECKING:
    from ...domain.models import Dependency

UNKNOWN = "unknown model"  # a model the catalog does not know, as every list flags it
CALLER_KEY = "t"  # a caller's ID as `discovered` shows and takes it (`t12`: from CloudTrail)


@dataclass(frozen=True)
class CallerLine:
    caller: CallerRow
    status: Status | None  # its model's in its Region today (None: unknown model or not offered)
    idle: bool  # a Legacy model it last called more than IDLE_DAYS ago
    app_name: str  # the application it was accepted into ('' when none)

    @property
    def account(self) -> str:
        return account_label(self.caller.account_id, self.caller.account_name) or "–"

    @property
    def key(self) -> str:
        return f"{CALLER_KEY}{self.caller.id}"

    @property
    def principal_name(self) -> str:
        """The last part of the principal's ARN: `checkout-api` of `arn:…:assumed-role/checkout-api/i-0ab`
        (a session name after a role is an instance or a person, which changes)."""
        resource = self.caller.principal_arn.split(":", 5)[-1]
        parts = resource.split("/")
        if parts[0] == "assumed-role" and len(parts) > 1:
            return parts[1]
        return parts[-1] or resource

    @property
    def model_label(self) -> str:
        c = self.caller
        label = c.model_id if c.known else f"unknown model {c.model_written}"
        if c.profile_id:
            label += f" via {c.profile_id}"
        return f"{label} ({c.variant})" if c.variant else label

    @property
    def flag(self) -> str:
        if self.idle:
            return f"idle {self.status.value if self.status else ''}".strip()
        return self.status.value if self.status in (*LEGACY_STATES, Status.EOL) else ""

    @property
    def triage_flag(self) -> str:
        """The flag, or 'unknown model' (which `discovered` flags; the other lists say it in the
        model's column only)."""
        return self.flag or ("" if self.caller.known else UNKNOWN)

    def as_json(self) -> dict[str, Any]:
        c = self.caller
        return {"id": c.id, "account_id": c.account_id, "account_name": c.account_name, "region": c.region,
                "principal_arn": c.principal_arn, "model_written": c.model_written, "model_id": c.model_id,
                "profile_id": c.profile_id, "variant": c.variant, "known": c.known, "calls": c.calls,
                "errors": c.errors, "first_seen": c.first_seen.isoformat(), "last_seen": c.last_seen.isoformat(),
                "status": self.status.value if self.status else None, "idle": self.idle,
                "application": self.app_name or None, "dismissed": c.dismissed}


def caller_lines(store: ProjectStore, today: dt.date, model_id: str | None = None) -> list[CallerLine]:
    """The callers stored (of one model: its ID, a profile ID or the ID as written)."""
    return lines_of(store, today, store.callers(model_id))


def lines_of(store: ProjectStore, today: dt.date, callers: list[CallerRow],
             apps: dict[int, str] | None = None) -> list[CallerLine]:
    """Each caller with its model's status in its Region today and its application (named from
    `apps`, when the caller read the names it needs, or from every application)."""
    if apps is None:
        wanted = any(c.app_id for c in callers)
        apps = {a.id: a.name for a in store.applications() if a.id is not None} if wanted else {}
    statuses: dict[tuple[str, str], Status | None] = {}
    lines = []
    for caller in callers:
        key = (caller.model_id, caller.region)
        if key not in statuses:
            statuses[key] = (status_in_region(store.lifecycles(caller.model_id), caller.model_id, caller.region,
                                              today, store.offered_regions(caller.model_id))
                             if caller.known else None)
        status = statuses[key]
        idle = bool(idle_reasons(status, IdleEvidence(last_call=caller.last_seen.date()), today))
        lines.append(CallerLine(caller, status, idle, apps.get(caller.app_id, "") if caller.app_id else ""))
    return lines


@dataclass(frozen=True)
class IdleDependency:
    app_name: str
    dependency: Dependency
    status: Status
    evidence: IdleEvidence
    reasons: tuple[str, ...]

    @property
    def warning(self) -> str:
        return idle_warning(self.reasons)

    @property
    def line(self) -> str:
        """'Checkout in us-east-1 (dr (444455556666), dr): idle Legacy: …'"""
        d = self.dependency
        where = ", ".join(p for p in (account_label(d.account_id, d.account_name), d.environment) if p)
        return f"{self.app_name} in {d.region} ({where}): {self.warning}"

    def as_json(self) -> dict[str, Any]:
        d = self.dependency
        return {"application": self.app_name, "model_id": d.model_id, "region": d.region,
                "account_id": d.account_id, "account_name": d.account_name, "environment": d.environment,
                "status": self.status.value, "reasons": list(self.reasons)}


def _evidence(dependency: Dependency, callers: list[CallerRow], scans: list[CallerScanRow],
              invocations: tuple[dt.date | None, dt.date | None]) -> IdleEvidence:
    def mine(account_id: str, region: str) -> bool:
        return region == dependency.region and (not dependency.account_id or account_id == dependency.account_id)

    calls = [c.last_seen.date() for c in callers if c.model_id == dependency.model_id and mine(c.account_id, c.region)]
    covered = [s.window_start.date() for s in scans if mine(s.account_id, s.region)]
    return IdleEvidence(last_call=max(calls) if calls else None, calls_from=min(covered) if covered else None,
                        newest_invocation=invocations[1], invocations_from=invocations[0])


def idle_legacy_dependencies(store: ProjectStore, today: dt.date, model_id: str | None = None) -> list[IdleDependency]:
    """Every dependency (on `model_id`) on a model Legacy (or PEA) in its Region whose last
    call CloudTrail saw, or newest CloudWatch Invocations, is older than 15 days."""
    apps = {a.id: a.name for a in store.applications()}
    callers = store.callers(model_id)
    scans = store.caller_scans()
    found = []
    for dependency in store.dependencies():
        if model_id is not None and dependency.model_id != model_id:
            continue
        status = status_in_region(store.lifecycles(dependency.model_id), dependency.model_id, dependency.region,
                                  today)
        if status not in LEGACY_STATES:
            continue
        assert status is not None
        invocations = store.invocation_days(dependency.model_id, dependency.region, dependency.account_id)
        evidence = _evidence(dependency, callers, scans, invocations)
        reasons = idle_reasons(status, evidence, today)
        if reasons:
            found.append(IdleDependency(apps.get(dependency.app_id, ""), dependency, status, evidence, reasons))
    return found
