"""CloudTrail's callers in `discovered` (#17): listed beside the sync's resources (source:
cloudtrail, IDs `tN`) until an application takes one (`discovered accept tN --app APP
[--env ENV]`, as `callers accept` does) or it is dismissed (kept so across syncs)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from planner_tui.domain.aws_records import DiscoveredResource, ResourceKind
from planner_tui.domain.callers import CallerCount
from planner_tui.domain.models import Application, Dependency
from planner_tui.integrations.aws.cloudtrail import CallerScan
from planner_tui.services.commands.callers import dismiss_caller, record_caller_scan
from planner_tui.services.project import open_project
from planner_tui.services.views.discovered import load_discovered

from .cli_helpers import run

TODAY = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 6, tzinfo=dt.UTC)
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"  # Legacy in us-east-1 from 2026-10-08 (bundled)
NOVA = "amazon.nova-pro-v1:0"
PROD, DR = "111122223333", "444455556666"
NOTEBOOK = f"arn:aws:sts::{PROD}:assumed-role/notebooks/jdoe"
DR_ROLE = f"arn:aws:iam::{DR}:role/checkout-dr"
APP = "Checkout"


def scan(account: str, name: str, *counts: tuple[str, str, int, dt.date]) -> CallerScan:
    callers = [CallerCount(account_id=account, account_name=name, region="us-east-1", principal_arn=principal,
                           model_written=model, calls=calls, first_seen=NOW - dt.timedelta(days=60),
                           last_seen=dt.datetime.combine(last, dt.time(9), dt.UTC))
               for principal, model, calls, last in counts]
    return CallerScan(account, name, "us-east-1", NOW - dt.timedelta(days=90), NOW, callers=callers,
                      events=sum(c.calls for c in callers))


@pytest.fixture
def project(db_path: Path) -> Path:
    store = open_project(db_path)
    store.add_application(Application(name=APP, owner="ops"),
                          [Dependency(app_id=0, model_id=NOVA, region="us-east-1")], today=TODAY)
    store.record_discovered([DiscoveredResource(
        region="us-east-1", kind=ResourceKind.BATCH_JOB, resource_id=f"arn:aws:bedrock:us-east-1:{PROD}:job/n",
        name="nightly", model_id=NOVA, account_id=PROD, account_name="prod")], NOW)
    record_caller_scan(store, scan(PROD, "prod", (NOTEBOOK, SONNET_45, 1240, TODAY - dt.timedelta(days=2)),
                                   (f"arn:aws:iam::{PROD}:role/old", "anthropic.claude-v2", 7, TODAY)), NOW)
    record_caller_scan(store, scan(DR, "dr", (DR_ROLE, f"us.{SONNET_45}", 12, TODAY - dt.timedelta(days=20))), NOW)
    store.close()
    return db_path


def ids_of(store, principal: str) -> int:  # noqa: ANN001
    return next(c.id for c in store.callers() if c.principal_arn == principal)


def listed(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> list[dict]:
    code, out, err = run(capsys, "--db", str(db), "--today", TODAY.isoformat(), "discovered", "--json", *extra)
    assert code == 0, err
    return json.loads(out)


def test_callers_are_listed_beside_the_resources_with_their_keys(capsys, project: Path) -> None:
    code, out, _ = run(capsys, "--db", str(project), "--today", TODAY.isoformat(), "discovered")
    assert code == 0
    header, *lines = out.splitlines()
    assert header.split()[:3] == ["ID", "SOURCE", "ACCOUNT"]  # three accounts' rows
    notebook = next(line for line in lines if NOTEBOOK in line)
    assert notebook.split()[:5] == ["t1", "cloudtrail", "prod", f"({PROD})", "us-east-1"]
    assert "1,240 calls, last 2026-11-20" in notebook and "Legacy" in notebook
    dr = next(line for line in lines if DR_ROLE in line)
    assert "idle Legacy" in dr and f"{SONNET_45} via us.{SONNET_45}" in dr
    assert "unknown model anthropic.claude-v2" in out
    assert "accounts inactive for 15 days may lose access" in out
    rows = listed(capsys, project, "--source", "cloudtrail")
    assert {r["key"] for r in rows} == {"t1", "t2", "t3"} and {r["source"] for r in rows} == {"cloudtrail"}
    assert [r["key"] for r in listed(capsys, project, "--account", "dr")] == ["t3"]
    assert [r["source"] for r in listed(capsys, project, "--source", "aws")] == ["aws"]


def test_accepting_a_caller_makes_the_dependency_and_takes_it_off_the_list(capsys, project: Path) -> None:
    code, out, err = run(capsys, "--db", str(project), "--today", TODAY.isoformat(), "discovered", "accept", "t1",
                         "--app", APP, "--env", "staging")
    assert code == 0, err
    assert f"assigned to {APP}: {SONNET_45} in us-east-1, as {NOTEBOOK} calls it" in out
    store = open_project(project)
    try:
        dep = next(d for d in store.dependencies() if d.model_id == SONNET_45)
        assert (dep.region, dep.environment, dep.account_id, dep.account_name) == ("us-east-1", "staging", PROD,
                                                                                  "prod")
        assert NOTEBOOK in dep.notes
        assert any(p.model_id == SONNET_45 and p.is_open for p in store.plans(with_items=False))  # Legacy: a plan
    finally:
        store.close()
    assert "t1" not in {r["key"] for r in listed(capsys, project, "--source", "cloudtrail")}
    everything = {r["key"]: r for r in listed(capsys, project, "--source", "cloudtrail", "--all")}
    assert everything["t1"]["application"] == APP


def test_a_dismissed_caller_stays_dismissed_when_a_sync_counts_it_again(capsys, project: Path) -> None:
    code, out, _ = run(capsys, "--db", str(project), "discovered", "dismiss", "t3")
    assert (code, out.strip()) == (0, "dismissed")
    assert "t3" not in {r.get("key") for r in listed(capsys, project)}
    store = open_project(project)
    try:
        record_caller_scan(store, scan(DR, "dr", (DR_ROLE, f"us.{SONNET_45}", 3, TODAY)), NOW)
        (dr,) = [c for c in store.callers() if c.principal_arn == DR_ROLE]
        assert (dr.calls, dr.dismissed) == (15, True)
        assert DR_ROLE not in {line.caller.principal_arn for line in load_discovered(store, TODAY).callers}
    finally:
        store.close()
    code, _, err = run(capsys, "--db", str(project), "discovered", "dismiss", "t3")  # again: nothing to undo later
    assert (code, err.strip()) == (2, "planner-tui: caller t3 is dismissed already ('discovered --all' lists it).")
    everything = {r["key"]: r for r in listed(capsys, project, "--all", "--source", "cloudtrail")}
    assert everything["t3"]["dismissed"] is True


def test_dismissing_is_undone_and_an_assigned_caller_cannot_be_dismissed(store) -> None:
    store.add_application(Application(name=APP, owner="ops"), [], today=TODAY)
    record_caller_scan(store, scan(PROD, "prod", (NOTEBOOK, SONNET_45, 5, TODAY)), NOW)
    caller_id = ids_of(store, NOTEBOOK)
    change = dismiss_caller(store, caller_id)
    assert load_discovered(store, TODAY).callers == []
    assert change.inverse is not None
    change.inverse()
    assert [line.key for line in load_discovered(store, TODAY).callers] == [f"t{caller_id}"]
    from planner_tui.errors import UserInputError
    from planner_tui.services.commands.callers import accept_caller

    accept_caller(store, caller_id, store.application(APP).id, TODAY)
    with pytest.raises(UserInputError, match=f"{APP}'s dependency already"):
        dismiss_caller(store, caller_id)


@pytest.mark.parametrize(("argv", "message"), [
    (["accept", "t99", "--app", APP], "no caller t99"),
    (["accept", "t2", "--app", APP], "anthropic.claude-v2: the catalog does not know this model"),
    (["accept", "t1", "--app", APP, "--region", "us-west-2"], "--region is for a code finding"),
    (["accept", "1", "--app", APP, "--env", "dev"], "--env is for a caller (tID)"),
    (["accept", "tx", "--app", APP], "not an ID: 'tx'"),
    (["dismiss", "t0"], "not an ID: 't0'"),
    (["accept", "t1", "--app", "Nobody"], "Nobody"),
])
def test_bad_caller_ids_and_options_get_one_clear_line(capsys, project: Path, argv: list[str],
                                                       message: str) -> None:
    before = project.read_bytes()
    code, out, err = run(capsys, "--db", str(project), "--today", TODAY.isoformat(), "discovered", *argv)
    assert code != 0 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    store = open_project(project)
    try:
        assert [d.model_id for d in store.dependencies()] == [NOVA]  # nothing half-done
    finally:
        store.close()
    assert before  # the project was readable before and after


def test_a_project_of_the_previous_schema_keeps_its_callers(tmp_path: Path) -> None:
    """Schema 0024 adds callers.dismissed: callers recorded before are kept, none dismissed."""
    from sqlite_utils import Database, Migrations

    from planner_tui.persistence.schema import MIGRATION_SET, MIGRATIONS

    path = tmp_path / "old.db"
    db = Database(path)
    registry = Migrations(MIGRATION_SET)
    for name, fn in [(name, fn) for name, fn in MIGRATIONS if name < "0024"]:
        registry(name=name)(fn)
    registry.apply(db)
    db.execute("INSERT OR REPLACE INTO planner_meta (key, value) VALUES ('actor', 'test')")
    db.execute("INSERT INTO callers (account_id, region, principal_arn, model_written, model_id, calls, first_seen, "
               "last_seen, synced_until) VALUES (?, 'us-east-1', ?, ?, ?, 4, '2026-11-01T00:00:00+00:00', "
               "'2026-11-20T00:00:00+00:00', '2026-11-21T00:00:00+00:00')", [PROD, NOTEBOOK, SONNET_45, SONNET_45])
    db.conn.commit()
    db.close()
    store = open_project(path)
    try:
        (caller,) = store.callers()
        assert (caller.principal_arn, caller.calls, caller.dismissed, caller.app_id) == (NOTEBOOK, 4, False, None)
        assert [line.caller.id for line in load_discovered(store, TODAY).callers] == [caller.id]
    finally:
        store.close()


def test_dismissing_a_caller_is_in_the_history(capsys, project: Path) -> None:
    assert run(capsys, "--db", str(project), "discovered", "dismiss", "t1")[0] == 0
    code, out, err = run(capsys, "--db", str(project), "history", "--limit", "1")
    assert code == 0, err
    assert f"changed caller '{NOTEBOOK}': dismissed: 0 → 1" in out


def test_a_caller_is_accepted_once_and_named_t_n_everywhere(capsys, project: Path) -> None:
    code, out, err = run(capsys, "--db", str(project), "--today", TODAY.isoformat(), "callers")
    assert code == 0, err
    assert [line.split()[0] for line in out.splitlines()[1:4]] == ["t1", "t3", "t2"]  # most calls first per model
    code, out, err = run(capsys, "--db", str(project), "--today", TODAY.isoformat(), "callers", "accept", "t1",
                         "--app", APP)
    assert code == 0, err
    code, out, err = run(capsys, "--db", str(project), "--today", TODAY.isoformat(), "discovered", "accept", "t1",
                         "--app", APP)
    assert (code, out) == (2, "")
    assert err.strip() == (f"planner-tui: caller t1 is {APP}'s dependency already: undo the assignment, or remove "
                           "the dependency, to change that.")


def test_an_account_no_sync_found_is_refused_with_the_known_ones(capsys, project: Path) -> None:
    code, out, err = run(capsys, "--db", str(project), "--today", TODAY.isoformat(), "discovered", "--account", "prd")
    assert (code, out) == (2, "")
    assert err.strip() == (f"planner-tui: no account 'prd' in what the syncs found; accounts: dr ({DR}), "
                           f"prod ({PROD}).")
