"""Every account of the organization (#17): `sync --org` and `sync --profiles` through the local
stand-in (Organizations, STS and Bedrock over real HTTP, signing and retries), 20 accounts ×
5 Regions: one account whose role is denied, one throttled Region, one Region not enabled, one
SCP deny. Each failure is one line, the other accounts' results are kept, the account is on
every record, and no session token reaches the project, a backup or an export. CloudTrail's
LookupEvents is served by the same stand-in (tests/fake_cloudtrail.py): callers in three
accounts, a Region whose LookupEvents stays throttled, an idle Legacy dependency."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from planner_tui.cli import main
from planner_tui.services.project import open_project

from .fake_bedrock import SUSPENDED, FakeAccount, FakeBedrock
from .fake_cloudtrail import Call, FakeCloudTrail, FakeTrail
from .test_aws_sync import ACCESS_KEY, OPUS_41, SECRET_KEY, model_summary

REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1", "eu-south-2"]
HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0"
IDS = [f"1000000000{n:02d}" for n in range(1, 21)]
DENIED, THROTTLED, DISABLED, SCP, TUNED = IDS[2], IDS[4], IDS[6], IDS[8], IDS[1]


def custom_model(account: str) -> dict:
    return {"/custom-models": {"modelSummaries": [{
        "modelArn": f"arn:aws:bedrock:us-east-1:{account}:custom-model/{HAIKU_3}:200k/t1",
        "modelName": "claims-haiku", "creationTime": "2025-06-01T00:00:00Z",
        "baseModelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{HAIKU_3}:200k",
        "baseModelName": "Claude 3 Haiku"}]}}


def organization() -> dict[str, FakeAccount]:
    accounts = {a: FakeAccount(name=f"team-{n + 1:02d}") for n, a in enumerate(IDS)}
    accounts[DENIED].role = "denied"
    accounts[THROTTLED].behaviour = {"us-west-2": "throttle"}
    accounts[DISABLED].behaviour = {"eu-south-2": "disabled"}
    accounts[SCP].behaviour = {"eu-west-1": "scp"}
    accounts[TUNED].extra = {"us-east-1": custom_model(TUNED)}
    return accounts


@pytest.fixture
def aws(monkeypatch, tmp_path: Path):
    listing = [model_summary(OPUS_41, "ACTIVE")]
    with FakeBedrock({}, dict.fromkeys(REGIONS, listing), accounts=organization()) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)  # STS, Organizations, Bedrock, …
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        monkeypatch.setenv("AWS_RETRY_MODE", "standard")
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
        yield server


def sync(db_path: Path, *extra: str) -> list[str]:
    return ["sync", "--regions", ",".join(REGIONS), "--skip", "usage,health", "--today", "2026-11-22",
            "--db", str(db_path), *extra]


def test_every_account_of_the_organization(aws: FakeBedrock, db_path: Path, capsys, tmp_path: Path) -> None:
    code = main(sync(db_path, "--org"))
    out, err = capsys.readouterr()
    assert code == 1, out + err  # something failed: partial
    lines = out.splitlines()
    denied = [line for line in lines if "cannot be assumed" in line]
    assert denied == [f"FAILED: account team-03 ({DENIED}): the role OrganizationAccountAccessRole cannot be "
                      "assumed (AccessDenied); check its trust policy (README)."]
    assert sum(f"account team-05 ({THROTTLED}), throttled by AWS in us-west-2" in line for line in lines) == 1
    assert sum("eu-south-2 is not enabled for this account" in line and "team-07" in line for line in lines) == 1
    assert sum("denied by a service control policy (SCP) in eu-west-1" in line and "team-09" in line
               for line in lines) == 1
    assert "sync partial: 19 of 20 account(s), 92 of 100 Region(s) synced." in out  # 5 + 3 failed
    assert "organization: 20 ACTIVE account(s)" in err
    assert f"[team-02 ({TUNED})] 5 of 5 Region(s) done" in err  # progress per account
    assert re.search(rf"\[team-05 \({THROTTLED}\)\] \d of 5 Region\(s\) done \(us-west-2 failed\)", err)

    # One session per account: one AssumeRole each (the denied one tried once), none for SUSPENDED.
    assert aws.assumed[SUSPENDED] == 0
    assert all(aws.assumed[a] == 1 for a in IDS)
    # Every call of a member account was signed with its own assumed credentials.
    assert {account for (account, _, service) in aws.calls if service == "bedrock"} == set(IDS) - {DENIED}

    project = open_project(db_path)
    try:
        (found,) = project.discovered()
        assert (found.account_id, found.account_name, found.model_id) == (TUNED, "team-02", HAIKU_3)
        run = json.loads(project.last_sync()["report"])
        assert run["accounts"] == 20 and len(run["failed_accounts"]) == 1
        assert {(r["account_id"], r["account_name"]) for r in run["regions"]} >= {(SCP, "team-09")}
    finally:
        project.close()

    # The account is in `discovered` and its JSON.
    assert main(["discovered", "--json", "--db", str(db_path), "--today", "2026-11-22"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert (listed["account_id"], listed["account_name"]) == (TUNED, "team-02")

    # No AssumeRole secret or session token anywhere: project, its WAL, a backup, an export.
    backup, export = tmp_path / "backup.db", tmp_path / "export.json"
    assert main(["backup", "-o", str(backup), "--db", str(db_path)]) == 0
    assert main(["export", "json", "-o", str(export), "--db", str(db_path)]) == 0
    written = b"".join(p.read_bytes() for p in [*db_path.parent.glob(db_path.name + "*"), backup, export])
    assert aws.tokens and aws.secrets
    for secret in [*aws.tokens, *aws.secrets, SECRET_KEY]:
        assert secret.encode() not in written
    assert b"ASIA" not in written
    for token in aws.tokens:  # nor on the terminal
        assert token not in out + err


def test_role_name_and_external_id_reach_assume_role(aws: FakeBedrock, db_path: Path, capsys) -> None:
    for account in aws.accounts.values():
        account.external_id = "planner-ext-7"
    assert main(sync(db_path, "--org", "--role-name", "PlannerReadOnly", "--external-id", "planner-ext-7")) == 1
    out = capsys.readouterr().out
    assert "the role PlannerReadOnly cannot be assumed" in out  # only the denied one
    assert main(sync(db_path, "--org")) == 3  # without the external ID: every account refused
    out = capsys.readouterr().out
    assert out.count("cannot be assumed") == 20 and "sync failed: 0 of 20 account(s)" in out


def test_named_profiles_each_sync_as_their_account(aws: FakeBedrock, db_path: Path, capsys, tmp_path: Path,
                                                   monkeypatch) -> None:
    credentials = tmp_path / "credentials"
    credentials.write_text("".join(f"[{name}]\naws_access_key_id = AKIA{account}\n"
                                   f"aws_secret_access_key = s{account}\n\n"
                                   for name, account in (("payments", TUNED), ("search", IDS[10]))))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    code = main(sync(db_path, "--profiles", "payments,search", "--regions", "us-east-1"))
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "sync complete: 2 of 2 account(s), 2 of 2 Region(s) synced." in out
    assert f"payments ({TUNED})" in out and f"search ({IDS[10]})" in out
    project = open_project(db_path)
    try:
        (found,) = project.discovered()
        assert (found.account_id, found.account_name) == (TUNED, "payments")
    finally:
        project.close()
    assert main(sync(db_path, "--profiles", "payments,nobody")) == 2
    assert "'nobody' is not in your AWS config" in capsys.readouterr().err


def test_org_options_are_checked(db_path: Path, capsys) -> None:
    assert main(sync(db_path, "--role-name", "X")) == 2
    assert "--role-name and --external-id go with --org" in capsys.readouterr().err
    assert main(sync(db_path, "--org", "--profiles", "a")) == 2
    assert "not several" in capsys.readouterr().err


def test_health_organizational_view_then_each_account(aws: FakeBedrock, db_path: Path, capsys) -> None:
    aws.health_affected = [TUNED, IDS[5]]
    args = ["sync", "--org", "--regions", "us-east-1", "--skip", "usage,discovery", "--today", "2026-11-22",
            "--db", str(db_path)]
    main(args)
    out = capsys.readouterr().out
    assert "AWS Health (organizational view): 2 Bedrock event(s)." in out
    project = open_project(db_path)
    try:
        events = {(e.account_id, e.account_name, e.entities) for e in project.health_events()}
        assert events == {(TUNED, "team-02", (HAIKU_3,)), (IDS[5], "team-06", (HAIKU_3,))}
    finally:
        project.close()
    # The view off (not enabled, or not the management account): each account's own Health,
    # none with a support plan here: one line for all of them, not one per account.
    aws.health_org = False
    main(args)
    out = capsys.readouterr().out
    assert ("AWS Health API skipped: it needs a Business, Enterprise On-Ramp or Enterprise support plan "
            "(SubscriptionRequiredException) for 19 account(s).") in out


SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"  # Legacy in us-east-1 on 2026-11-22 (bundled)
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
PROD, DR, ANALYTICS = IDS[0], IDS[10], IDS[15]
API, DR_ROLE = f"arn:aws:iam::{PROD}:role/checkout-api", f"arn:aws:iam::{DR}:role/checkout-dr"
ANA = f"arn:aws:iam::{ANALYTICS}:user/ana"


def trails() -> dict[str, FakeTrail]:
    ago = lambda days: NOW - dt.timedelta(days=days)  # noqa: E731
    profile = f"arn:aws:bedrock:us-east-1:{PROD}:inference-profile/us.{SONNET_45}"
    return {
        PROD: FakeTrail({"us-east-1": [Call(ago(1 + n / 100), API, profile, name="Converse") for n in range(60)]
                         + [Call(ago(2), API, OPUS_41)]}, noise=5),
        DR: FakeTrail({"us-east-1": [Call(ago(30), DR_ROLE, SONNET_45), Call(ago(31), DR_ROLE, SONNET_45)]}),
        ANALYTICS: FakeTrail({"us-west-2": [Call(ago(5), ANA, f"us.{OPUS_41}", region="us-west-2")]},
                             behaviour={"eu-west-1": "throttle"}),
        DENIED: FakeTrail({"us-east-1": [Call(ago(1), f"arn:aws:iam::{DENIED}:role/x", OPUS_41)]}),  # never read
    }


def test_org_sync_reads_who_calls_each_model(aws: FakeBedrock, db_path: Path, capsys, tmp_path: Path,
                                            monkeypatch) -> None:
    """The issue's stand-in, end to end: 20 accounts × 5 Regions, a denied role, a throttled
    Region, callers in three accounts, an idle Legacy dependency; one `sync --org`."""
    from planner_tui.domain.models import Application, Dependency
    from planner_tui.integrations.aws import cloudtrail
    from planner_tui.services.commands import portfolio

    from .test_aws_sync import model_summary

    monkeypatch.setattr("planner_tui.cli.sync.now", lambda: NOW)  # the entry point's clock
    monkeypatch.setattr(cloudtrail, "BACKOFF_START", 0.001)  # the throttled Region's backoff, not 31 s
    aws.cloudtrail = FakeCloudTrail(trails())
    sonnet = model_summary(SONNET_45, "LEGACY", legacyTime="2026-10-08T00:00:00Z",
                           publicExtendedAccessTime="2027-01-08T00:00:00Z", endOfLifeTime="2027-04-08T00:00:00Z")
    aws.listings = {r: [model_summary(OPUS_41, "ACTIVE"), sonnet] for r in REGIONS}
    project = open_project(db_path)
    try:
        day = dt.date(2026, 11, 22)
        app = portfolio.add_application(project, Application(name="Checkout"), [], day).result.id
        portfolio.add_dependency(project, Dependency(app_id=app, model_id=SONNET_45, region="us-east-1",
                                                     account_id=DR, account_name="team-11", environment="dr"), day)
    finally:
        project.close()

    code = main(sync(db_path, "--org"))
    out, err = capsys.readouterr()
    assert code == 1, out + err  # results kept, something failed
    lines = out.splitlines()
    assert sum("cannot be assumed" in line for line in lines) == 1
    assert sum(f"account team-05 ({THROTTLED}), throttled by AWS in us-west-2" in line for line in lines) == 1
    throttled = [line for line in lines if "LookupEvents in eu-west-1 stayed throttled" in line]
    assert len(throttled) == 1 and f"team-16 ({ANALYTICS})" in throttled[0]
    assert "sync partial: 19 of 20 account(s), 92 of 100 Region(s) synced." in out
    assert "CloudTrail: 4 new caller(s) of Bedrock models" in out
    # One session per account, its CloudTrail calls signed with its own credentials.
    assert all(aws.assumed[a] == 1 for a in IDS)
    read = {(account, region) for account, region, _ in aws.cloudtrail.requests}
    assert {(PROD, "us-east-1"), (DR, "us-east-1"), (ANALYTICS, "us-west-2")} <= read
    assert not any(account == DENIED for account, _ in read)
    # The throttled Region: the scan's 6 attempts (its backoff), each retried once by botocore.
    assert len(read) == 19 * 5 and aws.cloudtrail.throttled[(ANALYTICS, "eu-west-1")] == 6 * 2

    assert main(["callers", "--json", "--db", str(db_path), "--today", "2026-11-22"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["account_id"], r["account_name"], r["principal_arn"], r["model_id"], r["region"], r["calls"])
            for r in rows} == {
        (PROD, "team-01", API, SONNET_45, "us-east-1", 60), (PROD, "team-01", API, OPUS_41, "us-east-1", 1),
        (DR, "team-11", DR_ROLE, SONNET_45, "us-east-1", 2), (ANALYTICS, "team-16", ANA, OPUS_41, "us-west-2", 1)}
    assert main(["callers", "idle", "--db", str(db_path), "--today", "2026-11-22"]) == 0
    idle = capsys.readouterr().out
    assert "Checkout" in idle and "30 days ago, CloudTrail" in idle

    # A second sync reads only what is new: each scanned account and Region from where it ended.
    project = open_project(db_path)
    try:
        ends = {(s.account_id, s.region): s.synced_until for s in project.caller_scans()}
    finally:
        project.close()
    assert ends[(DR, "us-east-1")] == NOW - cloudtrail.SETTLE and (ANALYTICS, "eu-west-1") not in ends

    # No AssumeRole secret or session token in the project, its WAL, a backup or an export.
    backup, export = tmp_path / "backup.db", tmp_path / "export.json"
    assert main(["backup", "-o", str(backup), "--db", str(db_path)]) == 0
    assert main(["export", "json", "-o", str(export), "--db", str(db_path)]) == 0
    written = b"".join(p.read_bytes() for p in [*db_path.parent.glob(db_path.name + "*"), backup, export])
    assert API.encode() in written  # the callers were written …
    for secret in [*aws.tokens, *aws.secrets, SECRET_KEY]:  # … and no credential with them
        assert secret.encode() not in written
    assert b"ASIA" not in written
