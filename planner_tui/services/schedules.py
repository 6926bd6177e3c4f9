"""Keep each plan's stored schedule current.

The schedule rules live in domain/schedule.py; migration 0008 stores their results per plan
and its triggers mark what an edit made stale. Here the stale ones are worked out again
before an overview reads the stored rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..domain.dates import stored_date
from ..domain.ids import saved_id
from ..domain.lifecycle import index_by_region
from ..domain.schedule import Deadline, Standing, Timetable, plan_standing, plan_timetable
from ..domain.vocabulary import CRITICALITY_BY_VALUE, PHASE_BY_VALUE
from ..persistence.store import ProjectStore

if TYPE_CHECKING:
    from ..domain.models import MigrationPlan, RegionalLifecycle
    from ..persistence.repos.schedules import TimelineBand


_date = dt.date.fromisoformat


def relevant_lifecycles(store: ProjectStore,
                        plans: Iterable[MigrationPlan]) -> dict[int, tuple[RegionalLifecycle, ...]]:
    """Per plan, the lifecycle groups of the Regions its application uses the model in,
    narrowed to those Regions (none when it uses the model nowhere any more)."""
    from ..domain.models import RegionalLifecycle, trusted

    plans = list(plans)
    models = {p.model_id for p in plans}
    lifecycles = (store.lifecycles() if len(models) > 20
                  else [lc for model_id in sorted(models) for lc in store.lifecycles(model_id)])
    by_region = index_by_region(lifecycles)
    regions_used = store.regions_used({(p.app_id, p.model_id) for p in plans})
    narrowed: dict[tuple[int, frozenset[str]], RegionalLifecycle] = {}

    def narrow(lifecycle: RegionalLifecycle, used: frozenset[str]) -> RegionalLifecycle:
        key = (id(lifecycle), used)
        if key not in narrowed:
            narrowed[key] = trusted(RegionalLifecycle, **{
                **lifecycle.__dict__, "regions": tuple(r for r in lifecycle.regions if r in used)})
        return narrowed[key]

    found: dict[int, tuple[RegionalLifecycle, ...]] = {}
    for plan in plans:
        used = frozenset(regions_used.get((plan.app_id, plan.model_id), ()))
        groups = {id(lc): lc for region in sorted(used)
                  if (lc := by_region.get((plan.model_id, region)))}.values()
        # A plan follows its dependencies: with none left it has no Regions, so no dates of
        # Regions the application never used.
        found[saved_id(plan)] = tuple(narrow(lc, used) for lc in groups)
    return found


def timeline_band(lifecycles: Iterable[RegionalLifecycle]) -> RegionalLifecycle | None:
    """The lifecycle group that ends first: the band a timeline draws for the plan."""
    return min(lifecycles, key=lambda lc: (lc.eol_date or dt.date.max, lc.pea_date or dt.date.max),
               default=None)


def ensure_current(store: ProjectStore, today: dt.date) -> None:
    """Work out every stored schedule that is missing or stale for `today`.

    A read does this, and a read never waits for the write lock nor fails for want of it:
    the schedules are saved when the project can be written at once; when it cannot (another
    program is editing, the disk is full, the file is read-only) they are worked out for this
    session only, and a later read saves them."""
    rebuild, reevaluate = store.stale_schedules(today)
    if not rebuild and not reevaluate:
        return
    if store.read_only:
        _refresh(store, today, rebuild, reevaluate)
        return
    # Checked again under the write lock: nothing can change between reading and saving.
    if store.write_if_free(lambda: _refresh(store, today, *store.stale_schedules(today))):
        return
    with store.in_memory():
        _refresh(store, today, *store.stale_schedules(today))


def _refresh(store: ProjectStore, today: dt.date, rebuild: list[int], reevaluate: list[int]) -> None:
    standings, stored = _reevaluate(store, today, reevaluate)
    rebuild = sorted(set(rebuild) | (set(reevaluate) - stored))  # dropped since the check
    timetables = _rebuild(store, today, rebuild, standings) if rebuild else {}
    store.save_schedules(today, timetables, standings)


def _reevaluate(store: ProjectStore, today: dt.date,
                plan_ids: list[int]) -> tuple[dict[int, tuple[Standing, float]], set[int]]:
    """Standings from stored timetables: each day's first read does this for every plan, so
    it works on rows (no pydantic, no checklist items)."""
    standings = {}
    rows = store.standing_inputs(plan_ids)
    contradictions = store.plan_records.eol_contradiction_counts(
        {row.plan_id: stored_date(row.eol) for row in rows if row.closed_on is None})
    for row in rows:
        plan_id, eol = row.plan_id, row.eol
        timetable = Timetable(
            _date(row.started_on), Deadline(_date(row.deadline), row.basis) if row.deadline else None,
            tuple(map(_date, json.loads(row.dues))), bool(row.compressed),
            stored_date(row.valid_from), stored_date(row.valid_until), stored_date(eol))
        finished = row.completed_on is not None
        progress = row.all_done / row.all_total if row.all_total else (1.0 if finished else 0.0)
        standing = plan_standing(timetable, PHASE_BY_VALUE[row.current_phase].index, finished,
                                 (row.phase_done, row.phase_total), progress, today,
                                 CRITICALITY_BY_VALUE[row.criticality], closed=row.closed_on is not None,
                                 contradictions=contradictions.get(plan_id, 0))
        standings[plan_id] = (standing, progress)
    return standings, set(standings)


def _rebuild(store: ProjectStore, today: dt.date, plan_ids: list[int],
             standings: dict[int, tuple[Standing, float]]) -> dict[int, tuple[Timetable, TimelineBand | None]]:
    """Timetables worked out afresh from the plans' lifecycle dates and Regions."""
    plans = {saved_id(plan): plan for plan in store.plans(plan_ids=plan_ids, with_items=False)}
    criticality = store.criticalities()
    settings = store.schedule_settings()
    relevant = relevant_lifecycles(store, plans.values())
    timetables: dict[int, tuple[Timetable, TimelineBand | None]] = {}
    for plan_id, plan in plans.items():
        lifecycles = relevant[plan_id]
        timetable = plan_timetable(plan.started_on, lifecycles, today, settings, plan.deadline_override)
        band = timeline_band(lifecycles)
        timetables[plan_id] = (timetable, None if band is None else (
            band.regions[0] if band.regions else None, band.eol_date, band.pea_date))
    contradictions = store.plan_records.eol_contradiction_counts(
        {plan_id: timetables[plan_id][0].eol for plan_id, plan in plans.items() if plan.closed_on is None})
    for plan_id, plan in plans.items():
        current = plan.current_phase
        standings[plan_id] = (plan_standing(timetables[plan_id][0], current.index, plan.completed_on is not None,
                                            plan.counts(current), plan.progress, today,
                                            criticality[plan.app_id], closed=plan.closed_on is not None,
                                            contradictions=contradictions.get(plan_id, 0)), plan.progress)
    return timetables
