"""What the plan workspace shows of one plan, read in one go (the screen never reads the store)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..domain.checklists import differences, is_shared_phase
from ..domain.eol_checks import plan_warnings
from ..domain.schedule import earliest_eol
from ..domain.vocabulary import Phase
from . import overview
from .views.code_findings import PlanCodeFindings, plan_code_findings
from .views.plan_callers import PlanCallers, plan_callers

if TYPE_CHECKING:
    from ..domain.candidates import Candidate
    from ..domain.models import Dependency
    from ..domain.workspace import RolloutDecision, RolloutStage, TestResult
    from ..persistence.store import ProjectStore


@dataclass(frozen=True)
class PlanView:
    row: overview.PlanRow
    fields: dict[str, str]
    eol: dt.date | None
    warnings: list[str]
    dependencies: list[Dependency]  # the application's, on this plan's model
    results: list[TestResult] = field(default_factory=list)
    stages: list[RolloutStage] = field(default_factory=list)
    decisions: list[RolloutDecision] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    usage: dict[dt.date, float] = field(default_factory=dict)
    legacy_usage: dict[dt.date, float] = field(default_factory=dict)
    model_ids: frozenset[str] = frozenset()
    target_name: str = ""  # the chosen replacement's name ('' when none is chosen)
    code: PlanCodeFindings = field(default_factory=PlanCodeFindings)  # where the app's code names the model
    callers: PlanCallers = field(default_factory=PlanCallers)  # who calls the model (CloudTrail)
    # Assess, Research and Test are the campaign's: how many open plans share them (0: the
    # plan has ended) and, per shared item of this plan, what its copies record differently.
    shared_by: int = 0
    shared: dict[int, list[str]] = field(default_factory=dict)

    def shared_note(self, phase: Phase) -> str:
        """What the checklist's title says of a phase the campaign shares."""
        if not is_shared_phase(phase) or not self.shared_by:
            return ""
        if self.shared_by == 1:
            return "the campaign's (1 application)"
        return f"shared by {self.shared_by} applications"

    @property
    def regions(self) -> list[str]:
        return sorted({d.region for d in self.dependencies})


def load_plan_view(store: ProjectStore, plan_id: int, today: dt.date) -> PlanView | None:
    """The plan with its schedule, records and warnings; None when it no longer exists."""
    rows = overview.plan_rows(store, today, with_items=True, plan_id=plan_id)
    if not rows:
        return None
    row = rows[0]
    plan = row.plan
    dependencies = [d for d in store.dependencies(plan.app_id) if d.model_id == plan.model_id]
    eol = earliest_eol(row.lifecycles) if plan.closed_on is None else None
    results, stages = store.test_results(plan_id), store.rollout_stages(plan_id)
    warnings = plan_warnings(plan.current_phase, plan.completed_on is not None, eol, plan.items, stages,
                             results) if plan.is_open else []
    regions = {d.region for d in dependencies} or None
    return PlanView(
        row=row, fields=store.plan_fields(plan_id), eol=eol, warnings=warnings, dependencies=dependencies,
        results=results, stages=stages, decisions=store.rollout_decisions(plan_id),
        candidates=_candidates(store, row, dependencies, today),
        usage=store.usage(plan.model_id, regions), legacy_usage=store.usage(plan.model_id, regions,
                                                                           "LegacyModelInvocations"),
        model_ids=frozenset(store.model_ids()),
        target_name=store.model_names().get(plan.target_model_id, plan.target_model_id)
        if plan.target_model_id else "",
        code=plan_code_findings(store, plan.app_id, plan.model_id),
        callers=plan_callers(store, plan.app_id, plan.model_id, today, dependencies),
        **_shared(store, plan_id),
    )


def _shared(store: ProjectStore, plan_id: int) -> dict:
    checklist = store.shared_checklist(plan_id)
    return {"shared_by": checklist.applications,
            "shared": {item_id: differences(copies) for item_id, copies in checklist.copies.items()}}


def _candidates(store: ProjectStore, row: overview.PlanRow, dependencies: list[Dependency],
                today: dt.date) -> list[Candidate]:
    from ..catalog.bundled import load_catalog
    from ..domain.candidates import find_candidates

    legacy = store.model(row.plan.model_id)
    if legacy is None:
        return []
    regions = sorted({d.region for d in dependencies}) or sorted({r for lc in row.lifecycles for r in lc.regions})
    recommended = [rid for rep in load_catalog().replacements
                   if rep.legacy_model_id == row.plan.model_id for rid in rep.recommended_model_ids]
    return find_candidates(legacy, regions, store.models(), store.lifecycles(), today, recommended)
