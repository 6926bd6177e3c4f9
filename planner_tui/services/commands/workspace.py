"""A plan's phase records: the phase form, the chosen replacement, test results, rollout
stages and decisions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ...domain.eol_checks import stage_after_eol
from ...domain.ids import plan_of
from ...domain.workspace import PHASE_FIELDS, check_field
from ...errors import UserInputError
from . import Change, checked
from .plans import plan_eol

if TYPE_CHECKING:
    from ...domain.vocabulary import Phase
    from ...domain.workspace import RolloutDecision, RolloutStage, TestResult
    from ...persistence.store import ProjectStore


def set_phase_fields(store: ProjectStore, plan_id: int, phase: Phase, values: dict[str, str], *,
                     check: bool = True) -> Change:
    """Save a phase form: each value checked against its field (numbers, model IDs, text).
    Taking it back saves the values it held before, as they were."""
    specs = {spec.key: spec for spec in PHASE_FIELDS[phase]}
    unknown = sorted(set(values) - set(specs))
    if unknown:
        raise UserInputError(f"{phase.title} has no field {unknown[0]!r}.")
    known = store.model_ids()
    try:
        cleaned = ({key: check_field(specs[key], value, known) for key, value in values.items()} if check
                   else dict(values))
    except ValueError as error:
        raise UserInputError(str(error)) from None
    before = store.plan_fields(plan_id)
    previous = {key: before.get(key, "") for key in cleaned}
    store.set_plan_fields(plan_id, cleaned)
    return Change(f"the {phase.title} form", cleaned,
                  lambda: set_phase_fields(store, plan_id, phase, previous, check=False))


def choose_replacement(store: ProjectStore, plan_id: int, model_id: str, reason: str,
                       today: dt.date | None = None, *, check: bool = True) -> Change:
    """The Research phase's `c`: choose the plan's replacement through its campaign
    (plans.choose says how)."""
    from .plans import choose

    return choose(store, plan_id, model_id, reason, today, check=check)


def add_test_result(store: ProjectStore, result: TestResult, *, check: bool = True) -> Change:
    result = checked(result) if check else result
    saved = result.model_copy(update={"id": store.plan_records.add_test_result(result)})
    verdict = "pass" if saved.passed else "FAIL"
    return Change(f"test result '{saved.metric}' ({verdict})", saved,
                  lambda: remove_test_result(store, saved))


def remove_test_result(store: ProjectStore, result: TestResult) -> Change:
    store.plan_records.delete_test_result(result)
    return Change(f"removing test result '{result.metric}'", result,
                  lambda: add_test_result(store, result, check=False))


def add_stage(store: ProjectStore, stage: RolloutStage, today: dt.date | None = None, *,
              check: bool = True) -> Change:
    stage = checked(stage) if check else stage
    if stage.start_date and stage.end_date and stage.end_date < stage.start_date:
        raise UserInputError(f"the stage ends ({stage.end_date}) before it starts ({stage.start_date}).")
    saved = stage.model_copy(update={"id": store.plan_records.add_stage(stage)})
    warning = stage_after_eol(saved.start_date, saved.end_date,
                              plan_eol(store, plan_of(saved), today) if today else None)
    return Change(f"rollout stage {saved.traffic_percent}%", saved, lambda: remove_stage(store, saved, today),
                  f"The {saved.traffic_percent}% stage {warning}." if warning else "")


def remove_stage(store: ProjectStore, stage: RolloutStage, today: dt.date | None = None) -> Change:
    store.plan_records.delete_stage(stage)
    return Change(f"removing rollout stage {stage.traffic_percent}%", stage,
                  lambda: add_stage(store, stage, today, check=False))


def record_decision(store: ProjectStore, decision: RolloutDecision, *, check: bool = True) -> Change:
    decision = checked(decision) if check else decision
    saved = decision.model_copy(update={"id": store.plan_records.add_decision(decision)})
    return Change(f"decision '{saved.decision.value}'", saved, lambda: remove_decision(store, saved))


def remove_decision(store: ProjectStore, decision: RolloutDecision) -> Change:
    store.plan_records.delete_decision(decision)
    return Change(f"removing decision '{decision.decision.value}'", decision,
                  lambda: record_decision(store, decision, check=False))
