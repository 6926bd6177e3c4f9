"""Issue 21: `planner-tui campaigns …` end to end through the entry point, every edit through
the use cases (services/commands/campaigns.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from planner_tui.cli import main
from planner_tui.services.project import DemoProject, open_project

from .conftest import TODAY

SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0"
OPUS_45 = "anthropic.claude-opus-4-5-20251101-v1:0"
NOVA_PRO = "amazon.nova-pro-v1:0"
JAMBA = "ai21.jamba-1-5-large-v1:0"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main([*argv, "--today", TODAY.isoformat()])
    except SystemExit as exited:
        code = exited.code
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


@pytest.fixture
def demo_db(tmp_path: Path) -> str:
    """A copy of the example project at a path of its own (edits persist between commands)."""
    demo = DemoProject(TODAY)
    try:
        demo.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        path = tmp_path / "demo.db"
        shutil.copyfile(demo.folder / "demo.db", path)
    finally:
        demo.close()
    return str(path)


def _show(capsys, db: str) -> dict:
    return json.loads(ok(capsys, "campaigns", "show", SONNET_45, "--json", "--db", db))


def test_list_shows_each_campaign_with_its_decision_overrides_and_deadlines(capsys) -> None:
    out = ok(capsys, "--demo", "campaigns", "list")
    header, *lines = out.splitlines()
    assert header.split()[:6] == ["MODEL", "NAME", "APPS", "OPEN", "DECISION", "OVERRIDES"]
    sonnet = next(line for line in lines if line.startswith(SONNET_45))
    assert "Claude Sonnet 4.5" in sonnet and "Claude Haiku 4.5" in sonnet
    assert "2027-04-08" in sonnet and "2027-01-08 (eu-west-1, us-east-1, us-east-2 +1)" in sonnet
    listed = json.loads(ok(capsys, "--demo", "campaigns", "list", "--json"))
    row = next(r for r in listed if r["model_id"] == SONNET_45)
    assert (row["applications"], row["open_plans"], row["overrides"], row["target_model_id"]) == (3, 3, 1, HAIKU_45)
    assert row["deadlines"] == dict.fromkeys(["eu-west-1", "us-east-1", "us-east-2", "us-west-2"], "2027-01-08")


def test_show_gives_regions_decision_applications_overrides_and_candidates(capsys) -> None:
    out = ok(capsys, "--demo", "campaigns", "show", SONNET_45)
    assert out.startswith(f"Campaign: Claude Sonnet 4.5 ({SONNET_45})")
    for part in ("Regions", "us-east-2  Legacy  2026-10-08  2027-01-08  2027-04-08  2027-01-08  Sales Email Drafts",
                 f"Decision: Claude Haiku 4.5 ({HAIKU_45}), decided {TODAY}", "followed by 2 of 3 application(s)",
                 "Overrides", f"Code Review Bot: {OPUS_45}: Reviews need deeper reasoning", "Candidates"):
        assert part in out
    # By an inference profile ID too.
    document = json.loads(ok(capsys, "--demo", "campaigns", "show", f"us.{SONNET_45}", "--json"))
    apps = {a["application"]: a for a in document["applications"]}
    assert apps["Code Review Bot"]["follows"] is False and apps["Code Review Bot"]["override_reason"]
    # Test is shared: Code Review Bot finished its checklist for the campaign (it is in Update).
    assert apps["Support Copilot"]["blockers"] == []
    assert apps["Code Review Bot"]["blockers"][0] == "Update IAM policies with the new model and profile ARNs"
    assert document["decision"]["target_model_id"] == HAIKU_45


def test_choose_override_and_follow_end_to_end(capsys, demo_db: str) -> None:
    code, out, err = run(capsys, "campaigns", "choose", SONNET_45, NOVA_PRO, "--reason", "one model everywhere",
                         "--db", demo_db)
    assert code == 0, err
    assert out.splitlines()[0] == (f"campaign {SONNET_45}: {NOVA_PRO} chosen for 2 applications without an "
                                   "override (Sales Email Drafts, Support Copilot)")
    assert f"Code Review Bot keeps its own target ({OPUS_45})" in out
    ok(capsys, "campaigns", "follow", SONNET_45, "Code Review Bot", "--db", demo_db)
    apps = {a["application"]: a for a in _show(capsys, demo_db)["applications"]}
    assert {a["target_model_id"] for a in apps.values()} == {NOVA_PRO} and all(a["follows"] for a in apps.values())

    out = ok(capsys, "campaigns", "override", SONNET_45, "code review bot", OPUS_45, "--reason",
             "needs deeper reasoning", "--db", demo_db)
    assert out.strip() == f"campaign {SONNET_45}: Code Review Bot overrides the decision with {OPUS_45}"
    ok(capsys, "campaigns", "choose", SONNET_45, HAIKU_45, "--reason", "half the price", "--db", demo_db)
    apps = {a["application"]: a for a in _show(capsys, demo_db)["applications"]}
    assert (apps["Code Review Bot"]["target_model_id"], apps["Code Review Bot"]["override_reason"]) == (
        OPUS_45, "needs deeper reasoning")
    assert apps["Support Copilot"]["target_model_id"] == apps["Sales Email Drafts"]["target_model_id"] == HAIKU_45
    # `plans show` and `plans list` read the same targets.
    plan = json.loads(ok(capsys, "plans", "show", str(apps["Sales Email Drafts"]["plan_id"]), "--json",
                         "--db", demo_db))
    assert (plan["target_model_id"], plan["decision_reason"]) == (HAIKU_45, "half the price")
    # The history shows the decisions.
    history = ok(capsys, "history", "--db", demo_db, "--limit", "200")
    assert "changed campaign" in history and "half the price" in history

    again = run(capsys, "campaigns", "choose", SONNET_45, HAIKU_45, "--reason", "half the price", "--db", demo_db)
    assert again[0] == 0 and "is already its decision; nothing was changed" in again[1]


def test_a_target_not_active_everywhere_is_chosen_with_warnings(capsys, demo_db: str) -> None:
    code, out, err = run(capsys, "campaigns", "choose", SONNET_45, JAMBA, "--reason", "long context",
                         "--db", demo_db)
    assert code == 0 and "chosen for 2 applications" in out
    assert f"planner-tui: warning: {JAMBA} is not offered in eu-west-1, us-east-2, us-west-2" in err


def test_plans_choose_says_what_it_did_to_the_campaign(capsys, demo_db: str) -> None:
    apps = {a["application"]: a for a in _show(capsys, demo_db)["applications"]}
    sales = apps["Sales Email Drafts"]["plan_id"]
    code, out, err = run(capsys, "plans", "choose", str(sales), NOVA_PRO, "--reason", "batch pricing",
                         "--db", demo_db)
    assert code == 0 and err == ""
    assert out.strip() == (f"plan {sales} (Sales Email Drafts on {SONNET_45}): replacement {NOVA_PRO} chosen, "
                           f"as this application's own (the campaign's decision is {HAIKU_45})")
    out = ok(capsys, "plans", "choose", str(sales), HAIKU_45, "--reason", "fine after all", "--db", demo_db)
    assert out.strip().endswith(f"replacement {HAIKU_45} chosen: the campaign's decision, which it follows")


def test_plans_choose_without_a_decision_makes_it_for_every_application(capsys, db_path: Path) -> None:
    db = str(db_path)
    for name in ("Alpha", "Beta"):
        ok(capsys, "apps", "add", name, "--owner", "x", "--uses", f"{SONNET_45}@us-east-1", "--db", db)
    out = ok(capsys, "plans", "choose", "1", HAIKU_45, "--reason", "half the price", "--db", db)
    assert out.strip() == (f"plan 1 (Alpha on {SONNET_45}): replacement {HAIKU_45} chosen: now the decision of "
                           "its campaign, for 1 other application too (Beta)")
    assert json.loads(ok(capsys, "plans", "show", "2", "--json", "--db", db))["target_model_id"] == HAIKU_45


@pytest.mark.parametrize(("argv", "message"), [
    (("campaigns", "show", "amazon.nova-pro-v1:0"), "no application has a plan for amazon.nova-pro-v1:0"),
    (("campaigns", "show", "anthropic.claude-sonet-4-5"), "unknown model ID"),
    (("campaigns", "choose", SONNET_45, SONNET_45, "--reason", "x"), "cannot replace itself"),
    (("campaigns", "choose", SONNET_45, "nope.model-v1:0", "--reason", "x"), "unknown model ID"),
    (("campaigns", "override", SONNET_45, "Nobody", OPUS_45, "--reason", "x"), "no application named 'Nobody'"),
    (("campaigns", "follow", SONNET_45, "Support Copilot"), "follows the campaign for"),
])
def test_refusals_exit_2_and_change_nothing(capsys, demo_db: str, argv, message) -> None:
    before = _show(capsys, demo_db)
    code, _, err = run(capsys, *argv, "--db", demo_db)
    assert code == 2 and message in err
    assert _show(capsys, demo_db) == before


def test_a_reason_is_required(capsys, demo_db: str) -> None:
    code, _, err = run(capsys, "campaigns", "choose", SONNET_45, HAIKU_45, "--db", demo_db)
    assert code == 2 and "--reason" in err


def test_read_commands_need_an_existing_project(capsys, tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    for argv in (("campaigns", "list"), ("campaigns", "show", SONNET_45)):
        code, _, err = run(capsys, *argv, "--db", str(missing))
        assert code == 2 and "no project at" in err
    assert not missing.exists()


def test_an_empty_project_lists_no_campaigns(capsys, db_path: Path) -> None:
    open_project(db_path).close()
    assert ok(capsys, "campaigns", "list", "--db", str(db_path)).startswith("No campaigns")
    assert json.loads(ok(capsys, "campaigns", "list", "--json", "--db", str(db_path))) == []
