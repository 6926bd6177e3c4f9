"""iCalendar files (RFC 5545) of a project's events: what changed since the last export
(SEQUENCE, CANCELLED), and the calendar's bytes.

All events are all-day (VALUE=DATE, exclusive DTEND), so no VTIMEZONE is needed. SEQUENCE
rises when an event's dates change, and an event whose milestone no longer exists is sent once
more with STATUS:CANCELLED so calendars drop it. A plan that is no longer open (completed,
closed as no longer needed, cancelled) has no events: those exported before are cancelled
that way, once; those never exported are not sent at all.

No METHOD: a calendar file or feed is a snapshot, not an iTIP (RFC 5546) scheduling message.
RFC 5545 3.7.2: without METHOD "a scheduling transaction MUST NOT be assumed", which is what a
subscribed feed is. METHOD:PUBLISH would oblige an ORGANIZER in every event (RFC 5546 3.2.1),
and an organiser makes clients offer replies to a person who sent no invitation.

The bytes are icalendar's: the calendar's own properties are its Calendar, each value is
encoded by its property types (vText, vDate, vDuration, ...), and lines are folded as its
Contentline folds them. Only the 20,000 Component trees are not built (see
benchmarks/RESULTS.md: building and serialising them took 1 ms an event);
tests/test_calendar_bytes.py checks the output against icalendar's Component serialisation.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from icalendar import Calendar
from icalendar.prop import vCategory, vDate, vDatetime, vDuration, vText, vUri

from ...domain.chart_span import next_day
from ...domain.inert import lines, one_line
from ...errors import ProjectFileError
from ...persistence.store import ProjectStore
from ..files import atomic_write_bytes
from .alarms import Reminders, alarm_text
from .events import CalendarEvent, ExportScope, all_events, in_scope, validate_scope

PRODID = "-//planner-tui//Bedrock migration planner//EN"
CALENDAR_NAME = "Bedrock migrations"

Planned = tuple[CalendarEvent, int, str]  # the event, its SEQUENCE, its STATUS


@dataclass
class ExportResult:
    path: Path | None
    events: int
    cancelled: int
    updated: int
    recorded: bool
    data: bytes = field(repr=False, default=b"")
    unrecorded: str = ""  # why the export history was not updated ('' when it was, or no file)


@dataclass
class Changes:
    """What an export sends, against what was sent before."""

    planned: list[Planned]
    rows: list[dict[str, Any]]  # the export history, as it will be
    updated: int
    cancelled: int
    raised: set[str] = field(default_factory=set)  # UIDs whose SEQUENCE rises


def utc_now(now: dt.datetime | None) -> dt.datetime:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)


def changes(store: ProjectStore, today: dt.date, scope: ExportScope | None, now: dt.datetime) -> Changes:
    """The events of `scope` (None: every event any calendar of the project can hold) with
    their SEQUENCE, and those sent before that are gone, to be cancelled once."""
    existing: set[str] = set()
    ended: dict[str, str] = {}
    chosen = all_events(store, today, scope, existing, ended)
    state = store.calendar_state()
    result = Changes([], [], 0, 0)
    for event in chosen:
        before = state.get(event.uid)
        sequence = 0
        if before:
            changed = (before["start_date"], before["end_date"]) != (
                event.start.isoformat(), event.last_day.isoformat())
            sequence = before["sequence"] + (1 if changed or before["cancelled"] else 0)
            if sequence != before["sequence"]:
                result.updated += 1
                result.raised.add(event.uid)
        result.planned.append((event, sequence, "CONFIRMED"))
        result.rows.append(_state_row(event, sequence, False, now))
    for uid, before in state.items():
        if uid in existing or before["cancelled"]:
            continue
        app_names = tuple(json.loads(before["app_names"]))
        if scope is not None and not in_scope(before["kind"], before["model_id"], app_names, scope):
            continue
        ghost = CalendarEvent(
            uid=uid, kind=before["kind"], category="Cancelled", summary=f"Cancelled: {before['summary']}",
            description=ended.get(uid, "This milestone no longer exists in the project."),
            start=dt.date.fromisoformat(before["start_date"]),
            last_day=dt.date.fromisoformat(before["end_date"]),
            model_id=before["model_id"], app_names=app_names,
        )
        result.planned.append((ghost, before["sequence"] + 1, "CANCELLED"))
        result.rows.append({**_state_row(ghost, before["sequence"] + 1, True, now),
                            "summary": before["summary"], "app_names": before["app_names"]})
        result.cancelled += 1
    return result


def remember(store: ProjectStore, rows: list[dict[str, Any]]) -> str:
    """Record what was written, for the next export; why not ('' when it was)."""
    if store.read_only:
        return "the project is open read-only"
    try:
        store.record_calendar_export(rows)
    except ProjectFileError:
        # Busy in another program, a full disk: the calendar is written all the same. The
        # next export compares with the history as it was and numbers these changes again.
        return "the project could not be written just now"
    return ""


def export_calendar(store: ProjectStore, path: Path | None, today: dt.date, scope: ExportScope,
                    now: dt.datetime | None = None) -> ExportResult:
    """Build the calendar, write it atomically (when `path` is given) and remember it."""
    scope = validate_scope(store, scope)
    now = utc_now(now)
    found = changes(store, today, scope, now)
    data = render(found.planned, now, Reminders.of(scope, store.calendar_settings()))
    unrecorded = ""
    if path is not None:
        atomic_write_bytes(path, data)
        unrecorded = remember(store, found.rows)
    return ExportResult(path=path, events=len(found.planned), cancelled=found.cancelled, updated=found.updated,
                        recorded=path is not None and not unrecorded, data=data, unrecorded=unrecorded)


def _state_row(event: CalendarEvent, sequence: int, cancelled: bool, now: dt.datetime) -> dict[str, Any]:
    return {
        "uid": event.uid, "kind": event.kind, "model_id": event.model_id,
        "app_names": json.dumps(list(event.app_names)), "summary": event.summary,
        "start_date": event.start.isoformat(), "end_date": event.last_day.isoformat(),
        "sequence": sequence, "cancelled": int(cancelled), "exported_at": now.isoformat(),
    }


# -- the bytes ------------------------------------------------------------------------------

# Only a web address goes into an event's URL property (the lifecycle source is one when it
# came from the catalog or AWS; a hand-typed one may be anything).
_WEB_ADDRESS = re.compile(r"https?://[^\s\x00-\x1f\x7f-\x9f\"<>\\^`{|}]+", re.ASCII)
FOLD_AT = 75  # octets: a line of this many or more is folded (as icalendar's Contentline does)
_END = b"END:VCALENDAR\r\n"


def header(name: str = CALENDAR_NAME, refresh: dt.timedelta | None = None) -> bytes:
    """The calendar's own properties, by icalendar (no events). A feed says how often to
    fetch it again: REFRESH-INTERVAL (RFC 7986) and X-PUBLISHED-TTL (Outlook, older Apple)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(one_line(name)))
    if refresh is not None:
        calendar.add("name", vText(one_line(name)))
        calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
    data: bytes = calendar.to_ical()
    assert data.endswith(_END)
    return data[: -len(_END)]


def fold(line: bytes) -> bytes:
    """icalendar's folding (parser.string._foldline), on the encoded line: at most 74 octets
    a line, never inside a character, and never right after a backslash or caret (an escape
    stays whole on the next line)."""
    if len(line) < FOLD_AT:
        return line
    chunks = []
    start = 0
    while len(line) - start >= FOLD_AT:
        end = start + FOLD_AT - 1
        while 0x80 <= line[end] <= 0xBF:  # a UTF-8 continuation octet: the character moves
            end -= 1
        if line[end - 1] in b"\\^":
            end -= 1
        chunks.append(line[start:end])
        start = end
    chunks.append(line[start:])
    return b"\r\n ".join(chunks)


def _text(value: str) -> str:
    return vText(value).to_ical().decode()


class Renderer:
    """Events as calendar lines, each rendered once however many feeds hold it."""

    def __init__(self, now: dt.datetime, reminders: Reminders) -> None:
        self.reminders = reminders
        self.stamp = f"DTSTAMP:{vDatetime(now).to_ical().decode()}"
        self.triggers = {days: f"TRIGGER:{vDuration(dt.timedelta(days=-days)).to_ical().decode()}"
                         for days in {*reminders.days, *reminders.eol_days}}
        self._done: dict[str, bytes] = {}

    def calendar(self, events: list[Planned], head: bytes | None = None) -> bytes:
        ordered = sorted(events, key=lambda e: (e[0].start, e[0].summary, e[0].uid))
        return b"".join([head if head is not None else header(), *map(self.event, ordered), _END])

    def event(self, planned: Planned) -> bytes:
        event, sequence, status = planned
        done = self._done.get(event.uid)
        if done is None:
            done = self._done[event.uid] = self._render(event, sequence, status)
        return done

    def _render(self, event: CalendarEvent, sequence: int, status: str) -> bytes:
        """Names and notes in summaries and descriptions are made inert (no control
        characters: icalendar escapes line breaks, not NUL or ESC)."""
        summary = one_line(event.summary)
        after = next_day(event.last_day)
        # DTEND is the day after the last (exclusive); after 9999-12-31 there is none, so the
        # event says how many days it lasts instead (DURATION, RFC 5545 3.6.1): same event.
        end = (f"DTEND;VALUE=DATE:{vDate(after).to_ical().decode()}" if after is not None else
               f"DURATION:{vDuration(dt.timedelta(days=(event.last_day - event.start).days + 1)).to_ical().decode()}")
        content = [
            "BEGIN:VEVENT",
            f"SUMMARY:{_text(summary)}",
            f"DTSTART;VALUE=DATE:{vDate(event.start).to_ical().decode()}",
            end,
            self.stamp,
            f"UID:{_text(event.uid)}",
            f"SEQUENCE:{sequence}",
            f"CATEGORIES:{vCategory([one_line(event.category)]).to_ical().decode()}",
            f"DESCRIPTION:{_text(lines(event.description))}",
            f"STATUS:{status}",
            "TRANSP:TRANSPARENT",
        ]
        if event.url and _WEB_ADDRESS.fullmatch(event.url):
            content.append(f"URL:{vUri(event.url).to_ical().decode()}")
        if status == "CONFIRMED":
            for days in self.reminders.before(event):
                content += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{_text(alarm_text(days, summary))}",
                            self.triggers[days], "END:VALARM"]
        content.append("END:VEVENT")
        return b"".join(fold(line.encode()) + b"\r\n" for line in content)


def render(events: list[Planned], now: dt.datetime, reminders: Reminders, head: bytes | None = None) -> bytes:
    """The calendar of these events."""
    return Renderer(now, reminders).calendar(events, head)
