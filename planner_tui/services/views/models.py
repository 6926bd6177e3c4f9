"""The Models screen's reads: the catalog one row per Region group, and one model in full."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ...domain.aws_records import HealthEvent
from ...domain.lifecycle import Finding, Milestone, check_all, milestones_of
from ...domain.models import Dependency, FoundationModel
from ...persistence.store import ProjectStore
from .. import overview
from .callers import CallerLine, caller_lines, idle_legacy_dependencies


@dataclass(frozen=True)
class ModelsView:
    rows: list[overview.ModelRow]
    providers: list[str]  # sorted, each once: the provider filter's options


def load_models(store: ProjectStore, today: dt.date) -> ModelsView:
    return ModelsView(overview.model_rows(store, today), sorted({m.provider for m in store.models()}))


@dataclass(frozen=True)
class ModelDetail:
    model: FoundationModel
    rows: list[overview.ModelRow]  # its Region groups, with their status today
    milestones: list[Milestone]  # per lifecycle group, in the order stored
    findings: list[Finding]  # where its published dates break the published policy
    health: list[HealthEvent]
    dependents: list[tuple[str, Dependency]]  # (application name, dependency) of this project
    callers: list[CallerLine] = field(default_factory=list)  # who calls it (CloudTrail), the most calls first
    # dependency id -> ('idle PEA', why, in a line): an idle Legacy dependency
    idle: dict[int, tuple[str, str]] = field(default_factory=dict)


def load_model_detail(store: ProjectStore, model_id: str, today: dt.date) -> ModelDetail | None:
    """None for a model the catalog does not hold."""
    model = store.model(model_id)
    if model is None:
        return None
    lifecycles = store.lifecycles(model_id)
    apps = {a.id: a.name for a in store.applications()}
    return ModelDetail(
        model=model,
        rows=[r for r in overview.model_rows(store, today) if r.model.model_id == model_id],
        milestones=[m for lifecycle in lifecycles for m in milestones_of(lifecycle)],
        findings=check_all(lifecycles),
        health=store.health_events(model_id),
        dependents=[(apps[d.app_id], d) for d in store.dependencies() if d.model_id == model_id],
        callers=caller_lines(store, today, model_id),
        idle={i.dependency.id: (f"idle {i.status.value}", i.line)
              for i in idle_legacy_dependencies(store, today, model_id) if i.dependency.id is not None},
    )
