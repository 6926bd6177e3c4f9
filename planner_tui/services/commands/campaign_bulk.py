"""Bulk edits of a campaign: shift the due dates of every open application's current phase
by some days, in one change that undo takes back item by item."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...domain.eol_checks import item_after_eol
from ...errors import UserInputError
from . import Change
from .campaigns import campaign_model
from .checklist import _set_all

if TYPE_CHECKING:
    from ...persistence.store import ProjectStore

MAX_SHIFT_DAYS = 366


@dataclass(frozen=True)
class Shifted:
    """What shifting a campaign's due dates did."""

    model_id: str
    days: int
    items: int  # open items whose due date moved
    applications: tuple[str, ...]
    warnings: tuple[str, ...] = ()


def shift_due_dates(store: ProjectStore, model_id: str, days: int, today: dt.date) -> Change:
    """Every open item of each open application's current phase is due `days` later (earlier
    when negative): from its own due date, or from its phase's when it follows the phase.
    A date moved on or after the model's EOL is saved with a warning."""
    from ...services import overview

    model_id = campaign_model(store, model_id)
    if days == 0 or abs(days) > MAX_SHIFT_DAYS:
        raise UserInputError(f"shift by a number of days other than 0, at most {MAX_SHIFT_DAYS} either way.")
    before, after, apps, warnings = [], [], [], []
    for member in store.campaign_members(model_id):
        if member.completed or member.closed:
            continue
        rows = overview.plan_rows(store, today, with_items=True, plan_id=member.plan_id)
        if not rows:
            continue
        row = rows[0]
        plan = row.plan
        phase_due = row.schedule.window(plan.current_phase).due
        eol = min((lc.eol_date for lc in row.lifecycles if lc.eol_date), default=None)
        moved = 0
        for item in plan.items_in(plan.current_phase):
            if item.done:
                continue
            due = (item.due_date or phase_due) + dt.timedelta(days=days)
            before.append(item)
            after.append(item.model_copy(update={"due_date": due}))
            moved += 1
            if (warning := item_after_eol(due, eol)):
                warnings.append(f"{member.app_name}: '{item.title}' is {warning}")
        if moved:
            apps.append(member.app_name)
    if not after:
        raise UserInputError(f"no open application of the campaign for {model_id} has an open item in its "
                             "current phase: nothing to shift.")
    store.put_items(after)
    result = Shifted(model_id, days, len(after), tuple(apps), tuple(warnings))
    return Change(f"shifting {len(after)} due date(s) of the campaign for {model_id} by {days} day(s)", result,
                  lambda: _set_all(store, after, before, today), " ".join(f"{w}." for w in warnings[:5]))
