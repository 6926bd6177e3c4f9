"""The calendar as icalendar's Component API builds it, event by event: the reference the
export's bytes are checked against (tests/test_calendar_bytes.py, benchmarks/run.py)."""

from __future__ import annotations

import datetime as dt

from icalendar import Alarm, Calendar, Event

from planner_tui.domain.chart_span import next_day
from planner_tui.domain.inert import lines, one_line
from planner_tui.integrations.calendar.alarms import Reminders, alarm_text
from planner_tui.integrations.calendar.ics import _WEB_ADDRESS, PRODID, Planned


def reference_render(events: list[Planned], now: dt.datetime, reminders: Reminders, name: str = "Bedrock migrations",
                     refresh: dt.timedelta | None = None) -> bytes:
    from icalendar.prop import vDuration, vText

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(one_line(name)))
    if refresh is not None:
        calendar.add("name", vText(one_line(name)))
        calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
    for event, sequence, status in sorted(events, key=lambda e: (e[0].start, e[0].summary, e[0].uid)):
        vevent = Event()
        vevent.add("uid", event.uid)
        vevent.add("dtstamp", now)
        summary = one_line(event.summary)
        vevent.add("dtstart", event.start)
        after = next_day(event.last_day)
        if after is not None:
            vevent.add("dtend", after)
        else:
            vevent.add("duration", dt.timedelta(days=(event.last_day - event.start).days + 1))
        vevent.add("summary", summary)
        vevent.add("description", lines(event.description))
        vevent.add("categories", [one_line(event.category)])
        if event.url and _WEB_ADDRESS.fullmatch(event.url):
            vevent.add("url", event.url)
        vevent.add("sequence", sequence)
        vevent.add("status", status)
        vevent.add("transp", "TRANSPARENT")
        if status == "CONFIRMED":
            for days in reminders.before(event):
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", alarm_text(days, summary))
                alarm.add("trigger", dt.timedelta(days=-days))
                vevent.add_component(alarm)
        calendar.add_component(vevent)
    return calendar.to_ical()
