"""Code findings in `discovered` (#18): `scan PATH --record` keeps a scan's places
unassigned for triage; `discovered` lists them beside the AWS resources (source: code);
`discovered accept cID --app NAME` makes the model a dependency and the place the
application's evidence; an unknown model is refused in one line, with "did you mean"."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from planner_tui.domain.aws_records import DiscoveredResource, ResourceKind
from planner_tui.domain.models import Application, Dependency
from planner_tui.integrations.scan import reference_cache
from planner_tui.services.commands.code_findings import accept_discovered_code, dismiss_code_finding
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
    store.add_application(Application(name=APP, owner="ops"),
                          [Dependency(app_id=0, model_id=NOVA, region="us-east-1")], today=TODAY)
    store.record_discovered([DiscoveredResource(
        region="us-east-1", kind=ResourceKind.BATCH_JOB, resource_id="arn:aws:bedrock:us-east-1:1:job/n",
        name="nightly", model_id=NOVA)], dt.datetime(2026, 11, 22, 7, tzinfo=dt.UTC))
    store.close()
    return db_path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "service"
    (root / "infra").mkdir(parents=True)
    (root / "app.py").write_text(f'fast = client.converse(modelId="{HAIKU}")\n'
                                 'typo = "anthropic.claude-3-haiku-20240307-v9:0"\n')
    (root / "infra" / "main.tf").write_text(
        f'resources = ["arn:aws:bedrock:us-west-2::foundation-model/{HAIKU}"]\n')
    return root


def record(capsys: pytest.CaptureFixture[str], repo: Path, db: Path, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "scan", str(repo), "--db", str(db), "--record", "--today", TODAY.isoformat(), *extra)


def listed(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> list[dict]:
    code, out, _ = run(capsys, "discovered", "--db", str(db), "--json", "--today", TODAY.isoformat(), *extra)
    assert code == 0
    return json.loads(out)


def test_record_keeps_places_unassigned_and_discovered_lists_them_beside_aws(capsys, project: Path,  # noqa: ANN001
                                                                             repo: Path) -> None:
    code, out, _ = record(capsys, repo, project)
    assert code == 0
    assert f"Recorded unassigned ({repo.as_posix()}): 3 new, 0 still there, 0 resolved (no longer found)." in out
    assert "discovered --source code" in out
    code, out, err = run(capsys, "discovered", "--db", str(project), "--today", TODAY.isoformat())
    assert code == 0
    header, *lines = out.splitlines()
    assert header.split()[:3] == ["ID", "SOURCE", "REGION"]
    assert any(line.split()[1] == "aws" and "nightly" in line for line in lines)
    code_lines = [line for line in lines if line.split()[1] == "code"]
    assert len(code_lines) == 3
    tf = next(line for line in code_lines if "infra/main.tf:1" in line)
    assert "us-west-2" in tf and "terraform" in tf and "EOL" in tf and tf.startswith("c")
    assert "arn:aws:bedrock:us-west-2::foundation-model/" in tf  # the text matched
    typo = next(line for line in code_lines if "app.py:2" in line)
    assert f"did you mean {HAIKU}?" in typo and "unknown model" in typo
    assert "An unknown model cannot be accepted" in err
    rows = listed(capsys, project)
    assert {r["source"] for r in rows} == {"aws", "code"}
    found = [r for r in rows if r["source"] == "code"]
    assert {(r["file"], r["line"], r["model_id"], r["model_known"]) for r in found} == {
        ("app.py", 1, HAIKU, True), ("app.py", 2, "anthropic.claude-3-haiku-20240307-v9:0", False),
        ("infra/main.tf", 1, HAIKU, True)}
    assert next(r for r in found if not r["model_known"])["did_you_mean"] == HAIKU
    assert all(r["key"] == f"c{r['id']}" and r["application"] is None for r in found)
    assert [r["source"] for r in listed(capsys, project, "--source", "code")] == ["code"] * 3
    assert [r["source"] for r in listed(capsys, project, "--source", "aws")] == ["aws"]


def test_accepting_a_place_makes_a_dependency_and_evidence_for_the_plan(capsys, project: Path,  # noqa: ANN001
                                                                        repo: Path) -> None:
    record(capsys, repo, project)
    tf = next(r for r in listed(capsys, project, "--source", "code") if r["file"] == "infra/main.tf")
    code, out, err = run(capsys, "discovered", "accept", tf["key"], "--app", APP, "--db", str(project),
                         "--today", TODAY.isoformat())
    assert code == 0, err
    assert f"assigned to {APP}: {HAIKU} in us-west-2" in out and "opened plan" in out
    store = open_project(project, read_only=True)
    try:
        assert (HAIKU, "us-west-2") in {(d.model_id, d.region) for d in store.dependencies()}
        (plan,) = [p for p in store.plans(with_items=False) if p.model_id == HAIKU]
        assert plan.id is not None
        view = load_plan_view(store, plan.id, TODAY).code
        assert [view.where(p) for p in view.open_places] == ["infra/main.tf:1:15"]
        assert view.scanned  # the folder's scan noted for the application
    finally:
        store.close()
    rows = listed(capsys, project, "--source", "code")
    assert tf["key"] not in {r["key"] for r in rows}
    every = listed(capsys, project, "--source", "code", "--all")
    assert next(r for r in every if r["key"] == tf["key"])["application"] == APP  # shown with its app
    # A re-scan for triage leaves the application's place to it.
    _, out, _ = record(capsys, repo, project)
    assert "0 new, 2 still there, 0 resolved (no longer found), 1 already an application's" in out
    assert f"Already recorded for {APP} ({repo.as_posix()}): 1, left to it." in out
    assert len(listed(capsys, project, "--source", "code")) == 2


def test_a_model_id_without_a_region_needs_one_and_an_unknown_model_is_refused(capsys, project: Path,  # noqa: ANN001
                                                                              repo: Path) -> None:
    record(capsys, repo, project)
    rows = {r["line"]: r for r in listed(capsys, project, "--source", "code") if r["file"] == "app.py"}
    argv = ("--app", APP, "--db", str(project), "--today", TODAY.isoformat())
    code, out, err = run(capsys, "discovered", "accept", rows[2]["key"], *argv)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert f"unknown model anthropic.claude-3-haiku-20240307-v9:0; did you mean {HAIKU}?" in err
    code, _, err = run(capsys, "discovered", "accept", rows[1]["key"], *argv)
    assert code == 2 and "names no Region" in err and "--region R" in err
    code, _, err = run(capsys, "discovered", "accept", rows[1]["key"], *argv, "--region", "mars-north-9")
    assert code == 2 and len(err.strip().splitlines()) == 1
    code, out, err = run(capsys, "discovered", "accept", rows[1]["key"], *argv, "--region", "us-east-1")
    assert code == 0 and f"{HAIKU} in us-east-1" in out
    for bad in ("c", "cx", "c0", "x1", "c١"):
        code, _, err = run(capsys, "discovered", "accept", bad, *argv)
        assert code == 2 and "not an ID" in err
    for huge in ("c99999999999999999999999", str(2**63)):
        code, _, err = run(capsys, "discovered", "dismiss", huge, "--db", str(project))
        assert code == 2 and "ids go up to" in err and "Traceback" not in err
    code, _, err = run(capsys, "discovered", "accept", "c999", *argv)
    assert code == 2 and "no code finding with id c999" in err


def test_dismissed_places_stay_dismissed_across_rescans(capsys, project: Path, repo: Path) -> None:  # noqa: ANN001
    record(capsys, repo, project)
    typo = next(r for r in listed(capsys, project, "--source", "code") if not r["model_known"])
    code, out, _ = run(capsys, "discovered", "dismiss", typo["key"], "--db", str(project))
    assert code == 0 and "dismissed" in out
    record(capsys, repo, project)
    assert typo["key"] not in {r["key"] for r in listed(capsys, project, "--source", "code")}
    every = listed(capsys, project, "--source", "code", "--all")
    assert next(r for r in every if r["key"] == typo["key"])["dismissed"] is True


def test_record_read_only_and_without_a_project(capsys, project: Path, repo: Path) -> None:  # noqa: ANN001
    code, out, _ = record(capsys, repo, project, "--read-only")
    assert code == 0 and "Not recorded for triage: the project is open read-only." in out
    assert listed(capsys, project, "--source", "code") == []


def test_accepting_is_taken_back_and_redone_as_a_whole(capsys, project: Path, repo: Path) -> None:  # noqa: ANN001
    record(capsys, repo, project)
    tf = next(r for r in listed(capsys, project, "--source", "code") if r["file"] == "infra/main.tf")
    store = open_project(project)
    try:
        app_id = store.application(APP).id
        assert app_id is not None
        deps = sorted((d.model_id, d.region) for d in store.dependencies(app_id))
        change = accept_discovered_code(store, tf["id"], app_id, None, TODAY)
        assert change.inverse is not None
        redo = change.inverse()
        assert sorted((d.model_id, d.region) for d in store.dependencies(app_id)) == deps
        assert store.code_finding(tf["id"]).app_id is None and store.code_findings(app_id) == []
        assert store.code_scans(app_id) == []
        assert redo.inverse is not None
        redo.inverse()
        assert store.code_finding(tf["id"]).app_id == app_id
        undo = dismiss_code_finding  # an application's place is not dismissed from triage
        with pytest.raises(Exception, match="Support Chat's"):
            undo(store, tf["id"])
    finally:
        store.close()


def test_an_application_scan_claims_the_unassigned_places_it_finds(capsys, project: Path,  # noqa: ANN001
                                                                   repo: Path) -> None:
    record(capsys, repo, project)
    code, out, _ = run(capsys, "scan", str(repo), "--db", str(project), "--app", APP, "--today", TODAY.isoformat())
    assert code == 0 and "3 new" in out
    assert listed(capsys, project, "--source", "code") == []


def test_a_project_of_the_previous_schema_keeps_its_code_findings(tmp_path: Path) -> None:
    """Schema 0023 rebuilds code_scans and code_findings (app_id may be NULL): every row an
    application had is kept, and the one-row-per-place rule still holds."""
    import sqlite3

    from sqlite_utils import Database, Migrations

    from planner_tui.persistence.schema import MIGRATION_SET, MIGRATIONS

    path = tmp_path / "old.db"
    db = Database(path)
    registry = Migrations(MIGRATION_SET)
    older = [(name, fn) for name, fn in MIGRATIONS if name < "0023"]
    for name, fn in older:
        registry(name=name)(fn)
    registry.apply(db)
    db.execute("INSERT OR REPLACE INTO planner_meta (key, value) VALUES ('actor', 'test')")
    db.execute("INSERT INTO applications (id, name, owner, created_at) VALUES (1, 'Old App', 'ops', '2026-11-01')")
    db.execute("INSERT INTO code_scans (app_id, root, scanned_on, files_read, source) "
               "VALUES (1, '/src', '2026-11-20', 3, 'project')")
    db.execute("INSERT INTO code_findings (app_id, root, fingerprint, file, line, column_no, matched, model_id, known, "
               "status, severity, first_seen, last_seen) VALUES (1, '/src', 'fp', 'a.py', 2, 5, ?, ?, 1, 'EOL', "
               "'error', '2026-11-20', '2026-11-20')", [HAIKU, HAIKU])
    db.conn.commit()
    db.close()
    store = open_project(path)
    try:
        (place,) = store.code_findings(1)
        assert (place.reference.file, place.reference.line, place.app_id, place.dismissed) == ("a.py", 2, 1, False)
        assert [s.files_read for s in store.code_scans(1)] == [3]
        assert store.triage_code_findings() == []
    finally:
        store.close()
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO code_findings (app_id, root, fingerprint, file, line, column_no, matched, "
                         "model_id, known, status, severity, first_seen, last_seen) SELECT app_id, root, fingerprint, "
                         "file, line, column_no, matched, model_id, known, status, severity, first_seen, last_seen "
                         "FROM code_findings")
    finally:
        conn.close()


def test_hostile_file_names_are_listed_inert(capsys, project: Path) -> None:  # noqa: ANN001
    from planner_tui.persistence.repos.code_findings import FoundReference
    from planner_tui.services.commands.code_findings import record_code_scan

    store = open_project(project)
    try:
        record_code_scan(store, None, "/srv/x", TODAY, 1, "project", [FoundReference(
            "e", "evil\x1b]52;c;x\x07\nname.py", 1, 1, HAIKU, HAIKU, None, True, "EOL", "error", "python")])
    finally:
        store.close()
    code, out, _ = run(capsys, "discovered", "--db", str(project), "--source", "code")
    assert code == 0 and "evil" in out and "\x1b" not in out and "\x07" not in out
    assert len(out.strip().splitlines()) == 2  # the header and one row
