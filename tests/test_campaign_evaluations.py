"""Issue 21: evaluations recorded once per candidate at campaign level; each application
passes or fails them against its own thresholds (its plan's test results)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from planner_tui.cli import main
from planner_tui.domain.evaluations import Evaluation, Threshold, metric_key, summary, verdicts
from planner_tui.domain.workspace import TestResult
from planner_tui.errors import NotFoundError, UserInputError
from planner_tui.persistence.store import ProjectStore
from planner_tui.services.campaign_view import load_campaign_view
from planner_tui.services.commands import evaluations, workspace
from planner_tui.services.project import DemoProject

from .conftest import TODAY

SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0"
OPUS_45 = "anthropic.claude-opus-4-5-20251101-v1:0"


def test_each_application_reads_an_evaluation_against_its_own_threshold() -> None:
    f1 = Evaluation(1, 1, HAIKU_45, "Answer F1", 0.9)
    latency = Evaluation(2, 1, HAIKU_45, "p95 latency ms", 800, higher_is_better=False)
    other = Evaluation(3, 1, OPUS_45, "Answer F1", 0.95)
    found = verdicts([f1, latency, other], {"A": HAIKU_45, "B": HAIKU_45, "C": OPUS_45, "D": None},
                     {"A": [Threshold("answer  f1", 0.85)], "B": [Threshold("Answer F1", 0.92),
                                                                  Threshold("p95 latency ms", 1000, False)]})
    labels = {(v.app_name, v.evaluation.id): v.label for v in found}
    assert labels == {("A", 1): "pass", ("A", 2): "no threshold", ("B", 1): "FAIL", ("B", 2): "pass",
                      ("C", 3): "no threshold"}
    assert summary(found) == {"A": "pass", "B": "FAIL (Answer F1)", "C": "no threshold"}
    assert metric_key(" Answer   F1 ") == "answer f1"


def _sonnet_plans(store: ProjectStore) -> dict[str, int]:
    return {m.app_name: m.plan_id for m in store.campaign_members(SONNET_45)}


def test_recorded_once_for_the_campaign_and_undone_as_one(demo_store: ProjectStore) -> None:
    plans = _sonnet_plans(demo_store)
    workspace.add_test_result(demo_store, TestResult(plan_id=plans["Support Copilot"], metric="Ticket resolution F1",
                                                baseline=0.88, candidate=0.9, threshold=0.87))
    workspace.add_test_result(demo_store, TestResult(plan_id=plans["Sales Email Drafts"], metric="ticket resolution f1",
                                                baseline=0.9, candidate=0.9, threshold=0.93))
    change = evaluations.record_evaluation(demo_store, SONNET_45, HAIKU_45, "Ticket resolution F1", 0.91,
                                           notes="400 real tickets", today=TODAY)
    view = load_campaign_view(demo_store, SONNET_45, TODAY, with_candidates=False)
    assert view is not None and len(view.evaluations) == 1
    assert view.test_summary == {"Support Copilot": "pass", "Sales Email Drafts": "FAIL (Ticket resolution F1)"}
    # Code Review Bot overrides the decision (Opus 4.5): Haiku's evaluation is not its test.
    assert "Code Review Bot" not in view.test_summary
    assert change.inverse is not None
    redo = change.inverse()
    assert demo_store.evaluations(SONNET_45) == []
    assert redo.inverse is not None
    redo.inverse()
    assert [e.value for e in demo_store.evaluations(SONNET_45)] == [0.91]


@pytest.mark.parametrize(("args", "error"), [
    ((SONNET_45, SONNET_45, "F1", 0.9), UserInputError),  # the model itself
    ((SONNET_45, HAIKU_45, "  ", 0.9), UserInputError),
    ((SONNET_45, HAIKU_45, "F1", float("nan")), UserInputError),
    (("amazon.nova-pro-v1:0", HAIKU_45, "F1", 0.9), NotFoundError),  # no campaign
])
def test_bad_evaluations_are_refused(demo_store: ProjectStore, args, error) -> None:
    with pytest.raises(error):
        evaluations.record_evaluation(demo_store, *args, today=TODAY)
    assert demo_store.evaluations(SONNET_45) == []


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main([*argv, "--today", TODAY.isoformat()])
    except SystemExit as exited:
        code = exited.code
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_records_shows_and_removes_evaluations(capsys, tmp_path: Path) -> None:
    demo = DemoProject(TODAY)
    try:
        demo.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db = str(tmp_path / "demo.db")
        shutil.copyfile(demo.folder / "demo.db", db)
    finally:
        demo.close()
    code, out, err = run(capsys, "campaigns", "evaluate", SONNET_45, HAIKU_45, "p95 latency ms", "850",
                         "--lower-is-better", "--db", db)
    assert code == 0, err
    assert "recorded evaluation 1" in out and "Support Copilot: no threshold" in out
    document = json.loads(run(capsys, "campaigns", "show", SONNET_45, "--json", "--db", db)[1])
    assert document["evaluations"][0]["higher_is_better"] is False
    assert set(document["evaluations"][0]["applications"]) == {"Support Copilot", "Sales Email Drafts"}
    assert "Evaluations (once per candidate" in run(capsys, "campaigns", "show", SONNET_45, "--db", db)[1]
    assert run(capsys, "campaigns", "remove-evaluation", SONNET_45, "7", "--db", db)[0] == 2
    code, out, _ = run(capsys, "campaigns", "remove-evaluation", SONNET_45, "1", "--db", db)
    assert code == 0 and "removed evaluation 1" in out
    assert run(capsys, "campaigns", "evaluate", SONNET_45, HAIKU_45, "F1", "lots", "--db", db)[0] == 2


def test_campaigns_show_lists_the_shared_checklist_and_items_change_it_for_all(capsys, tmp_path: Path) -> None:
    demo = DemoProject(TODAY)
    try:
        demo.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db = str(tmp_path / "demo.db")
        shutil.copyfile(demo.folder / "demo.db", db)
    finally:
        demo.close()
    opus_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
    document = json.loads(run(capsys, "campaigns", "show", opus_41, "--json", "--db", db)[1])
    shared = document["shared_checklist"]
    assert {i["phase"] for i in shared} == {"assess", "research", "test"}
    assert all(i["applications"] == 2 for i in shared)
    # Ops Chatbot joined later: the Assess Contract Review finished is open for it, and says so.
    assess = [i for i in shared if i["phase"] == "assess"]
    assert all(i["differences"] == ["done in Contract Review; open in Ops Chatbot"] for i in assess)
    text = run(capsys, "campaigns", "show", opus_41, "--db", db)[1]
    assert f"'items done|edit {shared[0]['plan_id']} ITEM' changes one for all" in text
    item = next(i for i in shared if i["phase"] == "test" and not i["done"])
    code, out, err = run(capsys, "items", "done", str(item["plan_id"]), str(item["item_id"]), "--db", db)
    assert code == 0, err
    after = json.loads(run(capsys, "campaigns", "show", opus_41, "--json", "--db", db)[1])["shared_checklist"]
    ticked = next(i for i in after if i["item_id"] == item["item_id"])
    assert ticked["done"] and ticked["differences"] == []


def test_shifting_a_campaigns_due_dates_moves_every_open_item_of_the_current_phase(
        demo_store: ProjectStore) -> None:
    import datetime as dt

    from planner_tui.services import overview
    from planner_tui.services.commands.campaign_bulk import shift_due_dates

    opus_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
    members = [m for m in demo_store.campaign_members(opus_41) if not m.completed and not m.closed]

    def dues() -> dict[int, list]:
        found = {}
        for m in members:
            row = overview.plan_rows(demo_store, TODAY, with_items=True, plan_id=m.plan_id)[0]
            phase_due = row.schedule.window(row.plan.current_phase).due
            found[m.plan_id] = [(i.id, i.due_date or phase_due) for i in row.plan.items_in(row.plan.current_phase)
                                if not i.done]
        return found

    before = dues()
    stored = {i.id: i.due_date for m in members for i in demo_store.plan(m.plan_id).items}
    change = shift_due_dates(demo_store, opus_41, -3, TODAY)
    assert change.result.items == sum(len(v) for v in before.values())
    assert dues() == {p: [(i, d - dt.timedelta(days=3)) for i, d in items] for p, items in before.items()}
    assert change.inverse is not None
    redo = change.inverse()
    assert {i.id: i.due_date for m in members for i in demo_store.plan(m.plan_id).items} == stored
    assert redo.inverse is not None
    redo.inverse()
    assert dues() == {p: [(i, d - dt.timedelta(days=3)) for i, d in items] for p, items in before.items()}
    with pytest.raises(UserInputError):
        shift_due_dates(demo_store, opus_41, 0, TODAY)


def test_cli_shifts_earlier_with_a_negative_number(capsys, tmp_path: Path) -> None:
    demo = DemoProject(TODAY)
    try:
        demo.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db = str(tmp_path / "demo.db")
        shutil.copyfile(demo.folder / "demo.db", db)
    finally:
        demo.close()
    code, out, err = run(capsys, "campaigns", "shift", SONNET_45, "-2", "--db", db)
    assert code == 0, err
    assert "due 2 day(s) earlier" in out
    assert run(capsys, "campaigns", "shift", SONNET_45, "soon", "--db", db)[0] == 2


def test_evaluations_go_out_with_export_json_and_come_back_with_import(capsys, tmp_path: Path) -> None:
    demo = DemoProject(TODAY)
    try:
        evaluations.record_evaluation(demo.store, SONNET_45, HAIKU_45, "Ticket F1", 0.93, notes="400 tickets",
                                      today=TODAY)
        demo.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db = str(tmp_path / "demo.db")
        shutil.copyfile(demo.folder / "demo.db", db)
    finally:
        demo.close()
    exported = tmp_path / "out.json"
    assert run(capsys, "export", "json", "-o", str(exported), "--db", db)[0] == 0
    document = json.loads(exported.read_text())
    sonnet = next(c for c in document["campaigns"] if c["model_id"] == SONNET_45)
    assert sonnet["evaluations"] == [{"candidate_model_id": HAIKU_45, "metric": "Ticket F1", "value": 0.93,
                                      "higher_is_better": True, "notes": "400 tickets",
                                      "recorded_on": TODAY.isoformat()}]
    target = str(tmp_path / "imported.db")
    code, _, err = run(capsys, "import", "json", str(exported), "--db", target)
    assert code == 0, err
    shown = json.loads(run(capsys, "campaigns", "show", SONNET_45, "--json", "--db", target)[1])
    assert [(e["metric"], e["value"], e["notes"]) for e in shown["evaluations"]] == [("Ticket F1", 0.93, "400 tickets")]
    # A candidate the catalog does not know is refused, naming where, and nothing is imported.
    sonnet["evaluations"][0]["candidate_model_id"] = "acme.unknown-v1"
    exported.write_text(json.dumps(document))
    code, _, err = run(capsys, "import", "json", str(exported), "--db", str(tmp_path / "refused.db"))
    assert code == 2 and "evaluations.0.candidate_model_id: unknown model ID" in err
