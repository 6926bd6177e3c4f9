"""Phase workspace records: test results with pass/fail, rollout stages and decisions."""

from __future__ import annotations

import math
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .fields import Day, InputModel, Name, Notes, checking
from .models import Phase
from .validation import VOLUME_MAX, TextKind, text_problem


class TestResult(InputModel):
    """One metric of the evaluation. `threshold` is the bound the candidate must meet."""

    __test__ = False  # not a pytest test class
    model_config = ConfigDict(frozen=True, allow_inf_nan=False)

    id: int | None = None
    plan_id: int | None = None
    metric: Name
    baseline: float | None = None
    candidate: float
    threshold: float
    higher_is_better: bool = True
    notes: Notes = ""

    @field_validator("metric")
    @classmethod
    def _metric_named(cls, value: str) -> str:
        if not checking():
            return value
        if not value.strip():
            raise ValueError("metric name must not be empty")
        return value.strip()

    @property
    def passed(self) -> bool:
        if self.higher_is_better:
            return self.candidate >= self.threshold
        return self.candidate <= self.threshold


class Decision(StrEnum):
    ADVANCE = "advance"
    HOLD = "hold"
    ROLL_BACK = "roll back"


class RolloutStage(InputModel):
    model_config = ConfigDict(frozen=True)

    id: int | None = None
    plan_id: int | None = None
    traffic_percent: int = Field(ge=0, le=100)
    start_date: Day | None = None
    end_date: Day | None = None
    notes: Notes = ""


class RolloutDecision(InputModel):
    model_config = ConfigDict(frozen=True)

    id: int | None = None
    plan_id: int | None = None
    decided_on: Day
    decision: Decision
    traffic_percent: int | None = Field(default=None, ge=0, le=100)
    note: Notes = ""


DEFAULT_ROLLOUT_STAGES = (5, 25, 100)


class FieldSpec(BaseModel):
    """A free-form field of a phase form (kept as text; `kind` drives validation)."""

    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    kind: str = "text"  # text | int | float | percent | model


PHASE_FIELDS: dict[Phase, tuple[FieldSpec, ...]] = {
    Phase.ASSESS: (
        FieldSpec(key="baseline.monthly_requests", label="Requests per month", kind="int"),
        FieldSpec(key="baseline.latency_p50_ms", label="Latency p50 (ms)", kind="float"),
        FieldSpec(key="baseline.latency_p95_ms", label="Latency p95 (ms)", kind="float"),
        FieldSpec(key="baseline.error_rate_pct", label="Error rate (%)", kind="percent"),
        FieldSpec(key="baseline.input_tokens", label="Input tokens / request", kind="int"),
        FieldSpec(key="baseline.output_tokens", label="Output tokens / request", kind="int"),
        FieldSpec(key="baseline.behaviours", label="Behaviours to keep"),
    ),
    Phase.RESEARCH: (
        FieldSpec(key="research.differences", label="Differences to handle"),
    ),
    Phase.TEST: (
        FieldSpec(key="test.ab_notes", label="A/B comparison notes"),
    ),
    Phase.UPDATE: (
        FieldSpec(key="update.model_or_profile_id", label="New model / inference profile ID", kind="model"),
        FieldSpec(key="update.prompt_changes", label="Prompt changes"),
        FieldSpec(key="update.iam_arns", label="IAM resource ARNs"),
        FieldSpec(key="update.quotas", label="Quotas requested"),
        FieldSpec(key="update.provisioned_throughput", label="Provisioned throughput"),
    ),
    Phase.ROLLOUT: (
        FieldSpec(key="rollout.guardrails", label="Guardrail thresholds"),
        FieldSpec(key="rollout.fallback_model", label="Fallback model ID", kind="model"),
    ),
}


def check_field(spec: FieldSpec, text: str, known_models: set[str] | None = None) -> str:
    """Validate a phase-form value; return it normalised or raise ValueError with the reason."""
    text = text.strip().replace("\r\n", "\n")
    if not text:
        return ""
    problem = text_problem(text, TextKind.ID if spec.kind == "model" else TextKind.NOTES)
    if problem:
        raise ValueError(f"{spec.label}: {problem}")
    if spec.kind == "int":
        try:
            value = int(text.replace(",", "").replace("_", ""))
        except ValueError:
            raise ValueError(f"{spec.label}: expected a whole number") from None
        if value < 0:
            raise ValueError(f"{spec.label}: must not be negative")
        if value > VOLUME_MAX:
            raise ValueError(f"{spec.label}: must be at most {VOLUME_MAX:,}")
        return str(value)
    if spec.kind in ("float", "percent"):
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{spec.label}: expected a number") from None
        if not math.isfinite(number):
            raise ValueError(f"{spec.label}: expected a finite number")
        if number < 0 or (spec.kind == "percent" and number > 100):
            raise ValueError(f"{spec.label}: out of range")
        return text
    if spec.kind == "model" and known_models is not None:
        from .validation import check_model_id, split_profile

        check_model_id(split_profile(text)[0], known_models)
    return text
