"""Pydantic models of the planner's world: catalog, portfolio and migration plans.

Pure data: no I/O, no Textual, no boto3.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from ..compat import pydantic_trusted
from .fields import Day, Ident, InputModel, Name, Notes, Title, Volume, checking
from .vocabulary import (  # noqa: F401 - the domain's names, re-exported for convenience
    NEW_POLICY_START,
    PHASES,
    AccessPath,
    Closure,
    Criticality,
    Phase,
    PolicyRegime,
    Status,
)


def trusted(model: type[BaseModel], **values: Any) -> Any:
    """Build a model from already-valid values (rows of our own schema) without validation:
    like `model_construct`, far cheaper, which matters for 20,000 plans. Every field must
    be given."""
    return pydantic_trusted(model, values)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class _Input(InputModel):
    """A model a person fills in: `model_validate` applies the input rules (domain/fields.py)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class FoundationModel(_Model):
    model_id: str
    name: str
    provider: str
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    streaming: bool = False
    launch_date: dt.date | None = None
    eol_no_sooner_than: dt.date | None = None
    # New-policy Legacy period in days (45 or about 183); None when not published.
    legacy_period_days: int | None = None
    regions: tuple[str, ...] = ()  # in-Region availability
    cross_region_regions: tuple[str, ...] = ()  # reachable only through inference profiles
    source_url: str = ""
    as_of: str = ""


class RegionalLifecycle(_Model):
    """Lifecycle of one model in a group of Regions that share the same dates."""

    model_id: str
    regions: tuple[str, ...]
    declared_status: Status = Status.LEGACY
    launch_date: dt.date | None = None
    legacy_date: dt.date | None = None
    pea_date: dt.date | None = None
    eol_date: dt.date | None = None
    eol_no_sooner_than: dt.date | None = None
    legacy_period_days: int | None = None
    policy: PolicyRegime = PolicyRegime.BEFORE_2026_09_07
    source: str = ""
    as_of: str = ""

    @property
    def legacy_period(self) -> dt.timedelta | None:
        if self.legacy_date and self.eol_date:
            return self.eol_date - self.legacy_date
        return None


class Application(_Input):
    id: int | None = None
    name: Name
    owner: Name = ""
    team: Name = ""
    criticality: Criticality = Criticality.MEDIUM
    environments: tuple[Name, ...] = ("prod",)
    notes: Notes = ""
    version: int = 0  # bumped by every saved edit; detects conflicting edits

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not checking():
            return value
        value = value.strip()
        if not value:
            raise ValueError("application name must not be empty")
        return value


class Dependency(_Input):
    id: int | None = None
    app_id: int
    model_id: Ident
    region: Ident
    access_path: AccessPath = AccessPath.ON_DEMAND
    # Cross-Region inference profile ID (us./eu./apac./global. …) or a PT / custom model ARN.
    resource_id: Ident = ""
    environment: Name = "prod"
    monthly_volume: Volume = 0
    notes: Notes = ""
    account_id: Ident = ""  # the AWS account it runs in ('' when not stated); an app may span several
    account_name: Name = ""


class ChecklistItem(_Input):
    id: int | None = None
    plan_id: int | None = None
    phase: Phase
    position: int = 0
    title: Title
    done: bool = False
    owner: Name = ""
    due_date: Day | None = None
    notes: Notes = ""  # evidence
    done_at: dt.datetime | None = None
    version: int = 0  # bumped by every saved edit; detects conflicting edits

    @field_validator("title")
    @classmethod
    def _title_not_blank(cls, value: str) -> str:
        if not checking():
            return value
        value = value.strip()
        if not value:
            raise ValueError("checklist item title must not be empty")
        return value


class MigrationPlan(_Input):
    """Migration of one application off one Legacy model."""

    id: int | None = None
    app_id: int
    app_name: Name = ""
    model_id: Ident
    target_model_id: Ident | None = None
    decision_reason: Notes = ""
    current_phase: Phase = Phase.ASSESS
    started_on: Day
    deadline_override: Day | None = None
    completed_on: Day | None = None
    closed_on: Day | None = None  # closed as no longer needed, or cancelled
    closed_kind: Closure | None = None
    closed_reason: Notes = ""
    items: tuple[ChecklistItem, ...] = ()
    # (done, total) per phase; loaded from SQL for overviews that need no item details.
    phase_counts: dict[Phase, tuple[int, int]] = {}

    def items_in(self, phase: Phase) -> list[ChecklistItem]:
        return sorted((i for i in self.items if i.phase == phase), key=lambda i: i.position)

    def counts(self, phase: Phase) -> tuple[int, int]:
        """(done, total) checklist items of a phase."""
        if self.items:
            items = [i for i in self.items if i.phase == phase]
            return sum(i.done for i in items), len(items)
        return self.phase_counts.get(phase, (0, 0))

    @property
    def is_open(self) -> bool:
        return self.completed_on is None and self.closed_on is None

    @property
    def state_label(self) -> str:
        """'complete', 'no longer needed', "won't migrate", or the current phase."""
        if self.closed_kind:
            return self.closed_kind.value
        return "complete" if self.completed_on else self.current_phase.title

    def open_items(self, phase: Phase | None = None) -> list[ChecklistItem]:
        return [i for i in self.items if not i.done and (phase is None or i.phase == phase)]

    @property
    def progress(self) -> float:
        """The share of the checklist done: a plan completed with items open says so."""
        if self.items:
            return sum(i.done for i in self.items) / len(self.items)
        done = sum(d for d, _ in self.phase_counts.values())
        total = sum(t for _, t in self.phase_counts.values())
        return done / total if total else (1.0 if self.completed_on else 0.0)
