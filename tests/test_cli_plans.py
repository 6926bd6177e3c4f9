"""Issue 15, CLI parity: plans, items, dependencies, applications and phase records from the
shell, end to end through the entry point, every edit through the same use cases as the TUI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from planner_tui.cli import main
from planner_tui.services.project import open_project

OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0"
TODAY = "2026-11-22"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main([*argv, "--today", TODAY])
    except SystemExit as exited:  # argparse's own refusals
        code = exited.code
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


@pytest.fixture
def project(db_path: Path) -> str:
    open_project(db_path).close()
    return str(db_path)


@pytest.fixture
def plan_id(capsys, project: str) -> int:
    ok(capsys, "apps", "add", "Bot", "--owner", "ann", "--uses", f"{OPUS_41}@us-east-1", "--db", project)
    (plan,) = json.loads(ok(capsys, "plans", "list", "--json", "--db", project))
    return plan["id"]


def show(capsys, project: str, plan_id: int) -> dict:
    return json.loads(ok(capsys, "plans", "show", str(plan_id), "--json", "--db", project))


def item_ids(capsys, project: str, plan_id: int, phase: str) -> list[int]:
    out = ok(capsys, "items", "list", str(plan_id), "--phase", phase, "--json", "--db", project)
    return [i["id"] for i in json.loads(out)]


def test_a_plan_from_the_shell(capsys, project: str) -> None:
    """The issue's example: a new project, apps add, plans list --json, items done, plans show
    --json shows the progress, plans cancel takes it out of status."""
    out = ok(capsys, "apps", "add", "Bot", "--owner", "ann", "--uses", f"{OPUS_41}@us-east-1", "--db", project)
    assert "1 migration plan(s) created" in out
    (plan,) = json.loads(ok(capsys, "plans", "list", "--json", "--db", project))
    assert (plan["application"], plan["model_id"], plan["phase"], plan["open"]) == ("Bot", OPUS_41, "assess", True)
    plan_id = plan["id"]

    assess = item_ids(capsys, project, plan_id, "ASSESS")  # a phase in any case
    assert len(assess) == 7
    for item_id in assess[:3]:
        assert "done" in ok(capsys, "items", "done", str(plan_id), str(item_id), "--db", project)
    out = ok(capsys, "items", "done", str(plan_id), str(assess[0]), "--db", project)  # no toggle back
    assert "done already; nothing changed" in out

    detail = show(capsys, project, plan_id)
    total = detail["progress"]["total"]
    assert detail["progress"] == {"done": 3, "total": total, "share": round(3 / total, 3)}
    (first, *_) = detail["phases"]
    assert (first["phase"], first["current"], first["items_done"], first["items_total"]) == ("assess", True, 3, 7)
    assert [i["done"] for i in first["items"]] == [True] * 3 + [False] * 4
    assert detail["deadline"] == "2026-12-25" and detail["eol"] == "2027-01-08"
    assert detail["risk"] in {"compressed", "on track"} and detail["state"] == "Assess"
    assert set(first["fields"]) >= {"baseline.monthly_requests"}
    (status_plan,) = json.loads(ok(capsys, "status", "--json", "--db", project))["plans"]
    assert status_plan["progress"] == round(3 / total, 3)

    out = ok(capsys, "plans", "cancel", str(plan_id), "--reason", "retiring the bot", "--db", project)
    assert "cancelled" in out
    assert json.loads(ok(capsys, "status", "--json", "--db", project))["plans"] == []
    assert json.loads(ok(capsys, "plans", "list", "--json", "--db", project)) == []
    (ended,) = json.loads(ok(capsys, "plans", "list", "--all", "--json", "--db", project))
    assert (ended["state"], ended["open"]) == ("won't migrate", False)
    detail = show(capsys, project, plan_id)
    assert (detail["closed_kind"], detail["closed_reason"]) == ("won't migrate", "retiring the bot")

    assert "reopened in Assess" in ok(capsys, "plans", "reopen", str(plan_id), "--db", project)
    assert len(json.loads(ok(capsys, "status", "--json", "--db", project))["plans"]) == 1


def test_the_five_phases_to_completion_and_the_switch(capsys, project: str, plan_id: int) -> None:
    pid = str(plan_id)
    code, _, err = run(capsys, "plans", "advance", pid, "--db", project)
    assert code == 2 and "--reason" in err and "7 of 7 item(s) of Assess are still open" in err
    for item_id in item_ids(capsys, project, plan_id, "assess"):
        ok(capsys, "items", "done", pid, str(item_id), "--db", project)
    assert "now in Research" in ok(capsys, "plans", "advance", pid, "--db", project)  # nothing open: no reason
    assert "now in Test" in ok(capsys, "plans", "advance", pid, "--reason", "shortlist agreed", "--db", project)
    assert any("shortlist agreed" in e["detail"] for e in show(capsys, project, plan_id)["log"])
    code, _, err = run(capsys, "plans", "complete", pid, "--reason", "x", "--db", project)
    assert code == 2 and "only Rollout" in err
    ok(capsys, "plans", "advance", pid, "--reason", "tests pass", "--db", project)
    ok(capsys, "plans", "advance", pid, "--reason", "code changed", "--db", project)
    code, _, err = run(capsys, "plans", "advance", pid, "--reason", "x", "--db", project)
    assert code == 2 and f"plans complete {pid}" in err
    code, _, err = run(capsys, "plans", "complete", pid, "--reason", "x", "--switch", "--db", project)
    assert code == 2 and "no chosen replacement" in err
    assert show(capsys, project, plan_id)["open"] is True  # refused before anything changed

    ok(capsys, "plans", "choose", pid, SONNET_45, "--reason", "AWS's named replacement", "--db", project)
    out = ok(capsys, "plans", "complete", pid, "--reason", "all traffic moved", "--switch", "--db", project)
    assert "complete with 5 item(s) open" in out and f"switched 1 dependency from {OPUS_41} to {SONNET_45}" in out
    detail = show(capsys, project, plan_id)
    assert (detail["state"], detail["completed_on"], detail["target_model_id"]) == ("complete", TODAY, SONNET_45)
    (app,) = json.loads(ok(capsys, "apps", "list", "--json", "--db", project))
    assert [d["model_id"] for d in app["dependencies"]] == [SONNET_45]
    code, _, err = run(capsys, "plans", "complete", pid, "--reason", "again", "--db", project)
    assert code == 2 and "already complete" in err


def test_checklist_items(capsys, project: str, plan_id: int) -> None:
    pid = str(plan_id)
    out = ok(capsys, "items", "add", pid, "--phase", "Research", "Ask legal about data residency",
             "--owner", "kim", "--due", "2026-12-01", "--notes", "ticket LEG-4", "--db", project)
    assert "added item" in out and "to Research" in out
    research = item_ids(capsys, project, plan_id, "research")
    new = research[-1]
    ok(capsys, "items", "edit", pid, str(new), "--title", "Ask legal", "--no-due", "--owner", "", "--db", project)
    ok(capsys, "items", "move", pid, str(new), "--up", "2", "--db", project)
    assert item_ids(capsys, project, plan_id, "research")[-3] == new
    out = ok(capsys, "items", "move", pid, str(new), "--down", "9", "--db", project)
    assert "down 2 places" in out and item_ids(capsys, project, plan_id, "research")[-1] == new
    assert "bottom already" in ok(capsys, "items", "move", pid, str(new), "--down", "--db", project)
    (item,) = [i for i in json.loads(ok(capsys, "items", "list", pid, "--json", "--db", project)) if i["id"] == new]
    assert (item["title"], item["owner"], item["due_date"], item["notes"]) == ("Ask legal", "", None, "ticket LEG-4")
    ok(capsys, "items", "done", pid, str(new), "--db", project)
    assert "not done" in ok(capsys, "items", "undone", pid, str(new), "--db", project)
    assert "not done already" in ok(capsys, "items", "undone", pid, str(new), "--db", project)
    ok(capsys, "items", "delete", pid, str(new), "--db", project)
    assert new not in item_ids(capsys, project, plan_id, "research")
    # A due date on or after the model's EOL is saved, with a warning on stderr.
    code, _, err = run(capsys, "items", "add", pid, "--phase", "update", "Late", "--due", "2027-02-01",
                       "--db", project)
    assert code == 0 and err.startswith("planner-tui: warning: 'Late' is due 2027-02-01") and err.count("\n") == 1


def test_test_results_stages_and_decisions(capsys, project: str, plan_id: int) -> None:
    pid = str(plan_id)
    out = ok(capsys, "results", "add", pid, "--metric", "latency p95 ms", "--candidate", "900",
             "--threshold", "800", "--baseline", "850", "--lower-is-better", "--db", project)
    assert "FAIL" in out
    assert "pass" in ok(capsys, "results", "add", pid, "--metric", "accuracy", "--candidate", "0.93",
                        "--threshold", "0.9", "--db", project)
    code, _, err = run(capsys, "stages", "add", pid, "--traffic", "5", "--from", "2027-01-05", "--to",
                       "2027-01-10", "--db", project)
    assert code == 0 and "on or after the model's EOL 2027-01-08" in err and err.count("\n") == 1
    ok(capsys, "decisions", "add", pid, "--decision", "Roll Back", "--traffic", "5", "--note", "errors up",
       "--db", project)
    detail = show(capsys, project, plan_id)
    assert [(r["metric"], r["passed"]) for r in detail["results"]] == [("latency p95 ms", False), ("accuracy", True)]
    assert [(s["traffic_percent"], s["start_date"]) for s in detail["stages"]] == [(5, "2027-01-05")]
    assert [(d["decision"], d["decided_on"], d["note"]) for d in detail["decisions"]] == [
        ("roll back", TODAY, "errors up")]
    assert any("5% stage" in w or "Rollout stage 5%" in w for w in detail["warnings"])
    text = ok(capsys, "plans", "show", pid, "--db", project)
    assert "Test results" in text and "latency p95 ms" in text and "roll back" in text
    assert "\nLog\n" in text and "rollout roll back" in text  # the plan's log, as --json has it


def test_dependencies_open_and_close_plans(capsys, project: str) -> None:
    ok(capsys, "apps", "add", "Search", "--owner", "sam", "--db", project)
    assert json.loads(ok(capsys, "plans", "list", "--json", "--db", project)) == []
    out = ok(capsys, "deps", "add", "Search", "--uses", f"{OPUS_41}@us-east-1", "--volume", "12000", "--db", project)
    assert "opened plan" in out
    (plan,) = json.loads(ok(capsys, "plans", "list", "--json", "--db", project))
    (app,) = json.loads(ok(capsys, "apps", "list", "--json", "--db", project))
    assert [(d["model_id"], d["monthly_volume"]) for d in app["dependencies"]] == [(OPUS_41, 12000)]
    out = ok(capsys, "deps", "remove", "Search", "--uses", f"{OPUS_41}@us-east-1", "--db", project)
    assert f"closed plan {plan['id']} as no longer needed" in out
    assert json.loads(ok(capsys, "status", "--json", "--db", project))["plans"] == []
    (ended,) = json.loads(ok(capsys, "plans", "list", "--all", "--json", "--db", project))
    assert ended["state"] == "no longer needed"
    code, _, err = run(capsys, "deps", "add", "Search", "--uses", f"{HAIKU_3}@us-east-1", "--db", project)
    assert code == 0 and err.startswith("planner-tui: warning: ") and err.count("\n") == 1
    assert f"{HAIKU_3} is past its EOL in us-east-1" in err  # saved, and said once


def test_apps_edit_and_remove(capsys, project: str, plan_id: int) -> None:
    out = ok(capsys, "apps", "edit", "Bot", "--name", "Chat bot", "--criticality", "HIGH", "--env", "prod",
             "--env", "staging,dr", "--db", project)
    assert "name, criticality, environments changed" in out
    (app,) = json.loads(ok(capsys, "apps", "list", "--json", "--db", project))
    assert (app["name"], app["criticality"], app["environments"]) == ("Chat bot", "high", ["prod", "staging", "dr"])
    assert show(capsys, project, plan_id)["application"] == "Chat bot"
    (mine,) = json.loads(ok(capsys, "plans", "list", "--app", "Chat bot", "--json", "--db", project))
    assert mine["id"] == plan_id
    out = ok(capsys, "apps", "remove", "Chat bot", "--db", project)
    assert "1 dependency and 1 migration plan" in out
    assert json.loads(ok(capsys, "apps", "list", "--json", "--db", project)) == []
    assert json.loads(ok(capsys, "plans", "list", "--all", "--json", "--db", project)) == []


def test_discovered_resources_are_assigned_and_dismissed_through_the_use_cases(capsys, db_path: Path) -> None:
    from planner_tui.domain.aws_records import DiscoveredResource, ResourceKind

    store = open_project(db_path)
    store.record_discovered([
        DiscoveredResource(region="us-east-1", kind=ResourceKind.PROVISIONED, resource_id=f"arn:pt/{n}",
                           name=f"pt{n}", model_id=OPUS_41) for n in (1, 2)],
        dt.datetime(2026, 11, 22, tzinfo=dt.UTC))
    store.close()
    project = str(db_path)
    ok(capsys, "apps", "add", "Bot", "--owner", "ann", "--db", project)
    first, second = (r["id"] for r in json.loads(ok(capsys, "discovered", "--json", "--db", project)))
    assert "assigned to Bot" in ok(capsys, "discovered", "accept", str(first), "--app", "Bot", "--db", project)
    assert "dismissed" in ok(capsys, "discovered", "dismiss", str(second), "--db", project)
    assert json.loads(ok(capsys, "discovered", "--json", "--db", project)) == []
    assert len(json.loads(ok(capsys, "plans", "list", "--json", "--db", project))) == 1
    code, _, err = run(capsys, "discovered", "dismiss", "99", "--db", project)
    assert code == 2 and "no discovered resource with id 99" in err


def test_text_people_typed_is_data_and_control_characters_are_refused(capsys, project: str, plan_id: int) -> None:
    ok(capsys, "items", "add", str(plan_id), "--phase", "assess", "[bold]x[/bold] red", "--db", project)
    out = ok(capsys, "items", "list", str(plan_id), "--phase", "assess", "--db", project)
    assert "[bold]x[/bold] red" in out  # markup is text, shown as typed
    code = main(["items", "add", str(plan_id), "--phase", "assess", "x\x1b[31m red", "--db", project])
    err = capsys.readouterr().err
    assert code == 2 and "control characters" in err and "\x1b" not in err and err.count("\n") == 1
    titles = [i["title"] for i in json.loads(ok(capsys, "items", "list", str(plan_id), "--json", "--db", project))]
    assert "[bold]x[/bold] red" in titles and not any("\x1b" in t for t in titles)


@pytest.mark.parametrize(("argv", "message"), [
    (["plans", "show", "99"], "no plan with id 99"),
    (["plans", "show", "abc"], "invalid id 'abc'"),
    (["plans", "advance", "99", "--reason", "x"], "no plan with id 99"),
    (["plans", "cancel", "{plan}"], "the following arguments are required: --reason"),
    (["plans", "cancel", "{plan}", "--reason", "  "], "must not be empty"),
    (["plans", "reopen", "{plan}"], "open already"),
    (["plans", "list", "--app", "Nobody"], "no application named 'Nobody'"),
    (["items", "list", "99"], "no plan with id 99"),
    (["items", "list", "{plan}", "--phase", "deploy"], "invalid phase 'deploy': choose from assess, research"),
    (["items", "done", "{plan}", "9999"], "has no checklist item 9999"),
    (["items", "done", "{plan}", "{other_item}"], "belongs to plan"),
    (["items", "add", "{plan}", "--phase", "test", "x", "--due", "2026-02-30"], "invalid date '2026-02-30'"),
    (["items", "add", "{plan}", "--phase", "test", "   "], "must not be empty"),
    (["items", "edit", "{plan}", "{item}"], "nothing to change"),
    (["items", "edit", "{plan}", "{item}", "--due", "2027-01-01", "--no-due"], "not allowed with argument"),
    (["items", "move", "{plan}", "{item}"], "one of the arguments --up --down is required"),
    (["items", "move", "{plan}", "{item}", "--up", "0"], "must be 1 or more"),
    (["results", "add", "{plan}", "--metric", "m", "--candidate", "x", "--threshold", "1"], "invalid number 'x'"),
    (["stages", "add", "{plan}", "--traffic", "101"], "between 0 and 100"),
    (["stages", "add", "{plan}", "--traffic", "5", "--from", "2027-01-05", "--to", "2027-01-01"], "before it starts"),
    (["decisions", "add", "{plan}", "--decision", "pause", "--note", "n"], "invalid decision 'pause'"),
    (["decisions", "add", "{plan}", "--decision", "hold", "--date", "tomorrow", "--note", "n"], "invalid date"),
    (["deps", "add", "Nobody", "--uses", f"{OPUS_41}@us-east-1"], "no application named 'Nobody'"),
    (["deps", "add", "Bot", "--uses", "nope.model@us-east-1"], "unknown model ID"),
    (["deps", "add", "Bot", "--uses", f"{OPUS_41}@us-east-1"], "already listed"),
    (["deps", "remove", "Bot", "--uses", f"{OPUS_41}@eu-west-1"], "Bot does not use"),
    (["apps", "edit", "Bot"], "nothing to change"),
    (["apps", "edit", "Bot", "--name", " "], "must not be empty"),
    (["apps", "edit", "Bot", "--criticality", "urgent"], "invalid criticality 'urgent'"),
    (["apps", "remove", "Nobody"], "no application named 'Nobody'"),
    (["plans", "choose", "{plan}", "nope.model", "--reason", "r"], "unknown model ID"),
    (["--read-only", "items", "done", "{plan}", "{item}"], "read-only"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, project: str, plan_id: int, argv, message) -> None:
    ok(capsys, "apps", "add", "Other", "--owner", "o", "--uses", f"{OPUS_41}@us-east-2", "--db", project)
    other = next(p["id"] for p in json.loads(ok(capsys, "plans", "list", "--json", "--db", project))
                 if p["application"] == "Other")
    values = {"plan": str(plan_id), "item": str(item_ids(capsys, project, plan_id, "assess")[0]),
              "other_item": str(item_ids(capsys, project, other, "assess")[0])}
    code, out, err = run(capsys, *[a.format(**values) for a in argv], "--db", project)
    assert code == 2
    assert message in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_every_edit_from_the_shell_goes_through_a_use_case(capsys, project: str, plan_id: int,
                                                           monkeypatch) -> None:
    """Each transaction an edit command opens is opened by a use case (services/commands),
    never by the CLI calling the store's write methods itself. (Stored schedules are a
    cache, refreshed by services/schedules on reads.)"""
    import inspect

    from planner_tui.persistence.store import ProjectStore

    edit = ProjectStore._edit
    openers: list[str] = []

    def spied(self):  # noqa: ANN001, ANN202
        files = [frame.filename.replace("\\", "/") for frame in inspect.stack(0)[1:]]
        owner = next((f for f in files if "/services/commands/" in f or "/services/schedules" in f
                      or "/planner_tui/cli/" in f), "?")
        openers.append(owner)
        return edit(self)

    monkeypatch.setattr(ProjectStore, "_edit", spied)
    pid = str(plan_id)
    item = str(item_ids(capsys, project, plan_id, "assess")[0])
    for argv in (
        ["items", "done", pid, item], ["items", "undone", pid, item],
        ["items", "add", pid, "--phase", "test", "t"], ["items", "edit", pid, item, "--owner", "kim"],
        ["items", "move", pid, item, "--down"], ["items", "delete", pid, item],
        ["results", "add", pid, "--metric", "m", "--candidate", "1", "--threshold", "1"],
        ["stages", "add", pid, "--traffic", "5"], ["decisions", "add", pid, "--decision", "hold", "--note", "n"],
        ["plans", "choose", pid, SONNET_45, "--reason", "r"], ["plans", "advance", pid, "--reason", "r"],
        ["plans", "cancel", pid, "--reason", "r"], ["plans", "reopen", pid],
        ["deps", "add", "Bot", "--uses", f"{OPUS_41}@us-west-2"],
        ["deps", "remove", "Bot", "--uses", f"{OPUS_41}@us-west-2"],
        ["apps", "edit", "Bot", "--team", "core"], ["apps", "add", "Two", "--owner", "o"],
        ["lifecycle", "set", f"{OPUS_41}@us-east-1", "--eol", "2027-01-09"], ["apps", "remove", "Two"],
    ):
        ok(capsys, *argv, "--db", project)
    assert openers and not [o for o in openers if "/services/" not in o], openers
    assert any("/services/commands/" in o for o in openers)
