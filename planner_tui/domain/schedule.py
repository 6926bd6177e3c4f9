"""Work a plan's phase due dates back from its deadline, and rank open work by urgency.

A schedule has two parts: the timetable (deadline and phase due dates), which depends on
lifecycle dates, Regions, the plan's start and the settings, and can be stored; and the
standing on one day (risk, next due date, urgency), which also depends on progress.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple

from .chart_span import shifted
from .vocabulary import PHASES, Closure, Criticality, Phase, Status  # noqa: F401 - Closure re-exported

if TYPE_CHECKING:  # pydantic models: imported only where plans are scheduled afresh
    from .models import MigrationPlan, RegionalLifecycle
    from .settings import ScheduleSettings


class Risk(StrEnum):
    PAST_EOL = "past EOL"  # a Region the plan covers has retired the model: an outage
    OVERDUE = "overdue"
    COMPRESSED = "compressed"
    AT_RISK = "at risk"
    ON_TRACK = "on track"
    DONE = "done"
    CLOSED = "closed"  # no longer needed, or cancelled: out of every overview of open work

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
class Timetable:
    """A plan's deadline and phase due dates. They hold while `today` stays within
    [valid_from, valid_until): the deadline aims at PEA starts still ahead, so it moves
    when one of them passes."""

    started_on: dt.date
    deadline: Deadline | None
    dues: tuple[dt.date, ...]  # one per phase, in phase order
    compressed: bool
    valid_from: dt.date | None = None  # None: no lower bound
    valid_until: dt.date | None = None  # exclusive; None: no upper bound
    eol: dt.date | None = None  # the earliest EOL of the plan's Regions: from then, calls fail

    def valid_on(self, today: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_until is None or today < self.valid_until)

    def window(self, index: int) -> tuple[dt.date, dt.date]:
        """(start, due) of the phase at `index` in phase order."""
        return (self.dues[index - 1] if index else self.started_on), self.dues[index]


@dataclass(frozen=True, slots=True)
class Standing:
    """How a plan stands on one day."""

    risk: Risk
    next_due: dt.date | None
    urgency: float


@dataclass(frozen=True, slots=True)
class PlanSchedule:
    plan_id: int | None
    timetable: Timetable
    current_index: int
    finished: bool
    standing: Standing

    @property
    def deadline(self) -> Deadline | None:
        return self.timetable.deadline

    @property
    def compressed(self) -> bool:
        return self.timetable.compressed

    @property
    def risk(self) -> Risk:
        return self.standing.risk

    @property
    def next_due(self) -> dt.date | None:
        return self.standing.next_due

    @property
    def urgency(self) -> float:
        return self.standing.urgency

    @property
    def phases(self) -> tuple[PhaseWindow, ...]:
        return phase_windows_of(self.timetable, self.current_index, self.finished)

    def window(self, phase: Phase) -> PhaseWindow:
        return self.phases[phase.index]


def phase_windows_of(timetable: Timetable, current_index: int, finished: bool) -> tuple[PhaseWindow, ...]:
    """The phase windows, each marked done when the plan is past it (or finished)."""
    return tuple(
        PhaseWindow(phase, *timetable.window(index), finished or index < current_index)
        for index, phase in enumerate(PHASES)
    )


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
                date=shifted(lifecycle.eol_date, -settings.safety_margin_days),
                basis=f"EOL {lifecycle.eol_date} minus {settings.safety_margin_days} days ({where})",
            )
        elif lifecycle.declared_status is Status.EOL and (retired := _as_of_date(lifecycle.as_of)):
            candidate = Deadline(date=retired, basis=f"already retired (unlisted as of {retired}, {where})")
        elif lifecycle.eol_no_sooner_than:
            candidate = Deadline(
                date=shifted(lifecycle.eol_no_sooner_than, -settings.safety_margin_days),
                basis=f"EOL no sooner than {lifecycle.eol_no_sooner_than} minus "
                f"{settings.safety_margin_days} days ({where})",
            )
        if candidate and (best is None or candidate.date < best.date):
            best = candidate
    return best


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _as_of_date(text: str) -> dt.date | None:
    """The day in an as-of note: '2026-11-22', '2026-11-22T08:00:00+00:00', or the catalog's
    'before 2026-02-15 (dropped from the 2026-02-15 copy)' (unlisted by then at the latest)."""
    found = _ISO_DAY.search(text)
    if found is None:
        return None
    try:
        return dt.date.fromisoformat(found.group())
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


def plan_timetable(
    started_on: dt.date,
    lifecycles: Iterable[RegionalLifecycle],
    today: dt.date,
    settings: ScheduleSettings,
    override: dt.date | None = None,
) -> Timetable:
    """The plan's deadline and phase due dates, and the days for which they hold."""
    lifecycles = tuple(lifecycles)
    deadline = plan_deadline(lifecycles, today, settings, override)
    valid_from = valid_until = None
    if settings.prefer_pea and override is None:
        peas = [lc.pea_date for lc in lifecycles if lc.pea_date]
        valid_from = max((d for d in peas if d <= today), default=None)
        valid_until = min((d for d in peas if d > today), default=None)
    eol = earliest_eol(lifecycles)
    if deadline is None:
        # No dates published for the plan's Regions: nothing to work back from.
        return Timetable(started_on, None, (started_on,) * len(PHASES), False, valid_from, valid_until, eol)
    windows, compressed = phase_windows(started_on, deadline.date, settings)
    return Timetable(started_on, deadline, tuple(due for _, _, due in windows), compressed,
                     valid_from, valid_until, eol)


def plan_timetables(
    started_on: dt.date,
    lifecycles: Iterable[RegionalLifecycle],
    settings: ScheduleSettings,
    override: dt.date | None = None,
) -> tuple[Timetable, ...]:
    """The plan's timetable on every day there is: one per stretch between the PEA starts of
    its Regions (a deadline aims at the PEA starts still ahead, so it moves only on those
    days). Each holds for [valid_from, valid_until); together they cover every day once, so a
    stored set never goes out of date with the calendar."""
    lifecycles = tuple(lifecycles)
    peas = sorted({lc.pea_date for lc in lifecycles if lc.pea_date}) if settings.prefer_pea and override is None else []
    if not peas:  # the same timetable on every day
        return (plan_timetable(started_on, lifecycles, started_on, settings, override),)
    days = ([peas[0] - dt.timedelta(days=1)] if peas[0] > dt.date.min else []) + peas
    return tuple(plan_timetable(started_on, lifecycles, day, settings, override) for day in days)


def earliest_eol(lifecycles: Iterable[RegionalLifecycle]) -> dt.date | None:
    """The first day one of these Regions no longer serves the model: its EOL date, or for a
    model declared EOL without one, the day it was seen unlisted."""
    days = [lc.eol_date or (_as_of_date(lc.as_of) if lc.declared_status is Status.EOL else None)
            for lc in lifecycles]
    return min((d for d in days if d), default=None)


def plan_standing(
    timetable: Timetable,
    current_index: int,
    finished: bool,
    current_counts: tuple[int, int],
    progress: float,
    today: dt.date,
    criticality: Criticality,
    closed: bool = False,
    contradictions: int = 0,
) -> Standing:
    """Risk, next due date and urgency of a plan on `today`.

    `current_counts` is (done, total) checklist items of the current phase; `progress` is
    the share of all the plan's items done; `contradictions` counts the plan's dates and
    results that contradict its model's EOL (see `plan_warnings`).
    """
    if closed:
        return Standing(Risk.CLOSED, None, 0.0)
    if finished:
        return Standing(Risk.DONE, None, 0.0)
    if timetable.eol is not None and timetable.eol <= today:
        # The model no longer answers in a Region the plan covers: an outage, before all else.
        return Standing(Risk.PAST_EOL, timetable.eol, urgency(progress, timetable.eol, today, criticality))
    if timetable.deadline is None:
        return Standing(Risk.ON_TRACK, None, 0.0)
    start, next_due = timetable.window(current_index)
    # Due dates never fall from one phase to the next: the current one is the first to pass.
    # A deadline already past (a plan opened too late) is overdue, however its phases fall.
    if next_due < today or timetable.deadline.date < today:
        risk = Risk.OVERDUE
    elif timetable.compressed:
        risk = Risk.COMPRESSED
    elif contradictions or _behind(start, next_due, current_counts, today):
        risk = Risk.AT_RISK
    else:
        risk = Risk.ON_TRACK
    return Standing(risk, next_due, urgency(progress, next_due, today, criticality))


def _behind(start: dt.date, due: dt.date, counts: tuple[int, int], today: dt.date) -> bool:
    """True when the current phase's window has used most of its time but little of its work."""
    total = (due - start).days
    if total <= 0:
        return False
    elapsed = (today - start).days / total
    done, count = counts
    return elapsed > 0.75 and (done / count if count else 0.0) < 0.5


def schedule_plan(
    plan: MigrationPlan,
    lifecycles: Iterable[RegionalLifecycle],
    today: dt.date,
    settings: ScheduleSettings,
    criticality: Criticality = Criticality.MEDIUM,
    contradictions: int = 0,
) -> PlanSchedule:
    timetable = plan_timetable(plan.started_on, lifecycles, today, settings, plan.deadline_override)
    return schedule_from(timetable, plan, today, criticality, contradictions)


def schedule_from(timetable: Timetable, plan: MigrationPlan, today: dt.date,
                  criticality: Criticality, contradictions: int = 0) -> PlanSchedule:
    """A plan's schedule on `today` from its timetable (computed now or stored)."""
    current, finished = plan.current_phase.index, not plan.is_open  # closed plans have nothing due
    standing = plan_standing(timetable, current, finished, plan.counts(plan.current_phase),
                             plan.progress, today, criticality, closed=plan.closed_on is not None,
                             contradictions=contradictions)
    return PlanSchedule(plan.id, timetable, current, finished, standing)


def urgency(progress: float, next_due: dt.date | None, today: dt.date, criticality: Criticality) -> float:
    """Bigger is more urgent: remaining work divided by days left, weighted by criticality.

    Work past its due date always outranks work that is not. Rounded to hundredths, halves
    up, in exactly the floating-point steps persistence/queries.py's SQL takes (both give the
    same number, bit for bit: tests/test_standings_sql.py).
    """
    if next_due is None:
        return 0.0
    remaining = 1.0 - progress
    days_left = (next_due - today).days
    weight = CRITICALITY_WEIGHT[criticality]
    if days_left < 0:
        raw = (1000.0 + -days_left + remaining * 100) * weight
    else:
        raw = remaining * 100 / max(days_left, 1) * weight
    return math.floor(raw * 100 + 0.5) / 100


def urgency_order(risk: Risk, urgency: float, next_due: dt.date | None) -> tuple[int, float, dt.date]:
    """Sort key: worst risk first, then most urgent, then soonest due."""
    return risk.rank, -urgency, next_due or dt.date.max


def order_by_urgency(schedules: Iterable[PlanSchedule]) -> list[PlanSchedule]:
    return sorted(schedules, key=lambda s: urgency_order(s.risk, s.urgency, s.next_due))
