"""`scan PATH --app APP` (#18): findings recorded as evidence for the application's plans;
a re-scan marks what is gone as resolved (never deleted); `--accept` makes each model found
a dependency; `plans show` and `items list` show the places and files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from planner_tui.domain.models import Application, Dependency
from planner_tui.integrations.scan import reference_cache
from planner_tui.persistence.repos.code_findings import FoundReference
from planner_tui.services.commands.code_findings import record_code_scan
from planner_tui.services.plan_view import load_plan_view
from planner_tui.services.project import open_project

from .cli_helpers import run

TODAY = dt.date(2026, 11, 22)
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
NOVA = "amazon.nova-pro-v1:0"
APP = "Support Chat"


@pytest.fixture(autouse=True)
def _cache_elsewhere(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path_factory.mktemp("scan-cache") / "scan-reference.json"
    monkeypatch.setattr(reference_cache, "cache_path", lambda: cache)


@pytest.fixture
def project(db_path: Path) -> Path:
    store = open_project(db_path)
    app = store.add_application(Application(name=APP, owner="ops"),
                                [Dependency(app_id=0, model_id=HAIKU, region="us-east-1")], today=TODAY)
    assert app.id is not None
    store.close()
    return db_path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "service"
    (root / "infra").mkdir(parents=True)
    (root / "app.py").write_text(f'fast = client.converse(modelId="{HAIKU}")\nslow = "{HAIKU}"\n')
    (root / "infra" / "main.tf").write_text(
        f'resources = ["arn:aws:bedrock:us-east-1::foundation-model/{HAIKU}"]\n')
    (root / "other.py").write_text(f'model = "{NOVA}"\n')
    return root


def scan(capsys: pytest.CaptureFixture[str], repo: Path, db: Path, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "scan", str(repo), "--db", str(db), "--app", APP, "--today", TODAY.isoformat(), *extra)


def plan_view(db: Path, model_id: str = HAIKU):  # noqa: ANN201
    store = open_project(db, read_only=True)
    try:
        (plan,) = [p for p in store.plans(with_items=False) if p.model_id == model_id]
        assert plan.id is not None
        return plan.id, load_plan_view(store, plan.id, TODAY)
    finally:
        store.close()


def test_findings_recorded_for_the_application_and_listed_in_its_plan(capsys, project: Path,  # noqa: ANN001
                                                                      repo: Path) -> None:
    code, out, _ = scan(capsys, repo, project)
    assert code == 0
    assert f"Recorded for {APP} ({repo.as_posix()}): 4 new, 0 still there, 0 resolved (no longer found)." in out
    _, view = plan_view(project)
    code_view = view.code
    assert [code_view.where(p) for p in code_view.open_places] == ["app.py:1:33", "app.py:2:9", "infra/main.tf:1:15"]
    assert code_view.files == [("app.py", 2), ("infra/main.tf", 1)]
    assert code_view.summary() == "3 places in 2 files · last scan 2026-11-22"
    assert {p.reference.status for p in code_view.places} == {"EOL"}  # the worst of its Regions


def test_a_rescan_marks_what_is_gone_as_resolved_and_what_returns_as_open(capsys, project: Path,  # noqa: ANN001
                                                                          repo: Path) -> None:
    scan(capsys, repo, project)
    (repo / "app.py").write_text(f'fast = client.converse(modelId="{NOVA}")\n')  # both Haiku lines gone
    later = (TODAY + dt.timedelta(days=3)).isoformat()
    code, out, _ = run(capsys, "scan", str(repo), "--db", str(project), "--app", APP, "--today", later)
    assert "1 new, 2 still there, 2 resolved (no longer found)" in out
    store = open_project(project, read_only=True)
    (plan,) = [p for p in store.plans(with_items=False) if p.model_id == HAIKU]
    view = load_plan_view(store, plan.id, TODAY)
    store.close()
    assert [view.code.where(p) for p in view.code.open_places] == ["infra/main.tf:1:15"]
    assert [(view.code.where(p), str(p.resolved_on)) for p in view.code.resolved_places] == [
        ("app.py:1:33", "2026-11-25"), ("app.py:2:9", "2026-11-25")]  # kept, marked
    assert view.code.files == [("infra/main.tf", 1)]
    (repo / "app.py").write_text(f'x = "{HAIKU}"\n')
    _, out, _ = scan(capsys, repo, project)
    assert "0 new, 2 still there, 1 back again, 1 resolved (no longer found)" in out
    (repo / "app.py").unlink()
    (repo / "infra" / "main.tf").unlink()
    _, out, _ = scan(capsys, repo, project)
    _, view = plan_view(project)
    assert view.code.files == [] and len(view.code.resolved_places) == 3


def test_plans_show_and_items_list_name_the_places_and_files(capsys, project: Path, repo: Path) -> None:  # noqa: ANN001
    scan(capsys, repo, project)
    plan_id, _ = plan_view(project)
    code, out, _ = run(capsys, "plans", "show", str(plan_id), "--db", str(project), "--today", "2026-11-22")
    assert code == 0 and "Code (where the application's code names the model" in out
    assert "app.py:1:33" in out and "infra/main.tf:1:15" in out
    _, out, _ = run(capsys, "plans", "show", str(plan_id), "--db", str(project), "--json")
    doc = json.loads(out)["code"]
    assert doc["files_to_change"] == [{"file": "app.py", "places": 2}, {"file": "infra/main.tf", "places": 1}]
    assert doc["places"][0]["resolved_on"] is None and doc["scanned"][0]["root"] == str(repo.resolve())
    _, out, _ = run(capsys, "items", "list", str(plan_id), "--db", str(project), "--phase", "update")
    assert "'Swap the model ID …' still to change: app.py (2), infra/main.tf (1) (last scan 2026-11-22)." in out


def test_json_output_stays_the_findings_with_the_record_line_on_stderr(capsys, project: Path,  # noqa: ANN001
                                                                      repo: Path) -> None:
    code, out, err = scan(capsys, repo, project, "--json")
    assert code == 0 and len(json.loads(out)) == 4 and "Recorded for Support Chat" in err


def test_read_only_labels_but_records_nothing(capsys, project: Path, repo: Path) -> None:  # noqa: ANN001
    code, out, err = scan(capsys, repo, project, "--read-only")
    assert code == 0 and "Not recorded for Support Chat: the project is open read-only." in out
    _, view = plan_view(project)
    assert not view.code.scanned


def test_accept_makes_each_model_found_a_dependency(capsys, project: Path, repo: Path) -> None:  # noqa: ANN001
    code, out, err = scan(capsys, repo, project, "--accept")
    assert code == 0
    # Haiku's ARN names us-east-1, where the application already uses it; Nova's ID names no Region.
    assert "Already dependencies of Support Chat: 1." in out
    assert f"Not added, no Region known (name one with --region): {NOVA}, {HAIKU}." in out
    (repo / "eu.py").write_text(f'model = "eu.{HAIKU}"\n')  # a profile not callable from us-east-1
    code, out, err = scan(capsys, repo, project, "--accept", "--region", "us-east-1")
    assert f"Support Chat now uses {NOVA} in us-east-1 (found in other.py:1)." in out
    assert f"Not added, not offered in us-east-1: eu.{HAIKU}." in out
    store = open_project(project, read_only=True)
    uses = sorted((d.model_id, d.region, d.notes) for d in store.dependencies())
    store.close()
    assert uses == [(NOVA, "us-east-1", "found in code: other.py:1"), (HAIKU, "us-east-1", "")]


def test_accept_needs_app_and_an_unknown_app_is_refused(capsys, project: Path, repo: Path) -> None:  # noqa: ANN001
    code, _, err = run(capsys, "scan", str(repo), "--db", str(project), "--accept")
    assert code == 2 and "--accept needs --app NAME" in err
    code, _, err = run(capsys, "scan", str(repo), "--db", str(project), "--app", "Nobody")
    assert code == 2 and "no application named 'Nobody'" in err


def test_recording_is_taken_back_and_redone(project: Path) -> None:
    store = open_project(project)
    try:
        app_id = store.application(APP).id
        assert app_id is not None
        ref = FoundReference("fp1", "a.py", 1, 1, HAIKU, HAIKU, None, True, "Legacy", "note", "python", None)
        record_code_scan(store, app_id, "/src", TODAY, 1, "test", [ref])
        change = record_code_scan(store, app_id, "/src", TODAY + dt.timedelta(days=1), 1, "test", [])
        assert [p.resolved_on for p in store.code_findings(app_id)] == [TODAY + dt.timedelta(days=1)]
        assert change.inverse is not None
        redo = change.inverse()
        assert [p.resolved_on for p in store.code_findings(app_id)] == [None]
        assert store.code_scans(app_id)[0].scanned_on == TODAY
        assert redo.inverse is not None
        redo.inverse()
        assert [p.resolved_on for p in store.code_findings(app_id)] == [TODAY + dt.timedelta(days=1)]
    finally:
        store.close()


def test_findings_go_with_their_application(project: Path) -> None:
    store = open_project(project)
    try:
        app_id = store.application(APP).id
        assert app_id is not None
        ref = FoundReference("fp1", "a.py", 1, 1, HAIKU, HAIKU, None, True, "Legacy", "note")
        store.record_code_scan(app_id, "/src", TODAY, 1, "test", [ref])
        store.delete_application(app_id)
        assert store.code_findings() == [] and store.code_scans() == []
    finally:
        store.close()


def test_recorded_file_names_are_shown_inert(capsys, project: Path, tmp_path: Path) -> None:  # noqa: ANN001
    root = tmp_path / "hostile"
    root.mkdir()
    (root / "evil\x1b]52;c;x\x07\nname.py").write_text(f'm = "{HAIKU}"\n')
    code, out, _ = scan(capsys, root, project)
    assert code == 0 and "\x1b" not in out
    plan_id, view = plan_view(project)
    assert view.code.open_places[0].reference.file == "evil\x1b]52;c;x\x07\nname.py"  # stored exactly
    for argv in (("plans", "show", str(plan_id)), ("items", "list", str(plan_id))):
        _, out, _ = run(capsys, *argv, "--db", str(project))
        assert "evil" in out and "\x1b" not in out and "\x07" not in out


def test_accepting_is_taken_back_as_a_whole(project: Path) -> None:
    from planner_tui.services.commands.code_findings import Wanted, accept_code_findings

    store = open_project(project)
    try:
        app_id = store.application(APP).id
        assert app_id is not None
        before = sorted((d.model_id, d.region) for d in store.dependencies(app_id))
        change = accept_code_findings(store, app_id, [
            Wanted(NOVA, "us-east-1", "a.py:1"), Wanted(HAIKU, "us-east-1", "b.py:2"),
            Wanted(f"eu.{HAIKU}", "us-east-1", "c.py:3"), Wanted(NOVA, "us-east-1", "d.py:4")], TODAY)
        result = change.result
        assert [w.where for w in result.added] == ["a.py:1"] and [w.where for w in result.already] == ["b.py:2"]
        assert [w.where for w, _ in result.refused] == ["c.py:3"]  # a profile of another geography
        assert change.inverse is not None
        redo = change.inverse()
        assert sorted((d.model_id, d.region) for d in store.dependencies(app_id)) == before
        assert redo.inverse is not None
        redo.inverse()
        assert (NOVA, "us-east-1") in {(d.model_id, d.region) for d in store.dependencies(app_id)}
    finally:
        store.close()
