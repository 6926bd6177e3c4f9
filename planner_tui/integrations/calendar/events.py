"""The events a project's calendar holds: vendor milestones, plan deadlines and campaigns'
deadlines (campaign_events.py), and the scope (applications, owners, teams, models, kinds)
that picks some of them.

UIDs are derived from the project's identity and the milestone's identity, never random. A
plan that is no longer open (completed, closed as no longer needed, cancelled) has no events;
`all_events` says which UIDs it had, so an export can cancel those sent before (ics.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ...domain.lifecycle import MilestoneKind, milestones_of
from ...domain.models import Application
from ...errors import UserInputError
from ...persistence.store import ProjectStore
from ...services import overview
from .campaign_events import campaign_events

KINDS = ("vendor", "plan")
REGIONS_IN_SUMMARY = 3
CATEGORY = {
    MilestoneKind.LEGACY: "Bedrock Legacy start",
    MilestoneKind.PEA: "Bedrock PEA start",
    MilestoneKind.EOL: "Bedrock EOL",
}


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    kind: str  # vendor | plan
    category: str
    summary: str
    description: str
    start: dt.date
    last_day: dt.date  # inclusive; DTEND is the day after
    url: str = ""
    model_id: str = ""
    app_names: tuple[str, ...] = ()
    milestone: str = ""  # legacy | pea | eol for vendor events (EOL has its own reminders)


@dataclass(frozen=True)
class ExportScope:
    """Which events: applications (by name, owner, team; each given one narrows), models,
    kinds. Reminders: None follows the project's calendar settings."""

    apps: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    kinds: frozenset[str] = frozenset(KINDS)
    alarms: tuple[int, ...] | None = None
    eol_alarms: tuple[int, ...] | None = None
    owners: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    app_keys: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Application names match case-insensitively; fold them once, not per event.
        object.__setattr__(self, "app_keys", frozenset(fold(a) for a in self.apps))

    def resolved(self, applications: Iterable[Application]) -> ExportScope:
        """The same scope with owners and teams turned into the applications they name
        (those that match every selector given), so events are matched by application."""
        if not self.owners and not self.teams:
            return self
        owners, teams = {fold(o) for o in self.owners}, {fold(t) for t in self.teams}
        chosen = tuple(a.name for a in applications
                       if (not owners or fold(a.owner) in owners) and (not teams or fold(a.team) in teams)
                       and (not self.app_keys or fold(a.name) in self.app_keys))
        if not chosen:
            raise UserInputError("no application matches " + " and ".join(
                [f"--owner {', '.join(map(repr, self.owners))}"] * bool(self.owners)
                + [f"--team {', '.join(map(repr, self.teams))}"] * bool(self.teams)
                + [f"--app {', '.join(map(repr, self.apps))}"] * bool(self.apps)) + ".")
        return replace(self, apps=chosen, owners=(), teams=())


def fold(name: str) -> str:
    """How names, owners and teams are compared: case and surrounding spaces aside."""
    return name.strip().casefold()


def parse_kinds(text: str) -> frozenset[str]:
    kinds = frozenset(k.strip() for k in text.split(",") if k.strip())
    unknown = kinds - set(KINDS)
    if unknown or not kinds:
        raise UserInputError(f"invalid --kinds {text!r}: choose from {', '.join(KINDS)}.")
    return kinds


def parse_alarms(text: str, option: str = "--alarm") -> tuple[int, ...]:
    from ...domain.settings import MAX_LEAD_DAYS, MAX_REMINDERS

    try:
        days = tuple(sorted({int(part) for part in text.split(",") if part.strip()}, reverse=True))
    except ValueError:
        raise UserInputError(f"invalid {option} {text!r}: expected days before, e.g. 30,7,1.") from None
    if any(d < 0 or d > MAX_LEAD_DAYS for d in days):
        raise UserInputError(f"{option}: reminder days must be between 0 and {MAX_LEAD_DAYS}.")
    if len(days) > MAX_REMINDERS:
        raise UserInputError(f"{option}: at most {MAX_REMINDERS} reminders per event.")
    return days


def _uid(project_id: str, identity: str) -> str:
    digest = hashlib.sha256(f"{project_id}|{identity}".encode()).hexdigest()[:32]
    return f"{digest}@planner-tui"


def validate_scope(store: ProjectStore, scope: ExportScope) -> ExportScope:
    """Refuse a scope naming what the project does not have; the scope with its owners and
    teams resolved to applications."""
    applications = store.applications()
    names = {fold(a.name) for a in applications}
    for name in scope.apps:
        if fold(name) not in names:
            raise UserInputError(f"no application named {name!r}.")
    for given, known, what in ((scope.owners, {fold(a.owner) for a in applications}, "owner"),
                               (scope.teams, {fold(a.team) for a in applications}, "team")):
        for name in given:
            if not fold(name) or fold(name) not in known:
                raise UserInputError(f"no application has the {what} {name!r}; see 'planner-tui apps list'.")
    known_models = store.model_ids()
    for model_id in scope.models:
        if model_id not in known_models:
            raise UserInputError(f"unknown model ID {model_id!r}; see 'planner-tui models'.")
    return scope.resolved(applications)


def all_events(store: ProjectStore, today: dt.date, scope: ExportScope | None = None,
               existing: set[str] | None = None, ended: dict[str, str] | None = None) -> list[CalendarEvent]:
    """Every event the project could export, or only those in `scope`.

    `existing` (when given) receives the UID of every event that exists, in scope or not, so
    cancellations can be told apart from events that are merely out of scope. `ended` (when
    given) receives the UIDs of the events of plans no longer open, with why they ended.
    """
    uids = existing if existing is not None else set()
    gone = ended if ended is not None else {}

    def wanted(uid: str, kind: str, model_id: str, app_names: tuple[str, ...]) -> bool:
        uids.add(uid)
        return scope is None or in_scope(kind, model_id, app_names, scope)

    project_id = store.project_id()
    names = store.model_names()
    plans = overview.plan_lines(store, today)
    users = store.model_uses()
    progress = {(r.app_name, r.model_id): r for r in plans}
    # Item counts and open titles go into plan events' descriptions: read them for the plans
    # in scope only (a team's calendar out of a 20,000-plan project).
    described = None if scope is None else [
        line.plan_id for line in plans
        if line.is_open and in_scope("plan", line.model_id, (line.app_name,), scope)]
    totals = store.phase_totals(described)
    open_titles = store.open_item_titles(described)
    stages = store.all_rollout_stages()

    events: list[CalendarEvent] = []
    for lifecycle in store.lifecycles():
        for milestone in milestones_of(lifecycle):
            affected = sorted(set().union(*(users.get((lifecycle.model_id, r), set())
                                            for r in lifecycle.regions)))
            uid = _uid(project_id, f"vendor|{lifecycle.model_id}|{milestone.kind.value}|"
                                   f"{','.join(lifecycle.regions)}")
            if not wanted(uid, "vendor", lifecycle.model_id, tuple(affected)):
                continue
            name = names.get(lifecycle.model_id, lifecycle.model_id)
            count = f", {len(affected)} app{'s' if len(affected) != 1 else ''}" if affected else ""
            lines = [f"{milestone.kind.label} of {name} ({lifecycle.model_id}) in "
                     f"{', '.join(lifecycle.regions)}.", "", "What it means:"]
            lines += [f"- {c}" for c in milestone.consequences]
            if affected:
                lines += ["", "Affected applications:"]
                for app_name in affected:
                    row = progress.get((app_name, lifecycle.model_id))
                    state = (f"plan {row.phase_label}, {row.progress:.0%} done, {row.risk.value}"
                             if row else "no plan")
                    lines.append(f"- {app_name}: {state}")
            lines += ["", f"Source: {lifecycle.source} (as of {lifecycle.as_of})"]
            events.append(CalendarEvent(
                uid=uid,
                kind="vendor",
                category=CATEGORY[milestone.kind],
                summary=f"{milestone.kind.label}: {name} "
                        f"({overview.regions_label(lifecycle.regions, REGIONS_IN_SUMMARY)}){count}",
                description="\n".join(lines),
                start=milestone.date, last_day=milestone.date, url=lifecycle.source,
                model_id=lifecycle.model_id, app_names=tuple(affected), milestone=milestone.kind.value,
            ))

    events += campaign_events(store, today, plans, names, lambda identity: _uid(project_id, identity), wanted, gone)
    for line in plans:
        title = f"{line.app_name} × {line.model_name}"
        if not line.is_open:
            # Its dates no longer call for anyone's time: no events (see export_calendar).
            why = (f"The migration of {title} is "
                   f"{'complete' if line.completed_on else f'closed ({line.closed_kind})'}: this date "
                   "no longer applies.")
            gone.update(dict.fromkeys(
                [_uid(project_id, f"plan|{line.plan_id}|{phase.value}") for phase, _, _ in line.phase_dues()]
                + [_uid(project_id, f"stage|{stage.id}") for stage in stages.get(line.plan_id, ())], why))
            continue
        basis = line.deadline_basis if line.deadline else "no published dates"
        for phase, due, done in line.phase_dues():
            uid = _uid(project_id, f"plan|{line.plan_id}|{phase.value}")
            if not wanted(uid, "plan", line.model_id, (line.app_name,)):
                continue
            total = totals.get((line.plan_id, phase), 0)
            open_items = open_titles.get((line.plan_id, phase), [])
            lines = [f"{phase.title} phase of the migration of {title}.",
                     f"Plan deadline: {line.deadline} ({basis}).",
                     f"Status: {'done' if done else f'{len(open_items)} of {total} items open'}"
                     f"; plan risk {line.risk.value}."]
            if open_items and not done:
                lines += ["", "Open items:"] + [f"- {t}" for t in open_items]
            events.append(CalendarEvent(
                uid=uid,
                kind="plan", category="Migration phase due",
                summary=f"{phase.title} due: {title}",
                description="\n".join(lines), start=due, last_day=due,
                model_id=line.model_id, app_names=(line.app_name,),
            ))
        for stage in stages.get(line.plan_id, ()):
            uid = _uid(project_id, f"stage|{stage.id}")
            if stage.start_date is None or not wanted(uid, "plan", line.model_id, (line.app_name,)):
                continue
            events.append(CalendarEvent(
                uid=uid,
                kind="plan", category="Rollout stage",
                summary=f"Rollout {stage.traffic_percent}%: {title}",
                description=f"Send {stage.traffic_percent}% of traffic to "
                            f"{line.target_model_id or 'the replacement'}.\n{stage.notes}".rstrip(),
                start=stage.start_date, last_day=max(stage.end_date or stage.start_date, stage.start_date),
                model_id=line.model_id, app_names=(line.app_name,),
            ))
    return events


def in_scope(event_kind: str, model_id: str, app_names: tuple[str, ...], scope: ExportScope) -> bool:
    if event_kind not in scope.kinds:
        return False
    if scope.models and model_id not in scope.models:
        return False
    if scope.app_keys:
        return any(fold(a) in scope.app_keys for a in app_names)
    if event_kind == "vendor" and not scope.models:
        return bool(app_names)  # by default only milestones that touch the project
    return True
