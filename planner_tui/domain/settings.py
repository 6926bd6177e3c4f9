"""A project's scheduling settings (validated user input, so a pydantic model)."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

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


MAX_LEAD_DAYS = 366
MAX_REMINDERS = 10


def _lead_times(days: tuple[int, ...]) -> tuple[int, ...]:
    """Reminder lead times, earliest first, each once; 0 is on the day itself."""
    if any(d < 0 or d > MAX_LEAD_DAYS for d in days):
        raise ValueError(f"reminder days must be between 0 and {MAX_LEAD_DAYS}")
    if len(set(days)) > MAX_REMINDERS:
        raise ValueError(f"at most {MAX_REMINDERS} reminders per event")
    return tuple(sorted(set(days), reverse=True))


class CalendarSettings(BaseModel):
    """Reminders and refresh of the calendar export and feeds. Stored per project."""

    # Reminders (VALARM) this many days before each event; () for none.
    alarm_days: tuple[int, ...] = (30, 7, 1)
    # EOL milestones need more lead time: a migration takes months, not days.
    eol_alarm_days: tuple[int, ...] = (90, 30, 7)
    # How often a subscribed calendar should fetch a feed again (REFRESH-INTERVAL,
    # X-PUBLISHED-TTL). Clients may poll less often (Google Calendar: about a day).
    refresh_hours: int = Field(default=12, ge=1, le=24 * 7)

    @field_validator("alarm_days", "eol_alarm_days")
    @classmethod
    def _check_days(cls, days: tuple[int, ...]) -> tuple[int, ...]:
        return _lead_times(days)
