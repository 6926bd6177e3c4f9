"""Issue 14, defect 8: `report --app NAME` (and `--model`) is a report of that selection only."""

from __future__ import annotations

import json
from pathlib import Path

from planner_tui.cli import main
from planner_tui.domain.models import Application, Dependency
from planner_tui.domain.schedule import Risk
from planner_tui.domain.vocabulary import Closure
from planner_tui.integrations.reports import RISK_COLOURS, collect, render_report

from .conftest import TODAY

OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0"


def report(capsys, tmp_path: Path, *selection: str) -> dict:
    out = tmp_path / "report.json"
    code = main(["--demo", "report", "--format", "json", "-o", str(out), *selection, "--today", TODAY.isoformat()])
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    return json.loads(out.read_text())


def test_report_of_one_application_summarises_that_application(capsys, tmp_path: Path) -> None:
    whole = report(capsys, tmp_path)
    assert whole["applications"] == 10 and sum(whole["dependencies_by_status"].values()) > 10
    one = report(capsys, tmp_path, "--app", "Contract Review")
    assert one["applications"] == 1
    # Contract Review uses Claude Opus 4.1 in us-east-1 and us-west-2: two Legacy dependencies.
    assert one["dependencies_by_status"] == {"Active": 0, "Legacy": 0, "PEA": 2, "EOL": 0}
    assert [p["application"] for p in one["plans"]] == ["Contract Review"]
    assert one["milestones"] and all(m["applications"] == ["Contract Review"] for m in one["milestones"])
    assert {m["model_id"] for m in one["milestones"]} == {OPUS_41}


def test_report_of_one_model_summarises_its_users(capsys, tmp_path: Path) -> None:
    sonnet = report(capsys, tmp_path, "--model", SONNET_45)
    users = {"Code Review Bot", "Sales Email Drafts", "Support Copilot"}
    assert sonnet["applications"] == len(users)
    assert sum(sonnet["dependencies_by_status"].values()) == 6  # 1 + 2 + 3 Regions
    assert {p["application"] for p in sonnet["plans"]} == users
    assert {m["model_id"] for m in sonnet["milestones"]} == {SONNET_45}
    assert all(set(m["applications"]) <= users for m in sonnet["milestones"])


def test_app_and_model_together(capsys, tmp_path: Path) -> None:
    both = report(capsys, tmp_path, "--app", "Code Review Bot", "--model", SONNET_45)
    assert both["applications"] == 1 and sum(both["dependencies_by_status"].values()) == 1
    assert [(p["application"], p["model_id"]) for p in both["plans"]] == [("Code Review Bot", SONNET_45)]


def test_markdown_and_html_summaries_and_timeline_follow_the_selection(demo_store) -> None:
    data = collect(demo_store, TODAY, apps=("Contract Review",))
    markdown = render_report(data, "md")
    assert "1 application(s); dependencies by model status today: Active 0, Legacy 0, PEA 2, EOL 0." in markdown
    assert [row.model_name for row in data.timeline] == ["Claude Opus 4.1"]
    html = render_report(data, "html")
    assert "1 application(s) · 1 plan(s)" in html and "Ops Chatbot" not in html


def test_every_risk_has_a_colour_and_the_html_report_draws_them(store) -> None:
    assert set(RISK_COLOURS) == {risk.value for risk in Risk}
    store.add_application(Application(name="Old"), [Dependency(app_id=0, model_id=HAIKU_3, region="us-east-1")],
                          today=TODAY)
    store.add_application(Application(name="Gone"), [Dependency(app_id=0, model_id=OPUS_41, region="us-east-1")],
                          today=TODAY)
    gone = next(p for p in store.plans() if p.app_name == "Gone")
    store.plan_records.close(gone.id, Closure.WONT_MIGRATE, "being retired", TODAY)
    data = collect(store, TODAY)
    assert {p.row.schedule.risk for p in data.plans} == {Risk.PAST_EOL, Risk.CLOSED}
    html = render_report(data, "html")
    assert "past EOL" in html and "won&#x27;t migrate" in html
    assert json.loads(render_report(data, "json"))["plans"][1]["phase"] == "won't migrate"
