"""Issue 21: a campaign's deadlines in the calendar, one all-day event per campaign per
Region, on the earliest of its open plans' deadlines there (real dates: Claude Sonnet 4.5's
deadline in the demo is 2027-01-08 in each of its four Regions)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
from ical.calendar_stream import IcsCalendarStream

from planner_tui.integrations.calendar.events import ExportScope, all_events
from planner_tui.integrations.calendar.feeds import export_feeds
from planner_tui.integrations.calendar.ics import export_calendar
from planner_tui.services.commands import lifecycle, plans

from .conftest import TODAY
from .ical_validator import libical_errors, require_libical
from .test_ui_reads import plan_id_of

NOW = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0"
CATEGORY = "Migration campaign deadline"


def campaign_events(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
            if CATEGORY in str(e.get("CATEGORIES").to_ical(), "utf-8")}


def test_the_sonnet_45_campaign_has_a_deadline_per_region(demo_store) -> None:
    data = export_calendar(demo_store, None, TODAY, ExportScope(), now=NOW).data
    found = {s: e for s, e in campaign_events(data).items() if s.startswith("Claude Sonnet 4.5 campaign")}
    assert sorted(found) == [
        "Claude Sonnet 4.5 campaign: deadline in eu-west-1 — 1 application",
        "Claude Sonnet 4.5 campaign: deadline in us-east-1 — 3 applications",
        "Claude Sonnet 4.5 campaign: deadline in us-east-2 — 1 application",
        "Claude Sonnet 4.5 campaign: deadline in us-west-2 — 1 application",
    ]
    for event in found.values():
        assert event["DTSTART"].dt == dt.date(2027, 1, 8) and event["DTEND"].dt == dt.date(2027, 1, 9)
        assert str(event["URL"]) == "https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle-legacy.html"
        assert str(event["STATUS"]) == "CONFIRMED" and event.walk("VALARM")
    text = str(found["Claude Sonnet 4.5 campaign: deadline in us-east-1 — 3 applications"]["DESCRIPTION"])
    assert f"Decision: migrate to Claude Haiku 4.5 ({HAIKU_45})." in text
    assert "- Code Review Bot: Update, 69% done, on track; overrides the decision: Claude Opus 4.5" in text
    assert "- Sales Email Drafts: Assess, 62% done, on track" in text
    assert "- Support Copilot: Test, 62% done, on track" in text
    assert "Source: https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle-legacy.html" in text
    # The other parser reads the same events.
    strict = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert sum(e.summary.startswith("Claude Sonnet 4.5 campaign") for e in strict.events) == 4


def test_every_campaign_of_the_demo_passes_libical(demo_store) -> None:
    require_libical()
    data = export_calendar(demo_store, None, TODAY, ExportScope(models=(SONNET_45,)), now=NOW).data
    assert len(campaign_events(data)) == 4
    assert libical_errors(data) == []


def test_uids_are_stable_and_progress_does_not_raise_the_sequence(demo_store, tmp_path: Path) -> None:
    path = tmp_path / "sonnet.ics"
    scope = ExportScope(models=(SONNET_45,))
    export_calendar(demo_store, path, TODAY, scope, now=NOW)
    before = {s: (str(e["UID"]), int(e["SEQUENCE"])) for s, e in campaign_events(path.read_bytes()).items()}
    again = export_calendar(demo_store, None, TODAY, scope, now=NOW).data
    assert {s: (str(e["UID"]), int(e["SEQUENCE"])) for s, e in campaign_events(again).items()} == before
    assert len({uid for uid, _ in before.values()}) == 4

    # A plan moves on: the description says so; the date and so the SEQUENCE stay.
    plans.advance(demo_store, plan_id_of(demo_store, "Sales Email Drafts", "sonnet-4-5"), TODAY)
    after = campaign_events(export_calendar(demo_store, path, TODAY, scope, now=NOW).data)
    event = after["Claude Sonnet 4.5 campaign: deadline in us-east-1 — 3 applications"]
    assert "- Sales Email Drafts: Research" in str(event["DESCRIPTION"])
    assert {s: (str(e["UID"]), int(e["SEQUENCE"])) for s, e in after.items()} == before


def test_a_moved_pea_start_moves_the_campaign_deadline_in_that_region_only(demo_store, tmp_path: Path) -> None:
    path = tmp_path / "sonnet.ics"
    scope = ExportScope(models=(SONNET_45,))
    export_calendar(demo_store, path, TODAY, scope, now=NOW)
    lifecycle.set_dates(demo_store, SONNET_45, "us-east-2", {"pea_date": dt.date(2026, 12, 20)}, TODAY)
    after = campaign_events(export_calendar(demo_store, path, TODAY, scope, now=NOW).data)
    moved = after["Claude Sonnet 4.5 campaign: deadline in us-east-2 — 1 application"]
    assert moved["DTSTART"].dt == dt.date(2026, 12, 20) and int(moved["SEQUENCE"]) == 1
    kept = after["Claude Sonnet 4.5 campaign: deadline in us-east-1 — 3 applications"]
    assert kept["DTSTART"].dt == dt.date(2027, 1, 8) and int(kept["SEQUENCE"]) == 0


def test_scopes_pick_the_regions_of_their_applications(demo_store) -> None:
    def campaigns(scope: ExportScope) -> set[str]:
        return {e.summary for e in all_events(demo_store, TODAY, scope) if e.category == CATEGORY}

    # Sales Email Drafts uses Sonnet 4.5 in us-east-1 and us-east-2 only.
    assert {s for s in campaigns(ExportScope(apps=("sales email drafts",))) if "Sonnet 4.5" in s} == {
        "Claude Sonnet 4.5 campaign: deadline in us-east-1 — 3 applications",
        "Claude Sonnet 4.5 campaign: deadline in us-east-2 — 1 application"}
    assert not campaigns(ExportScope(kinds=frozenset({"vendor"})))
    assert all(s.startswith("Claude Sonnet 4.5") for s in campaigns(ExportScope(models=(SONNET_45,))))


def test_the_owners_feed_carries_their_campaigns(demo_store, tmp_path: Path) -> None:
    result = export_feeds(demo_store, tmp_path / "feeds", TODAY, "https://cal.example.com", now=NOW)
    every = campaign_events((tmp_path / "feeds" / "all.ics").read_bytes())
    assert len(every) == 11
    for feed in result.feeds:
        mine = campaign_events((tmp_path / "feeds" / feed.path).read_bytes())
        assert set(mine) <= set(every)
        for summary, event in mine.items():
            assert str(event["UID"]) == str(every[summary]["UID"])


def test_a_region_with_no_open_plan_left_is_cancelled_once(demo_store, tmp_path: Path) -> None:
    path = tmp_path / "sonnet.ics"
    scope = ExportScope(models=(SONNET_45,))
    export_calendar(demo_store, path, TODAY, scope, now=NOW)
    sent = campaign_events(path.read_bytes())["Claude Sonnet 4.5 campaign: deadline in us-east-2 — 1 application"]
    plans.cancel(demo_store, plan_id_of(demo_store, "Sales Email Drafts", "sonnet-4-5"), "feature retired", TODAY)

    result = export_calendar(demo_store, path, TODAY, scope, now=NOW)
    found = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(result.data).walk("VEVENT")}
    gone = found[str(sent["UID"])]
    assert str(gone["STATUS"]) == "CANCELLED" and int(gone["SEQUENCE"]) == 1 and not gone.walk("VALARM")
    assert "no open plans left in us-east-2" in str(gone["DESCRIPTION"])
    # us-east-1 keeps its event, now for two applications.
    assert "Claude Sonnet 4.5 campaign: deadline in us-east-1 — 2 applications" in campaign_events(result.data)

    again = export_calendar(demo_store, path, TODAY, scope, now=NOW).data
    assert str(sent["UID"]) not in {str(e["UID"]) for e in icalendar.Calendar.from_ical(again).walk("VEVENT")}


def test_a_campaign_without_a_decision_says_so(demo_store) -> None:
    events = [e for e in all_events(demo_store, TODAY) if e.category == CATEGORY]
    undecided = [e for e in events if "Decision: no replacement chosen yet." in e.description]
    decided = [e for e in events if "Decision: migrate to" in e.description]
    assert undecided and decided and len(undecided) + len(decided) == len(events)
