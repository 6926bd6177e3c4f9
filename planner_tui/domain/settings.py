"""A project's scheduling settings (validated user input, so a pydantic model)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from .vocabulary import Phase


class ScheduleSettings(BaseModel):
    """How deadlines and phase windows are derived. Stored per project."""

    # Aim for the PEA start while it is still ahead (prices may rise from then on).
    prefer_pea: bool = True
    # When PEA is past or unknown, finish this many days before EOL.
    safety_margin_days: int = Field(default=14, ge=0, le=365)
    # Share of the plan window each phase gets, in phase order; sums to 1.
    phase_shares: dict[Phase, float] = Field(
        default_factory=lambda: {
            Phase.ASSESS: 0.15,
            Phase.RESEARCH: 0.20,
            Phase.TEST: 0.25,
            Phase.UPDATE: 0.15,
            Phase.ROLLOUT: 0.25,
        }
    )
    # Below these, a phase cannot be done properly and the plan counts as compressed.
    min_phase_days: dict[Phase, int] = Field(
        default_factory=lambda: {
            Phase.ASSESS: 5,
            Phase.RESEARCH: 7,
            Phase.TEST: 10,
            Phase.UPDATE: 5,
            Phase.ROLLOUT: 14,
        }
    )
