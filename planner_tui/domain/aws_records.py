"""What a live sync brings back, as plain records (no boto3 here)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from .arns import account_label, model_id_from_arn
from .models import AccessPath


class ListedModel(BaseModel):
    """One entry of `list_foundation_models` in one Region."""

    model_config = ConfigDict(frozen=True)

    model_id: str
    name: str
    provider: str
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    streaming: bool = False
    status: str = "ACTIVE"  # ACTIVE | LEGACY (the API has no EOL value)
    launch_date: dt.date | None = None
    legacy_date: dt.date | None = None
    pea_date: dt.date | None = None
    eol_date: dt.date | None = None


class ResourceKind(StrEnum):
    INFERENCE_PROFILE = "inference-profile"
    PROVISIONED = "provisioned-throughput"
    CUSTOM_MODEL = "custom-model"
    BATCH_JOB = "batch-job"
    DEPLOYMENT = "custom-model-deployment"
    PROMPT_ROUTER = "prompt-router"

    @property
    def access_path(self) -> AccessPath:
        return {
            ResourceKind.INFERENCE_PROFILE: AccessPath.INFERENCE_PROFILE,
            ResourceKind.PROVISIONED: AccessPath.PROVISIONED,
            ResourceKind.CUSTOM_MODEL: AccessPath.CUSTOM_MODEL,
            ResourceKind.BATCH_JOB: AccessPath.BATCH,
            ResourceKind.DEPLOYMENT: AccessPath.CUSTOM_MODEL,
            ResourceKind.PROMPT_ROUTER: AccessPath.ON_DEMAND,
        }[self]


class DiscoveredResource(BaseModel):
    """Something in the account that calls a foundation model: a proposed dependency."""

    model_config = ConfigDict(frozen=True)

    id: int | None = None
    region: str
    kind: ResourceKind
    resource_id: str
    name: str = ""
    model_id: str  # the catalog's base model; as AWS wrote it when the catalog does not know it
    detail: str = ""
    app_id: int | None = None
    dismissed: bool = False
    raw_model_id: str = ""  # as AWS wrote it ('' when AWS named none): `…-v1:0:200k`
    variant: str = ""  # the variant the raw ID named: "200k context"
    account_id: str = ""  # the AWS account it is in ('' when not known)
    account_name: str = ""


class UsagePoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    region: str
    model_id: str  # the CloudWatch ModelId dimension: a model or inference profile ID
    metric: str  # Invocations | LegacyModelInvocations
    day: dt.date
    value: float
    account_id: str = ""
    account_name: str = ""


class HealthEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    arn: str
    event_type_code: str
    category: str
    status: str
    region: str = ""
    start_time: dt.datetime | None = None
    end_time: dt.datetime | None = None
    description: str = ""
    entities: tuple[str, ...] = ()
    account_id: str = ""  # the account whose Health it came from
    account_name: str = ""

__all__ = ["DiscoveredResource", "HealthEvent", "ListedModel", "ResourceKind", "UsagePoint",
           "account_label", "model_id_from_arn"]
