"""Read models for the CLI and screens: model status, milestones, plans with schedules."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..domain.lifecycle import Milestone, index_by_region, status_on, upcoming_milestones
from ..domain.models import (
    Application,
    FoundationModel,
    MigrationPlan,
    RegionalLifecycle,
    Status,
    trusted,
)
from ..domain.schedule import PlanSchedule, order_by_urgency, schedule_plan
from ..persistence.store import ProjectStore


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


@dataclass(frozen=True)
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
    store: ProjectStore, today: dt.date, within_days: int | None = None
) -> list[MilestoneRow]:
    names = {m.model_id: m.name for m in store.models()}
    apps_by_use: dict[tuple[str, str], set[str]] = defaultdict(set)
    app_names = {a.id: a.name for a in store.applications()}
    for dependency in store.dependencies():
        apps_by_use[(dependency.model_id, dependency.region)].add(app_names[dependency.app_id])
    rows = []
    for milestone in upcoming_milestones(store.lifecycles(), today, within_days):
        affected = set()
        for region in milestone.regions:
            affected |= apps_by_use.get((milestone.model_id, region), set())
        rows.append(
            MilestoneRow(
                milestone=milestone,
                model_name=names.get(milestone.model_id, milestone.model_id),
                days_left=milestone.days_left(today),
                affected_apps=tuple(sorted(affected)),
            )
        )
    return rows


def plan_rows(store: ProjectStore, today: dt.date, *, with_items: bool = False,
              plan_id: int | None = None) -> list[PlanRow]:
    """Every plan (or one) with its schedule, most urgent first.

    Without items, plans carry only per-phase counts: enough for overviews, and fast.
    The full list is remembered until the project changes, so screens share one computation.
    """
    cacheable = plan_id is None and not with_items
    key = (today, store.change_token(), store.schedule_settings().model_dump_json())
    cached = getattr(store, "_plan_rows_cache", None)
    if cacheable and cached and cached[0] == key:
        return list(cached[1])
    rows = _compute_plan_rows(store, today, with_items=with_items, plan_id=plan_id)
    if cacheable:
        store._plan_rows_cache = (key, rows)
    return list(rows)


def _compute_plan_rows(store: ProjectStore, today: dt.date, *, with_items: bool,
                       plan_id: int | None) -> list[PlanRow]:
    settings = store.schedule_settings()
    apps = {a.id: a for a in store.applications()}
    names = {m.model_id: m.name for m in store.models()}
    lifecycles = store.lifecycles()
    by_region = index_by_region(lifecycles)
    by_model: dict[str, list[RegionalLifecycle]] = defaultdict(list)
    for lifecycle in lifecycles:
        by_model[lifecycle.model_id].append(lifecycle)
    regions_used: dict[tuple[int, str], set[str]] = defaultdict(set)
    for dependency in store.dependencies():
        regions_used[(dependency.app_id, dependency.model_id)].add(dependency.region)
    rows = []
    narrowed: dict[tuple[int, frozenset[str]], RegionalLifecycle] = {}

    def narrow(lifecycle: RegionalLifecycle, used: set[str]) -> RegionalLifecycle:
        key = (id(lifecycle), frozenset(used))
        if key not in narrowed:
            narrowed[key] = trusted(RegionalLifecycle, **{
                **lifecycle.__dict__, "regions": tuple(r for r in lifecycle.regions if r in used)})
        return narrowed[key]

    for plan in store.plans(plan_id, with_items=with_items):
        app = apps[plan.app_id]
        used = regions_used[(plan.app_id, plan.model_id)]
        groups = {
            id(found): found
            for region in sorted(used)
            if (found := by_region.get((plan.model_id, region)))
        }.values()
        # Narrow each group to the Regions this application uses, so the plan speaks of them.
        relevant = tuple(narrow(lc, used) for lc in groups) or tuple(by_model[plan.model_id])  # no dependency left: every Region's dates count
        schedule = schedule_plan(plan, relevant, today, settings, app.criticality)
        rows.append(PlanRow(plan, app, names.get(plan.model_id, plan.model_id), schedule, relevant))
    order = {id(s): i for i, s in enumerate(order_by_urgency(r.schedule for r in rows))}
    return sorted(rows, key=lambda r: order[id(r.schedule)])


def dependency_status_counts(store: ProjectStore, today: dt.date) -> Counter[Status]:
    """How many of the project's dependencies sit on Active / Legacy / PEA / EOL models today."""
    by_region = index_by_region(store.lifecycles())
    counts: Counter[Status] = Counter({status: 0 for status in Status})
    for dependency in store.dependencies():
        found = by_region.get((dependency.model_id, dependency.region))
        counts[status_on(found, today) if found else Status.ACTIVE] += 1
    return counts


@dataclass(frozen=True)
class TimelineMarker:
    date: dt.date
    label: str
    risk: str


@dataclass(frozen=True)
class TimelineRow:
    model_name: str
    lifecycle: RegionalLifecycle
    markers: tuple[TimelineMarker, ...]


def timeline_rows(store: ProjectStore, plans: list[PlanRow], today: dt.date,
                  limit: int | None = None) -> list[TimelineRow]:
    """One row per retiring model the project still uses or plans for, soonest EOL first.

    The bands come from the most urgent Region group the project uses; markers are the open
    plans' phase due dates.
    """
    rows = []
    by_model: dict[str, list[PlanRow]] = defaultdict(list)
    for row in plans:
        by_model[row.plan.model_id].append(row)
    chosen = []
    for model_id, model_plans in by_model.items():
        open_plans = [r for r in model_plans if r.plan.completed_on is None]
        if not open_plans:
            continue
        groups = {id(lc): lc for r in open_plans for lc in r.lifecycles}.values()
        lifecycle = min(groups, key=lambda lc: (lc.eol_date or dt.date.max, lc.pea_date or dt.date.max))
        chosen.append((lifecycle.eol_date or dt.date.max, model_plans[0].model_name, lifecycle, open_plans))
    chosen.sort(key=lambda c: (c[0], c[1]))
    # Markers only for the rows shown: thousands of plans make many thousands of them.
    for _, model_name, lifecycle, open_plans in chosen[:limit]:
        markers = tuple(
            TimelineMarker(window.due, f"{r.app.name}: {window.phase.title}", r.schedule.risk.value)
            for r in open_plans
            for window in r.schedule.phases
            if not window.done
        )
        rows.append(TimelineRow(model_name, lifecycle, markers))
    return rows
