"""Discovery never drops what it finds (#22): variants resolve to their base model, unknown
models are kept, counts match `discovered`, and resources on a model past EOL are an outage at
once. Through real HTTP (the local Bedrock stand-in), with the base ARNs of the Bedrock
customization and Provisioned Throughput pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner_tui.cli import main
from planner_tui.domain.models import Application
from planner_tui.services.project import open_project

from .conftest import TODAY
from .fake_bedrock import FakeBedrock
from .test_aws_sync import ACCESS_KEY, OPUS_41, SECRET_KEY, model_summary

REGION = "us-east-1"
ACCOUNT = "111122223333"
HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0"
HAIKU_200K = f"arn:aws:bedrock:{REGION}::foundation-model/{HAIKU_3}:200k"  # the customization page's base
HAIKU_48K = f"arn:aws:bedrock:{REGION}::foundation-model/{HAIKU_3}:48k"  # a Provisioned Throughput ID
CUSTOM = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:custom-model/{HAIKU_3}:200k/claims7x2"
IMPORTED = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:custom-model/imported9q"
UNKNOWN = "anthropic.claude-3-haiku-20240307-v9:0"


def account_resources() -> dict[str, dict]:
    return {
        "/custom-models": {"modelSummaries": [
            {"modelArn": CUSTOM, "modelName": "claims-haiku", "creationTime": "2025-06-01T00:00:00Z",
             "baseModelArn": HAIKU_200K, "baseModelName": "Claude 3 Haiku"},
            # an imported model: AWS gives no base (botocore's model says required; it was absent)
            {"modelArn": IMPORTED, "modelName": "imported-llm", "creationTime": "2025-07-01T00:00:00Z"},
        ]},
        "/model-customization/custom-model-deployments": {"modelDeploymentSummaries": [
            {"customModelDeploymentArn": f"arn:aws:bedrock:{REGION}:{ACCOUNT}:custom-model-deployment/d1",
             "customModelDeploymentName": "claims-prod", "modelArn": CUSTOM,
             "createdAt": "2025-06-02T00:00:00Z", "status": "Active"}]},
        "/provisioned-model-throughputs": {"provisionedModelSummaries": [{
            "provisionedModelName": "haiku-48k-pt",
            "provisionedModelArn": f"arn:aws:bedrock:{REGION}:{ACCOUNT}:provisioned-model/pt48",
            "modelArn": HAIKU_48K, "desiredModelArn": HAIKU_48K, "foundationModelArn": HAIKU_48K,
            "modelUnits": 1, "desiredModelUnits": 1, "status": "InService",
            "creationTime": "2025-01-01T00:00:00Z", "lastModifiedTime": "2025-01-01T00:00:00Z"}]},
        "/model-invocation-jobs": {"invocationJobSummaries": [{
            "jobArn": f"arn:aws:bedrock:{REGION}:{ACCOUNT}:model-invocation-job/nightly1",
            "jobName": "nightly", "modelId": UNKNOWN, "roleArn": f"arn:aws:iam::{ACCOUNT}:role/batch",
            "submitTime": "2026-11-01T00:00:00Z", "status": "Completed",
            "inputDataConfig": {"s3InputDataConfig": {"s3Uri": "s3://in/"}},
            "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://out/"}}}]},
    }


@pytest.fixture
def synced(db_path: Path, monkeypatch, capsys) -> tuple[int, str]:
    listing = [model_summary(OPUS_41, "ACTIVE")]  # Claude 3 Haiku is EOL here: no longer listed
    with FakeBedrock({}, {REGION: listing}, {REGION: account_resources()}) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK", server.url)
        monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDTRAIL", server.url)  # LookupEvents: the stand-in's
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
        code = main(["sync", "--regions", REGION, "--skip", "usage,health", "--today", "2026-11-22",
                     "--db", str(db_path)])
    out, err = capsys.readouterr()
    return code, out + err


def test_nothing_discovery_finds_is_dropped_and_counts_match(synced, db_path: Path, capsys) -> None:
    code, out = synced
    assert code == 0, out
    assert "5 (5 new)" in out  # two custom models, a deployment, a throughput, a batch job
    assert "2 resource(s) on a model the catalog does not know" in out  # the job, the import
    assert main(["discovered", "--json", "--db", str(db_path), "--today", "2026-11-22"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 5
    by_name = {r["name"]: r for r in listed}
    custom = by_name["claims-haiku"]
    assert (custom["model_id"], custom["variant"], custom["raw_model_id"]) == (
        HAIKU_3, "200k context", f"{HAIKU_3}:200k")
    assert by_name["claims-prod"]["model_id"] == HAIKU_3  # the deployment, through its custom model
    pt = by_name["haiku-48k-pt"]
    assert (pt["kind"], pt["model_id"], pt["variant"]) == ("provisioned-throughput", HAIKU_3, "48k context")
    job = by_name["nightly"]
    assert (job["model_id"], job["model_known"], job["did_you_mean"]) == (UNKNOWN, False, HAIKU_3)
    imported = by_name["imported-llm"]
    assert imported["model_known"] is False and imported["detail"] == "AWS reported no base model"


def test_resources_on_a_model_past_eol_are_an_outage_at_once(synced, db_path: Path, capsys) -> None:
    _, out = synced
    outages = [line for line in out.splitlines() if line.startswith("OUTAGE:")]
    assert len(outages) == 3, out
    assert (f"OUTAGE: custom-model claims-haiku in us-east-1 (account {ACCOUNT}) is on {HAIKU_3} (200k context), "
            "past its EOL in us-east-1: calls to it fail already.") in outages
    assert any("provisioned-throughput haiku-48k-pt" in line and "(48k context)" in line for line in outages)
    assert any("custom-model-deployment claims-prod" in line for line in outages)

    assert main(["discovered", "--db", str(db_path), "--today", "2026-11-22"]) == 0
    listing = capsys.readouterr().out
    assert listing.count("OUTAGE: past EOL") == 3
    assert f"unknown model {UNKNOWN}; did you mean {HAIKU_3}?" in " ".join(listing.split())


def test_status_reports_the_outage_and_fails_ci(synced, db_path: Path, capsys) -> None:
    from planner_tui.services.views.discovered import outages

    project = open_project(db_path)
    try:
        assert sorted(r.resource.name for r in outages(project, TODAY)) == [
            "claims-haiku", "claims-prod", "haiku-48k-pt"]
    finally:
        project.close()
    capsys.readouterr()
    # `status` says so too, and fails CI, with no plan open yet.
    assert main(["status", "--db", str(db_path), "--today", "2026-11-22"]) == 1
    status = capsys.readouterr().out
    assert status.count("OUTAGE: ") == 3
    assert main(["status", "--json", "--db", str(db_path), "--today", "2026-11-22"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["past_eol"] is True and len(document["outages"]) == 3


def test_an_unknown_model_cannot_be_assigned_and_says_what_was_meant(synced, db_path: Path, capsys) -> None:
    project = open_project(db_path)
    project.add_application(Application(name="Claims"), today=TODAY)
    ids = {r.name: r.id for r in project.discovered()}
    project.close()
    capsys.readouterr()
    assert main(["discovered", "accept", str(ids["nightly"]), "--app", "Claims", "--db", str(db_path)]) == 2
    assert f"did you mean {HAIKU_3}?" in capsys.readouterr().err
    assert main(["discovered", "accept", str(ids["claims-haiku"]), "--app", "Claims", "--db", str(db_path),
                 "--today", "2026-11-22"]) == 0
    project = open_project(db_path)
    (dependency,) = project.dependencies()
    assert (dependency.model_id, dependency.access_path.value) == (HAIKU_3, "custom-model")
    assert dependency.notes == "discovered: custom-model claims-haiku (200k context)"
    project.close()


def test_resources_discovered_before_0016_keep_their_model_as_written(tmp_path: Path) -> None:
    import shutil

    path = tmp_path / "old.db"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "demo-schema-0011.db", path)
    project = open_project(path)
    try:
        rows = project.discovered(include_handled=True)
        assert rows and all(r.raw_model_id == r.model_id and r.variant == "" for r in rows)
        # 0017: the account an old resource's ARN names is its account
        assert {r.account_id for r in rows if r.resource_id.startswith("arn:")} == {ACCOUNT}
        audited = project.conn.execute(
            "SELECT COUNT(*) FROM audit_log WHERE table_name = 'discovered'").fetchone()[0]
        project.dismiss_discovered(rows[0].id)
        assert project.conn.execute(  # the audit triggers know the new columns
            "SELECT COUNT(*) FROM audit_log WHERE table_name = 'discovered'").fetchone()[0] == audited + 1
        new = project.conn.execute(
            "SELECT new FROM audit_log WHERE table_name = 'discovered' ORDER BY id DESC").fetchone()[0]
        assert '"raw_model_id"' in new
    finally:
        project.close()
