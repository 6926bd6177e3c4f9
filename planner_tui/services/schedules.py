"""Keep each plan's stored timetables and contradiction count current.

The schedule rules live in domain/schedule.py; migration 0018 stores, per plan, what they
give that does not depend on the day (its timetables for every stretch between PEA starts)
and persistence/queries.py works the standing out from those rows with the day as a
parameter. Here what an edit left missing is worked out again before an overview reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..domain.ids import saved_id
from ..domain.lifecycle import index_by_region
from ..domain.schedule import plan_timetables
from ..persistence.repos.schedules import timetable_rows
from ..persistence.store import PlanKey, ProjectStore

if TYPE_CHECKING:
    from ..domain.models import MigrationPlan, RegionalLifecycle
    from ..domain.settings import ScheduleSettings


def relevant_lifecycles(store: ProjectStore,
                        plans: Iterable[MigrationPlan]) -> dict[int, tuple[RegionalLifecycle, ...]]:
    """Per plan, the lifecycle groups of the Regions its application uses the model in,
    narrowed to those Regions (none when it uses the model nowhere any more)."""
    return _relevant(store, [(saved_id(p), p.app_id, p.model_id) for p in plans])


def _relevant(store: ProjectStore,
              plans: list[tuple[int, int, str]]) -> dict[int, tuple[RegionalLifecycle, ...]]:
    from ..domain.models import RegionalLifecycle, trusted

    models = {model_id for _, _, model_id in plans}
    lifecycles = (store.lifecycles() if len(models) > 20
                  else [lc for model_id in sorted(models) for lc in store.lifecycles(model_id)])
    by_region = index_by_region(lifecycles)
    regions_used = store.regions_used({(app_id, model_id) for _, app_id, model_id in plans})
    narrowed: dict[tuple[int, frozenset[str]], RegionalLifecycle] = {}

    def narrow(lifecycle: RegionalLifecycle, used: frozenset[str]) -> RegionalLifecycle:
        key = (id(lifecycle), used)
        if key not in narrowed:
            narrowed[key] = trusted(RegionalLifecycle, **{
                **lifecycle.__dict__, "regions": tuple(r for r in lifecycle.regions if r in used)})
        return narrowed[key]

    found: dict[int, tuple[RegionalLifecycle, ...]] = {}
    for plan_id, app_id, model_id in plans:
        used = frozenset(regions_used.get((app_id, model_id), ()))
        groups = {id(lc): lc for region in sorted(used)
                  if (lc := by_region.get((model_id, region)))}.values()
        # A plan follows its dependencies: with none left it has no Regions, so no dates of
        # Regions the application never used.
        found[plan_id] = tuple(narrow(lc, used) for lc in groups)
    return found


def timeline_band(lifecycles: Iterable[RegionalLifecycle]) -> RegionalLifecycle | None:
    """The lifecycle group that ends first: the band a timeline draws for the plan."""
    return min(lifecycles, key=lambda lc: (lc.eol_date or dt.date.max, lc.pea_date or dt.date.max),
               default=None)


def ensure_current(store: ProjectStore, today: dt.date | None = None) -> None:
    """Work out the timetables and contradiction counts that edits left missing. The day
    plays no part (`today` is accepted for callers that have one): nothing goes out of date
    with the calendar, so a new day, or a read-only look at any day, finds nothing to do.

    A read does this, and a read never waits for the write lock nor fails for want of it:
    the rows are saved when the project can be written at once; when it cannot (another
    program is editing, the disk is full, the file is read-only) they are worked out for this
    session only, and a later read saves them."""
    missing, uncounted = store.stale_schedules()
    if not missing and not uncounted:
        return
    if store.read_only:
        _refresh(store, missing, uncounted)
        return
    # Checked again under the write lock: nothing can change between reading and saving.
    if store.write_if_free(lambda: _refresh(store, *store.stale_schedules())):
        return
    with store.in_memory():
        _refresh(store, *store.stale_schedules())


def _refresh(store: ProjectStore, missing: list[int], uncounted: list[int]) -> None:
    if missing:
        settings = store.schedule_settings()
        keys = store.plan_keys(missing)
        relevant = _relevant(store, [(k.plan_id, k.app_id, k.model_id) for k in keys])
        for start in range(0, len(keys), 20_000):  # saved a slice at a time: memory stays flat
            rows = []
            for key in keys[start:start + 20_000]:
                rows += _timetable_rows(key, relevant.pop(key.plan_id), settings)
            store.save_timetables(rows)
    recount = sorted(set(missing) | set(uncounted))
    for start in range(0, len(recount), 50_000):
        eols = store.plan_eols(recount[start:start + 50_000])
        counts = store.plan_records.eol_contradiction_counts(
            {plan_id: eol for plan_id, eol in eols.items() if eol is not None})
        store.save_contradictions({plan_id: counts.get(plan_id, 0) for plan_id in eols})


def _timetable_rows(key: PlanKey, lifecycles: tuple[RegionalLifecycle, ...],
                    settings: ScheduleSettings) -> list[tuple]:
    override = dt.date.fromisoformat(key.deadline_override) if key.deadline_override else None
    band = timeline_band(lifecycles)
    stored_band = None if band is None else (band.regions[0] if band.regions else None, band.eol_date, band.pea_date)
    timetables = plan_timetables(dt.date.fromisoformat(key.started_on), lifecycles, settings, override)
    return timetable_rows(key.plan_id, timetables, stored_band)
