"""Work a plan's phase due dates back from its deadline, and rank open work by urgency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple
from itertools import accumulate

from pydantic import BaseModel, Field

from .models import PHASES, Criticality, MigrationPlan, Phase, RegionalLifecycle, Status


class ScheduleSettings(BaseModel):
    """How deadlines and phase windows are derived. Stored per project."""

    # Aim for the PEA start while it is still ahead (prices may rise from then on).
    prefer_pea: bool = True
    # When PEA is past or unknown, finish this many days before EOL.
    safety_margin_days: int = Field(default=14, ge=0, le=365)
    # Share of the plan window each phase gets, in phase order; sums to 1.
    phase_shares: dict[Phase, float] = Field(
        default_factory=lambda: {
            Phase.ASSESS: 0.15,
            Phase.RESEARCH: 0.20,
            Phase.TEST: 0.25,
            Phase.UPDATE: 0.15,
            Phase.ROLLOUT: 0.25,
        }
    )
    # Below these, a phase cannot be done properly and the plan counts as compressed.
    min_phase_days: dict[Phase, int] = Field(
        default_factory=lambda: {
            Phase.ASSESS: 5,
            Phase.RESEARCH: 7,
            Phase.TEST: 10,
            Phase.UPDATE: 5,
            Phase.ROLLOUT: 14,
        }
    )


class Risk(StrEnum):
    OVERDUE = "overdue"
    COMPRESSED = "compressed"
    AT_RISK = "at risk"
    ON_TRACK = "on track"
    DONE = "done"

    @property
    def rank(self) -> int:
        return _RISK_RANK[self]


_RISK_RANK = {risk: rank for rank, risk in enumerate(Risk)}


# Computed results, not user input: plain frozen dataclasses (cheap for 20,000 plans).
@dataclass(frozen=True, slots=True)
class Deadline:
    date: dt.date
    basis: str  # human explanation, e.g. "PEA start 2027-01-08 (us-east-1)"


class PhaseWindow(NamedTuple):
    phase: Phase
    start: dt.date
    due: dt.date
    done: bool


@dataclass(frozen=True, slots=True)
class PlanSchedule:
    plan_id: int | None
    deadline: Deadline | None
    phases: tuple[PhaseWindow, ...]
    compressed: bool
    risk: Risk
    next_due: dt.date | None
    urgency: float

    def window(self, phase: Phase) -> PhaseWindow:
        return self.phases[phase.index]


CRITICALITY_WEIGHT = {
    Criticality.LOW: 0.5,
    Criticality.MEDIUM: 1.0,
    Criticality.HIGH: 1.5,
    Criticality.CRITICAL: 2.0,
}


def plan_deadline(
    lifecycles: Iterable[RegionalLifecycle],
    today: dt.date,
    settings: ScheduleSettings,
    override: dt.date | None = None,
) -> Deadline | None:
    """Earliest deadline over the Regions the plan covers (`lifecycles` are those Regions' rows)."""
    if override:
        return Deadline(date=override, basis=f"set by hand: {override}")
    best: Deadline | None = None
    for lifecycle in lifecycles:
        candidate: Deadline | None = None
        where = ", ".join(lifecycle.regions)
        if settings.prefer_pea and lifecycle.pea_date and lifecycle.pea_date > today:
            candidate = Deadline(
                date=lifecycle.pea_date, basis=f"PEA start {lifecycle.pea_date} ({where})"
            )
        elif lifecycle.eol_date:
            candidate = Deadline(
                date=lifecycle.eol_date - dt.timedelta(days=settings.safety_margin_days),
                basis=f"EOL {lifecycle.eol_date} minus {settings.safety_margin_days} days ({where})",
            )
        elif lifecycle.declared_status is Status.EOL and _as_of_date(lifecycle.as_of):
            retired = _as_of_date(lifecycle.as_of)
            candidate = Deadline(date=retired, basis=f"already retired (unlisted as of {retired}, {where})")
        elif lifecycle.eol_no_sooner_than:
            candidate = Deadline(
                date=lifecycle.eol_no_sooner_than - dt.timedelta(days=settings.safety_margin_days),
                basis=f"EOL no sooner than {lifecycle.eol_no_sooner_than} minus "
                f"{settings.safety_margin_days} days ({where})",
            )
        if candidate and (best is None or candidate.date < best.date):
            best = candidate
    return best


def _as_of_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def phase_windows(
    start: dt.date, deadline: dt.date, settings: ScheduleSettings
) -> tuple[list[tuple[Phase, dt.date, dt.date]], bool]:
    """Split [start, deadline] into phase windows by share; report whether it is compressed."""
    shares = tuple(settings.phase_shares[phase] for phase in PHASES)
    windows, compressed = _windows(start, deadline, shares, sum(settings.min_phase_days.values()))
    return list(windows), compressed


@lru_cache(maxsize=65536)
def _windows(start: dt.date, deadline: dt.date, shares: tuple[float, ...],
             minimum_days: int) -> tuple[tuple[tuple[Phase, dt.date, dt.date], ...], bool]:
    # Plans that start on the same day and share a deadline share their windows.
    window_days = max((deadline - start).days, 0)
    windows = []
    phase_start = start
    for phase, cumulative in zip(PHASES, _running_totals(shares), strict=True):
        due = start + dt.timedelta(days=round(window_days * cumulative))
        if phase is PHASES[-1]:
            due = max(deadline, start)
        windows.append((phase, phase_start, due))
        phase_start = due
    return tuple(windows), window_days < minimum_days


@lru_cache(maxsize=32)
def _running_totals(shares: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(accumulate(shares))


def schedule_plan(
    plan: MigrationPlan,
    lifecycles: Iterable[RegionalLifecycle],
    today: dt.date,
    settings: ScheduleSettings,
    criticality: Criticality = Criticality.MEDIUM,
) -> PlanSchedule:
    deadline = plan_deadline(lifecycles, today, settings, plan.deadline_override)
    finished = plan.completed_on is not None
    if deadline is None:
        # No dates published for the plan's Regions: nothing to work back from.
        phases = tuple(
            PhaseWindow(phase=p, start=plan.started_on, due=plan.started_on, done=finished)
            for p in PHASES
        )
        return PlanSchedule(
            plan_id=plan.id,
            deadline=None,
            phases=phases,
            compressed=False,
            risk=Risk.DONE if finished else Risk.ON_TRACK,
            next_due=None,
            urgency=0.0,
        )

    windows, compressed = phase_windows(plan.started_on, deadline.date, settings)
    current = plan.current_phase.index
    phases = tuple(
        PhaseWindow(phase=p, start=s, due=d, done=finished or p.index < current)
        for p, s, d in windows
    )
    open_phases = [w for w in phases if not w.done]
    next_due = open_phases[0].due if open_phases else None

    if finished:
        risk = Risk.DONE
    elif any(w.due < today for w in open_phases):
        risk = Risk.OVERDUE
    elif compressed:
        risk = Risk.COMPRESSED
    elif _behind(phases, plan, today):
        risk = Risk.AT_RISK
    else:
        risk = Risk.ON_TRACK

    return PlanSchedule(
        plan_id=plan.id,
        deadline=deadline,
        phases=phases,
        compressed=compressed,
        risk=risk,
        next_due=next_due,
        urgency=urgency(plan, next_due, today, criticality) if not finished else 0.0,
    )


def _behind(phases: tuple[PhaseWindow, ...], plan: MigrationPlan, today: dt.date) -> bool:
    """True when the current phase's window has used most of its time but little of its work."""
    window = phases[plan.current_phase.index]
    total = (window.due - window.start).days
    if total <= 0:
        return False
    elapsed = (today - window.start).days / total
    done, count = plan.counts(plan.current_phase)
    return elapsed > 0.75 and (done / count if count else 0.0) < 0.5


def urgency(
    plan: MigrationPlan, next_due: dt.date | None, today: dt.date, criticality: Criticality
) -> float:
    """Bigger is more urgent: remaining work divided by days left, weighted by criticality.

    Work past its due date always outranks work that is not.
    """
    if next_due is None:
        return 0.0
    remaining = 1.0 - plan.progress
    days_left = (next_due - today).days
    weight = CRITICALITY_WEIGHT[criticality]
    if days_left < 0:
        return round((1000.0 + -days_left + remaining * 100) * weight, 2)
    return round(remaining * 100 / max(days_left, 1) * weight, 2)


def order_by_urgency(schedules: Iterable[PlanSchedule]) -> list[PlanSchedule]:
    return sorted(schedules, key=lambda s: (s.risk.rank, -s.urgency, s.next_due or dt.date.max))
