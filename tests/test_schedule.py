"""Due dates worked back from real deadlines; risk and urgency."""

from __future__ import annotations

import datetime as dt

from planner_tui.catalog.bundled import load_catalog
from planner_tui.domain.checklists import default_items
from planner_tui.domain.lifecycle import index_by_region
from planner_tui.domain.models import PHASES, Criticality, MigrationPlan, Phase
from planner_tui.domain.schedule import (
    Risk,
    order_by_urgency,
    plan_deadline,
    schedule_plan,
)
from planner_tui.domain.settings import ScheduleSettings

D = dt.date
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
SONNET_35 = "anthropic.claude-3-5-sonnet-20240620-v1:0"
BY_REGION = index_by_region(load_catalog().lifecycles)


def rows(model_id: str, *regions: str):
    return [BY_REGION[(model_id, region)] for region in regions]


def plan(model_id: str, started: dt.date, **fields) -> MigrationPlan:
    items = tuple(i.model_copy(update={"id": n}) for n, i in enumerate(default_items()))
    return MigrationPlan(id=1, app_id=1, model_id=model_id, started_on=started, items=items, **fields)


def test_deadline_is_the_pea_start_while_it_is_ahead() -> None:
    deadline = plan_deadline(rows(SONNET_45, "us-east-1"), D(2026, 11, 22), ScheduleSettings())
    assert deadline.date == D(2027, 1, 8)
    assert "PEA" in deadline.basis


def test_after_pea_the_deadline_is_eol_minus_the_safety_margin() -> None:
    deadline = plan_deadline(rows(OPUS_41, "us-east-1"), D(2026, 11, 22), ScheduleSettings())
    assert deadline.date == D(2026, 12, 25)
    wider = plan_deadline(rows(OPUS_41, "us-east-1"), D(2026, 11, 22),
                          ScheduleSettings(safety_margin_days=30))
    assert wider.date == D(2026, 12, 9)
    no_pea = plan_deadline(rows(SONNET_45, "us-east-1"), D(2026, 11, 22),
                           ScheduleSettings(prefer_pea=False))
    assert no_pea.date == D(2027, 3, 25)


def test_the_earliest_region_sets_the_deadline() -> None:
    deadline = plan_deadline(rows(SONNET_35, "ap-northeast-1", "eu-central-2"), D(2025, 9, 1),
                             ScheduleSettings())
    assert deadline.date == D(2025, 12, 1)
    assert "eu-central-2" in deadline.basis


def test_a_hand_set_deadline_wins() -> None:
    deadline = plan_deadline(rows(OPUS_41, "us-east-1"), D(2026, 11, 22), ScheduleSettings(),
                             override=D(2026, 12, 1))
    assert deadline.date == D(2026, 12, 1)


def test_phases_are_worked_back_from_the_deadline() -> None:
    schedule = schedule_plan(plan(SONNET_45, D(2026, 10, 15)), rows(SONNET_45, "us-east-1"),
                             D(2026, 10, 20), ScheduleSettings())
    dues = [w.due for w in schedule.phases]
    assert dues == sorted(dues)
    assert schedule.phases[-1].due == D(2027, 1, 8)
    assert schedule.phases[0].start == D(2026, 10, 15)
    # 85-day window: assess gets 15% (13 days), research 20% more, and so on.
    assert schedule.window(Phase.ASSESS).due == D(2026, 10, 28)
    assert schedule.window(Phase.RESEARCH).due == D(2026, 11, 14)
    assert not schedule.compressed
    assert schedule.risk is Risk.ON_TRACK
    assert schedule.next_due == D(2026, 10, 28)


def test_a_short_window_is_compressed() -> None:
    schedule = schedule_plan(plan(OPUS_41, D(2026, 11, 20)), rows(OPUS_41, "us-east-1"),
                             D(2026, 11, 22), ScheduleSettings())
    assert schedule.deadline.date == D(2026, 12, 25)
    assert schedule.compressed
    assert schedule.risk is Risk.COMPRESSED


def test_a_missed_due_date_is_overdue() -> None:
    schedule = schedule_plan(plan(OPUS_41, D(2026, 10, 1)), rows(OPUS_41, "us-east-1"),
                             D(2026, 11, 22), ScheduleSettings())
    assert schedule.risk is Risk.OVERDUE
    assert schedule.next_due < D(2026, 11, 22)


def test_a_finished_plan_is_done_and_not_urgent() -> None:
    finished = plan(OPUS_41, D(2026, 8, 1), current_phase=Phase.ROLLOUT, completed_on=D(2026, 11, 1))
    schedule = schedule_plan(finished, rows(OPUS_41, "us-east-1"), D(2026, 11, 22), ScheduleSettings())
    assert schedule.risk is Risk.DONE
    assert schedule.urgency == 0
    assert all(w.done for w in schedule.phases)


def test_falling_behind_in_a_phase_is_at_risk() -> None:
    # Assess runs 2026-10-15 → 2026-10-28; on 10-27 nothing is ticked yet.
    schedule = schedule_plan(plan(SONNET_45, D(2026, 10, 15)), rows(SONNET_45, "us-east-1"),
                             D(2026, 10, 27), ScheduleSettings())
    assert schedule.risk is Risk.AT_RISK


def test_urgency_orders_open_work() -> None:
    today = D(2026, 11, 22)
    settings = ScheduleSettings()
    overdue = schedule_plan(plan(OPUS_41, D(2026, 10, 1)), rows(OPUS_41, "us-east-1"), today, settings)
    soon = schedule_plan(plan(OPUS_41, D(2026, 11, 20)).model_copy(update={"id": 2}),
                         rows(OPUS_41, "us-east-1"), today, settings)
    later = schedule_plan(plan(SONNET_45, D(2026, 11, 20)).model_copy(update={"id": 3}),
                          rows(SONNET_45, "us-east-1"), today, settings)
    critical = schedule_plan(plan(SONNET_45, D(2026, 11, 20)).model_copy(update={"id": 4}),
                             rows(SONNET_45, "us-east-1"), today, settings, Criticality.CRITICAL)
    assert [s.plan_id for s in order_by_urgency([later, critical, soon, overdue])] == [1, 2, 4, 3]
    assert critical.urgency > later.urgency


def test_every_phase_has_a_default_checklist() -> None:
    items = default_items()
    assert {i.phase for i in items} == set(PHASES)
    titles = " ".join(i.title for i in items)
    for needle in ("health@aws.com", "15-day inactivity", "Provisioned Throughput", "5%", "baseline"):
        assert needle in titles


def test_a_model_declared_eol_without_a_date_is_past_eol_from_when_it_was_dropped() -> None:
    """Claude 3.5 Sonnet in eu-west-1: the bundled catalog has it EOL with no dates, 'before
    2026-02-15 (dropped from the 2026-02-15 copy)'. A plan on it is past EOL, not overdue."""
    from planner_tui.domain.schedule import Risk, earliest_eol, plan_deadline

    sonnet_35 = "anthropic.claude-3-5-sonnet-20240620-v1:0"
    (eu_west_1,) = [lc for lc in load_catalog().lifecycles
                    if lc.model_id == sonnet_35 and "eu-west-1" in lc.regions]
    assert eu_west_1.eol_date is None and eu_west_1.as_of.startswith("before 2026-02-15")
    assert earliest_eol([eu_west_1]) == dt.date(2026, 2, 15)
    deadline = plan_deadline([eu_west_1], dt.date(2026, 12, 1), ScheduleSettings())
    assert deadline is not None and deadline.date == dt.date(2026, 2, 15) and "retired" in deadline.basis
    assert Risk.PAST_EOL.rank < Risk.OVERDUE.rank
