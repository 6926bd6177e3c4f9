"""The export's bytes are icalendar's: its renderer (no Component trees, for speed: see
benchmarks/RESULTS.md) writes what icalendar's Component API writes for the same events."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar.parser import Contentline

from planner_tui.domain.settings import CalendarSettings
from planner_tui.integrations.calendar.alarms import Reminders
from planner_tui.integrations.calendar.events import CalendarEvent, ExportScope
from planner_tui.integrations.calendar.ics import changes, fold, header, render

from .calendar_reference import reference_render
from .conftest import TODAY

NOW = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)


def test_the_demo_as_icalendar_writes_it(demo_store) -> None:
    planned = changes(demo_store, TODAY, None, NOW).planned
    for reminders in (Reminders.of(ExportScope(), CalendarSettings()), Reminders((14, 0), ())):
        assert render(planned, NOW, reminders) == reference_render(planned, NOW, reminders)
        head = header("Bedrock migrations: Doe, Jane; ops", dt.timedelta(hours=6))
        assert render(planned, NOW, reminders, head) == reference_render(
            planned, NOW, reminders, "Bedrock migrations: Doe, Jane; ops", dt.timedelta(hours=6))


PIECES = ["a", "Z", " ", "\\", "^", ";", ",", ":", "\"", "é", "×", "漢", "😀", "👩\u200d💻", "\t", "\n"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=400).map("".join)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(["SUMMARY", "DESCRIPTION", "X"]), text=TEXT)
def test_folding_is_icalendars(name: str, text: str) -> None:
    line = f"{name}:{text.replace(chr(10), ' ')}"
    assert fold(line.encode()) == Contentline(line).to_ical()


@settings(max_examples=60, deadline=None)
@given(summary=TEXT, description=TEXT, url=st.sampled_from(["", "https://example.com/a,b;c", "javascript:x"]),
       days=st.integers(0, 3), last=st.sampled_from([dt.date(2027, 1, 1), dt.date.max]))
def test_any_event_as_icalendar_writes_it(summary: str, description: str, url: str, days: int,
                                          last: dt.date) -> None:
    event = CalendarEvent(uid="u@planner-tui", kind="vendor", category="Bedrock EOL, x", summary=summary or "s",
                          description=description, start=last - dt.timedelta(days=days), last_day=last,
                          url=url, milestone="eol")
    reminders = Reminders((30, 1), (90, 0))
    for status in ("CONFIRMED", "CANCELLED"):
        planned = [(event, 3, status)]
        assert render(planned, NOW, reminders) == reference_render(planned, NOW, reminders)
