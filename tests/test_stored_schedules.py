"""Stored schedules (migration 0008) always agree with the schedule rules worked out afresh."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections import Counter
from pathlib import Path

import pytest

from planner_tui.domain.models import AccessPath, Criticality, Dependency
from planner_tui.domain.schedule import Risk
from planner_tui.domain.settings import ScheduleSettings
from planner_tui.persistence.store import ProjectStore
from planner_tui.services import overview
from planner_tui.services.project import open_project

from .conftest import TODAY

OPUS_4 = "anthropic.claude-opus-4-20250514-v1:0"


def assert_agree(store: ProjectStore, today: dt.date) -> None:
    """The stored path (plan_lines) shows what the rules give when computed from scratch."""
    fresh = overview.plan_rows(store, today)
    lines = overview.plan_lines(store, today)
    assert [line.plan_id for line in lines] == [row.plan.id for row in fresh], today
    # The dashboard reads its few rows another way (all at once; the first by index order).
    for first in (1, 3, 7):
        assert overview.plan_lines(store, today, limit=first) == lines[:first], (today, first)
    # The dashboard finds the plans past EOL or overdue by two indexes: exactly those.
    worst = [line for line in lines if line.is_open and line.risk in (Risk.PAST_EOL, Risk.OVERDUE)]
    assert store._worst_open(today) == len(worst), today
    if worst:
        assert overview.plan_lines(store, today, limit=len(worst), with_closed=False) == worst, today
    some = {line.model_id for line in lines[::2]}
    assert overview.plan_lines(store, today, model_ids=some, open_only=True) == [
        line for line in lines if line.model_id in some and line.is_open], today
    for line, row in zip(lines, fresh, strict=True):
        schedule = row.schedule
        assert (line.risk, line.next_due, line.urgency, line.compressed) == (
            schedule.risk, schedule.next_due, schedule.urgency, schedule.compressed), (today, row.app.name)
        assert line.deadline == (schedule.deadline.date if schedule.deadline else None)
        assert line.deadline_basis == (schedule.deadline.basis if schedule.deadline else "")
        assert line.progress == pytest.approx(row.plan.progress)
        assert line.open_dues() == [(w.phase, w.due) for w in schedule.phases
                                    if not w.done and schedule.deadline]
    # The dashboard's timeline is read from the stored rows too: the same models and bands, and
    # a marker per (date, risk) that says how many phases fall due then.
    stored, computed = overview.timeline_rows(store, today), overview.timeline_rows(store, today, plans=fresh)

    def bands(rows: list[overview.TimelineRow]) -> list[tuple]:
        return [(r.model_name, r.lifecycle.legacy_date, r.lifecycle.pea_date, r.lifecycle.eol_date) for r in rows]

    assert bands(stored) == bands(computed)
    for row, expected in zip(stored, computed, strict=True):
        dues = Counter((m.date, m.risk) for m in expected.markers)
        assert {(m.date, m.risk): int(m.label.split()[0]) for m in row.markers} == dues
        assert len(row.markers) == len(dues)


def test_stored_schedules_agree_on_every_kind_of_day(demo_store: ProjectStore) -> None:
    # Around today, across PEA starts (where deadlines move) and far past every EOL.
    days = [TODAY + dt.timedelta(days=n) for n in range(-400, 500, 23)]
    days += [lc.pea_date + dt.timedelta(days=d) for lc in demo_store.lifecycles()[:12] if lc.pea_date
             for d in (-1, 0, 1)]
    for day in days:
        assert_agree(demo_store, day)


def test_each_kind_of_edit_refreshes_what_it_affects(demo_store: ProjectStore) -> None:
    store = demo_store
    assert_agree(store, TODAY)  # everything stored for today
    plan = next(p for p in store.plans() if p.completed_on is None and p.items)

    store.toggle_item(plan.items[0].id)  # progress
    assert_agree(store, TODAY)
    store.advance_phase(plan.id, TODAY)  # phase
    assert_agree(store, TODAY)
    app = store.application(plan.app_id)
    store.update_application(app.model_copy(update={"criticality": Criticality.LOW}))  # urgency weight
    assert_agree(store, TODAY)
    store.set_deadline_override(plan.id, TODAY + dt.timedelta(days=20))  # timetable
    assert_agree(store, TODAY)
    store.set_lifecycle_date(OPUS_4, "us-east-1", "eol_date", TODAY + dt.timedelta(days=40))  # vendor dates
    assert_agree(store, TODAY)
    store.add_dependency(Dependency(app_id=plan.app_id, model_id=plan.model_id, region="eu-west-1",
                                    access_path=AccessPath.ON_DEMAND), TODAY)  # Regions used
    assert_agree(store, TODAY)
    store.save_schedule_settings(ScheduleSettings(prefer_pea=False, safety_margin_days=30))  # settings
    assert_agree(store, TODAY)
    for dependency in store.dependencies(plan.app_id):
        store.delete_dependency(dependency.id, TODAY)
    assert_agree(store, TODAY)


def test_a_read_only_project_works_its_schedules_out_without_writing(demo_store: ProjectStore,
                                                                    tmp_path: Path) -> None:
    overview.plan_lines(demo_store, TODAY)  # stored for today
    demo_store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "copy.db"
    shutil.copy(demo_store.path, copy)
    before = hashlib.sha256(copy.read_bytes()).hexdigest()

    reader = open_project(copy, read_only=True)
    later = TODAY + dt.timedelta(days=45)  # every standing stale, some timetables too
    assert_agree(reader, later)
    reader.close()
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == before


def test_a_read_only_reader_sees_another_programs_edit(demo_store: ProjectStore) -> None:
    later = TODAY + dt.timedelta(days=10)
    reader = open_project(demo_store.path, read_only=True)
    assert_agree(reader, later)  # the reader keeps its own copy for a day nobody stored
    plan = next(p for p in demo_store.plans() if p.completed_on is None and p.items)
    for item in plan.items:
        if not item.done:
            demo_store.toggle_item(item.id)  # another connection: "another program"
    assert_agree(reader, later)
    line = next(line for line in overview.plan_lines(reader, later) if line.plan_id == plan.id)
    assert line.progress > plan.progress
    reader.close()


def test_an_edit_marks_only_the_plans_it_affects(demo_store: ProjectStore) -> None:
    store = demo_store
    overview.plan_lines(store, TODAY)
    assert store.stale_schedules() == ([], [])
    plan = next(p for p in store.plans() if p.completed_on is None and p.items)
    store.toggle_item(plan.items[0].id)
    missing, uncounted = store.stale_schedules()  # contradictions counted again, of that plan
    campaign = {p.id for p in store.plans() if p.model_id == plan.model_id}  # (and its shared items' copies)
    assert missing == [] and plan.id in uncounted and set(uncounted) <= campaign
    overview.plan_lines(store, TODAY)
    same_model = sorted(p.id for p in store.plans() if p.model_id == plan.model_id)
    region = store.dependencies(plan.app_id)[0].region
    store.set_lifecycle_date(plan.model_id, region, "eol_date", TODAY + dt.timedelta(days=90))
    assert store.stale_schedules() == (same_model, [])  # every plan on that model, no other
    overview.plan_lines(store, TODAY)
    # A new day, or any day: nothing to work out again (standings are worked out as read).
    for day in (TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=400), TODAY - dt.timedelta(days=400)):
        overview.plan_lines(store, day)
        assert store.stale_schedules() == ([], [])


def test_the_dashboards_first_milestones_name_the_same_applications(demo_store: ProjectStore) -> None:
    every = overview.milestone_rows(demo_store, TODAY)
    first = overview.milestone_rows(demo_store, TODAY, limit=4)  # looked up in one query
    assert [r.milestone for r in first] == [r.milestone for r in every]
    assert [r.affected_apps for r in first[:4]] == [r.affected_apps for r in every[:4]]
    assert any(r.affected_apps for r in first[:4]) and not any(r.affected_apps for r in first[4:])
