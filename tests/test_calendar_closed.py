"""Issue 14, defect 6: a plan that is no longer open leaves the calendar.

Completed, closed (no longer needed) and cancelled (won't migrate) plans: their events are
sent once as STATUS:CANCELLED, SEQUENCE raised and without alarms, when they were exported
before; then dropped. Never exported before: never sent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from planner_tui.domain.models import Application, Dependency
from planner_tui.domain.vocabulary import PHASES, Closure
from planner_tui.domain.workspace import RolloutStage
from planner_tui.integrations.calendar.events import ExportScope
from planner_tui.integrations.calendar.ics import export_calendar

from .conftest import TODAY

NOW = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
PLAN_EVENTS = ExportScope(kinds=frozenset({"plan"}))


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_the_demos_done_plans_export_no_events(demo_store) -> None:
    data = export_calendar(demo_store, None, TODAY, ExportScope(), now=NOW).data
    summaries = [str(e["SUMMARY"]) for e in events(data)]
    for done in ("Image Tagging × Claude 3 Haiku", "Code Review Bot × Claude Sonnet 4"):
        assert not [s for s in summaries if s.endswith(f"due: {done}")], done
    # Never exported before: nothing to cancel either.
    assert not [e for e in events(data) if str(e["STATUS"]) == "CANCELLED"]
    # The open plan of the same application keeps its events.
    assert "Rollout due: Code Review Bot × Claude Sonnet 4.5" in summaries


def _bot(store) -> int:
    store.add_application(Application(name="Bot"), [
        Dependency(app_id=0, model_id=OPUS_41, region="us-east-1")], today=TODAY)
    plan = store.plans()[0]
    store.plan_records.add_stage(RolloutStage(plan_id=plan.id, traffic_percent=5,
                                              start_date=TODAY + dt.timedelta(days=20)))
    return plan.id


def _complete(store, plan_id: int) -> None:
    for _ in PHASES:
        store.advance_phase(plan_id, TODAY)


def _close_unneeded(store, plan_id: int) -> None:
    (dependency,) = store.dependencies()
    assert store.delete_dependency(dependency.id, TODAY) == [plan_id]


def _cancel(store, plan_id: int) -> None:
    store.plan_records.close(plan_id, Closure.WONT_MIGRATE, "the feature is being retired", TODAY)


@pytest.mark.parametrize("end", [_complete, _close_unneeded, _cancel])
def test_events_of_an_ended_plan_are_cancelled_once_then_dropped(store, tmp_path: Path, end) -> None:
    plan_id = _bot(store)
    path = tmp_path / "bot.ics"
    export_calendar(store, path, TODAY, PLAN_EVENTS, now=NOW)
    before = {str(e["UID"]): e for e in events(path.read_bytes())}
    # five phase dues, the rollout stage and its campaign's deadline (its only application)
    assert len(before) == len(PHASES) + 2
    assert all(e.walk("VALARM") for e in before.values())

    end(store, plan_id)
    result = export_calendar(store, path, TODAY, PLAN_EVENTS, now=NOW)
    after = {str(e["UID"]): e for e in events(path.read_bytes())}
    assert after.keys() == before.keys() and result.cancelled == len(before)
    for uid, event in after.items():
        assert str(event["STATUS"]) == "CANCELLED"
        assert int(event["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1
        assert not event.walk("VALARM")
        if end is not _close_unneeded:  # a plan without its model keeps no dates to describe
            assert ("Bot × Claude Opus 4.1" in str(event["DESCRIPTION"])
                    or "The Claude Opus 4.1 campaign has no open plans left in" in str(event["DESCRIPTION"]))

    result = export_calendar(store, path, TODAY, PLAN_EVENTS, now=NOW)
    assert result.events == result.cancelled == 0
    assert events(path.read_bytes()) == []


def test_a_plan_ended_before_any_export_is_never_sent(store) -> None:
    plan_id = _bot(store)
    _cancel(store, plan_id)
    result = export_calendar(store, None, TODAY, PLAN_EVENTS, now=NOW)
    assert (result.events, result.cancelled) == (0, 0)


def test_a_reopened_plan_comes_back_with_a_higher_sequence(store, tmp_path: Path) -> None:
    plan_id = _bot(store)
    path = tmp_path / "bot.ics"
    export_calendar(store, path, TODAY, PLAN_EVENTS, now=NOW)
    _cancel(store, plan_id)
    export_calendar(store, path, TODAY, PLAN_EVENTS, now=NOW)
    store.plan_records.reopen(plan_id)
    export_calendar(store, path, TODAY, PLAN_EVENTS, now=NOW)
    back = events(path.read_bytes())
    assert len(back) == len(PHASES) + 2
    assert all(str(e["STATUS"]) == "CONFIRMED" and int(e["SEQUENCE"]) == 2 and e.walk("VALARM")
               for e in back)
