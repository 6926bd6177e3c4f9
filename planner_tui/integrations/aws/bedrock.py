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


def _model_part(arn_or_id: str) -> str:
    """The model a foundation-model ARN, inference profile (ID or ARN) or custom-model ARN
    names, as AWS wrote it (variant and all: resolved against the catalog when merged).
    A custom model's ARN carries its base: `…:custom-model/<base model ID>/<suffix>`."""
    if ":custom-model/" in arn_or_id:
        path = arn_or_id.split(":custom-model/", 1)[1]
        return path.rsplit("/", 1)[0] if "/" in path else path
    return split_profile(model_id_from_arn(arn_or_id))[0]


def discover(client: Any, region: str) -> tuple[list[DiscoveredResource], list[str]]:
    """Everything in the Region that calls a foundation model; warnings for calls that failed.
    Nothing found is dropped: a resource whose model cannot be told is kept with what AWS
    said of it (the sync resolves model IDs against the catalog and flags unknown ones)."""
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
        raw = _model_part(model) if model else ""
        found.append(DiscoveredResource(region=region, kind=kind, resource_id=resource_id,
                                        name=name, model_id=raw, raw_model_id=raw, detail=detail))

    custom_bases: dict[str, str] = {}  # custom model ARN -> its base model ARN ('' if not given)

    def on_model(arn: str) -> str:
        """A custom model's base; a foundation model or profile as it is."""
        return custom_bases.get(arn) or arn

    def custom_models() -> None:
        for model in _pages(client, "list_custom_models", "modelSummaries"):
            base = model.get("baseModelArn") or ""  # absent for some imported models
            custom_bases[model["modelArn"]] = base
            add(ResourceKind.CUSTOM_MODEL, model["modelArn"], model.get("modelName", ""),
                base or _custom_base(model["modelArn"]),
                "" if base or _custom_base(model["modelArn"]) else "AWS reported no base model")

    def profiles() -> None:
        for type_ in ("SYSTEM_DEFINED", "APPLICATION"):
            for profile in _pages(client, "list_inference_profiles", "inferenceProfileSummaries",
                                  typeEquals=type_):
                models = {_model_part(m["modelArn"]) for m in profile.get("models", []) if m.get("modelArn")}
                for model in sorted(models) or [""]:
                    add(ResourceKind.INFERENCE_PROFILE, profile["inferenceProfileId"],
                        profile.get("inferenceProfileName", ""), model, type_.lower())

    def throughputs() -> None:
        for pt in _pages(client, "list_provisioned_model_throughputs", "provisionedModelSummaries"):
            add(ResourceKind.PROVISIONED, pt["provisionedModelArn"], pt.get("provisionedModelName", ""),
                pt.get("foundationModelArn") or on_model(pt.get("modelArn", "")), pt.get("status", ""))

    def batch_jobs() -> None:
        for job in _pages(client, "list_model_invocation_jobs", "invocationJobSummaries"):
            add(ResourceKind.BATCH_JOB, job["jobArn"], job.get("jobName", ""), on_model(job.get("modelId", "")),
                job.get("status", ""))

    def deployments() -> None:
        for deployment in _pages(client, "list_custom_model_deployments", "modelDeploymentSummaries"):
            add(ResourceKind.DEPLOYMENT, deployment["customModelDeploymentArn"],
                deployment.get("customModelDeploymentName", ""), on_model(deployment.get("modelArn", "")),
                deployment.get("status", ""))

    def routers() -> None:
        for router in _pages(client, "list_prompt_routers", "promptRouterSummaries"):
            arns = [m["modelArn"] for m in router.get("models", [])]
            if router.get("fallbackModel"):
                arns.append(router["fallbackModel"]["modelArn"])
            for model in sorted({_model_part(a) for a in arns}) or [""]:
                add(ResourceKind.PROMPT_ROUTER, router["promptRouterArn"],
                    router.get("promptRouterName", ""), model)

    # Custom models first: deployments, throughput and batch jobs on them name their ARN.
    for step in (custom_models, profiles, throughputs, batch_jobs, deployments, routers):
        attempt(step)
    return found, warnings


def _custom_base(custom_model_arn: str) -> str:
    """The base model ID a custom model's ARN carries, or ''."""
    part = _model_part(custom_model_arn)
    return part if "." in part else ""


def invocation_logging(client: Any) -> str:
    """Where model invocations are logged, if anywhere (sources for the Assess baseline)."""
    config = client.get_model_invocation_logging_configuration().get("loggingConfig") or {}
    places = []
    if config.get("cloudWatchConfig", {}).get("logGroupName"):
        places.append(f"CloudWatch Logs {config['cloudWatchConfig']['logGroupName']}")
    if config.get("s3Config", {}).get("bucketName"):
        places.append(f"S3 {config['s3Config']['bucketName']}")
    return "on: " + ", ".join(places) if places else "off"
