"""The Plans screen's reads (every plan, with what its filter matches) and the command
palette's (a title for each plan)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...domain.ids import saved_id
from ...persistence.store import ProjectStore
from .. import overview


@dataclass(frozen=True)
class PlansView:
    lines: list[overview.PlanLine]  # most urgent first
    owners: dict[int, str]  # application id → its owner and team, which the filter matches too


def load_plans(store: ProjectStore, today: dt.date) -> PlansView:
    owners = {saved_id(app): f"{app.owner} {app.team}" for app in store.applications()}
    return PlansView(overview.plan_lines(store, today), owners)


def plan_titles(store: ProjectStore) -> list[tuple[int, str]]:
    """(plan id, 'application × model name') for every plan: names only, no checklist items."""
    names = store.model_names()
    return [(saved_id(plan), f"{plan.app_name} × {names.get(plan.model_id, plan.model_id)}")
            for plan in store.plans(with_items=False)]
