"""The forms of the plan workspace: what each asks, with its checks, and what it builds.

Each form's check applies the domain's input rules (control characters, length limits, the
date range: domain/fields.py) through `model_validate`, so the form refuses what the use case
would and keeps what was typed; the `…_from` builders then cannot fail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from ..domain.dates import parse_date
from ..domain.eol_checks import item_after_eol, stage_after_eol
from ..domain.models import ChecklistItem
from ..domain.validation import TextKind
from ..domain.vocabulary import Phase
from ..domain.workspace import PHASE_FIELDS, Decision, RolloutDecision, RolloutStage, TestResult, check_field
from ..errors import PlannerError
from .dialogs import FormField


def date_or_none(text: str) -> dt.date | None:
    return parse_date(text) if text else None


def model_errors(model: type[BaseModel], values: Callable[[], dict[str, Any]],
                 fields: dict[str, str] | None = None) -> dict[str, str]:
    """The input rules' refusals of the model `values()` would build, by form field (the
    model's field names, or as `fields` renames them); {} when it passes."""
    try:
        model.model_validate(values())
    except ValidationError as error:
        errors: dict[str, str] = {}
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else ""
            message = str(problem["msg"]).removeprefix("Value error, ")
            errors.setdefault((fields or {}).get(name, name), message[:1].upper() + message[1:] + ".")
        return errors
    except ValueError:  # a date or number the dialog's own checks refuse
        return {}
    return {}


def item_values(values: dict[str, str], phase: Phase = Phase.ASSESS) -> dict[str, Any]:
    return {"phase": phase, "title": values["title"], "owner": values["owner"],
            "due_date": date_or_none(values["due_date"]), "notes": values["notes"]}


def item_check(values: dict[str, str]) -> dict[str, str]:
    """An item's title, owner, due date and evidence, by the input rules."""
    return model_errors(ChecklistItem, lambda: item_values(values))


def item_fields(item: ChecklistItem | None) -> list[FormField]:
    return [
        FormField("title", "Item", item.title if item else "", required=True, text=TextKind.TITLE),
        FormField("owner", "Owner", item.owner if item else "", text=TextKind.NAME),
        FormField("due_date", "Due date (empty: the phase's)",
                  str(item.due_date) if item and item.due_date else "", kind="date"),
        FormField("notes", "Evidence / notes", item.notes if item else "",
                  placeholder="link, ticket, measurement…"),
    ]


def item_warnings(eol: dt.date | None):  # noqa: ANN201
    """Warnings (not refusals) for an item's due date after the model's EOL."""
    def warn(values: dict[str, str]) -> dict[str, str]:
        try:
            warning = item_after_eol(date_or_none(values["due_date"]), eol)
        except ValueError:
            return {}
        return {"due_date": f"Warning: {warning}."} if warning else {}
    return warn


def phase_form_fields(phase: Phase, values: dict[str, str], model_ids: frozenset[str]) -> list[FormField]:
    suggestions = sorted(model_ids)
    return [
        FormField(spec.key, spec.label, values.get(spec.key, ""),
                  kind={"int": "int", "float": "number", "percent": "number"}.get(spec.kind, "text"),
                  suggestions=suggestions if spec.kind == "model" else ())
        for spec in PHASE_FIELDS[phase]
    ]


def phase_form_check(phase: Phase, model_ids: frozenset[str]):  # noqa: ANN201
    def validate(form: dict[str, str]) -> dict[str, str]:
        errors = {}
        for spec in PHASE_FIELDS[phase]:
            try:
                check_field(spec, form[spec.key], set(model_ids))
            except (ValueError, PlannerError) as error:
                errors[spec.key] = str(error)
        return errors
    return validate


def test_result_fields() -> list[FormField]:
    return [
        FormField("metric", "Metric", required=True, placeholder="e.g. answer accuracy, p95 latency ms",
                  text=TextKind.NAME),
        FormField("baseline", "Baseline (legacy model)", kind="number"),
        FormField("candidate", "Candidate", kind="number", required=True),
        FormField("threshold", "Threshold to meet", kind="number", required=True),
        FormField("direction", "Better is", "higher", kind="select", required=True,
                  options=[("higher", "higher"), ("lower", "lower")]),
        FormField("notes", "Notes"),
    ]


def _test_result_values(plan_id: int, values: dict[str, str]) -> dict[str, Any]:
    return {"plan_id": plan_id, "metric": values["metric"],
            "baseline": float(values["baseline"]) if values["baseline"] else None,
            "candidate": float(values["candidate"]), "threshold": float(values["threshold"]),
            "higher_is_better": values["direction"] == "higher", "notes": values["notes"]}


def test_result_check(values: dict[str, str]) -> dict[str, str]:
    return model_errors(TestResult, lambda: _test_result_values(0, values), {"higher_is_better": "direction"})


def test_result_from(plan_id: int, values: dict[str, str]) -> TestResult:
    return TestResult(**_test_result_values(plan_id, values))


def stage_fields(existing: list[int]) -> list[FormField]:
    suggested = next((str(p) for p in (5, 25, 100) if p not in existing), "")
    return [
        FormField("traffic", "Traffic share (%)", suggested, kind="int", required=True),
        FormField("start", "From", kind="date"),
        FormField("end", "To", kind="date"),
        FormField("notes", "Notes"),
    ]


def stage_check(values: dict[str, str]) -> dict[str, str]:
    if not 0 <= int(values["traffic"]) <= 100:
        return {"traffic": "must be between 0 and 100"}
    start, end = date_or_none(values["start"]), date_or_none(values["end"])
    if start and end and end < start:
        return {"end": "ends before it starts"}
    return model_errors(RolloutStage, lambda: _stage_values(0, values), STAGE_FIELDS)


def stage_warnings(eol: dt.date | None):  # noqa: ANN201
    def warn(values: dict[str, str]) -> dict[str, str]:
        try:
            start, end = date_or_none(values["start"]), date_or_none(values["end"])
        except ValueError:
            return {}
        warning = stage_after_eol(start, end, eol)
        return {"end" if end and eol and end >= eol and not (start and start >= eol) else "start":
                f"Warning: {warning}."} if warning else {}
    return warn


STAGE_FIELDS = {"traffic_percent": "traffic", "start_date": "start", "end_date": "end"}


def _stage_values(plan_id: int, values: dict[str, str]) -> dict[str, Any]:
    return {"plan_id": plan_id, "traffic_percent": int(values["traffic"]),
            "start_date": date_or_none(values["start"]), "end_date": date_or_none(values["end"]),
            "notes": values["notes"]}


def stage_from(plan_id: int, values: dict[str, str]) -> RolloutStage:
    return RolloutStage(**_stage_values(plan_id, values))


def decision_fields(today: dt.date) -> list[FormField]:
    return [
        FormField("decision", "Decision", Decision.ADVANCE.value, kind="select", required=True,
                  options=[(d.value, d.value) for d in Decision]),
        FormField("traffic", "Traffic share now (%)", kind="int"),
        FormField("date", "Date", str(today), kind="date", required=True),
        FormField("note", "Why", required=True),
    ]


def decision_check(values: dict[str, str]) -> dict[str, str]:
    if values["traffic"] and not 0 <= int(values["traffic"]) <= 100:
        return {"traffic": "must be between 0 and 100"}
    return model_errors(RolloutDecision, lambda: _decision_values(0, values),
                        {"decided_on": "date", "traffic_percent": "traffic"})


def _decision_values(plan_id: int, values: dict[str, str]) -> dict[str, Any]:
    return {"plan_id": plan_id, "decided_on": parse_date(values["date"]),
            "decision": Decision(values["decision"]),
            "traffic_percent": int(values["traffic"]) if values["traffic"] else None, "note": values["note"]}


def decision_from(plan_id: int, values: dict[str, str]) -> RolloutDecision:
    return RolloutDecision(**_decision_values(plan_id, values))
