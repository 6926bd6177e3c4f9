"""Each AWS call shape through botocore's Stubber, and CloudWatch through moto."""

from __future__ import annotations

import datetime as dt

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from planner_tui.domain.aws_records import ResourceKind
from planner_tui.integrations.aws import bedrock, health, usage

REGION = "us-east-1"
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
ARN = f"arn:aws:bedrock:{REGION}::foundation-model/"
ACCOUNT_ARN = f"arn:aws:bedrock:{REGION}:111122223333:"


@pytest.fixture(autouse=True)
def _moto_answers_at_the_real_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto answers in-process at AWS's own endpoints: the refused endpoint every other test
    gets (conftest) would bypass it."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)


@pytest.fixture
def client():
    return boto3.client("bedrock", region_name=REGION, aws_access_key_id="testing",
                        aws_secret_access_key="testing")


def summary(model_id: str, status: str = "ACTIVE", **lifecycle) -> dict:
    return {
        "modelArn": ARN + model_id, "modelId": model_id, "modelName": model_id.split(".")[1],
        "providerName": "Anthropic", "inputModalities": ["TEXT", "IMAGE"], "outputModalities": ["TEXT"],
        "responseStreamingSupported": True, "customizationsSupported": [],
        "inferenceTypesSupported": ["ON_DEMAND", "INFERENCE_PROFILE"],
        "modelLifecycle": {"status": status, **lifecycle},
    }


def test_list_models_reads_lifecycle_timestamps(client) -> None:
    with Stubber(client) as stub:
        stub.add_response("list_foundation_models", {"modelSummaries": [
            summary(SONNET_45, "LEGACY",
                    startOfLifeTime=dt.datetime(2025, 9, 29, tzinfo=dt.UTC),
                    legacyTime=dt.datetime(2026, 10, 8, tzinfo=dt.UTC),
                    publicExtendedAccessTime=dt.datetime(2027, 1, 8, tzinfo=dt.UTC),
                    endOfLifeTime=dt.datetime(2027, 4, 8, tzinfo=dt.UTC)),
            summary("anthropic.claude-opus-4-5-20251101-v1:0"),
        ]})
        listed = bedrock.list_models(client)
    legacy, active = listed
    assert (legacy.status, legacy.legacy_date, legacy.pea_date, legacy.eol_date, legacy.launch_date) == (
        "LEGACY", dt.date(2026, 10, 8), dt.date(2027, 1, 8), dt.date(2027, 4, 8), dt.date(2025, 9, 29))
    assert legacy.input_modalities == ("Image", "Text") and legacy.streaming
    assert active.status == "ACTIVE" and active.eol_date is None


def test_discovery_maps_every_resource_back_to_its_model(client) -> None:
    custom_arn = ACCOUNT_ARN + "custom-model/tuned"
    with Stubber(client) as stub:
        # custom models first: deployments, throughput and jobs on one name its ARN
        stub.add_response("list_custom_models", {"modelSummaries": [{
            "modelArn": custom_arn, "modelName": "tuned", "creationTime": dt.datetime(2026, 1, 1),
            "baseModelArn": ARN + "meta.llama3-3-70b-instruct-v1:0", "baseModelName": "Llama 3.3",
        }]})
        stub.add_response("list_inference_profiles", {"inferenceProfileSummaries": [{
            "inferenceProfileName": "US Sonnet 4.5", "inferenceProfileArn": ACCOUNT_ARN + "inference-profile/x",
            "inferenceProfileId": f"us.{SONNET_45}", "status": "ACTIVE", "type": "SYSTEM_DEFINED",
            "models": [{"modelArn": ARN + SONNET_45},
                       {"modelArn": f"arn:aws:bedrock:us-west-2::foundation-model/{SONNET_45}"}],
        }]}, {"typeEquals": "SYSTEM_DEFINED"})
        stub.add_response("list_inference_profiles", {"inferenceProfileSummaries": []},
                          {"typeEquals": "APPLICATION"})
        stub.add_response("list_provisioned_model_throughputs", {"provisionedModelSummaries": [{
            "provisionedModelName": "contract-pt", "provisionedModelArn": ACCOUNT_ARN + "provisioned-model/pt1",
            "modelArn": ARN + OPUS_41, "desiredModelArn": ARN + OPUS_41, "foundationModelArn": ARN + OPUS_41,
            "modelUnits": 1, "desiredModelUnits": 1, "status": "InService",
            "creationTime": dt.datetime(2026, 1, 1), "lastModifiedTime": dt.datetime(2026, 1, 1),
        }]})
        stub.add_response("list_model_invocation_jobs", {"invocationJobSummaries": [{
            "jobArn": ACCOUNT_ARN + "model-invocation-job/j1", "jobName": "nightly",
            "modelId": f"us.{SONNET_45}", "roleArn": "arn:aws:iam::111122223333:role/batch",
            "submitTime": dt.datetime(2026, 11, 1), "status": "Completed",
            "inputDataConfig": {"s3InputDataConfig": {"s3Uri": "s3://in/"}},
            "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://out/"}},
        }]})
        stub.add_response("list_custom_model_deployments", {"modelDeploymentSummaries": [{
            "customModelDeploymentArn": ACCOUNT_ARN + "custom-model-deployment/d1",
            "customModelDeploymentName": "tuned-prod", "modelArn": custom_arn,
            "createdAt": dt.datetime(2026, 2, 1), "status": "Active",
        }]})
        stub.add_response("list_prompt_routers", {"promptRouterSummaries": [{
            "promptRouterName": "router", "routingCriteria": {"responseQualityDifference": 0.1},
            "promptRouterArn": ACCOUNT_ARN + "default-prompt-router/r1",
            "models": [{"modelArn": ARN + OPUS_41}], "fallbackModel": {"modelArn": ARN + SONNET_45},
            "status": "AVAILABLE", "type": "default",
        }]})
        found, warnings = bedrock.discover(client, REGION)
    assert warnings == []
    pairs = {(r.kind, r.model_id) for r in found}
    assert pairs == {
        (ResourceKind.INFERENCE_PROFILE, SONNET_45),
        (ResourceKind.PROVISIONED, OPUS_41),
        (ResourceKind.CUSTOM_MODEL, "meta.llama3-3-70b-instruct-v1:0"),
        (ResourceKind.BATCH_JOB, SONNET_45),
        (ResourceKind.DEPLOYMENT, "meta.llama3-3-70b-instruct-v1:0"),
        (ResourceKind.PROMPT_ROUTER, OPUS_41),
        (ResourceKind.PROMPT_ROUTER, SONNET_45),
    }


def test_invocation_logging_configuration(client) -> None:
    with Stubber(client) as stub:
        stub.add_response("get_model_invocation_logging_configuration", {"loggingConfig": {
            "cloudWatchConfig": {"logGroupName": "/bedrock/invocations",
                                 "roleArn": "arn:aws:iam::111122223333:role/logs"},
            "textDataDeliveryEnabled": True}})
        stub.add_response("get_model_invocation_logging_configuration", {})
        assert bedrock.invocation_logging(client) == "on: CloudWatch Logs /bedrock/invocations"
        assert bedrock.invocation_logging(client) == "off"


def test_a_denied_discovery_call_names_the_missing_action(client) -> None:
    with Stubber(client) as stub:
        stub.add_response("list_custom_models", {"modelSummaries": []})
        stub.add_client_error("list_inference_profiles", "AccessDeniedException", "no", 403,
                              expected_params={"typeEquals": "SYSTEM_DEFINED"})
        for operation, key in (("list_provisioned_model_throughputs", "provisionedModelSummaries"),
                               ("list_model_invocation_jobs", "invocationJobSummaries"),
                               ("list_custom_model_deployments", "modelDeploymentSummaries"),
                               ("list_prompt_routers", "promptRouterSummaries")):
            stub.add_response(operation, {key: []})
        found, warnings = bedrock.discover(client, REGION)
    assert found == []
    assert warnings == ["AccessDenied in us-east-1: the IAM action bedrock:ListInferenceProfiles "
                        "is not allowed for these credentials."]


def test_health_events_with_details_and_entities() -> None:
    client = boto3.client("health", region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")
    arn = "arn:aws:health:us-east-1::event/BEDROCK/AWS_BEDROCK_PLANNED_LIFECYCLE_EVENT/abc"
    with Stubber(client) as stub:
        stub.add_response("describe_events", {"events": [{
            "arn": arn, "service": "BEDROCK", "eventTypeCode": "AWS_BEDROCK_PLANNED_LIFECYCLE_EVENT",
            "eventTypeCategory": "scheduledChange", "region": "us-east-1",
            "startTime": dt.datetime(2027, 1, 8, tzinfo=dt.UTC), "statusCode": "upcoming",
        }]}, {"filter": health.EVENT_FILTER})
        stub.add_response("describe_event_details", {"successfulSet": [{
            "event": {"arn": arn}, "eventDescription": {"latestDescription": f"{OPUS_41} reaches EOL"},
        }], "failedSet": []}, {"eventArns": [arn]})
        stub.add_response("describe_affected_entities", {"entities": [{
            "eventArn": arn, "entityValue": OPUS_41}]}, {"filter": {"eventArns": [arn]}})
        (event,) = health.fetch_health(client)
    assert event.entities == (OPUS_41,) and "EOL" in event.description


def test_health_without_a_support_plan_is_a_note_not_a_failure() -> None:
    client = boto3.client("health", region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")
    with Stubber(client) as stub:
        stub.add_client_error("describe_events", "SubscriptionRequiredException", "no plan", 400)
        with pytest.raises(health.SubscriptionRequired, match="support plan"):
            health.fetch_health(client)


@mock_aws
def test_cloudwatch_daily_usage_fills_missing_days_with_zero() -> None:
    client = boto3.client("cloudwatch", region_name=REGION)
    today = dt.datetime.now(dt.UTC).date()
    for days_ago, value in ((1, 120), (2, 80), (9, 5)):
        client.put_metric_data(Namespace="AWS/Bedrock", MetricData=[{
            "MetricName": "Invocations", "Value": value,
            "Timestamp": dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(12), dt.UTC),
            "Dimensions": [{"Name": "ModelId", "Value": OPUS_41}]}])
    assert OPUS_41 in usage.active_model_ids(client)
    points = usage.fetch_usage(client, REGION, [OPUS_41], today)
    invocations = {p.day: p.value for p in points if p.metric == "Invocations"}
    assert len(invocations) == 30
    assert invocations[today - dt.timedelta(days=1)] == 120
    assert invocations[today - dt.timedelta(days=9)] == 5
    assert invocations[today - dt.timedelta(days=3)] == 0
    assert all(p.value == 0 for p in points if p.metric == "LegacyModelInvocations")


def test_resources_on_a_custom_model_name_its_base_as_aws_wrote_it(client) -> None:
    haiku = "anthropic.claude-3-haiku-20240307-v1:0"
    custom_arn = ACCOUNT_ARN + f"custom-model/{haiku}:200k/claims7x2"
    with Stubber(client) as stub:
        stub.add_response("list_custom_models", {"modelSummaries": [{
            "modelArn": custom_arn, "modelName": "claims", "creationTime": dt.datetime(2025, 6, 1),
            "baseModelArn": ARN + f"{haiku}:200k", "baseModelName": "Claude 3 Haiku"}]})
        stub.add_response("list_inference_profiles", {"inferenceProfileSummaries": []},
                          {"typeEquals": "SYSTEM_DEFINED"})
        stub.add_response("list_inference_profiles", {"inferenceProfileSummaries": []},
                          {"typeEquals": "APPLICATION"})
        stub.add_response("list_provisioned_model_throughputs", {"provisionedModelSummaries": [{
            "provisionedModelName": "claims-pt", "provisionedModelArn": ACCOUNT_ARN + "provisioned-model/p2",
            "modelArn": custom_arn, "desiredModelArn": custom_arn, "foundationModelArn": ARN + f"{haiku}:200k",
            "modelUnits": 1, "desiredModelUnits": 1, "status": "InService",
            "creationTime": dt.datetime(2025, 6, 1), "lastModifiedTime": dt.datetime(2025, 6, 1)}]})
        stub.add_response("list_model_invocation_jobs", {"invocationJobSummaries": [{
            "jobArn": ACCOUNT_ARN + "model-invocation-job/j2", "jobName": "claims-batch",
            "modelId": ACCOUNT_ARN + f"custom-model/{haiku}:48k/other1",  # a custom model not listed
            "roleArn": "arn:aws:iam::111122223333:role/batch", "submitTime": dt.datetime(2026, 11, 1),
            "inputDataConfig": {"s3InputDataConfig": {"s3Uri": "s3://in/"}},
            "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://out/"}}}]})
        stub.add_response("list_custom_model_deployments", {"modelDeploymentSummaries": []})
        stub.add_response("list_prompt_routers", {"promptRouterSummaries": []})
        found, warnings = bedrock.discover(client, REGION)
    assert warnings == []
    assert {(r.kind, r.raw_model_id) for r in found} == {
        (ResourceKind.CUSTOM_MODEL, f"{haiku}:200k"),
        (ResourceKind.PROVISIONED, f"{haiku}:200k"),
        (ResourceKind.BATCH_JOB, f"{haiku}:48k"),  # read from the custom model's ARN
    }
