"""The portable project document (JSON): everything a user made, nothing from the catalog.

Rows are identified by natural keys (application name, model ID, phase and order), never by
database IDs, so a document moves between machines and imports into any project.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .models import AccessPath, Closure, Criticality, Phase
from .settings import ScheduleSettings
from .workspace import Decision

FORMAT = "planner-tui-project"
SCHEMA_VERSION = 1


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ItemDoc(_Doc):
    phase: Phase
    title: str = Field(min_length=1)
    done: bool = False
    owner: str = ""
    due_date: dt.date | None = None
    notes: str = ""
    done_at: dt.datetime | None = None


class TestResultDoc(_Doc):
    __test__ = False
    metric: str = Field(min_length=1)
    baseline: float | None = None
    candidate: float
    threshold: float
    higher_is_better: bool = True
    notes: str = ""


class StageDoc(_Doc):
    traffic_percent: int = Field(ge=0, le=100)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    notes: str = ""


class DecisionDoc(_Doc):
    decided_on: dt.date
    decision: Decision
    traffic_percent: int | None = Field(default=None, ge=0, le=100)
    note: str = ""


class LogDoc(_Doc):
    at: str
    event: str
    detail: str = ""


class PlanDoc(_Doc):
    model_id: str
    target_model_id: str | None = None
    decision_reason: str = ""
    current_phase: Phase = Phase.ASSESS
    started_on: dt.date
    deadline_override: dt.date | None = None
    completed_on: dt.date | None = None
    closed_on: dt.date | None = None
    closed_kind: Closure | None = None
    closed_reason: str = ""
    items: list[ItemDoc] = []
    fields: dict[str, str] = {}
    test_results: list[TestResultDoc] = []
    rollout_stages: list[StageDoc] = []
    decisions: list[DecisionDoc] = []
    log: list[LogDoc] = []


class DependencyDoc(_Doc):
    model_id: str
    region: str
    access_path: AccessPath = AccessPath.ON_DEMAND
    resource_id: str = ""
    environment: str = "prod"
    monthly_volume: int = Field(default=0, ge=0)
    notes: str = ""


class ApplicationDoc(_Doc):
    name: str = Field(min_length=1)
    owner: str = ""
    team: str = ""
    criticality: Criticality = Criticality.MEDIUM
    environments: list[str] = ["prod"]
    notes: str = ""
    dependencies: list[DependencyDoc] = []
    plans: list[PlanDoc] = []


class ManualDateDoc(_Doc):
    model_id: str
    region: str
    field: Literal["legacy_date", "pea_date", "eol_date"]
    value: dt.date | None


class ProjectDocument(_Doc):
    format: Literal["planner-tui-project"] = FORMAT
    schema_version: int
    project_id: str = ""
    settings: ScheduleSettings = ScheduleSettings()
    applications: list[ApplicationDoc] = []
    manual_dates: list[ManualDateDoc] = []
