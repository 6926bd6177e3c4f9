"""Bedrock lifecycle rules, as the Bedrock User Guide states them.

Sources: model-lifecycle-legacy.html (models launched before 2026-09-07) and
model-lifecycle.html (models launched on or after 2026-09-07).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple, Protocol

from .dates import add_months
from .vocabulary import NEW_POLICY_START, PolicyRegime, Status

if TYPE_CHECKING:
    from .models import RegionalLifecycle

# Public extended access applies to old-policy models whose EOL falls after this date.
PEA_CLAUSE_EOL_AFTER = dt.date(2026, 2, 1)
MIN_LEGACY_MONTHS = 6
MIN_MONTHS_BEFORE_PEA = 3
MIN_PEA_MONTHS = 3
MIN_LIFETIME_MONTHS = 12
NEW_POLICY_LEGACY_PERIODS_DAYS = (45, 183)  # "45 days" or "6 months"
INACTIVITY_DAYS = 15
ORDER_RULE = "order"  # Legacy start, PEA start and EOL out of order: a contradiction
ORDER = "the dates run Legacy start ≤ PEA start < EOL"


class MilestoneKind(StrEnum):
    LEGACY = "legacy"
    PEA = "pea"
    EOL = "eol"

    @property
    def label(self) -> str:
        return {"legacy": "Legacy start", "pea": "PEA start", "eol": "EOL"}[self.value]


CONSEQUENCES: dict[MilestoneKind, tuple[str, ...]] = {
    MilestoneKind.LEGACY: (
        "No new Provisioned Throughput can be created; existing PT keeps working.",
        "Customisation restricted: no new fine-tuning jobs.",
        "New customers can't use the model.",
        f"Accounts inactive for {INACTIVITY_DAYS} days may lose access "
        "(rarely used staging/DR environments are at risk).",
    ),
    MilestoneKind.PEA: (
        "Public extended access: the provider may raise prices.",
        "Quota increase requests are generally not approved.",
    ),
    MilestoneKind.EOL: (
        "Every request to the model fails.",
        "Nothing migrates automatically.",
    ),
}


@dataclass(frozen=True, slots=True)
class Milestone:
    """A published date in a model's lifecycle (computed from lifecycle rows, not user input)."""

    model_id: str
    regions: tuple[str, ...]
    kind: MilestoneKind
    date: dt.date
    source: str = ""

    @property
    def consequences(self) -> tuple[str, ...]:
        return CONSEQUENCES[self.kind]

    def days_left(self, today: dt.date) -> int:
        return (self.date - today).days


class Severity(StrEnum):
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """A place where published data and published policy disagree (computed, not input)."""

    model_id: str
    regions: tuple[str, ...]
    severity: Severity
    rule: str
    message: str


def regime_for_launch(launch: dt.date | None) -> PolicyRegime | None:
    if launch is None:
        return None
    if launch >= NEW_POLICY_START:
        return PolicyRegime.FROM_2026_09_07
    return PolicyRegime.BEFORE_2026_09_07


class LifecycleGroup(Protocol):
    """What the status and milestone rules read of a lifecycle group: a RegionalLifecycle,
    or its LifecycleDates as overviews read them."""

    @property
    def model_id(self) -> str: ...
    @property
    def regions(self) -> tuple[str, ...]: ...
    @property
    def declared_status(self) -> Status: ...
    @property
    def legacy_date(self) -> dt.date | None: ...
    @property
    def pea_date(self) -> dt.date | None: ...
    @property
    def eol_date(self) -> dt.date | None: ...
    @property
    def source(self) -> str: ...


class LifecycleDates(NamedTuple):
    """A lifecycle group's dates as overviews read them from the project (no validation:
    they come from our own rows). Has the fields of RegionalLifecycle that the rules here use
    (a LifecycleGroup)."""

    model_id: str
    regions: tuple[str, ...]
    declared_status: Status
    legacy_date: dt.date | None
    pea_date: dt.date | None
    eol_date: dt.date | None
    source: str
    as_of: str


def status_on(lifecycle: LifecycleGroup, day: dt.date) -> Status:
    """The model's state in these Regions on `day`."""
    return status_from(lifecycle.declared_status, lifecycle.legacy_date, lifecycle.pea_date,
                       lifecycle.eol_date, day)


def status_from(declared: Status, legacy: dt.date | None, pea: dt.date | None, eol: dt.date | None,
                day: dt.date) -> Status:
    """The state on `day` of a model with these dates (see `status_on`)."""
    if eol and day >= eol:
        return Status.EOL
    if pea and day >= pea:
        return Status.PEA
    if legacy and day >= legacy:
        return Status.LEGACY
    if legacy is None and declared in (Status.LEGACY, Status.PEA, Status.EOL):
        # Declared without a start date (e.g. from the API's status field).
        return declared
    return Status.ACTIVE


def index_by_region(
    lifecycles: Iterable[RegionalLifecycle],
) -> dict[tuple[str, str], RegionalLifecycle]:
    """(model ID, Region) → its lifecycle row, for fast look-ups over a whole project."""
    return {
        (lifecycle.model_id, region): lifecycle
        for lifecycle in lifecycles
        for region in lifecycle.regions
    }


def status_in_region(
    lifecycles: Iterable[RegionalLifecycle],
    model_id: str,
    region: str,
    day: dt.date,
    offered_regions: Iterable[str] = (),
) -> Status | None:
    """State of a model in one Region on `day`; None where it is not offered at all."""
    found = index_by_region(lifecycles).get((model_id, region))
    if found:
        return status_on(found, day)
    return Status.ACTIVE if region in set(offered_regions) else None


def milestones_of(lifecycle: LifecycleGroup) -> list[Milestone]:
    """Legacy, PEA and EOL milestones that have a published date. Missing dates stay missing."""
    dates = (
        (MilestoneKind.LEGACY, lifecycle.legacy_date),
        (MilestoneKind.PEA, lifecycle.pea_date),
        (MilestoneKind.EOL, lifecycle.eol_date),
    )
    return [
        Milestone(
            model_id=lifecycle.model_id,
            regions=lifecycle.regions,
            kind=kind,
            date=date,
            source=lifecycle.source,
        )
        for kind, date in dates
        if date is not None
    ]


def upcoming_milestones(
    lifecycles: Iterable[LifecycleGroup], today: dt.date, within_days: int | None = None
) -> list[Milestone]:
    """Milestones on or after `today` (and within `within_days`), soonest first."""
    found = []
    for lifecycle in lifecycles:
        for milestone in milestones_of(lifecycle):
            days = milestone.days_left(today)
            if days < 0 or (within_days is not None and days > within_days):
                continue
            found.append(milestone)
    return sorted(found, key=lambda m: (m.date, m.model_id, m.kind.value, m.regions))


def check_lifecycle(lifecycle: RegionalLifecycle) -> list[Finding]:
    """Report data that breaks the published policy. Never corrects anything."""
    findings: list[Finding] = []

    def report(rule: str, message: str, severity: Severity = Severity.WARNING) -> None:
        findings.append(
            Finding(
                model_id=lifecycle.model_id,
                regions=lifecycle.regions,
                severity=severity,
                rule=rule,
                message=message,
            )
        )

    legacy, pea, eol = lifecycle.legacy_date, lifecycle.pea_date, lifecycle.eol_date
    launch = lifecycle.launch_date

    if legacy and eol and eol <= legacy:
        report(ORDER_RULE, f"EOL {eol} is not after the Legacy start {legacy}.")
    if pea and legacy and pea < legacy:
        report(ORDER_RULE, f"PEA start {pea} is before the Legacy start {legacy}.")
    if pea and eol and pea >= eol:
        report(ORDER_RULE, f"PEA start {pea} is not before EOL {eol}.")

    if lifecycle.policy == PolicyRegime.BEFORE_2026_09_07:
        if legacy and eol and eol < add_months(legacy, MIN_LEGACY_MONTHS):
            report(
                "legacy-period",
                f"Legacy lasts {(eol - legacy).days} days ({legacy} → {eol}); "
                f"the policy promises at least {MIN_LEGACY_MONTHS} months.",
            )
        if pea and legacy and pea < add_months(legacy, MIN_MONTHS_BEFORE_PEA):
            report(
                "pea-too-early",
                f"PEA starts {pea}, sooner than {MIN_MONTHS_BEFORE_PEA} months into Legacy "
                f"(Legacy began {legacy}).",
            )
        if pea and eol and pea > add_months(eol, -MIN_PEA_MONTHS):
            report(
                "pea-too-short",
                f"PEA starts {pea}, later than {MIN_PEA_MONTHS} months before EOL {eol}.",
            )
        if launch and eol and eol < add_months(launch, MIN_LIFETIME_MONTHS):
            report(
                "lifetime",
                f"EOL {eol} is sooner than {MIN_LIFETIME_MONTHS} months after launch {launch}.",
            )
        if pea is None and eol and eol > PEA_CLAUSE_EOL_AFTER:
            report(
                "pea-missing",
                f"No PEA date is published; for an EOL after {PEA_CLAUSE_EOL_AFTER} the policy "
                "suggests one at least 3 months before EOL.",
                Severity.INFO,
            )
    else:
        if pea:
            report("pea-new-policy", "The newer policy has no public extended access, yet a PEA date is set.")
        if legacy and eol:
            period = lifecycle.legacy_period_days
            allowed = (
                [period] if period else list(NEW_POLICY_LEGACY_PERIODS_DAYS)
            )
            minimum = min(allowed)
            if minimum >= 180:
                too_short = eol < add_months(legacy, MIN_LEGACY_MONTHS)
            else:
                too_short = (eol - legacy).days < minimum
            if too_short:
                report(
                    "legacy-period",
                    f"Legacy lasts {(eol - legacy).days} days ({legacy} → {eol}); the model card "
                    f"promises {'6 months' if minimum >= 180 else f'{minimum} days'}.",
                )
        if eol and lifecycle.eol_no_sooner_than and eol < lifecycle.eol_no_sooner_than:
            report(
                "eol-no-sooner-than",
                f"EOL {eol} is sooner than the card's 'EOL no sooner than' "
                f"{lifecycle.eol_no_sooner_than}.",
            )
    return findings


def check_revision(
    current: RegionalLifecycle, revised: RegionalLifecycle, today: dt.date | None = None
) -> tuple[list[Finding], list[Finding]]:
    """Dates typed by hand, judged before they are saved: (contradictions, other findings).

    A contradiction breaks the order Legacy start ≤ PEA start < EOL (and Legacy start < EOL)
    where the current dates did not already: a date set against one it must follow or
    precede, which refuses the revision. Every other finding of the revised dates is a
    warning to show once they are saved; so is an EOL moved to a day before `today`, legal
    but odd (the model is End-of-Life there from the day it is saved).
    """
    already = {f.message for f in check_lifecycle(current) if f.rule == ORDER_RULE}
    findings = check_lifecycle(revised)
    contradictions = [f for f in findings if f.rule == ORDER_RULE and f.message not in already]
    eol = revised.eol_date
    if today and eol and eol < today and eol != current.eol_date:
        findings.append(Finding(revised.model_id, revised.regions, Severity.WARNING, "eol-past",
                                f"EOL {eol} is in the past: every call to the model there fails already."))
    return contradictions, [f for f in findings if f not in contradictions]


def check_all(lifecycles: Iterable[RegionalLifecycle]) -> list[Finding]:
    return [finding for lifecycle in lifecycles for finding in check_lifecycle(lifecycle)]
