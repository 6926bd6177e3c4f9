"""iCalendar export of vendor milestones and plan deadlines (RFC 5545).

All events are all-day (VALUE=DATE, exclusive DTEND), so no VTIMEZONE is needed. UIDs are
derived from the project's identity and the milestone's identity, never random; SEQUENCE
rises when an event's dates change, and an event whose milestone no longer exists is sent
once more with STATUS:CANCELLED so calendars drop it. A plan that is no longer open
(completed, closed as no longer needed, cancelled) has no events: those exported before are
cancelled that way, once; those never exported are not sent at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from ..domain.chart_span import next_day
from ..domain.inert import lines, one_line
from ..domain.lifecycle import MilestoneKind, milestones_of
from ..errors import ProjectFileError, UserInputError
from ..persistence.store import ProjectStore
from ..services import overview
from .files import atomic_write_bytes

PRODID = "-//planner-tui//Bedrock migration planner//EN"
KINDS = ("vendor", "plan")
DEFAULT_ALARMS = (30, 7, 1)
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


@dataclass(frozen=True)
class ExportScope:
    apps: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    kinds: frozenset[str] = frozenset(KINDS)
    alarms: tuple[int, ...] = DEFAULT_ALARMS
    app_keys: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Application names match case-insensitively; fold them once, not per event.
        object.__setattr__(self, "app_keys", frozenset(a.lower() for a in self.apps))


@dataclass
class ExportResult:
    path: Path | None
    events: int
    cancelled: int
    updated: int
    recorded: bool
    data: bytes = field(repr=False, default=b"")
    unrecorded: str = ""  # why the export history was not updated ('' when it was, or no file)


def parse_kinds(text: str) -> frozenset[str]:
    kinds = frozenset(k.strip() for k in text.split(",") if k.strip())
    unknown = kinds - set(KINDS)
    if unknown or not kinds:
        raise UserInputError(f"invalid --kinds {text!r}: choose from {', '.join(KINDS)}.")
    return kinds


def parse_alarms(text: str) -> tuple[int, ...]:
    try:
        days = tuple(sorted({int(part) for part in text.split(",") if part.strip()}, reverse=True))
    except ValueError:
        raise UserInputError(f"invalid --alarm {text!r}: expected days before, e.g. 30,7,1.") from None
    if any(d < 0 or d > 366 for d in days):
        raise UserInputError("alarm days must be between 0 and 366.")
    return days


def _uid(project_id: str, identity: str) -> str:
    digest = hashlib.sha256(f"{project_id}|{identity}".encode()).hexdigest()[:32]
    return f"{digest}@planner-tui"


def validate_scope(store: ProjectStore, scope: ExportScope) -> None:
    names = {a.name.lower() for a in store.applications()}
    for name in scope.apps:
        if name.lower() not in names:
            raise UserInputError(f"no application named {name!r}.")
    known = store.model_ids()
    for model_id in scope.models:
        if model_id not in known:
            raise UserInputError(f"unknown model ID {model_id!r}; see 'planner-tui models'.")


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
                model_id=lifecycle.model_id, app_names=tuple(affected),
            ))

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
        return any(a.lower() in scope.app_keys for a in app_names)
    if event_kind == "vendor" and not scope.models:
        return bool(app_names)  # by default only milestones that touch the project
    return True


def export_calendar(store: ProjectStore, path: Path | None, today: dt.date, scope: ExportScope,
                    now: dt.datetime | None = None) -> ExportResult:
    """Build the calendar, write it atomically (when `path` is given) and remember it."""
    validate_scope(store, scope)
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    existing: set[str] = set()
    ended: dict[str, str] = {}
    chosen = all_events(store, today, scope, existing, ended)
    state = store.calendar_state()

    rows, out = [], []
    updated = 0
    for event in chosen:
        before = state.get(event.uid)
        sequence = 0
        if before:
            changed = (before["start_date"], before["end_date"]) != (
                event.start.isoformat(), event.last_day.isoformat())
            sequence = before["sequence"] + (1 if changed or before["cancelled"] else 0)
            updated += sequence != before["sequence"]
        out.append((event, sequence, "CONFIRMED"))
        rows.append(_state_row(event, sequence, False, now))
    cancelled = 0
    for uid, before in state.items():
        if uid in existing or before["cancelled"]:
            continue
        if not in_scope(before["kind"], before["model_id"], tuple(json.loads(before["app_names"])), scope):
            continue
        ghost = CalendarEvent(
            uid=uid, kind=before["kind"], category="Cancelled", summary=f"Cancelled: {before['summary']}",
            description=ended.get(uid, "This milestone no longer exists in the project."),
            start=dt.date.fromisoformat(before["start_date"]),
            last_day=dt.date.fromisoformat(before["end_date"]),
            model_id=before["model_id"],
        )
        out.append((ghost, before["sequence"] + 1, "CANCELLED"))
        rows.append({**_state_row(ghost, before["sequence"] + 1, True, now),
                     "summary": before["summary"], "app_names": before["app_names"]})
        cancelled += 1

    data = render(out, now, scope.alarms)
    if path is not None:
        atomic_write_bytes(path, data)
    recorded, unrecorded = path is not None and not store.read_only, ""
    if path is not None and store.read_only:
        unrecorded = "the project is open read-only"
    if recorded:
        try:
            store.record_calendar_export(rows)
        except ProjectFileError:
            # Busy in another program, a full disk: the calendar is written all the same. The
            # next export compares with the history as it was and numbers these changes again.
            recorded, unrecorded = False, "the project could not be written just now"
    return ExportResult(path=path, events=len(out), cancelled=cancelled, updated=updated,
                        recorded=recorded, data=data, unrecorded=unrecorded)


def _state_row(event: CalendarEvent, sequence: int, cancelled: bool, now: dt.datetime) -> dict:
    return {
        "uid": event.uid, "kind": event.kind, "model_id": event.model_id,
        "app_names": json.dumps(list(event.app_names)), "summary": event.summary,
        "start_date": event.start.isoformat(), "end_date": event.last_day.isoformat(),
        "sequence": sequence, "cancelled": int(cancelled), "exported_at": now.isoformat(),
    }


# Only a web address goes into an event's URL property (the lifecycle source is one when it
# came from the catalog or AWS; a hand-typed one may be anything).
_WEB_ADDRESS = re.compile(r"https?://[^\s\x00-\x1f\x7f-\x9f\"<>\\^`{|}]+", re.ASCII)


def _end(vevent: Event, event: CalendarEvent) -> None:
    """DTEND is the day after the last (exclusive); after 9999-12-31 there is none, so the
    event says how many days it lasts instead (DURATION, RFC 5545 3.6.1): same event."""
    after = next_day(event.last_day)
    if after is not None:
        vevent.add("dtend", after)
    else:
        vevent.add("duration", dt.timedelta(days=(event.last_day - event.start).days + 1))


def render(events: list[tuple[CalendarEvent, int, str]], now: dt.datetime,
           alarms: tuple[int, ...]) -> bytes:
    """The calendar. Names and notes in summaries and descriptions are made inert (no
    control characters: icalendar escapes line breaks, not NUL or ESC)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Bedrock migrations")
    for event, sequence, status in sorted(events, key=lambda e: (e[0].start, e[0].summary, e[0].uid)):
        vevent = Event()
        vevent.add("uid", event.uid)
        vevent.add("dtstamp", now)
        summary = one_line(event.summary)
        vevent.add("dtstart", event.start)
        _end(vevent, event)
        vevent.add("summary", summary)
        vevent.add("description", lines(event.description))
        vevent.add("categories", [one_line(event.category)])
        if event.url and _WEB_ADDRESS.fullmatch(event.url):
            vevent.add("url", event.url)
        vevent.add("sequence", sequence)
        vevent.add("status", status)
        vevent.add("transp", "TRANSPARENT")
        if status == "CONFIRMED":
            for days in alarms:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"In {days} day{'s' if days != 1 else ''}: {summary}"
                          if days else summary)
                alarm.add("trigger", dt.timedelta(days=-days))
                vevent.add_component(alarm)
        calendar.add_component(vevent)
    return calendar.to_ical()

