"""Every account of the organization (#17): `sync --org` and `sync --profiles` through the local
stand-in (Organizations, STS and Bedrock over real HTTP, signing and retries), 20 accounts ×
5 Regions: one account whose role is denied, one throttled Region, one Region not enabled, one
SCP deny. Each failure is one line, the other accounts' results are kept, the account is on
every record, and no session token reaches the project, a backup or an export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from planner_tui.cli import main
from planner_tui.services.project import open_project

from .fake_bedrock import SUSPENDED, FakeAccount, FakeBedrock
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
