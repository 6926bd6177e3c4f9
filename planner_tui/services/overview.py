"""Read models for the CLI and screens: model status, milestones, plans with schedules."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from ..domain.ids import saved_id
from ..domain.lifecycle import LifecycleDates, Milestone, status_from, status_on, upcoming_milestones
from ..domain.schedule import PlanSchedule, Risk, earliest_eol, order_by_urgency, schedule_plan
from ..domain.vocabulary import CRITICALITY_BY_VALUE, PHASE_BY_VALUE, PHASES, Criticality, Phase, Status
from ..persistence.store import PlanLineRow, ProjectStore
from . import schedules

if TYPE_CHECKING:
    from ..domain.models import Application, FoundationModel, MigrationPlan, RegionalLifecycle


def regions_label(regions: Sequence[str], limit: int) -> str:
    """The first `limit` Regions and how many more: 'us-east-1, us-east-2 +29'."""
    shown = ", ".join(regions[:limit])
    return shown + (f" +{len(regions) - limit}" if len(regions) > limit else "")


@dataclass(frozen=True)
class ModelRow:
    model: FoundationModel
    regions: tuple[str, ...]
    status: Status
    lifecycle: RegionalLifecycle | None


@dataclass(frozen=True, slots=True)
class MilestoneRow:
    milestone: Milestone
    model_name: str
    days_left: int
    affected_apps: tuple[str, ...]


@dataclass(frozen=True)
class PlanRow:
    plan: MigrationPlan
    app: Application
    model_name: str
    schedule: PlanSchedule
    lifecycles: tuple[RegionalLifecycle, ...]


_RISKS = tuple(Risk)  # by rank
_date = dt.date.fromisoformat


class PlanLine(NamedTuple):
    """One plan in an overview: its stored standing, no checklist items. (A named tuple:
    overviews build 20,000 of them, and tuples are the cheapest immutable records.)"""

    plan_id: int
    app_id: int
    app_name: str
    criticality: Criticality
    model_id: str
    model_name: str
    phase: Phase
    completed_on: dt.date | None
    target_model_id: str | None
    deadline: dt.date | None
    deadline_basis: str
    compressed: bool
    risk: Risk
    next_due: dt.date | None
    urgency: float
    progress: float
    dues_json: str
    closed_kind: str | None = None

    @property
    def phase_label(self) -> str:
        if self.closed_kind:
            return self.closed_kind
        return "complete" if self.completed_on else self.phase.title

    @property
    def is_open(self) -> bool:
        return self.completed_on is None and self.closed_kind is None

    def phase_dues(self) -> list[tuple[Phase, dt.date, bool]]:
        """(phase, due date, done) for every phase; none when no dates are published."""
        if self.deadline is None:
            return []
        finished, current = not self.is_open, self.phase.index
        return [(phase, _date(due), finished or index < current)
                for index, (phase, due) in enumerate(zip(PHASES, json.loads(self.dues_json), strict=True))]

    def open_dues(self) -> list[tuple[Phase, dt.date]]:
        """Due dates of the phases not done yet."""
        return [(phase, due) for phase, due, done in self.phase_dues() if not done]


def plan_lines(store: ProjectStore, today: dt.date, *, limit: int | None = None, app_id: int | None = None,
               model_ids: Sequence[str] | None = None, open_only: bool = False,
               with_closed: bool = True) -> list[PlanLine]:
    """Plans most urgent first (worst risk, then urgency, then next due date), their
    standing on `today` worked out by SQLite from the stored timetables. Closed and cancelled
    plans come last, or not at all without `with_closed`."""
    schedules.ensure_current(store)
    below = None if with_closed else Risk.CLOSED.rank
    if limit is None and model_ids is None:  # up to every plan: row by row, values shared
        return list(_lines(store.iter_plan_line_rows(today, app_id=app_id, open_only=open_only, below_rank=below)))
    return list(_lines(store.plan_line_rows(today, limit=limit, app_id=app_id, model_ids=model_ids,
                                            open_only=open_only, below_rank=below)))


def iter_plan_lines(store: ProjectStore, today: dt.date, *, with_closed: bool = True) -> Iterator[PlanLine]:
    """`plan_lines` of every plan, one at a time as SQLite finds them (for a stream)."""
    schedules.ensure_current(store)
    return _lines(store.iter_plan_line_rows(today, below_rank=None if with_closed else Risk.CLOSED.rank))


def _lines(rows: Iterable[PlanLineRow]) -> Iterator[PlanLine]:
    """Lines of these rows. Equal names, bases and dates are one object for all the lines
    (SQLite hands each row its own copies): 200,000 plans take half the memory."""
    texts: dict[str, str] = {}
    dates: dict[str, dt.date] = {}
    text = texts.setdefault

    def day(iso: str | None) -> dt.date | None:
        if not iso:
            return None
        found = dates.get(iso)
        if found is None:
            found = dates[iso] = _date(iso)
        return found

    for r in rows:
        yield PlanLine(r.plan_id, r.app_id, text(r.app_name, r.app_name), CRITICALITY_BY_VALUE[r.criticality],
                       text(r.model_id, r.model_id), text(r.model_name, r.model_name),
                       PHASE_BY_VALUE[r.current_phase], day(r.completed_on), r.target_model_id, day(r.deadline),
                       text(r.basis, r.basis), bool(r.compressed), _RISKS[r.risk_rank], day(r.next_due),
                       r.urgency, r.progress, text(r.dues, r.dues), r.closed_kind)


def model_rows(
    store: ProjectStore, today: dt.date, status: Status | None = None, region: str | None = None
) -> list[ModelRow]:
    """One row per model and Region group: lifecycle groups, plus the remaining Active Regions."""
    by_model: dict[str, list[RegionalLifecycle]] = defaultdict(list)
    for lifecycle in store.lifecycles():
        by_model[lifecycle.model_id].append(lifecycle)
    rows: list[ModelRow] = []
    for model in store.models():
        covered: set[str] = set()
        for lifecycle in by_model.get(model.model_id, []):
            rows.append(ModelRow(model, lifecycle.regions, status_on(lifecycle, today), lifecycle))
            covered.update(lifecycle.regions)
        active = tuple(r for r in sorted(set(model.regions) | set(model.cross_region_regions)) if r not in covered)
        if active:
            rows.append(ModelRow(model, active, Status.ACTIVE, None))
    return [
        row
        for row in rows
        if (status is None or row.status == status) and (region is None or region in row.regions)
    ]


def milestone_rows(
    store: ProjectStore, today: dt.date, within_days: int | None = None, limit: int | None = None
) -> list[MilestoneRow]:
    """Upcoming milestones, soonest first, with the applications each affects (for the first
    `limit` only, when given: the rest are counted, not shown)."""
    names = store.model_names()
    milestones = upcoming_milestones(store.lifecycle_dates(), today, within_days)
    return _milestone_rows(store, today, milestones, names, limit)


def soonest_milestone_rows(store: ProjectStore, today: dt.date, limit: int) -> tuple[list[MilestoneRow], int]:
    """The `limit` soonest upcoming milestones (as `milestone_rows` gives them first) and how
    many are upcoming in all: only the lifecycle groups holding them are read."""
    groups, total = store.upcoming_milestone_groups(today, limit)
    found = [LifecycleDates(model_id, tuple(sorted(regions)), Status(declared), legacy and _date(legacy),
                            pea and _date(pea), eol and _date(eol), source, as_of)
             for model_id, declared, legacy, pea, eol, source, as_of, regions in groups]
    milestones = upcoming_milestones(found, today)[:limit]
    return _milestone_rows(store, today, milestones, store.model_names(), limit), total


def _milestone_rows(store: ProjectStore, today: dt.date, milestones: list[Milestone], names: dict[str, str],
                    limit: int | None) -> list[MilestoneRow]:
    # A group's milestones share their applications: look each group up once.
    groups = list(dict.fromkeys((m.model_id, m.regions) for m in milestones[:limit]))
    if limit is None:
        apps_by_use = store.model_uses()
        using = [set().union(*(apps_by_use.get((model_id, region), ()) for region in regions))
                 for model_id, regions in groups]
    else:
        using = store.apps_using_each(groups)
    affected = {group: tuple(sorted(apps)) for group, apps in zip(groups, using, strict=True)}
    return [MilestoneRow(milestone, names.get(milestone.model_id, milestone.model_id),
                         milestone.days_left(today), affected.get((milestone.model_id, milestone.regions), ()))
            for milestone in milestones]


def plan_rows(store: ProjectStore, today: dt.date, *, with_items: bool = False,
              plan_id: int | None = None) -> list[PlanRow]:
    """Every plan (or one) with its full schedule and lifecycle groups, most urgent first:
    for the plan workspace, reports and calendars. Overviews use the faster `plan_lines`."""
    settings = store.schedule_settings()
    apps = {a.id: a for a in store.applications()}
    names = store.model_names()
    plans = {saved_id(plan): plan for plan in store.plans(plan_id, with_items=with_items)}
    relevant = schedules.relevant_lifecycles(store, plans.values())
    contradictions = store.plan_records.eol_contradiction_counts(
        {key: earliest_eol(relevant[key]) for key, plan in plans.items() if plan.closed_on is None})
    rows = []
    for key, plan in plans.items():
        app = apps[plan.app_id]
        schedule = schedule_plan(plan, relevant[key], today, settings, app.criticality,
                                 contradictions.get(key, 0))
        rows.append(PlanRow(plan, app, names.get(plan.model_id, plan.model_id), schedule, relevant[key]))
    order = {id(s): i for i, s in enumerate(order_by_urgency(r.schedule for r in rows))}
    return sorted(rows, key=lambda r: order[id(r.schedule)])


def dependency_status_counts(store: ProjectStore, today: dt.date) -> Counter[Status]:
    """How many of the project's dependencies sit on Active / Legacy / PEA / EOL models today."""
    counts: Counter[Status] = Counter({status: 0 for status in Status})
    for declared, legacy, pea, eol, count in store.dependency_lifecycle_counts():
        status = Status.ACTIVE if declared is None else status_from(
            Status(declared), legacy and _date(legacy), pea and _date(pea), eol and _date(eol), today)
        counts[status] += count
    return counts


@dataclass(frozen=True)
class TimelineMarker:
    date: dt.date
    label: str
    risk: str


@dataclass(frozen=True)
class TimelineRow:
    model_name: str
    lifecycle: RegionalLifecycle | LifecycleDates
    markers: tuple[TimelineMarker, ...]


def timeline_rows(store: ProjectStore, today: dt.date, limit: int | None = None,
                  plans: list[PlanRow] | None = None) -> list[TimelineRow]:
    """One row per retiring model the project still has open plans for, soonest EOL first.

    The band is the lifecycle group, among the Regions those plans use, that ends first;
    markers are the open plans' phase due dates. With `plans` (a report's selection) only
    those plans count, a marker each; otherwise every plan, read from the stored schedules,
    a marker per date and risk.
    """
    if plans is not None:
        return _timeline_of(plans, limit)
    schedules.ensure_current(store)
    names = store.model_names()
    bands = sorted(store.timeline_bands(limit),
                   key=lambda b: (b[2] or "9999-12-31", names.get(b[0], b[0])))[:limit]
    model_ids = [b[0] for b in bands]
    # One marker per (date, risk): the chart draws no more, and a model's hundreds of plans
    # share their due dates. The label says how many phases fall due.
    markers: dict[str, list[TimelineMarker]] = defaultdict(list)
    for model_id, due, risk_rank, count in store.open_phase_dues(today, model_ids):
        markers[model_id].append(TimelineMarker(
            _date(due), f"{count} phase{'s' if count > 1 else ''} due", _RISKS[risk_rank].value))
    groups: dict[str, list[LifecycleDates]] = defaultdict(list)
    for group in store.lifecycle_dates(model_ids=model_ids):
        groups[group.model_id].append(group)
    rows = []
    for model_id, region, _, _ in bands:
        lifecycle = next((lc for lc in groups[model_id] if region in lc.regions), None)
        if lifecycle is None:
            continue
        rows.append(TimelineRow(names.get(model_id, model_id), lifecycle, tuple(markers[model_id])))
    return rows


def _timeline_of(plans: list[PlanRow], limit: int | None) -> list[TimelineRow]:
    by_model: dict[str, list[PlanRow]] = defaultdict(list)
    for row in plans:
        by_model[row.plan.model_id].append(row)
    chosen = []
    for model_plans in by_model.values():
        open_plans = [r for r in model_plans if r.plan.is_open]
        band = schedules.timeline_band(lc for r in open_plans for lc in r.lifecycles)
        if band is not None:
            chosen.append((band.eol_date or dt.date.max, model_plans[0].model_name, band, open_plans))
    chosen.sort(key=lambda c: (c[0], c[1]))
    return [
        TimelineRow(model_name, band, tuple(
            TimelineMarker(window.due, f"{r.app.name}: {window.phase.title}", r.schedule.risk.value)
            for r in open_plans
            for window in r.schedule.phases if not window.done))
        for _, model_name, band, open_plans in chosen[:limit]
    ]
