"""The sync end to end: merging rules, and real HTTP through a local Bedrock stand-in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import boto3
import pytest

from planner_tui.cli import main
from planner_tui.domain.aws_records import DiscoveredResource, ListedModel, ResourceKind
from planner_tui.domain.models import Application, Dependency
from planner_tui.integrations.aws.sync import SyncFailed, run_sync
from planner_tui.services.project import open_project

from .conftest import TODAY
from .fake_bedrock import FakeBedrock

OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0"
FETCHED = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETzz"
ACCESS_KEY = "AKIAPLANNERTESTKEY01"
SESSION_TOKEN = "FwoGZXIvYXdzEPLANNERsessionTOKENvalue"


def listed(model_id: str, status: str = "ACTIVE", **dates) -> ListedModel:
    return ListedModel(model_id=model_id, name=model_id, provider="Anthropic", status=status, **dates)


def test_api_dates_win_over_bundled_but_not_over_hand_entered(store) -> None:
    store.set_lifecycle_date(OPUS_41, "us-east-2", "eol_date", dt.date(2027, 5, 1))
    for region in ("us-east-1", "us-east-2"):
        store.apply_region_listing(region, [
            listed(OPUS_41, "LEGACY", legacy_date=dt.date(2026, 7, 8), pea_date=dt.date(2026, 10, 8),
                   eol_date=dt.date(2027, 2, 1)),
        ], FETCHED, TODAY)
    rows = {r["region"]: r for r in store._rows("SELECT * FROM lifecycle WHERE model_id = ?", [OPUS_41])}
    assert rows["us-east-1"]["eol_date"] == "2027-02-01"
    assert rows["us-east-1"]["source"] == "AWS API, us-east-1, at 2026-11-22T08:00:00+00:00"
    assert rows["us-east-2"]["eol_date"] == "2027-05-01"  # typed by hand: kept
    assert rows["us-west-2"]["eol_date"] == "2027-01-08"  # not synced: bundled value stays
    history = [h for h in store.lifecycle_history(OPUS_41) if h["source"].startswith("AWS API")]
    assert [(h["region"], h["old_value"], h["new_value"]) for h in history] == [
        ("us-east-1", "2027-01-08", "2027-02-01")]


def test_a_model_gone_from_the_listing_after_its_eol_becomes_eol(store) -> None:
    store.apply_region_listing("us-east-1", [listed(OPUS_41, "LEGACY")], FETCHED, TODAY)
    status = {r["model_id"]: r["declared_status"] for r in store._rows(
        "SELECT * FROM lifecycle WHERE region = 'us-east-1'")}
    assert status[HAIKU_3] == "EOL"  # EOL 2026-09-10, no longer listed
    assert status[OPUS_41] == "Legacy"  # listed


def test_new_models_and_accepted_discoveries(store) -> None:
    counts = store.apply_region_listing("us-east-1", [listed("anthropic.claude-opus-5-v1:0")],
                                        FETCHED, TODAY)
    assert counts["new_models"] == 1
    assert "us-east-1" in store.offered_regions("anthropic.claude-opus-5-v1:0")
    app = store.add_application(Application(name="Contracts"), today=TODAY)
    new = store.record_discovered([DiscoveredResource(
        region="us-east-1", kind=ResourceKind.PROVISIONED, resource_id="arn:aws:bedrock:pt/1",
        name="pt", model_id=OPUS_41)], FETCHED)
    assert new == 1
    assert store.record_discovered([DiscoveredResource(
        region="us-east-1", kind=ResourceKind.PROVISIONED, resource_id="arn:aws:bedrock:pt/1",
        name="pt", model_id=OPUS_41)], FETCHED) == 0
    (proposal,) = store.discovered()
    store.accept_discovered(proposal.id, app.id, TODAY)
    assert store.discovered() == []
    (dependency,) = store.dependencies(app.id)
    assert dependency.access_path.value == "provisioned-throughput"
    assert [p.model_id for p in store.plans()] == [OPUS_41]


def test_no_credentials_fails_with_one_line(store) -> None:
    with pytest.raises(SyncFailed, match="no AWS credentials"):
        run_sync(store, boto3.Session(), ["us-east-1"], TODAY)


def model_summary(model_id: str, status: str, **lifecycle) -> dict:
    return {"modelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{model_id}", "modelId": model_id,
            "modelName": model_id, "providerName": "Anthropic", "inputModalities": ["TEXT"],
            "outputModalities": ["TEXT"], "responseStreamingSupported": True,
            "modelLifecycle": {"status": status, **lifecycle}}


def test_sync_through_real_http_with_a_throttling_and_a_failing_region(
        capsys, db_path: Path, monkeypatch) -> None:
    project = open_project(db_path)
    project.add_application(Application(name="Contracts"), [
        Dependency(app_id=0, model_id=OPUS_41, region="us-east-1")], today=TODAY)
    project.close()
    opus = model_summary(OPUS_41, "LEGACY", legacyTime="2026-07-08T00:00:00Z",
                         publicExtendedAccessTime="2026-10-08T00:00:00Z",
                         endOfLifeTime="2027-02-01T00:00:00Z")
    behaviour = {"us-west-2": "throttle", "eu-west-1": "error"}
    listings = {"us-east-1": [opus, model_summary("anthropic.claude-opus-5-v1:0", "ACTIVE")],
                "ap-northeast-1": [model_summary("anthropic.claude-opus-5-v1:0", "ACTIVE")]}
    extra = {"us-east-1": {"/provisioned-model-throughputs": {"provisionedModelSummaries": [{
        "provisionedModelName": "contract-pt",
        "provisionedModelArn": "arn:aws:bedrock:us-east-1:111122223333:provisioned-model/pt1",
        "modelArn": opus["modelArn"], "desiredModelArn": opus["modelArn"],
        "foundationModelArn": opus["modelArn"], "modelUnits": 1, "desiredModelUnits": 1,
        "status": "InService", "creationTime": "2026-01-01T00:00:00Z",
        "lastModifiedTime": "2026-01-01T00:00:00Z"}]}}}
    with FakeBedrock(behaviour, listings, extra) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK", server.url)
        monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDTRAIL", server.url)  # LookupEvents: the stand-in's
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        monkeypatch.setenv("AWS_RETRY_MODE", "standard")
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
        code = main(["sync", "--regions", "us-east-1,ap-northeast-1,us-west-2,eu-west-1",
                     "--skip", "usage,health", "--today", "2026-11-22", "--db", str(db_path)])
        requests = server.requests
    out, err = capsys.readouterr()
    assert code == 1, out + err  # partial
    assert "sync partial: 2 of 4 Region(s) synced." in out
    assert "throttled by AWS in us-west-2 (bedrock:ListFoundationModels) after 2 attempts" in out
    assert "bedrock:ListFoundationModels failed in eu-west-1: InternalServerException" in out
    assert requests[("us-west-2", "/foundation-models")] == 2  # botocore retried once
    assert "[ap-northeast-1] listing foundation models" in err

    project = open_project(db_path)
    rows = {r["region"]: r for r in project._rows("SELECT * FROM lifecycle WHERE model_id = ?", [OPUS_41])}
    assert rows["us-east-1"]["eol_date"] == "2027-02-01"
    assert rows["us-east-1"]["source"].startswith("AWS API, us-east-1, at ")
    assert "ap-northeast-1" in project.offered_regions("anthropic.claude-opus-5-v1:0")
    (proposal,) = project.discovered()
    assert (proposal.kind, proposal.model_id) == (ResourceKind.PROVISIONED, OPUS_41)
    run = project.last_sync()
    assert run["outcome"] == "partial"
    project.close()

    # No credential, token or signature is stored anywhere in the project.
    stored = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    for secret in (ACCESS_KEY, SECRET_KEY, SESSION_TOKEN):
        assert secret.encode() not in stored
    assert b"Signature=" not in stored and b"Credential=" not in stored


def test_every_region_failing_is_a_failed_sync(capsys, db_path: Path, monkeypatch) -> None:
    with FakeBedrock({"us-east-1": "error", "us-west-2": "error"}, {}) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK", server.url)
        monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDTRAIL", server.url)  # LookupEvents: the stand-in's
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
        code = main(["sync", "--regions", "us-east-1,us-west-2", "--skip", "usage,health",
                     "--db", str(db_path)])
    out, _ = capsys.readouterr()
    assert code == 3
    assert "sync failed" in out


def test_the_collector_is_back_to_normal_after_a_sync(store, monkeypatch) -> None:
    """The sync keeps what lived before it out of the cyclic collector's passes (gc.freeze),
    and hands it back when it ends, whether its Regions succeeded or failed."""
    import gc

    frozen = []
    real_freeze = gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: (real_freeze(), frozen.append(gc.get_freeze_count())))
    with FakeBedrock({"us-east-1": "error"}, {"us-west-2": [model_summary(OPUS_41, "ACTIVE")]}) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK", server.url)
        monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDTRAIL", server.url)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
        report = run_sync(store, boto3.Session(region_name="us-east-1"), ["us-east-1", "us-west-2"], TODAY,
                          skip=frozenset({"usage", "health"}))
    assert report.outcome == "partial"
    assert frozen and frozen[0] > 0  # the project and the sessions were set aside during the sync
    assert gc.get_freeze_count() == 0
