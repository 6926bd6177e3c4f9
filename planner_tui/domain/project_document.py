"""The portable project document (JSON): everything a user made, nothing from the catalog.

Rows are identified by natural keys (application name, model ID, phase and order), never by
database IDs, so a document moves between machines and imports into any project.

Version 2 adds campaigns (one per model: the replacement decision its plans follow) and each
plan's `target_overridden` (its target is its own, not the campaign's). Version 1 documents
still import: their campaigns are made from the plans' own choices, as migration 0012 makes
them for an older project.
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import ConfigDict, Field

from .fields import Day, Ident, InputModel, Moment, Name, Notes, Title, Volume
from .models import AccessPath, Closure, Criticality, Phase
from .settings import ScheduleSettings
from .workspace import Decision

FORMAT: Final = "planner-tui-project"
SCHEMA_VERSION = 2
READABLE_VERSIONS: Final = (1, 2)  # the versions this release imports


class _Doc(InputModel):
    model_config = ConfigDict(extra="forbid")


class ItemDoc(_Doc):
    phase: Phase
    title: Title = Field(min_length=1)
    done: bool = False
    owner: Name = ""
    due_date: Day | None = None
    notes: Notes = ""
    done_at: Moment | None = None


class TestResultDoc(_Doc):
    __test__ = False
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    metric: Name = Field(min_length=1)
    baseline: float | None = None
    candidate: float
    threshold: float
    higher_is_better: bool = True
    notes: Notes = ""


class StageDoc(_Doc):
    traffic_percent: int = Field(ge=0, le=100)
    start_date: Day | None = None
    end_date: Day | None = None
    notes: Notes = ""


class DecisionDoc(_Doc):
    decided_on: Day
    decision: Decision
    traffic_percent: int | None = Field(default=None, ge=0, le=100)
    note: Notes = ""


class LogDoc(_Doc):
    at: Name
    event: Name
    detail: Notes = ""


class PlanDoc(_Doc):
    model_id: Ident
    target_model_id: Ident | None = None  # effective: the campaign's unless target_overridden
    decision_reason: Notes = ""
    target_overridden: bool = False  # version 2
    current_phase: Phase = Phase.ASSESS
    started_on: Day
    deadline_override: Day | None = None
    completed_on: Day | None = None
    closed_on: Day | None = None
    closed_kind: Closure | None = None
    closed_reason: Notes = ""
    items: list[ItemDoc] = []
    fields: dict[Ident, Notes] = {}
    test_results: list[TestResultDoc] = []
    rollout_stages: list[StageDoc] = []
    decisions: list[DecisionDoc] = []
    log: list[LogDoc] = []


class DependencyDoc(_Doc):
    model_id: Ident
    region: Ident
    access_path: AccessPath = AccessPath.ON_DEMAND
    resource_id: Ident = ""
    environment: Name = "prod"
    monthly_volume: Volume = 0
    notes: Notes = ""
    account_id: Ident = ""  # the AWS account ('' when not stated)
    account_name: Name = ""


class ApplicationDoc(_Doc):
    name: Name = Field(min_length=1)
    owner: Name = ""
    team: Name = ""
    criticality: Criticality = Criticality.MEDIUM
    environments: list[Name] = ["prod"]
    notes: Notes = ""
    dependencies: list[DependencyDoc] = []
    plans: list[PlanDoc] = []


class ManualDateDoc(_Doc):
    model_id: Ident
    region: Ident
    field: Literal["legacy_date", "pea_date", "eol_date"]
    value: Day | None


class EvaluationDoc(_Doc):
    """One metric of one candidate, recorded once for the campaign (version 2, optional)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    candidate_model_id: Ident
    metric: Name = Field(min_length=1)
    value: float
    higher_is_better: bool = True
    notes: Notes = ""
    recorded_on: Day | None = None


class CampaignDoc(_Doc):
    """A campaign's decision (version 2): the replacement every plan of the model follows
    unless it overrides it; and its evaluations of candidates."""

    model_id: Ident
    target_model_id: Ident | None = None
    decision_reason: Notes = ""
    decided_on: Day | None = None
    evaluations: list[EvaluationDoc] = []


class ProjectDocument(_Doc):
    format: Literal["planner-tui-project"] = FORMAT
    schema_version: int
    project_id: Ident = ""
    settings: ScheduleSettings = ScheduleSettings()
    campaigns: list[CampaignDoc] = []  # version 2
    applications: list[ApplicationDoc] = []
    manual_dates: list[ManualDateDoc] = []
