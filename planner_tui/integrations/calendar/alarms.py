"""Which reminders (VALARM) an event carries: the project's calendar settings (30, 7 and 1
days before by default; EOL milestones 90, 30 and 7), or what the export was asked for."""

from __future__ import annotations

from dataclasses import dataclass

from ...domain.lifecycle import MilestoneKind
from ...domain.settings import CalendarSettings
from .events import CalendarEvent, ExportScope


@dataclass(frozen=True)
class Reminders:
    days: tuple[int, ...]  # before every event
    eol_days: tuple[int, ...]  # before an EOL milestone

    @classmethod
    def of(cls, scope: ExportScope, settings: CalendarSettings) -> Reminders:
        """`--alarm` sets every event's reminders, EOL's too unless `--eol-alarm` is given;
        what neither gives follows the project's settings."""
        days = settings.alarm_days if scope.alarms is None else scope.alarms
        if scope.eol_alarms is not None:
            eol_days = scope.eol_alarms
        else:
            eol_days = settings.eol_alarm_days if scope.alarms is None else scope.alarms
        return cls(days, eol_days)

    def before(self, event: CalendarEvent) -> tuple[int, ...]:
        return self.eol_days if event.milestone == MilestoneKind.EOL.value else self.days

    def most(self) -> int:
        return max(len(self.days), len(self.eol_days))


def alarm_text(days: int, summary: str) -> str:
    return f"In {days} day{'s' if days != 1 else ''}: {summary}" if days else summary
