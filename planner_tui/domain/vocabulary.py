"""The planner's fixed vocabulary: lifecycle states, phases, access paths, criticality.

Plain enums, no pydantic, so that the paths that only read a project (start-up, `status`)
load quickly.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

# Models launched on or after this date follow the newer lifecycle policy.
NEW_POLICY_START = dt.date(2026, 9, 7)


class Status(StrEnum):
    ACTIVE = "Active"
    LEGACY = "Legacy"
    PEA = "PEA"  # Legacy, in public extended access
    EOL = "EOL"


class PolicyRegime(StrEnum):
    BEFORE_2026_09_07 = "launched-before-2026-09-07"
    FROM_2026_09_07 = "launched-on-or-after-2026-09-07"


class AccessPath(StrEnum):
    ON_DEMAND = "on-demand"
    INFERENCE_PROFILE = "inference-profile"
    PROVISIONED = "provisioned-throughput"
    CUSTOM_MODEL = "custom-model"
    BATCH = "batch"


class Phase(StrEnum):
    ASSESS = "assess"
    RESEARCH = "research"
    TEST = "test"
    UPDATE = "update"
    ROLLOUT = "rollout"

    # A phase's title and position, read everywhere as attributes: they shadow str.title()
    # and str.index(), which are never called on a Phase (a property in place of a method
    # of the base class is what mypy refuses).
    @property
    def title(self) -> str:  # type: ignore[override]
        return self.value.capitalize()

    @property
    def index(self) -> int:  # type: ignore[override]
        return _PHASE_INDEX[self]


PHASES: tuple[Phase, ...] = tuple(Phase)
_PHASE_INDEX = {phase: index for index, phase in enumerate(PHASES)}


class Closure(StrEnum):
    """Why a plan ended without being completed."""

    NO_LONGER_NEEDED = "no longer needed"  # its application no longer uses the model
    WONT_MIGRATE = "won't migrate"  # cancelled by a person, with a reason


class Criticality(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


# Value -> member, for rows read back from SQLite (a dict look-up is far cheaper than
# calling the enum, which matters for 20,000 plans).
PHASE_BY_VALUE = {phase.value: phase for phase in PHASES}
CRITICALITY_BY_VALUE = {criticality.value: criticality for criticality in Criticality}
