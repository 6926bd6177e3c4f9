"""Bedrock control plane: the model listing with lifecycle, and what depends on each model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ...domain.aws_records import DiscoveredResource, ListedModel, ResourceKind, model_id_from_arn
from ...domain.validation import split_profile
from .errors import explain


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()


def _modalities(values: list[str] | None) -> tuple[str, ...]:
    return tuple(sorted(v.capitalize() for v in values or ()))


def list_models(client: Any) -> list[ListedModel]:
    """`list_foundation_models` (not paginated) for the client's Region."""
    listed = []
    for summary in client.list_foundation_models().get("modelSummaries", []):
        lifecycle = summary.get("modelLifecycle") or {}
        listed.append(ListedModel(
            model_id=summary["modelId"],
            name=summary.get("modelName") or summary["modelId"],
            provider=summary.get("providerName") or "",
            input_modalities=_modalities(summary.get("inputModalities")),
            output_modalities=_modalities(summary.get("outputModalities")),
            streaming=bool(summary.get("responseStreamingSupported")),
            status=lifecycle.get("status", "ACTIVE"),
            launch_date=_date(lifecycle.get("startOfLifeTime")),
            legacy_date=_date(lifecycle.get("legacyTime")),
            pea_date=_date(lifecycle.get("publicExtendedAccessTime")),
            eol_date=_date(lifecycle.get("endOfLifeTime")),
        ))
    return listed


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[dict]:
    for page in client.get_paginator(operation).paginate(**kwargs):
        yield from page.get(key, [])


def _base_model(model_id_or_arn: str) -> str:
    return split_profile(model_id_from_arn(model_id_or_arn))[0]


def discover(client: Any, region: str) -> tuple[list[DiscoveredResource], list[str]]:
    """Everything in the Region that calls a foundation model; warnings for calls that failed."""
    found: list[DiscoveredResource] = []
    warnings: list[str] = []

    def attempt(step: Callable[[], None]) -> None:
        try:
            step()
        except (ClientError, BotoCoreError) as error:
            kind, message = explain(error, "bedrock", region)
            if kind in ("credentials", "expired"):
                raise
            warnings.append(message)

    def add(kind: ResourceKind, resource_id: str, name: str, model: str, detail: str = "") -> None:
        found.append(DiscoveredResource(region=region, kind=kind, resource_id=resource_id,
                                        name=name, model_id=_base_model(model), detail=detail))

    def profiles() -> None:
        for type_ in ("SYSTEM_DEFINED", "APPLICATION"):
            for profile in _pages(client, "list_inference_profiles", "inferenceProfileSummaries",
                                  typeEquals=type_):
                models = {_base_model(m["modelArn"]) for m in profile.get("models", [])}
                for model in sorted(models):
                    add(ResourceKind.INFERENCE_PROFILE, profile["inferenceProfileId"],
                        profile.get("inferenceProfileName", ""), model, type_.lower())

    def throughputs() -> None:
        for pt in _pages(client, "list_provisioned_model_throughputs", "provisionedModelSummaries"):
            add(ResourceKind.PROVISIONED, pt["provisionedModelArn"], pt.get("provisionedModelName", ""),
                pt["foundationModelArn"], pt.get("status", ""))

    custom_bases: dict[str, str] = {}

    def custom_models() -> None:
        for model in _pages(client, "list_custom_models", "modelSummaries"):
            custom_bases[model["modelArn"]] = model["baseModelArn"]
            add(ResourceKind.CUSTOM_MODEL, model["modelArn"], model.get("modelName", ""),
                model["baseModelArn"])

    def batch_jobs() -> None:
        for job in _pages(client, "list_model_invocation_jobs", "invocationJobSummaries"):
            add(ResourceKind.BATCH_JOB, job["jobArn"], job.get("jobName", ""), job["modelId"],
                job.get("status", ""))

    def deployments() -> None:
        for deployment in _pages(client, "list_custom_model_deployments", "modelDeploymentSummaries"):
            base = custom_bases.get(deployment["modelArn"])
            if base:
                add(ResourceKind.DEPLOYMENT, deployment["customModelDeploymentArn"],
                    deployment.get("customModelDeploymentName", ""), base, deployment.get("status", ""))

    def routers() -> None:
        for router in _pages(client, "list_prompt_routers", "promptRouterSummaries"):
            arns = [m["modelArn"] for m in router.get("models", [])]
            if router.get("fallbackModel"):
                arns.append(router["fallbackModel"]["modelArn"])
            for model in sorted({_base_model(a) for a in arns}):
                add(ResourceKind.PROMPT_ROUTER, router["promptRouterArn"],
                    router.get("promptRouterName", ""), model)

    for step in (profiles, throughputs, custom_models, batch_jobs, deployments, routers):
        attempt(step)
    return found, warnings


def invocation_logging(client: Any) -> str:
    """Where model invocations are logged, if anywhere (sources for the Assess baseline)."""
    config = client.get_model_invocation_logging_configuration().get("loggingConfig") or {}
    places = []
    if config.get("cloudWatchConfig", {}).get("logGroupName"):
        places.append(f"CloudWatch Logs {config['cloudWatchConfig']['logGroupName']}")
    if config.get("s3Config", {}).get("bucketName"):
        places.append(f"S3 {config['s3Config']['bucketName']}")
    return "on: " + ", ".join(places) if places else "off"
