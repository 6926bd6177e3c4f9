"""Issue #19: every calendar the planner writes passes a strict iTIP validator (libical's)
and parses in icalendar and `ical`.

The calendars carry no METHOD: a feed or a file is a snapshot (RFC 5545 3.7.2), and libical
checks it against RFC 5545's cardinalities. Checked again as if it were published as an iTIP
PUBLISH (METHOD:PUBLISH and an ORGANIZER added to each event): every other restriction of
RFC 5546 3.2.1 holds, so the organiser is all a PUBLISH would lack.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream

from planner_tui.integrations.calendar.events import ExportScope
from planner_tui.integrations.calendar.feeds import export_feeds
from planner_tui.integrations.calendar.ics import export_calendar

from .conftest import TODAY
from .ical_validator import libical_errors, require_libical
from .test_calendar import check_rfc5545_shape

NOW = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)


def as_publish(data: bytes) -> bytes:
    """The calendar as an iTIP PUBLISH message from one organiser."""
    data = data.replace(b"CALSCALE:GREGORIAN\r\n", b"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n", 1)
    return data.replace(b"BEGIN:VEVENT\r\n", b"BEGIN:VEVENT\r\nORGANIZER:mailto:owner@example.com\r\n")


def check_strictly(data: bytes) -> None:
    check_rfc5545_shape(data)
    assert not re.search(rb"^METHOD:", data, re.MULTILINE)
    assert libical_errors(data) == []
    assert libical_errors(as_publish(data)) == []
    strict = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    loose = icalendar.Calendar.from_ical(data)
    assert len(strict.events) == len(loose.walk("VEVENT"))


def test_the_validator_rejects_a_publish_without_organizer(demo_store) -> None:
    """What the export wrote before: METHOD:PUBLISH and no ORGANIZER (libical's words)."""
    require_libical()
    data = export_calendar(demo_store, None, TODAY, ExportScope(), now=NOW).data
    publish = data.replace(b"CALSCALE:GREGORIAN\r\n", b"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n", 1)
    assert libical_errors(publish) == [
        "Failed iTIP restrictions for ORGANIZER property. Expected 1 instances of the property and got 0"]
    # and an event without its UID, or with two summaries, in a calendar without METHOD
    no_uid = re.sub(rb"\r\nUID:[^\r]*", b"", as_publish(data), count=1)
    assert any("UID property" in e for e in libical_errors(no_uid))
    twice = data.replace(b"\r\nSUMMARY:", b"\r\nSUMMARY:again\r\nSUMMARY:", 1)
    assert any("SUMMARY property" in e for e in libical_errors(twice))


def test_every_feed_of_the_demo_passes(demo_store, tmp_path: Path) -> None:
    require_libical()
    result = export_feeds(demo_store, tmp_path / "feeds", TODAY, "https://calendars.example.com/bedrock", now=NOW)
    paths = sorted((tmp_path / "feeds").rglob("*.ics"))
    assert len(paths) == len(result.feeds) > 20
    for path in paths:
        data = path.read_bytes()
        check_strictly(data)
        assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in data
        assert b"\r\nX-PUBLISHED-TTL:PT12H\r\n" in data


@pytest.mark.parametrize("scope", [ExportScope(), ExportScope(kinds=frozenset({"vendor"}), models=(
    "ai21.jamba-1-5-mini-v1:0",)), ExportScope(owners=("dev.raman",), alarms=(14, 0))])
def test_every_export_passes(demo_store, scope: ExportScope) -> None:
    require_libical()
    check_strictly(export_calendar(demo_store, None, TODAY, scope, now=NOW).data)


def test_cancelled_events_pass(store, tmp_path: Path) -> None:
    from .test_calendar_closed import PLAN_EVENTS, _bot, _cancel

    require_libical()
    plan_id = _bot(store)
    export_calendar(store, tmp_path / "a.ics", TODAY, PLAN_EVENTS, now=NOW)
    _cancel(store, plan_id)
    data = export_calendar(store, tmp_path / "a.ics", TODAY, PLAN_EVENTS, now=NOW).data
    assert data.count(b"STATUS:CANCELLED") == 7  # five phases, the rollout stage, the campaign
    check_strictly(data)
