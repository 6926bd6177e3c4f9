"""Keep each plan's stored schedule current.

The schedule rules live in domain/schedule.py; migration 0008 stores their results per plan
and its triggers mark what an edit made stale. Here the stale ones are worked out again
before an overview reads the stored rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from typing import TYPE_CHECKING

from ..domain.lifecycle import index_by_region
from ..domain.schedule import Timetable, plan_standing, plan_timetable
from ..persistence.store import ProjectStore

if TYPE_CHECKING:
    from ..domain.models import MigrationPlan, RegionalLifecycle


def relevant_lifecycles(store: ProjectStore, plans: Iterable[MigrationPlan]) -> dict[int, tuple[RegionalLifecycle, ...]]:
    """Per plan, the lifecycle groups of the Regions its application uses the model in,
    narrowed to those Regions; every Region's when no dependency is left."""
    from ..domain.models import RegionalLifecycle, trusted

    plans = list(plans)
    models = {p.model_id for p in plans}
    lifecycles = (store.lifecycles() if len(models) > 20
                  else [lc for model_id in sorted(models) for lc in store.lifecycles(model_id)])
    by_region = index_by_region(lifecycles)
    by_model: dict[str, list[RegionalLifecycle]] = defaultdict(list)
    for lifecycle in lifecycles:
        by_model[lifecycle.model_id].append(lifecycle)
    regions_used = store.regions_used({(p.app_id, p.model_id) for p in plans})
    narrowed: dict[tuple[int, frozenset[str]], RegionalLifecycle] = {}

    def narrow(lifecycle: RegionalLifecycle, used: frozenset[str]) -> RegionalLifecycle:
        key = (id(lifecycle), used)
        if key not in narrowed:
            narrowed[key] = trusted(RegionalLifecycle, **{
                **lifecycle.__dict__, "regions": tuple(r for r in lifecycle.regions if r in used)})
        return narrowed[key]

    found = {}
    for plan in plans:
        used = frozenset(regions_used.get((plan.app_id, plan.model_id), ()))
        groups = {id(lc): lc for region in sorted(used)
                  if (lc := by_region.get((plan.model_id, region)))}.values()
        found[plan.id] = tuple(narrow(lc, used) for lc in groups) or tuple(by_model[plan.model_id])
    return found


def timeline_band(lifecycles: Iterable[RegionalLifecycle]) -> RegionalLifecycle | None:
    """The lifecycle group that ends first: the band a timeline draws for the plan."""
    return min(lifecycles, key=lambda lc: (lc.eol_date or dt.date.max, lc.pea_date or dt.date.max),
               default=None)


def ensure_current(store: ProjectStore, today: dt.date) -> None:
    """Work out every stored schedule that is missing or stale for `today`."""
    rebuild, reevaluate = store.stale_schedules(today)
    if not rebuild and not reevaluate:
        return
    if store.read_only:
        _refresh(store, today, rebuild, reevaluate)
        return
    with store.batch():
        # Checked again under the write lock: nothing can change between reading and saving.
        _refresh(store, today, *store.stale_schedules(today))


def _refresh(store: ProjectStore, today: dt.date, rebuild: list[int], reevaluate: list[int]) -> None:
    stored = store.stored_timetables(reevaluate)
    rebuild = set(rebuild) | (set(reevaluate) - stored.keys())  # dropped since the check
    plans = store.plans(plan_ids=sorted(rebuild | stored.keys()), with_items=False)
    criticality = store.criticalities()
    settings = store.schedule_settings()
    relevant = relevant_lifecycles(store, [p for p in plans if p.id in rebuild]) if rebuild else {}
    timetables: dict[int, tuple[Timetable, tuple | None]] = {}
    standings = {}
    for plan in plans:
        if plan.id in rebuild:
            lifecycles = relevant[plan.id]
            timetable = plan_timetable(plan.started_on, lifecycles, today, settings, plan.deadline_override)
            band = timeline_band(lifecycles)
            timetables[plan.id] = (timetable, band and (
                band.regions[0] if band.regions else None, band.eol_date, band.pea_date))
        else:
            timetable = stored[plan.id]
        current = plan.current_phase
        standing = plan_standing(timetable, current.index, plan.completed_on is not None,
                                 plan.counts(current), plan.progress, today, criticality[plan.app_id])
        standings[plan.id] = (standing, plan.progress)
    store.save_schedules(today, timetables, standings)
