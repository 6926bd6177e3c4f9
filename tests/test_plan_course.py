"""A plan's course with the published dates: past EOL, late plans, plans that follow their
dependencies, cancelling, completing with open items, and the dates that contradict EOL."""

from __future__ import annotations

import datetime as dt

import pytest

from planner_tui.domain.eol_checks import plan_warnings
from planner_tui.domain.models import Application, Dependency
from planner_tui.domain.schedule import Risk
from planner_tui.domain.vocabulary import Phase
from planner_tui.domain.workspace import Decision, RolloutDecision, RolloutStage, TestResult
from planner_tui.errors import UserInputError
from planner_tui.services import overview
from planner_tui.services.commands import checklist, plans, portfolio, workspace
from planner_tui.services.undo import UndoHistory

HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0"  # EOL 2026-09-10 (us-east-1 and more)
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"  # PEA 2026-10-08, EOL 2027-01-08
OPUS_45 = "anthropic.claude-opus-4-5-20251101-v1:0"  # Active
DEC_1 = dt.date(2026, 12, 1)


def add(store, name: str, model_id: str, region: str, today: dt.date) -> int:
    portfolio.add_application(store, Application(name=name, owner="ann"),
                              [Dependency(app_id=0, model_id=model_id, region=region)], today)
    return next(p.id for p in store.plans(with_items=False) if p.app_name == name)


def line(store, plan_id: int, today: dt.date) -> overview.PlanLine:
    return next(r for r in overview.plan_lines(store, today) if r.plan_id == plan_id)


def test_a_dependency_on_a_model_past_eol_is_an_outage(store) -> None:
    change = portfolio.add_application(store, Application(name="X", owner="ann"),
                                       [Dependency(app_id=0, model_id=HAIKU_3, region="us-east-1")], DEC_1)
    assert "past its EOL in us-east-1" in change.note
    (row,) = overview.plan_lines(store, DEC_1)
    assert row.risk is Risk.PAST_EOL and row.next_due == dt.date(2026, 9, 10)
    fresh = overview.plan_rows(store, DEC_1)[0].schedule
    assert fresh.risk is Risk.PAST_EOL
    assert Risk.PAST_EOL.rank < Risk.OVERDUE.rank


def test_the_day_before_eol_is_not_yet_an_outage(store) -> None:
    plan_id = add(store, "X", HAIKU_3, "us-east-1", dt.date(2026, 9, 1))
    assert line(store, plan_id, dt.date(2026, 9, 9)).risk is Risk.OVERDUE
    assert line(store, plan_id, dt.date(2026, 9, 10)).risk is Risk.PAST_EOL


def test_a_plan_opened_after_its_deadline_is_overdue_not_compressed(store) -> None:
    # Opus 4.1 in us-east-1: PEA passed, deadline EOL 2027-01-08 minus 14 days = 2026-12-25.
    plan_id = add(store, "Late", OPUS_41, "us-east-1", dt.date(2026, 12, 30))
    row = line(store, plan_id, dt.date(2026, 12, 30))
    assert row.deadline == dt.date(2026, 12, 25)
    assert row.risk is Risk.OVERDUE
    early = add(store, "Early", OPUS_41, "us-east-2", dt.date(2026, 12, 20))
    assert line(store, early, dt.date(2026, 12, 20)).risk is Risk.COMPRESSED


def test_plans_follow_their_dependencies(store) -> None:
    today = dt.date(2026, 11, 22)
    plan_id = add(store, "Bot", OPUS_41, "us-east-1", today)
    app_id = store.application("Bot").id
    second = portfolio.add_dependency(store, Dependency(app_id=app_id, model_id=OPUS_41, region="us-west-2"),
                                      today)
    assert second.result == []  # the plan exists already
    first_dep = next(d for d in store.dependencies(app_id) if d.region == "us-east-1")
    portfolio.remove_dependency(store, first_dep.id, today)
    assert store.plan(plan_id).is_open
    last = store.dependencies(app_id)[0]
    change = portfolio.remove_dependency(store, last.id, today)
    assert change.result == [plan_id]
    plan = store.plan(plan_id)
    assert plan.closed_kind.value == "no longer needed" and not plan.is_open
    assert all(r.plan_id != plan_id for r in overview.plan_lines(store, today, with_closed=False))
    assert line(store, plan_id, today).risk is Risk.CLOSED
    change.inverse()  # the dependency is back, and so is the plan
    assert store.plan(plan_id).is_open


def test_cancel_needs_a_reason_and_reopen_brings_the_plan_back(store) -> None:
    today = dt.date(2026, 11, 22)
    plan_id = add(store, "Bot", OPUS_41, "us-east-1", today)
    with pytest.raises(UserInputError, match="say why"):
        plans.cancel(store, plan_id, "  ", today)
    change = plans.cancel(store, plan_id, "the app is retired in December", today)
    plan = store.plan(plan_id)
    assert plan.closed_kind.value == "won't migrate" and plan.closed_reason == "the app is retired in December"
    assert not overview.plan_lines(store, today, with_closed=False)
    reopened = change.inverse()
    assert store.plan(plan_id).is_open
    reopened.inverse()
    assert store.plan(plan_id).closed_kind.value == "won't migrate"


def test_completing_with_open_items_needs_a_reason_and_keeps_the_real_progress(store) -> None:
    today = dt.date(2026, 11, 22)
    plan_id = add(store, "Bot", OPUS_41, "us-east-1", today)
    for _ in range(4):
        plans.advance(store, plan_id, today, "moving on for the test")
    plan = store.plan(plan_id)
    assert plan.current_phase is Phase.ROLLOUT
    with pytest.raises(UserInputError, match="still open"):
        plans.advance(store, plan_id, today)
    plans.advance(store, plan_id, today, "rolled out; paperwork follows")
    plan = store.plan(plan_id)
    assert plan.completed_on == today
    assert plan.progress == 0.0  # nothing was ticked
    assert "paperwork follows" in store.plan_log(plan_id)[-1]["detail"]
    assert line(store, plan_id, today).progress == 0.0


def test_switching_to_the_replacement_moves_the_dependencies_and_back(store) -> None:
    today = dt.date(2026, 11, 22)
    plan_id = add(store, "Bot", OPUS_41, "us-east-1", today)
    app_id = store.application("Bot").id
    portfolio.add_dependency(store, Dependency(app_id=app_id, model_id=f"us.{OPUS_41}", region="us-west-2"),
                             today)
    with pytest.raises(UserInputError, match="no replacement"):
        plans.switch_to_replacement(store, plan_id, today)
    workspace.choose_replacement(store, plan_id, OPUS_45, "passed the evals")
    change = plans.switch_to_replacement(store, plan_id, today)
    deps = {(d.model_id, d.region, d.resource_id) for d in store.dependencies(app_id)}
    assert deps == {(OPUS_45, "us-east-1", ""), (OPUS_45, "us-west-2", f"us.{OPUS_45}")}
    assert all("Bot" not in r.affected_apps for r in overview.milestone_rows(store, today)
               if r.milestone.model_id == OPUS_41)
    change.inverse()
    deps = {(d.model_id, d.region, d.resource_id) for d in store.dependencies(app_id)}
    assert deps == {(OPUS_41, "us-east-1", ""), (OPUS_41, "us-west-2", f"us.{OPUS_41}")}


def test_undo_takes_back_the_newest_change_of_any_kind_and_redo_puts_it_back(store) -> None:
    today = dt.date(2026, 11, 22)
    plan_id = add(store, "Bot", OPUS_41, "us-east-1", today)
    history = UndoHistory()
    item = store.plan(plan_id).items_in(Phase.ASSESS)[0]
    history.record(checklist.toggle_item(store, item.id))
    history.record(workspace.add_stage(store, RolloutStage(plan_id=plan_id, traffic_percent=5)))
    history.record(workspace.record_decision(store, RolloutDecision(
        plan_id=plan_id, decided_on=today, decision=Decision.HOLD, note="error rate")))
    undone, _ = history.undo()
    assert undone.description == "decision 'hold'" and store.rollout_decisions(plan_id) == []
    undone, _ = history.undo()
    assert undone.description == "rollout stage 5%" and store.rollout_stages(plan_id) == []
    undone, _ = history.undo()
    assert undone.description.startswith("ticking") and not store.item(item.id).done
    history.redo()
    assert store.item(item.id).done
    history.redo()
    assert [s.traffic_percent for s in store.rollout_stages(plan_id)] == [5]
    history.redo()
    assert [d.decision for d in store.rollout_decisions(plan_id)] == [Decision.HOLD]


def test_an_undo_that_no_longer_applies_ends_the_history(store) -> None:
    today = dt.date(2026, 11, 22)
    plan_id = add(store, "Bot", OPUS_41, "us-east-1", today)
    history = UndoHistory()
    items = store.plan(plan_id).items_in(Phase.ASSESS)
    history.record(checklist.toggle_item(store, items[0].id))
    history.record(checklist.delete_item(store, items[1].id))
    store.restore_item(items[1])  # someone else put it back meanwhile
    with pytest.raises(Exception):  # noqa: B017 - the store's own error
        history.undo()
    assert not history.can_undo and store.item(items[0].id).done  # the older change stays


def test_dates_against_the_eol_count_toward_risk_and_agree_with_sql(store) -> None:
    today = dt.date(2026, 11, 22)
    plan_id = add(store, "Bot", OPUS_41, "us-east-1", today)
    eol = dt.date(2027, 1, 8)
    item = store.plan(plan_id).items_in(Phase.ASSESS)[0]
    assert line(store, plan_id, today).risk is Risk.COMPRESSED  # 33 days for 41 days of phases
    change = checklist.edit_item(store, item.model_copy(update={"due_date": eol}), today)
    assert "on or after the model's EOL 2027-01-08" in change.note
    workspace.add_stage(store, RolloutStage(plan_id=plan_id, traffic_percent=100,
                                            start_date=dt.date(2027, 1, 2), end_date=dt.date(2027, 1, 10)))
    workspace.add_test_result(store, TestResult(plan_id=plan_id, metric="accuracy", candidate=0.7, threshold=0.9))
    for _ in range(3):
        plans.advance(store, plan_id, today, "test")
    plan = store.plan(plan_id)
    warnings = plan_warnings(plan.current_phase, False, eol, plan.items, store.rollout_stages(plan_id),
                             store.test_results(plan_id))
    assert len(warnings) == 3
    counts = store.plan_records.eol_contradiction_counts({plan_id: eol})
    assert counts == {plan_id: 3}
    store.set_deadline_override(plan_id, dt.date(2027, 3, 1))  # a roomy window: only the warnings rate it
    assert line(store, plan_id, today).risk is Risk.AT_RISK
    fresh = overview.plan_rows(store, today, plan_id=plan_id)[0].schedule
    assert fresh.risk is Risk.AT_RISK


def test_redo_of_an_edit_after_its_items_add_was_undone_and_redone(store) -> None:
    """Found driving the TUI: add, edit, undo twice, redo twice said 'changed elsewhere'."""
    today = dt.date(2026, 11, 22)
    plan_id = add(store, "Bot", OPUS_41, "us-east-1", today)
    history = UndoHistory()
    added = checklist.add_item(store, plan_id, Phase.ASSESS, "Test")
    history.record(added)
    item = added.result
    history.record(checklist.edit_item(store, item.model_copy(update={"owner": "zoe"}), today))
    history.undo()
    history.undo()
    assert all(i.title != "Test" for i in store.plan(plan_id).items)
    _, redone = history.redo()
    assert redone.description == "restoring 'Test'"
    _, redone = history.redo()
    assert store.item(item.id).owner == "zoe"


def test_a_plan_whose_model_is_no_longer_used_cannot_be_reopened(store) -> None:
    today = dt.date(2026, 11, 22)
    plan_id = add(store, "Bot", OPUS_41, "us-east-1", today)
    workspace.choose_replacement(store, plan_id, OPUS_45, "evals passed")
    for _ in range(5):
        plans.advance(store, plan_id, today, "done elsewhere")
    plans.switch_to_replacement(store, plan_id, today)
    assert overview.plan_rows(store, today, plan_id=plan_id)[0].schedule.deadline is None  # no borrowed Regions
    with pytest.raises(UserInputError, match="no longer uses"):
        plans.reopen(store, plan_id)
