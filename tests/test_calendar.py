"""iCalendar export: RFC 5545 details, two independent parsers, stable UIDs, golden file."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

from planner_tui.cli import main
from planner_tui.domain.inert import one_line
from planner_tui.domain.models import Application, Dependency
from planner_tui.errors import UserInputError
from planner_tui.integrations import files
from planner_tui.integrations.calendar.events import ExportScope, all_events
from planner_tui.integrations.calendar.ics import export_calendar
from planner_tui.services.overview import milestone_rows, plan_rows

from .conftest import TODAY

NOW = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)
GOLDEN = Path(__file__).parent / "golden" / "demo.ics"
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"


def parse_both(data: bytes):
    strict = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    loose = icalendar.Calendar.from_ical(data)
    return strict, loose


def check_rfc5545_shape(data: bytes) -> None:
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF only
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a character
    assert b"VTIMEZONE" not in data
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"\r\nPRODID:" in data and b"\r\nVERSION:2.0\r\n" in data


def test_demo_export_matches_the_project(demo_store, tmp_path: Path) -> None:
    path = tmp_path / "demo.ics"
    result = export_calendar(demo_store, path, TODAY, ExportScope(), now=NOW)
    data = path.read_bytes()
    check_rfc5545_shape(data)
    strict, loose = parse_both(data)
    assert len(strict.events) == len(loose.walk("VEVENT")) == result.events

    by_summary = {e.summary: e for e in strict.events}
    # Every milestone that touches an application is there, on its day, all-day.
    for row in milestone_rows(demo_store, dt.date(2000, 1, 1)):
        if not row.affected_apps:
            continue
        matching = [e for e in strict.events
                    if e.summary.startswith(f"{row.milestone.kind.label}: {row.model_name} (")
                    and e.dtstart == row.milestone.date]
        assert matching, row
        event = matching[0]
        assert event.dtend == row.milestone.date + dt.timedelta(days=1)
        for app in row.affected_apps:
            assert app in event.description
    # Every phase due date of every open plan; none of a plan that is done or closed.
    rows = plan_rows(demo_store, TODAY)
    assert any(not row.plan.is_open for row in rows)
    for row in rows:
        for window in row.schedule.phases:
            event = by_summary.get(f"{window.phase.title} due: {row.app.name} × {row.model_name}")
            if row.plan.is_open:
                assert event is not None and event.dtstart == window.due
            else:
                assert event is None

    for vevent in loose.walk("VEVENT"):
        assert vevent["DTSTAMP"].dt == NOW
        alarms = vevent.walk("VALARM")
        lead = (90, 30, 7) if str(vevent["SUMMARY"]).startswith("EOL: ") else (30, 7, 1)  # the defaults
        assert [a["TRIGGER"].dt for a in alarms] == [dt.timedelta(days=-d) for d in lead]
        assert all(a["ACTION"] == "DISPLAY" and a["DESCRIPTION"] for a in alarms)
        if str(vevent["CATEGORIES"].cats[0]).startswith("Bedrock"):
            assert str(vevent["URL"]).startswith("https://docs.aws.amazon.com/bedrock/")


def test_golden_file_for_the_example_project(demo_store) -> None:
    result = export_calendar(demo_store, None, TODAY, ExportScope(), now=NOW)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_bytes(result.data)
    assert result.data == GOLDEN.read_bytes()


def test_scope_filters(demo_store) -> None:
    events = export_calendar(demo_store, None, TODAY, ExportScope(
        apps=("Support Copilot",), kinds=frozenset({"vendor"})), now=NOW)
    strict, _ = parse_both(events.data)
    assert sorted(e.summary.split(":")[0] for e in strict.events) == ["EOL", "Legacy start", "PEA start"]
    only_model = export_calendar(demo_store, None, TODAY, ExportScope(
        models=("ai21.jamba-1-5-mini-v1:0",), kinds=frozenset({"vendor"})), now=NOW)
    assert only_model.events == 3  # unused by the project, but asked for by name
    with pytest.raises(UserInputError, match="no application"):
        export_calendar(demo_store, None, TODAY, ExportScope(apps=("Nope",)), now=NOW)


def test_uids_are_stable_and_sequence_rises_when_a_date_moves(store, tmp_path: Path) -> None:
    store.add_application(Application(name="Bot"), [Dependency(app_id=0, model_id=OPUS_41,
                                                                region="us-east-1")], today=TODAY)
    path = tmp_path / "cal.ics"
    export_calendar(store, path, TODAY, ExportScope(kinds=frozenset({"vendor"})), now=NOW)
    first = {e.uid: e for e in parse_both(path.read_bytes())[0].events}
    export_calendar(store, path, TODAY, ExportScope(kinds=frozenset({"vendor"})), now=NOW)
    again = {e.uid: e for e in parse_both(path.read_bytes())[0].events}
    assert first.keys() == again.keys()
    assert all(e.sequence == 0 for e in again.values())

    # AWS moves the EOL for the whole group: same UID, SEQUENCE 1, new date.
    for region in ("us-east-1", "us-east-2", "us-west-2"):
        store.set_lifecycle_date(OPUS_41, region, "eol_date", dt.date(2027, 2, 15))
    export_calendar(store, path, TODAY, ExportScope(kinds=frozenset({"vendor"})), now=NOW)
    moved = {e.uid: e for e in parse_both(path.read_bytes())[0].events}
    eol = next(e for e in moved.values() if e.summary.startswith("EOL: Claude Opus 4.1"))
    assert eol.uid in first and eol.sequence == 1 and eol.dtstart == dt.date(2027, 2, 15)

    # Only us-east-1 moves again: the old group's events are cancelled once.
    store.set_lifecycle_date(OPUS_41, "us-east-1", "eol_date", dt.date(2027, 3, 1))
    result = export_calendar(store, path, TODAY, ExportScope(kinds=frozenset({"vendor"})), now=NOW)
    events = parse_both(path.read_bytes())[0].events
    cancelled = [e for e in events if e.status and e.status.value == "CANCELLED"]
    assert result.cancelled == len(cancelled) == 3
    assert {e.uid for e in cancelled} <= set(first)
    result = export_calendar(store, path, TODAY, ExportScope(kinds=frozenset({"vendor"})), now=NOW)
    assert result.cancelled == 0


def test_a_failed_write_leaves_the_old_file_whole(demo_store, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "cal.ics"
    path.write_bytes(b"previous export")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(UserInputError, match="No space left"):
        export_calendar(demo_store, path, TODAY, ExportScope(), now=NOW)
    assert path.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["cal.ics"]


PIECES = list(",;\\\n\"':") + ["😀", "👩\u200d💻", "漢", "字", "é", "a", "Z", " ", "\t"]
NASTY = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=60).map("".join),
    st.lists(st.sampled_from(PIECES), min_size=500, max_size=500).map("".join),
).filter(lambda s: s.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NASTY)
def test_any_application_name_survives_both_parsers(store, name: str) -> None:
    for app in store.applications():
        store.delete_application(app.id)
    app = store.add_application(Application(name=name), [Dependency(
        app_id=0, model_id=OPUS_41, region="us-east-1")], today=TODAY)
    data = export_calendar(store, None, TODAY, ExportScope(kinds=frozenset({"plan"})), now=NOW).data
    check_rfc5545_shape(data)
    strict, loose = parse_both(data)
    summaries = {e.summary for e in strict.events}
    assert f"Assess due: {one_line(app.name)} × Claude Opus 4.1" in summaries  # a tab: a space
    assert {str(v["SUMMARY"]) for v in loose.walk("VEVENT")} == summaries


def test_all_events_of_an_empty_project_is_empty(store) -> None:
    assert all_events(store, TODAY) and all(e.kind == "vendor" for e in all_events(store, TODAY))
    assert export_calendar(store, None, TODAY, ExportScope(), now=NOW).events == 0


def test_cli_export(capsys, tmp_path: Path) -> None:
    out = tmp_path / "team.ics"
    code = main(["--demo", "export", "ics", "-o", str(out), "--app", "Contract Review",
                 "--alarm", "14,1", "--today", "2026-11-22"])
    assert code == 0
    assert "events to" in capsys.readouterr().out
    strict, loose = parse_both(out.read_bytes())
    assert all("Contract Review" in e.summary or "Claude Opus 4.1" in e.summary for e in strict.events)
    assert {a["TRIGGER"].dt for v in loose.walk("VEVENT") for a in v.walk("VALARM")} == {
        dt.timedelta(days=-14), dt.timedelta(days=-1)}
    assert main(["--demo", "export", "ics", "-o", str(out), "--alarm", "soon"]) == 2
    assert "invalid --alarm" in capsys.readouterr().err
