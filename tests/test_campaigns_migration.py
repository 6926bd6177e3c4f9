"""Issue 21: projects and documents of the previous release become campaigns, losing nothing.

tests/fixtures/demo-schema-0011.db is the example project as the release before campaigns
made it (schema 0011, built for 2026-11-22); tests/fixtures/demo-v1.json is its export
(document schema version 1)."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from planner_tui.cli import main
from planner_tui.cli.output import history
from planner_tui.domain.campaigns import TargetState
from planner_tui.persistence.schema import MIGRATION_SET, MIGRATIONS
from planner_tui.persistence.schema.steps_0012 import MIGRATION_ACTOR
from planner_tui.persistence.store import ProjectStore
from planner_tui.services.plan_view import load_plan_view
from planner_tui.services.project import open_project

from .conftest import TODAY

FIXTURES = Path(__file__).parent / "fixtures"
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0"
OPUS_45 = "anthropic.claude-opus-4-5-20251101-v1:0"
# Everything a person recorded, apart from plans (whose targets the migration may fill in).
KEPT = ("applications", "dependencies", "checklist_items", "plan_fields", "test_results", "rollout_stages",
        "rollout_decisions", "discovered", "usage_daily", "health_events", "calendar_events", "sync_runs")
PLAN_COLUMNS = ("id, app_id, model_id, current_phase, started_on, deadline_override, completed_on, closed_on, "
                "closed_kind, closed_reason")


def _old_project(tmp_path: Path, name: str = "demo-schema-0011.db") -> Path:
    path = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / name, path)
    return path


def _read(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


def _states(store: ProjectStore, model_id: str) -> dict[str, TargetState]:
    return {m.app_name: m.state for m in store.campaign_members(model_id)}


def test_the_fixture_is_a_project_of_the_previous_schema() -> None:
    applied = [row[0] for row in _read(FIXTURES / "demo-schema-0011.db",
                                       "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,))]
    assert applied == [name for name, _ in MIGRATIONS][:11] and applied[-1] == "0011_actor_in_meta"


def test_a_project_of_the_previous_release_opens_migrates_and_keeps_everything(tmp_path: Path) -> None:
    path = _old_project(tmp_path)
    # The columns the old project had (later migrations may add some: 0016 to discovered).
    columns = {table: ", ".join(row[1] for row in _read(path, f"PRAGMA table_info({table})")) for table in KEPT}
    kept = {table: sorted(_read(path, f"SELECT {columns[table]} FROM {table}"), key=repr) for table in KEPT}
    audit = _read(path, "SELECT * FROM audit_log ORDER BY id")
    plan_log = _read(path, "SELECT * FROM plan_log ORDER BY id")
    plans = _read(path, f"SELECT {PLAN_COLUMNS} FROM plans ORDER BY id")
    targets = dict(_read(path, "SELECT id, target_model_id FROM plans"))
    old_history = [e["what"] for e in _old_history(path)]

    store = open_project(path)
    try:
        conn = store.conn
        assert {table: sorted(conn.execute(f"SELECT {columns[table]} FROM {table}").fetchall(), key=repr)
                for table in KEPT} == kept  # in any order: a table made again (0017) may keep another
        assert conn.execute(f"SELECT {PLAN_COLUMNS} FROM plans ORDER BY id").fetchall() == plans
        assert conn.execute("SELECT * FROM audit_log ORDER BY id").fetchall()[:len(audit)] == audit
        assert conn.execute("SELECT * FROM plan_log ORDER BY id").fetchall()[:len(plan_log)] == plan_log
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # Every plan's own choice is still its target: followers or overrides.
        now = dict(conn.execute("SELECT id, target_model_id FROM plans"))
        assert {k: v for k, v in now.items() if targets[k] is not None} == {
            k: v for k, v in targets.items() if v is not None}

        # Claude Sonnet 4.5: Support Copilot chose Haiku 4.5 first, Code Review Bot Opus 4.5.
        campaign = store.campaign(SONNET_45)
        assert campaign.target_model_id == HAIKU_45 and "half the price" in campaign.decision_reason
        states = _states(store, SONNET_45)
        assert states["Support Copilot"] == states["Sales Email Drafts"] == TargetState(
            HAIKU_45, campaign.decision_reason, False)
        assert states["Code Review Bot"] == TargetState(OPUS_45, "Sonnet 4.5 is Legacy; Opus 4.5 passed the same "
                                                                 "eval set.", True)
        assert _states(store, OPUS_41)["Ops Chatbot"].target_model_id == OPUS_45  # had none: follows
        assert {c.model_id for c in store.campaigns()} == {p.model_id for p in store.plans(with_items=False)}

        # What the plans show is what they showed: results, stages, decisions.
        contract = next(p for p in store.plans() if p.app_name == "Contract Review")
        legal = next(p for p in store.plans() if p.app_name == "Legal Summaries")
        assert len(load_plan_view(store, contract.id, TODAY).results) == 3
        legal_view = load_plan_view(store, legal.id, TODAY)
        assert (len(legal_view.stages), len(legal_view.decisions)) == (3, 3)
        # The history shows every earlier entry, and the campaigns' decisions, by the migration.
        entries = history(store, None, None)
        assert set(old_history) <= {e["what"] for e in entries}
        made = [e for e in entries if e["actor"] == MIGRATION_ACTOR]
        assert any(e["table"] == "campaigns" and SONNET_45 in e["what"] for e in made)
        assert any(e["table"] == "plans" and "target model" in e["what"] for e in made)
        sales = next(p for p in store.plans() if p.app_name == "Sales Email Drafts")
        assert "the campaign's decision" in store.plan_log(sales.id)[-1]["detail"]
        review = next(p for p in store.plans() if p.app_name == "Code Review Bot" and p.model_id == SONNET_45)
        assert store.plan_log(review.id)[-1]["event"] == "target overridden"
    finally:
        store.close()


def _old_history(path: Path) -> list[dict]:
    """The history as the previous release listed it (read from a copy, opened read-only at
    any schema: the audit trail is read the same way)."""
    copy = path.with_name("history-copy.db")
    shutil.copyfile(path, copy)
    store = ProjectStore.open(copy, read_only=True, any_schema=True)
    try:
        return history(store, None, None)
    finally:
        store.close()


def test_the_most_common_target_of_a_models_plans_is_its_campaigns_decision(tmp_path: Path) -> None:
    path = _old_project(tmp_path)
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("""UPDATE plans SET target_model_id = ?, decision_reason = 'batch quality'
                        WHERE app_id = (SELECT id FROM applications WHERE name = 'Sales Email Drafts')""",
                     [OPUS_45])
    store = open_project(path)
    try:
        campaign = store.campaign(SONNET_45)
        # Two of three chose Opus 4.5: Code Review Bot decided it (Sales Email Drafts has no log of it).
        assert (campaign.target_model_id, campaign.decision_reason) == (
            OPUS_45, "Sonnet 4.5 is Legacy; Opus 4.5 passed the same eval set.")
        states = _states(store, SONNET_45)
        assert states["Support Copilot"].overridden and states["Support Copilot"].target_model_id == HAIKU_45
        assert states["Sales Email Drafts"] == TargetState(OPUS_45, campaign.decision_reason, False)
        sales = next(p for p in store.plans() if p.app_name == "Sales Email Drafts")
        assert "this plan's reason was: batch quality" in store.plan_log(sales.id)[-1]["detail"]
    finally:
        store.close()


def test_an_older_project_of_schema_0007_migrates_through_campaigns(tmp_path: Path) -> None:
    path = _old_project(tmp_path, "project-schema-0007.db")
    store = open_project(path)
    try:
        models = {p.model_id for p in store.plans(with_items=False)}
        assert {c.model_id for c in store.campaigns()} == models
        overrides = {(m.app_name, model_id) for model_id in models for m in store.campaign_members(model_id)
                     if not m.follows}
        assert overrides == {("Code Review Bot", SONNET_45)}
        assert _states(store, SONNET_45)["Sales Email Drafts"].target_model_id == HAIKU_45
    finally:
        store.close()


def test_a_project_migrated_stops_before_campaigns_with_sqlite_utils_and_then_opens(tmp_path: Path) -> None:
    """A project at schema 0011 made from scratch (sqlite-utils' stop_before): opening it
    applies 0012 whether or not it holds plans."""
    from sqlite_utils import Database, Migrations

    path = tmp_path / "p.db"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        registry = Migrations(MIGRATION_SET)
        for name, fn in MIGRATIONS:
            registry(name=name)(fn)
        registry.apply(Database(conn), stop_before="0012_campaigns")
        conn.commit()
    assert not _read(path, "SELECT name FROM sqlite_master WHERE name = 'campaigns'")
    store = open_project(path)
    try:
        assert store.campaigns() == [] and "0012_campaigns" in {
            row[0] for row in store.conn.execute("SELECT name FROM _sqlite_migrations")}
    finally:
        store.close()


# -- the JSON document -------------------------------------------------------------------------


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main([*argv, "--today", TODAY.isoformat()])
    except SystemExit as exited:
        code = exited.code
    out, err = capsys.readouterr()
    return code, out, err


def test_a_version_1_document_imports_with_campaigns_made_from_its_plans(capsys, tmp_path: Path) -> None:
    document = json.loads((FIXTURES / "demo-v1.json").read_text())
    assert document["schema_version"] == 1 and "campaigns" not in document
    # Support Copilot chose first.
    for app in document["applications"]:
        for plan in app["plans"]:
            for entry in plan["log"]:
                if entry["event"] == "target chosen" and app["name"] == "Support Copilot":
                    entry["at"] = "2026-10-01T09:00:00+00:00"
    source = tmp_path / "v1.json"
    source.write_text(json.dumps(document))
    db = tmp_path / "imported.db"
    code, out, err = _run(capsys, "import", "json", str(source), "--db", str(db))
    assert code == 0, err
    store = open_project(db)
    try:
        campaign = store.campaign(SONNET_45)
        assert campaign.target_model_id == HAIKU_45 and str(campaign.decided_on) == "2026-10-01"
        states = _states(store, SONNET_45)
        assert states["Sales Email Drafts"] == states["Support Copilot"] == TargetState(
            HAIKU_45, campaign.decision_reason, False)
        assert states["Code Review Bot"].overridden and states["Code Review Bot"].target_model_id == OPUS_45
        targets = {(a["name"], p["model_id"]): p["target_model_id"] for a in document["applications"]
                   for p in a["plans"]}
        for plan in store.plans(with_items=False):
            if targets[(plan.app_name, plan.model_id)] is not None:
                assert plan.target_model_id == targets[(plan.app_name, plan.model_id)]
    finally:
        store.close()


def test_a_version_2_document_carries_campaigns_and_overrides_through_a_round_trip(
        capsys, tmp_path: Path) -> None:
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    assert _run(capsys, "--demo", "export", "json", "-o", str(first))[0] == 0
    document = json.loads(first.read_text())
    assert document["schema_version"] == 2
    sonnet = next(c for c in document["campaigns"] if c["model_id"] == SONNET_45)
    assert sonnet["target_model_id"] == HAIKU_45 and sonnet["decided_on"] == TODAY.isoformat()
    overridden = {(a["name"], p["model_id"]) for a in document["applications"] for p in a["plans"]
                  if p["target_overridden"]}
    assert overridden == {("Code Review Bot", SONNET_45)}
    db = tmp_path / "copy.db"
    assert _run(capsys, "import", "json", str(first), "--db", str(db))[0] == 0
    assert _run(capsys, "export", "json", "-o", str(second), "--db", str(db))[0] == 0
    assert first.read_bytes() == second.read_bytes()


def test_a_version_2_document_into_a_project_with_another_decision_keeps_each_plans_target(
        capsys, tmp_path: Path) -> None:
    """The project's decision stands; imported plans that followed the document's become
    overrides with the document's target and reason."""
    exported = tmp_path / "demo.json"
    assert _run(capsys, "--demo", "export", "json", "-o", str(exported))[0] == 0
    document = json.loads(exported.read_text())
    document["applications"] = [a for a in document["applications"] if a["name"] == "Sales Email Drafts"]
    for app in document["applications"]:
        app["name"] = "Sales Email Drafts (EU)"
    exported.write_text(json.dumps(document))
    db = tmp_path / "project.db"
    assert _run(capsys, "apps", "add", "Chat", "--owner", "x", "--uses", f"{SONNET_45}@us-east-1",
                "--db", str(db))[0] == 0
    assert _run(capsys, "campaigns", "choose", SONNET_45, OPUS_45, "--reason", "ours", "--db", str(db))[0] == 0
    assert _run(capsys, "import", "json", str(exported), "--db", str(db))[0] == 0
    store = open_project(db)
    try:
        states = _states(store, SONNET_45)
        assert states["Chat"] == TargetState(OPUS_45, "ours", False)
        assert states["Sales Email Drafts (EU)"].target_model_id == HAIKU_45
        assert states["Sales Email Drafts (EU)"].overridden
    finally:
        store.close()


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(schema_version=3), "this release reads versions 1 and 2"),
    (lambda d: d["campaigns"].append({"model_id": "nope.model-v1:0"}), "campaigns.7.model_id: unknown model ID"),
    (lambda d: d["campaigns"].append(dict(d["campaigns"][0])), "a second campaign for"),
])
def test_bad_campaigns_in_a_document_are_refused(capsys, tmp_path: Path, change, message) -> None:
    exported = tmp_path / "demo.json"
    assert _run(capsys, "--demo", "export", "json", "-o", str(exported))[0] == 0
    document = json.loads(exported.read_text())
    change(document)
    exported.write_text(json.dumps(document))
    code, _, err = _run(capsys, "import", "json", str(exported), "--db", str(tmp_path / "new.db"))
    assert code == 2 and message in err
