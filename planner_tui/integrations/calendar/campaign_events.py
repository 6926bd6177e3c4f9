"""A campaign's deadlines in the calendar: one all-day event per campaign per Region on the
campaign's deadline there (the earliest of its open plans'), saying which applications it
covers, where each stands, and what replacement was decided.

The event belongs to the applications with an open plan in that Region, so the feeds of their
owners and teams carry it. Once no plan is open there any more, it is cancelled (once).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from ...services.campaign_view import campaign_regions

if TYPE_CHECKING:
    from ...persistence.store import ProjectStore
    from ...services.overview import PlanLine
    from .events import CalendarEvent

CATEGORY = "Migration campaign deadline"

Wanted = Callable[[str, str, str, tuple[str, ...]], bool]  # (uid, kind, model, applications)
Uid = Callable[[str], str]  # identity → UID


def campaign_events(store: ProjectStore, today: dt.date, plans: Iterable[PlanLine], names: Mapping[str, str],
                    uid_of: Uid, wanted: Wanted, gone: dict[str, str]) -> list[CalendarEvent]:
    """The campaigns' deadline events that `wanted` accepts; the UIDs of those with no open
    plan left go into `gone`, with why."""
    from .events import CalendarEvent

    lines = {(line.model_id, line.app_name): line for line in plans}
    decisions = {row[0]: (row[5], row[6]) for row in store.campaign_summaries()}
    events = []
    for place in campaign_regions(store, today):
        uid = uid_of(f"campaign|{place.model_id}|{place.region}")
        name = names.get(place.model_id, place.model_id)
        members = [lines[key] for app in place.applications if (key := (place.model_id, app)) in lines]
        open_apps = tuple(line.app_name for line in members if line.is_open)
        if not open_apps:
            gone[uid] = (f"The {name} campaign has no open plans left in {place.region}: "
                         "this deadline no longer applies.")
            continue
        if place.deadline is None or not wanted(uid, "plan", place.model_id, open_apps):
            continue
        target, reason = decisions.get(place.model_id, (None, ""))
        count = f"{len(open_apps)} application{'s' if len(open_apps) != 1 else ''}"
        description = [f"Deadline of the {name} ({place.model_id}) campaign in {place.region}: the "
                       f"earliest of its open plans' deadlines there ({count}).",
                       _decision(target, reason, names), "", f"Applications in {place.region}:"]
        for line in members:
            state = (f"{line.phase_label}, {line.progress:.0%} done, {line.risk.value}" if line.is_open
                     else line.phase_label)
            if line.is_open and line.target_model_id and line.target_model_id != target:
                state += f"; overrides the decision: {names.get(line.target_model_id, line.target_model_id)}"
            description.append(f"- {line.app_name}: {state}")
        lifecycle = place.lifecycle
        if lifecycle is not None:
            description += ["", f"Source: {lifecycle.source} (as of {lifecycle.as_of})"]
        events.append(CalendarEvent(
            uid=uid, kind="plan", category=CATEGORY,
            summary=f"{name} campaign: deadline in {place.region} — {count}",
            description="\n".join(description), start=place.deadline, last_day=place.deadline,
            url=lifecycle.source if lifecycle is not None else "",
            model_id=place.model_id, app_names=open_apps,
        ))
    return events


def _decision(target: str | None, reason: str, names: Mapping[str, str]) -> str:
    if not target:
        return "Decision: no replacement chosen yet."
    chosen = f"Decision: migrate to {names.get(target, target)} ({target})."
    return f"{chosen} Reason: {reason}" if reason else chosen
