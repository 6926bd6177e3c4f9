"""Who calls each model: stored counts merged scan after scan, a caller accepted as a
dependency (and taken back), the idle-Legacy rule on the bundled lifecycle dates, and the
`callers` command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from planner_tui.cli import main
from planner_tui.domain.aws_records import UsagePoint
from planner_tui.domain.callers import CallerCount, IdleEvidence, idle_reasons
from planner_tui.domain.lifecycle import status_in_region
from planner_tui.domain.models import Application, Dependency
from planner_tui.domain.vocabulary import AccessPath, Status
from planner_tui.integrations.aws.cloudtrail import CallerScan
from planner_tui.services.commands import portfolio
from planner_tui.services.commands.callers import accept_caller, record_caller_scan
from planner_tui.services.project import open_project
from planner_tui.services.views.callers import caller_lines, idle_legacy_dependencies

from .conftest import TODAY

REGION = "us-east-1"
PROD, DR = "111122223333", "444455556666"
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"  # Legacy in us-east-1 from 2026-10-08 (bundled)
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"  # PEA in us-east-1 from 2026-10-08, EOL 2027-01-08
ROLE = f"arn:aws:iam::{PROD}:role/checkout-api"
DR_ROLE = f"arn:aws:iam::{DR}:role/checkout-dr"
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def count(principal: str, model: str, first: dt.date, last: dt.date, calls: int, account: str = PROD,
          name: str = "prod-payments") -> CallerCount:
    return CallerCount(account_id=account, account_name=name, region=REGION, principal_arn=principal,
                       model_written=model, calls=calls, first_seen=at(first), last_seen=at(last))


def a_scan(callers: list[CallerCount], account: str = PROD, name: str = "prod-payments",
           start: dt.datetime = NOW - dt.timedelta(days=90), end: dt.datetime = NOW) -> CallerScan:
    return CallerScan(account, name, REGION, start, end, callers=callers, events=sum(c.calls for c in callers))


# -- the rule -------------------------------------------------------------------------------


def test_idle_legacy_rule_on_the_bundled_dates(store) -> None:
    legacy_day = dt.date(2026, 10, 8)  # Sonnet 4.5 turns Legacy in us-east-1 (bundled lifecycle page)
    status = status_in_region(store.lifecycles(SONNET_45), SONNET_45, REGION, TODAY)
    assert status is Status.LEGACY
    assert status_in_region(store.lifecycles(OPUS_41), OPUS_41, REGION, TODAY) is Status.PEA
    sixteen, fifteen = TODAY - dt.timedelta(days=16), TODAY - dt.timedelta(days=15)
    assert idle_reasons(status, IdleEvidence(last_call=sixteen), TODAY) == (
        f"last call {sixteen} (16 days ago, CloudTrail)",)
    assert idle_reasons(status, IdleEvidence(last_call=fifteen), TODAY) == ()
    assert idle_reasons(Status.PEA, IdleEvidence(newest_invocation=sixteen), TODAY) == (
        f"newest Invocations {sixteen} (16 days ago, CloudWatch)",)
    # the day before it turned Legacy it was Active: nothing to flag however idle
    before = legacy_day - dt.timedelta(days=1)
    active = status_in_region(store.lifecycles(SONNET_45), SONNET_45, REGION, before)
    assert active is Status.ACTIVE
    assert idle_reasons(active, IdleEvidence(last_call=before - dt.timedelta(days=60)), before) == ()
    # read but nothing seen: flagged once the covered span is longer than 15 days
    assert idle_reasons(status, IdleEvidence(calls_from=TODAY - dt.timedelta(days=90)), TODAY) == (
        f"no call since {TODAY - dt.timedelta(days=90)} (CloudTrail)",)
    assert idle_reasons(status, IdleEvidence(invocations_from=TODAY - dt.timedelta(days=30)), TODAY) == (
        f"no Invocations since {TODAY - dt.timedelta(days=30)} (CloudWatch)",)
    # nothing read: nothing claimed
    assert idle_reasons(status, IdleEvidence(), TODAY) == ()
    # both sources, each its own reason
    both = idle_reasons(status, IdleEvidence(last_call=sixteen, newest_invocation=sixteen), TODAY)
    assert len(both) == 2


# -- storage ---------------------------------------------------------------------------------


def test_counts_merge_scan_after_scan_and_the_next_scan_starts_where_the_last_ended(store) -> None:
    first = a_scan([count(ROLE, SONNET_45, dt.date(2026, 9, 1), dt.date(2026, 10, 1), 40),
                    count(ROLE, f"us.{SONNET_45}", dt.date(2026, 9, 5), dt.date(2026, 9, 30), 5)],
                   end=NOW - dt.timedelta(days=7))
    recorded = record_caller_scan(store, first, NOW - dt.timedelta(days=7))
    assert (recorded.new, recorded.updated) == (2, 0)
    assert store.caller_scan_end(PROD, REGION) == NOW - dt.timedelta(days=7)
    second = a_scan([count(ROLE, SONNET_45, dt.date(2026, 11, 16), dt.date(2026, 11, 20), 2)],
                    start=NOW - dt.timedelta(days=7))
    recorded = record_caller_scan(store, second, NOW)
    assert (recorded.new, recorded.updated) == (0, 1)
    direct, via_profile = sorted(store.callers(SONNET_45), key=lambda c: c.model_written)
    assert (direct.calls, direct.first_seen.date(), direct.last_seen.date()) == (
        42, dt.date(2026, 9, 1), dt.date(2026, 11, 20))
    assert (via_profile.model_id, via_profile.profile_id) == (SONNET_45, f"us.{SONNET_45}")
    assert store.caller_scan_end(PROD, REGION) == NOW
    (scanned,) = store.caller_scans()
    assert scanned.window_start == NOW - dt.timedelta(days=90)  # the oldest read, kept
    assert store.callers(f"us.{SONNET_45}") == [via_profile]
    assert store.caller_scan_end(DR, REGION) is None


def test_callers_of_a_legacy_model_last_seen_long_ago_are_flagged_idle(store) -> None:
    record_caller_scan(store, a_scan([count(ROLE, SONNET_45, dt.date(2026, 9, 1), TODAY - dt.timedelta(days=2), 9),
                                      count(DR_ROLE, SONNET_45, dt.date(2026, 9, 1), TODAY - dt.timedelta(days=20),
                                            1, account=DR, name="dr")]), NOW)
    lines = {line.caller.principal_arn: line for line in caller_lines(store, TODAY, SONNET_45)}
    assert not lines[ROLE].idle and lines[ROLE].flag == "Legacy"
    assert lines[DR_ROLE].idle and lines[DR_ROLE].flag == "idle Legacy"
    assert lines[DR_ROLE].account == f"dr ({DR})"
    assert lines[DR_ROLE].as_json()["idle"] is True


# -- accepting a caller ---------------------------------------------------------------------


@pytest.fixture
def app(store) -> int:
    saved = portfolio.add_application(store, Application(name="Checkout", owner="ana"), [], TODAY).result
    return saved.id


def test_accepting_a_caller_adds_the_dependency_deps_add_would_and_undo_takes_it_back(store, app) -> None:
    record_caller_scan(store, a_scan([count(ROLE, f"arn:aws:bedrock:{REGION}:{PROD}:inference-profile/us.{SONNET_45}",
                                            dt.date(2026, 11, 1), dt.date(2026, 11, 20), 3)]), NOW)
    (caller,) = store.callers()
    change = accept_caller(store, caller.id, app, TODAY)
    (dependency,) = store.dependencies(app)
    assert (dependency.model_id, dependency.region, dependency.access_path, dependency.resource_id) == (
        SONNET_45, REGION, AccessPath.INFERENCE_PROFILE, f"us.{SONNET_45}")
    assert (dependency.account_id, dependency.account_name) == (PROD, "prod-payments")
    assert ROLE in dependency.notes
    assert change.result == dependency.id
    assert store.caller(caller.id).app_id == app
    assert any(p.model_id == SONNET_45 and p.is_open for p in store.plans(with_items=False))  # a plan opened
    redo = change.inverse()
    assert store.dependencies(app) == [] and store.caller(caller.id).app_id is None
    redo.inverse()
    assert len(store.dependencies(app)) == 1 and store.caller(caller.id).app_id == app


def test_accepting_a_caller_the_application_already_has_keeps_its_dependency_on_undo(store, app) -> None:
    portfolio.add_dependency(store, Dependency(app_id=app, model_id=SONNET_45, region=REGION), TODAY)
    record_caller_scan(store, a_scan([count(ROLE, SONNET_45, dt.date(2026, 11, 1), dt.date(2026, 11, 20), 3)]), NOW)
    (caller,) = store.callers()
    change = accept_caller(store, caller.id, app, TODAY)
    (dependency,) = store.dependencies(app)
    assert change.result == dependency.id
    change.inverse()
    assert store.dependencies(app) == [dependency] and store.caller(caller.id).app_id is None


def test_idle_legacy_dependencies_from_cloudtrail_and_cloudwatch(store, app) -> None:
    portfolio.add_dependency(store, Dependency(app_id=app, model_id=SONNET_45, region=REGION, account_id=DR,
                                               account_name="dr", environment="dr"), TODAY)
    portfolio.add_dependency(store, Dependency(app_id=app, model_id=SONNET_45, region=REGION, account_id=PROD,
                                               account_name="prod-payments"), TODAY)
    assert idle_legacy_dependencies(store, TODAY) == []  # nothing read yet: nothing claimed
    record_caller_scan(store, a_scan([count(ROLE, SONNET_45, dt.date(2026, 9, 1), TODAY - dt.timedelta(days=1), 90)]),
                       NOW)
    record_caller_scan(store, a_scan([count(DR_ROLE, SONNET_45, dt.date(2026, 9, 1), TODAY - dt.timedelta(days=30),
                                            2, account=DR, name="dr")], account=DR, name="dr"), NOW)
    (idle,) = idle_legacy_dependencies(store, TODAY)
    assert (idle.dependency.account_id, idle.status) == (DR, Status.LEGACY)
    assert idle.reasons == (f"last call {TODAY - dt.timedelta(days=30)} (30 days ago, CloudTrail)",)
    assert "may lose access" in idle.warning
    # CloudWatch: the production account's newest Invocations data point is 20 days old
    store.record_usage([UsagePoint(region=REGION, model_id=f"us.{SONNET_45}", metric="Invocations",
                                   day=TODAY - dt.timedelta(days=d), value=5.0 if d == 20 else 0.0,
                                   account_id=PROD, account_name="prod-payments") for d in range(1, 31)])
    flagged = {i.dependency.account_id: i.reasons for i in idle_legacy_dependencies(store, TODAY)}
    assert flagged[PROD] == (f"newest Invocations {TODAY - dt.timedelta(days=20)} (20 days ago, CloudWatch)",)


# -- the command ----------------------------------------------------------------------------


def run(capsys, db: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["callers", *argv, "--db", str(db), "--today", TODAY.isoformat()])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def recorded(db_path: Path) -> Path:
    store = open_project(db_path)
    try:
        app_id = portfolio.add_application(store, Application(name="Checkout", owner="ana"), [], TODAY).result.id
        portfolio.add_dependency(store, Dependency(app_id=app_id, model_id=SONNET_45, region=REGION, account_id=DR,
                                                   account_name="dr"), TODAY)
        record_caller_scan(store, a_scan([count(ROLE, f"us.{SONNET_45}", dt.date(2026, 9, 1), TODAY, 1200),
                                          count(ROLE, OPUS_41, dt.date(2026, 9, 1), TODAY, 7)]), NOW)
        record_caller_scan(store, a_scan([count(DR_ROLE, SONNET_45, dt.date(2026, 9, 1),
                                                TODAY - dt.timedelta(days=40), 3, account=DR, name="dr")],
                                         account=DR, name="dr"), NOW)
    finally:
        store.close()
    return db_path


def test_callers_lists_account_region_principal_calls_last_call_and_idle_flag(capsys, recorded) -> None:
    code, out, err = run(capsys, recorded)
    assert code == 0 and err == ""
    assert "ACCOUNT" in out and "LAST CALL" in out and "prod-payments (111122223333)" in out
    assert f"{SONNET_45} via us.{SONNET_45}" in out and "1,200" in out
    assert "idle Legacy" in out and f"{DR_ROLE} last called {SONNET_45}" in out
    code, out, _ = run(capsys, recorded, SONNET_45, "--json")
    rows = json.loads(out)
    assert code == 0 and {r["principal_arn"] for r in rows} == {ROLE, DR_ROLE}
    assert {r["account_id"]: r["idle"] for r in rows} == {PROD: False, DR: True}
    code, out, _ = run(capsys, recorded, "--account", "dr", "--json")
    assert [r["principal_arn"] for r in json.loads(out)] == [DR_ROLE]


def test_callers_idle_lists_the_idle_legacy_dependency(capsys, recorded) -> None:
    code, out, _ = run(capsys, recorded, "idle")
    assert code == 0 and "Checkout" in out and "40 days ago, CloudTrail" in out and "may lose access" in out
    code, out, _ = run(capsys, recorded, "idle", "--json")
    (row,) = json.loads(out)
    assert (row["application"], row["account_id"], row["status"]) == ("Checkout", DR, "Legacy")


def test_callers_accept_makes_a_dependency(capsys, recorded) -> None:
    code, out, _ = run(capsys, recorded, "--json")
    opus = next(r for r in json.loads(out) if r["model_id"] == OPUS_41)
    code, out, err = run(capsys, recorded, "accept", str(opus["id"]), "--app", "Checkout")
    assert code == 0, err
    assert f"Checkout now uses {OPUS_41} in {REGION}, as {ROLE} calls it" in out
    code, out, _ = run(capsys, recorded, OPUS_41)
    assert "Checkout" in out
    store = open_project(recorded)
    try:
        assert any(d.model_id == OPUS_41 and d.account_id == PROD for d in store.dependencies())
    finally:
        store.close()


@pytest.mark.parametrize(("argv", "said"), [
    (("accept",), "needs the caller's ID and --app"),
    (("accept", "99", "--app", "Checkout"), "no caller t99"),
    (("accept", "x", "--app", "Checkout"), "invalid id 'x'"),
    (("accept", "1", "--app", "Nobody"), "Nobody"),
    (("anthropic.claude-sonet-4-5-20250929-v1:0",), "did you mean"),
    ((SONNET_45, "3"), "unexpected '3'"),
    (("--app", "Checkout"), "--app goes with"),
])
def test_callers_bad_input_is_one_line_exit_2(capsys, recorded, argv, said) -> None:
    code, out, err = run(capsys, recorded, *argv)
    assert code == 2 and said in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_callers_before_any_scan_says_how_to_get_them(capsys, recorded, tmp_path) -> None:
    empty = tmp_path / "empty.db"
    open_project(empty).close()
    code, out, _ = run(capsys, empty)
    assert code == 0 and "cloudtrail:LookupEvents" in out
    code, out, err = run(capsys, recorded, "--account", "nobody")  # a typo is not 'no caller'
    assert (code, out) == (2, "") and "no account 'nobody' in what the syncs found; accounts: " in err
    assert "dr (" in err


def test_callers_of_a_model_named_by_its_arn_or_a_profile(capsys, recorded) -> None:
    for named in (f"arn:aws:bedrock:{REGION}::foundation-model/{SONNET_45}", f"eu.{SONNET_45}",
                  f"arn:aws:bedrock:{REGION}:{PROD}:inference-profile/us.{SONNET_45}"):
        code, out, _ = run(capsys, recorded, named, "--json")
        assert code == 0 and {r["principal_arn"] for r in json.loads(out)} == {ROLE, DR_ROLE}, named
    code, out, _ = run(capsys, recorded, f"us.{SONNET_45}", "--json")
    assert [r["principal_arn"] for r in json.loads(out)] == [ROLE]  # through that profile only


def test_accepting_in_a_read_only_project_changes_nothing(capsys, recorded) -> None:
    code, out, _ = run(capsys, recorded, "--json")
    first = json.loads(out)[0]["id"]
    code, out, err = run(capsys, recorded, "accept", str(first), "--app", "Checkout", "--read-only")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    code, out, _ = run(capsys, recorded, "--json")
    assert all(r["application"] is None for r in json.loads(out))


def test_a_scan_of_the_unasked_standard_account_takes_the_account_its_principals_name(store) -> None:
    record_caller_scan(store, a_scan([count(ROLE, SONNET_45, dt.date(2026, 11, 1), dt.date(2026, 11, 20), 3,
                                            account="", name=""),
                                      count("lambda.amazonaws.com", SONNET_45, dt.date(2026, 11, 1),
                                            dt.date(2026, 11, 20), 1, account="", name="")],
                                     account="", name=""), NOW)
    assert {c.principal_arn: c.account_id for c in store.callers()} == {ROLE: PROD, "lambda.amazonaws.com": ""}
    assert store.caller_scan_end("", REGION) == NOW


def test_an_accepted_caller_goes_into_the_json_document_as_its_dependency_with_its_account(
        capsys, recorded, tmp_path) -> None:
    """As with discovered resources, the document holds what the user made of the callers
    (each accepted one is a dependency, with its account), not the counts a sync reads again."""
    code, out, _ = run(capsys, recorded, "--json")
    opus = next(r for r in json.loads(out) if r["model_id"] == OPUS_41)
    assert run(capsys, recorded, "accept", str(opus["id"]), "--app", "Checkout")[0] == 0
    export = tmp_path / "export.json"
    assert main(["export", "json", "-o", str(export), "--db", str(recorded)]) == 0
    document = json.loads(export.read_text())
    (checkout,) = document["applications"]
    accepted = next(d for d in checkout["dependencies"] if d["model_id"] == OPUS_41)
    assert (accepted["account_id"], accepted["account_name"], accepted["region"]) == (PROD, "prod-payments", REGION)
    assert ROLE in accepted["notes"]
    assert "callers" not in document and DR_ROLE not in export.read_text()  # the counts are not in it

    copy = tmp_path / "copy.db"
    open_project(copy).close()
    assert main(["import", "json", str(export), "--db", str(copy), "--today", TODAY.isoformat()]) == 0
    capsys.readouterr()
    store = open_project(copy)
    try:
        assert {(d.model_id, d.account_id, d.account_name) for d in store.dependencies()} == {
            (SONNET_45, DR, "dr"), (OPUS_41, PROD, "prod-payments")}
        assert store.callers() == []  # the next sync of this project reads them (the last 90 days)
    finally:
        store.close()
    again = tmp_path / "again.json"
    assert main(["export", "json", "-o", str(again), "--db", str(copy)]) == 0
    assert json.loads(again.read_text())["applications"] == document["applications"]
