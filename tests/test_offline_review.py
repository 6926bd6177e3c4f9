"""Offline review and hand-off: reports, JSON and CSV import/export, audit trail, backups."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from planner_tui.cli import main
from planner_tui.domain.models import Application, Dependency
from planner_tui.integrations.reports import collect, render_report
from planner_tui.services.project import open_project

from .browser import screenshot
from .conftest import TODAY

OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
NOVA_PRO = "amazon.nova-pro-v1:0"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_import_export_gives_the_same_document(capsys, tmp_path: Path) -> None:
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    assert run(capsys, "--demo", "export", "json", "-o", str(first), "--today", "2026-11-22")[0] == 0
    db = tmp_path / "copy.db"
    code, out, _ = run(capsys, "import", "json", str(first), "--db", str(db), "--today", "2026-11-22")
    assert code == 0 and "imported 10 application(s)" in out
    assert run(capsys, "export", "json", "-o", str(second), "--db", str(db))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    document = json.loads(first.read_text())
    assert document["format"] == "planner-tui-project" and document["schema_version"] == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON (line 1"),
        ('{"format": "something-else", "schema_version": 1}', "not a planner-tui project export"),
        ('{"format": "planner-tui-project", "schema_version": 99}', "schema version 99"),
        ('{"format": "planner-tui-project", "schema_version": 1, "applications": [{"owner": 3}]}',
         "does not match the project format"),
        ('{"format": "planner-tui-project", "schema_version": 1, "applications": ['
         '{"name": "A", "dependencies": [{"model_id": "nope.model-v1:0", "region": "us-east-1"}]},'
         '{"name": "a"}]}', "2 problem(s)"),
    ],
)
def test_bad_project_files_are_refused_and_nothing_changes(capsys, tmp_path, db_path, content, message):
    store = open_project(db_path)
    store.add_application(Application(name="Existing"), today=TODAY)
    store.close()
    before = db_path.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    code, _, err = run(capsys, "import", "json", str(bad), "--db", str(db_path))
    assert code == 2 and message in err and "Traceback" not in err
    assert db_path.read_bytes() == before or _same_apps(db_path, {"Existing"})


def _same_apps(db_path: Path, names: set[str]) -> bool:
    store = open_project(db_path)
    try:
        return {a.name for a in store.applications()} == names
    finally:
        store.close()


def test_csv_onboarding_is_all_or_nothing_with_a_row_report(capsys, tmp_path, db_path) -> None:
    good = tmp_path / "apps.csv"
    good.write_text(
        "name,owner,team,criticality,model_id,region,access_path,monthly_volume\n"
        f"Search,ann,Web,high,{OPUS_41},us-east-1,on-demand,\"12,000\"\n"
        f"Search,ann,Web,high,{NOVA_PRO},us-east-1,,0\n"
        f"Chat,bob,,,us.{OPUS_41},us-east-2,,5\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name,owner,model_id,region,monthly_volume\n"
        f"Alpha,ann,{OPUS_41},us-east-1,10\n"
        "Beta,bob,anthropic.claude-opus-4-1,us-east-1,10\n"
        f"Gamma,cy,{OPUS_41},eu-west-1,10\n"
        f"Delta,dee,{OPUS_41},us-east-1,lots\n"
        f"Alpha,zed,{OPUS_41},us-east-2,1\n"
        "Epsilon,eve\n")
    code, _, err = run(capsys, "apps", "import", str(bad), "--db", str(db_path))
    assert code == 2
    lines = err.strip().splitlines()
    assert lines[0].endswith("5 problem(s); nothing was imported.")
    assert any(line.strip().startswith("row 3: unknown model ID") for line in lines)
    assert any("row 4:" in line and "not offered in eu-west-1" in line for line in lines)
    assert any(line.strip().startswith("row 5: monthly_volume") for line in lines)
    assert any(line.strip().startswith("row 6: owner of 'Alpha' differ") for line in lines)
    assert any(line.strip() == "row 7: wrong number of cells" for line in lines)
    assert _same_apps(db_path, set())

    code, out, _ = run(capsys, "apps", "import", str(good), "--db", str(db_path), "--today", "2026-11-22")
    assert code == 0 and "2 application(s) with 3 dependencies" in out
    store = open_project(db_path)
    search = store.application("Search")
    assert search.criticality.value == "high"
    assert {d.monthly_volume for d in store.dependencies(search.id)} == {12000, 0}
    assert {p.app_name for p in store.plans()} == {"Search", "Chat"}
    store.close()
    code, _, err = run(capsys, "apps", "import", str(good), "--db", str(db_path))
    assert code == 2 and "already exists" in err


def test_html_report_is_self_contained_and_escapes_user_text(store) -> None:
    store.add_application(Application(name="<script>alert(1)</script>", owner="<b>x</b>"),
                          [Dependency(app_id=0, model_id=OPUS_41, region="us-east-1")], today=TODAY)
    html = render_report(collect(store, TODAY), "html")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    for external in ("<link", "src=", "@import", "url("):
        assert external not in html
    assert "<svg" in html and "@media print" in html


def test_every_report_format(demo_store) -> None:
    data = collect(demo_store, TODAY)
    as_json = json.loads(render_report(data, "json"))
    assert len(as_json["plans"]) == 10
    contract = next(p for p in as_json["plans"] if p["application"] == "Contract Review")
    assert [t["passed"] for t in contract["test_results"]] == [True, True, False]
    csv_text = render_report(data, "csv")
    assert csv_text.startswith("application,owner,model_id") and csv_text.count("\r\n") == 11
    markdown = render_report(data, "md")
    assert "### Legal Summaries × Jamba 1.5 Large" in markdown and "hold at 25%" in markdown
    scoped = collect(demo_store, TODAY, apps=("Contract Review",))
    assert [p.row.app.name for p in scoped.plans] == ["Contract Review"]


def test_html_report_renders_in_headless_chromium(demo_store, tmp_path: Path) -> None:
    """Never skipped: without chromium it fails (.ci/run installs it)."""
    page = tmp_path / "report.html"
    page.write_text(render_report(collect(demo_store, TODAY), "html"), encoding="utf-8")
    shot = screenshot(page, tmp_path / "report.png", tmp_path / "profile")
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 20_000


def test_audit_trail_records_who_changed_what(store, monkeypatch) -> None:
    monkeypatch.setenv("PLANNER_TUI_USER", "Dana Reviewer")
    store.add_application(Application(name="Checkout"), [
        Dependency(app_id=0, model_id=OPUS_41, region="us-east-1")], today=TODAY)
    plan = store.plans()[0]
    item = plan.items[0]
    store.toggle_item(item.id)
    store.update_item(store.item(item.id).model_copy(update={"owner": "ann"}))
    store.set_lifecycle_date(OPUS_41, "us-east-1", "eol_date", TODAY)
    entries = store.audit_trail(plan_id=plan.id)
    assert entries[0].actor == "Dana Reviewer"
    assert entries[0].describe() == f"changed checklist item '{item.title}': owner: – → ann"
    assert "done: 0 → 1" in entries[1].describe()
    vendor = store.vendor_changes()
    assert vendor[0]["new_value"] == TODAY.isoformat() and vendor[0]["source"] == "entered by hand"


async def test_history_screen_per_plan_and_project(demo_store) -> None:
    from textual.widgets import DataTable

    from planner_tui.ui.app import PlannerApp
    from planner_tui.ui.screens.history import HistoryScreen

    plan = next(p for p in demo_store.plans() if p.app_name == "Legal Summaries")
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(HistoryScreen(plan.id))
        await pilot.pause()
        table = app.screen.query_one("#history", DataTable)
        texts = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert any("rollout decision 'hold'" in t for t in texts)
        assert any(t.startswith("phase advanced") for t in texts)
        await pilot.press("escape")
        app.action_history()
        await pilot.pause()
        assert app.screen.query_one("#history", DataTable).row_count > table.row_count


def test_backup_is_a_consistent_private_copy(demo_store, tmp_path: Path, capsys) -> None:
    from planner_tui.persistence.backup import backup_project

    target = tmp_path / "backup.db"
    backup_project(demo_store, target)
    assert os.stat(target).st_mode & 0o777 == 0o600
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    copy = open_project(target, read_only=True)
    assert {a.name for a in copy.applications()} == {a.name for a in demo_store.applications()}
    copy.close()
    code, _, err = run(capsys, "backup", "--demo", "-o", str(tmp_path / "missing" / "b.db"))
    assert code == 2 and "does not exist" in err


def test_read_only_review_on_read_only_media(demo, tmp_path: Path, capsys) -> None:
    mount = tmp_path / "media"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("this machine cannot mount a file system")
    try:
        demo.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy(demo.folder / "demo.db", mount / "project.db")
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        before = (mount / "project.db").read_bytes()
        code, out, err = run(capsys, "--read-only", "status", "--db", str(mount / "project.db"),
                             "--today", "2026-11-22")
        assert code == 1, err  # the example has overdue plans
        assert "Support Copilot" in out
        code, _, err = run(capsys, "--read-only", "apps", "add", "X", "--owner", "o",
                           "--db", str(mount / "project.db"))
        assert code == 2 and "read-only" in err
        assert (mount / "project.db").read_bytes() == before
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_report_timeline_draws_the_most_urgent_marker_on_top() -> None:
    from planner_tui.domain.lifecycle import LifecycleDates
    from planner_tui.domain.vocabulary import Status
    from planner_tui.integrations.reports import ReportData, timeline_svg
    from planner_tui.services.overview import TimelineMarker, TimelineRow

    due = dt.date(2027, 1, 8)
    lifecycle = LifecycleDates("m", ("us-east-1",), Status.LEGACY, dt.date(2026, 6, 1), None,
                               dt.date(2027, 3, 1), "test", "2026-11-22")
    markers = (TimelineMarker(due, "A: Test", "overdue"), TimelineMarker(due, "B: Test", "on track"))
    data = ReportData(TODAY, {}, [], [TimelineRow("Model", lifecycle, markers)], [], 1)
    svg = timeline_svg(data)
    assert svg.index("A: Test") > svg.index("B: Test")  # SVG paints later elements on top
