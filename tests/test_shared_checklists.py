"""Issue 21: a campaign's Assess, Research and Test checklists are shared by its applications.
Each plan keeps its copy of a shared item; a change of one is made in every open plan of the
campaign and undone as one, each copy put back as it was."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from planner_tui.cli import main
from planner_tui.domain.checklists import differences, shared_keys
from planner_tui.domain.ids import saved_id
from planner_tui.domain.models import Phase
from planner_tui.persistence.store import ProjectStore
from planner_tui.services.commands import checklist
from planner_tui.services.plan_view import load_plan_view
from planner_tui.services.project import DemoProject, open_project

from .conftest import TODAY

FIXTURES = Path(__file__).parent / "fixtures"
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"


def _plans(store: ProjectStore) -> dict[str, int]:
    return {m.app_name: m.plan_id for m in store.campaign_members(SONNET_45)}


def _item(store: ProjectStore, plan_id: int, phase: Phase, title: str):
    return next(i for i in store.plan(plan_id).items_in(phase) if i.title == title)


def _state(store: ProjectStore, plan_ids, phase: Phase) -> dict:
    return {p: [(i.title, i.done, i.owner, i.notes) for i in store.plan(p).items_in(phase)] for p in plan_ids}


def test_shared_keys_need_the_item_in_every_open_plan() -> None:
    items = [(1, 10, "assess", "A"), (2, 11, "assess", "A"), (3, 10, "assess", "B"), (4, 12, "assess", "A")]
    assert shared_keys(items, {10, 11}) == {1: "A", 2: "A"}  # 12 has ended; B only in plan 10
    assert shared_keys(items, {10, 11, 12}) == {1: "A", 2: "A", 4: "A"}
    assert shared_keys(items, set()) == {}
    assert differences([("X", True, "", "", "n"), ("Y", False, "", "", "n")]) == ["done in X; open in Y"]
    assert differences([("X", True, "ann", "", ""), ("Y", True, "bo", "", "")]) == ["owner: X ann; Y bo"]


def test_ticking_a_shared_item_ticks_it_for_every_open_application_and_undo_puts_each_back(
        demo_store: ProjectStore) -> None:
    plans = _plans(demo_store)
    support, sales, review = plans["Support Copilot"], plans["Sales Email Drafts"], plans["Code Review Bot"]
    item = _item(demo_store, sales, Phase.TEST, "Build an evaluation set from real requests")
    before = _state(demo_store, plans.values(), Phase.TEST)
    assert demo_store.copies(saved_id(item)) and len(demo_store.copies(saved_id(item))) == 2
    change = checklist.toggle_item(demo_store, saved_id(item))
    assert "shared by 3 applications" in change.description
    for plan_id in (support, sales, review):
        assert _item(demo_store, plan_id, Phase.TEST, item.title).done is (not item.done)
    assert change.inverse is not None
    redo = change.inverse()
    assert _state(demo_store, plans.values(), Phase.TEST) == before
    assert redo.inverse is not None
    redo.inverse()
    assert all(_item(demo_store, p, Phase.TEST, item.title).done is (not item.done) for p in plans.values())


def test_update_and_rollout_stay_each_applications_own(demo_store: ProjectStore) -> None:
    plans = _plans(demo_store)
    item = demo_store.plan(plans["Sales Email Drafts"]).items_in(Phase.UPDATE)[0]
    assert demo_store.copies(saved_id(item)) == []
    checklist.toggle_item(demo_store, saved_id(item))
    assert not demo_store.plan(plans["Support Copilot"]).items_in(Phase.UPDATE)[0].done


def test_edit_add_move_and_delete_of_a_shared_item_reach_every_open_plan(demo_store: ProjectStore) -> None:
    plans = _plans(demo_store)
    sales = plans["Sales Email Drafts"]
    before = _state(demo_store, plans.values(), Phase.RESEARCH)
    added = checklist.add_item(demo_store, sales, Phase.RESEARCH, "Check the successor's pricing page")
    assert all(any(i.title == "Check the successor's pricing page" for i in demo_store.plan(p).items_in(
        Phase.RESEARCH)) for p in plans.values())
    item = added.result
    edited = checklist.edit_item(demo_store, item.model_copy(update={"owner": "maria.okafor"}))
    assert {_item(demo_store, p, Phase.RESEARCH, item.title).owner for p in plans.values()} == {"maria.okafor"}
    moved = checklist.move_item(demo_store, saved_id(item), -1)
    assert all(demo_store.plan(p).items_in(Phase.RESEARCH)[-2].title == item.title for p in plans.values())
    deleted = checklist.delete_item(demo_store, saved_id(item))
    assert "shared by 3 applications" in deleted.description
    assert all(item.title not in [i.title for i in demo_store.plan(p).items_in(Phase.RESEARCH)]
               for p in plans.values())
    for change in (deleted, moved, edited, added):
        assert change.inverse is not None
        change.inverse()
    assert _state(demo_store, plans.values(), Phase.RESEARCH) == before


def test_the_plan_view_says_the_checklist_is_shared(demo_store: ProjectStore) -> None:
    plans = _plans(demo_store)
    view = load_plan_view(demo_store, plans["Sales Email Drafts"], TODAY)
    assert view is not None
    assert view.shared_note(Phase.ASSESS) == "shared by 3 applications"
    assert view.shared_note(Phase.UPDATE) == ""
    shared = [i for i in view.row.plan.items_in(Phase.TEST) if i.id in view.shared]
    assert len(shared) == len(view.row.plan.items_in(Phase.TEST))


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / "demo-schema-0011.db", path)
    return path


def test_an_older_project_shares_its_checklists_and_keeps_what_each_plan_recorded(old_db: Path) -> None:
    with sqlite3.connect(old_db) as conn:
        items = conn.execute("SELECT id, plan_id, phase, position, title, done, owner, due_date, notes, done_at "
                             "FROM checklist_items ORDER BY id").fetchall()
    store = open_project(old_db)
    try:
        assert store.conn.execute("SELECT id, plan_id, phase, position, title, done, owner, due_date, notes, "
                                  "done_at FROM checklist_items ORDER BY id").fetchall() == items
        plans = _plans(store)
        for name, plan_id in plans.items():
            view = load_plan_view(store, plan_id, TODAY)
            assert view is not None
            if view.row.plan.is_open:
                assert view.shared_by == sum(store.plan(p).is_open for p in plans.values()), name
        # The plans were worked separately: what they recorded differently is shown, not lost.
        open_plan = next(p for p in plans.values() if store.plan(p).is_open)
        view = load_plan_view(store, open_plan, TODAY)
        assert view is not None
        assert any(view.shared.values()) or view.shared_by == 1
        # No audit entry claims a person marked the items.
        assert not store.conn.execute("SELECT 1 FROM audit_log WHERE table_name = 'checklist_items' AND new LIKE "
                                      "'%shared_key%' AND old NOT LIKE '%shared_key%'").fetchall()
    finally:
        store.close()


def run(capsys, *argv: str) -> str:
    code = main([*argv, "--today", TODAY.isoformat()])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.fixture
def demo_db(tmp_path: Path) -> str:
    demo = DemoProject(TODAY)
    try:
        demo.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        path = tmp_path / "demo.db"
        shutil.copyfile(demo.folder / "demo.db", path)
    finally:
        demo.close()
    return str(path)


def test_items_commands_show_and_change_shared_items(capsys, demo_db: str) -> None:
    store = open_project(Path(demo_db))
    plans = _plans(store)
    sales = plans["Sales Email Drafts"]
    item = store.plan(sales).items_in(Phase.TEST)[0]
    store.close()
    out = run(capsys, "items", "list", str(sales), "--phase", "test", "--db", demo_db)
    assert f"{item.id}*" in out and "shared by the 3 open plans of the campaign" in out
    listed = json.loads(run(capsys, "items", "list", str(sales), "--phase", "test", "--json", "--db", demo_db))
    assert listed[0]["shared"] is True and listed[0]["shared_by"] == 3
    out = run(capsys, "items", "done" if not item.done else "undone", str(sales), str(item.id), "--db", demo_db)
    assert "also in the 2 other open plans of its campaign" in out
    update = json.loads(run(capsys, "items", "list", str(sales), "--phase", "update", "--json", "--db", demo_db))
    assert not any(i["shared"] for i in update)


def test_an_imported_document_shares_its_plans_checklists(capsys, demo_db: str, tmp_path: Path) -> None:
    exported = tmp_path / "demo.json"
    run(capsys, "export", "json", "-o", str(exported), "--db", demo_db)
    target = tmp_path / "imported.db"
    run(capsys, "import", "json", str(exported), "--db", str(target))
    store = open_project(target)
    try:
        plans = _plans(store)
        item = store.plan(plans["Sales Email Drafts"]).items_in(Phase.ASSESS)[0]
        open_plans = sum(store.plan(p).is_open for p in plans.values())
        assert len(store.copies(saved_id(item))) == open_plans - 1
    finally:
        store.close()


def test_the_report_has_a_section_per_campaign(demo_store: ProjectStore) -> None:
    from planner_tui.integrations.reports import as_dict, collect, render_report

    data = collect(demo_store, TODAY)
    sonnet = next(c for c in data.campaigns if c["model_id"] == SONNET_45)
    apps = {a["application"]: a for a in sonnet["applications"]}
    assert set(apps) == {"Support Copilot", "Sales Email Drafts", "Code Review Bot"}
    assert apps["Code Review Bot"]["override_reason"] and apps["Support Copilot"]["override_reason"] is None
    assert sonnet["target_model_id"] == "anthropic.claude-haiku-4-5-20251001-v1:0"
    markdown = render_report(data, "md")
    assert "## Campaigns" in markdown and "### Claude Sonnet 4.5 (3 application(s))" in markdown
    assert "<h2>Campaigns</h2>" in render_report(data, "html")
    assert as_dict(data)["campaigns"] == data.campaigns
    scoped = collect(demo_store, TODAY, apps=("Support Copilot",))
    assert [a["application"] for c in scoped.campaigns for a in c["applications"]
            if c["model_id"] == SONNET_45] == ["Support Copilot"]


def baseline_copy(store: ProjectStore, plan_id: int):
    return _item(store, plan_id, Phase.ASSESS, "Capture baseline metrics: latency p50/p95, error rate, tokens, cost")


def test_an_application_joining_a_campaign_takes_its_shared_checklist_as_it_is(demo_store: ProjectStore) -> None:
    from planner_tui.domain.models import Application, Dependency

    plans = _plans(demo_store)
    sales = plans["Sales Email Drafts"]
    added = checklist.add_item(demo_store, sales, Phase.RESEARCH, "Ask legal about the new model's terms").result
    assert added.title == "Ask legal about the new model's terms"
    baseline = _item(demo_store, sales, Phase.ASSESS, "Capture baseline metrics: latency p50/p95, error rate, "
                                                      "tokens, cost")
    checklist.edit_item(demo_store, baseline.model_copy(update={"owner": "dev.lead", "notes": "dashboards/latency"}))
    demo_store.add_application(Application(name="Invoice Reader", owner="ann", team="Finance"),
                               [Dependency(app_id=0, model_id=SONNET_45, region="us-east-1")], today=TODAY)
    joined = _plans(demo_store)["Invoice Reader"]
    for phase in (Phase.RESEARCH, Phase.TEST):
        assert _state(demo_store, [joined], phase)[joined] == _state(demo_store, [sales], phase)[sales], phase
    # Assess starts open for the newcomer (the assessment has yet to cover it), with the rest as shared.
    assert _state(demo_store, [joined], Phase.ASSESS)[joined] == [
        (title, False, owner, notes) for title, _, owner, notes in _state(demo_store, [sales], Phase.ASSESS)[sales]]
    view = load_plan_view(demo_store, joined, TODAY)
    assert view is not None and view.shared_by == 4
    assert not any(view.shared[i.id] for i in demo_store.plan(joined).items_in(Phase.TEST) if i.id)
    differing = view.shared[baseline_copy(demo_store, joined).id or 0]
    assert differing and differing[0].startswith("done in Code Review Bot, Sales Email Drafts, Support Copilot")
    assert [i.done for i in demo_store.plan(joined).items_in(Phase.UPDATE)] == [False] * 5


def test_many_items_are_marked_shared_without_an_audit_row_each_and_the_trigger_comes_back(store) -> None:
    from planner_tui.domain.models import Application, Dependency
    from planner_tui.persistence.repos.checklist import SHARE_QUIETLY, share_items

    store.add_applications([(Application(name=f"app {i}", owner="o"),
                             [Dependency(app_id=0, model_id=SONNET_45, region="us-east-1")]) for i in range(80)], TODAY)
    with store._edit() as db:
        db.execute("UPDATE checklist_items SET shared_key = NULL")
    audited = store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    campaign_id = store.conn.execute("SELECT id FROM campaigns").fetchone()[0]
    with store._edit() as db:
        marked = share_items(db, campaign_id)
    assert marked == 80 * 16 > SHARE_QUIETLY
    assert store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audited
    item = store.plan(_plans(store)["app 3"]).items_in(Phase.TEST)[0]
    assert len(store.copies(saved_id(item))) == 79
    checklist.toggle_item(store, saved_id(item))  # an edit afterwards is audited as ever
    assert store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audited + 80
