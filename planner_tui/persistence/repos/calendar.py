"""What was exported to calendars, so the next export raises SEQUENCE or cancels; and the
project's calendar settings (reminders, refresh)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..db import DatabaseCore

if TYPE_CHECKING:
    from ...domain.settings import CalendarSettings

SETTINGS_KEY = "calendar_settings"


class CalendarRepo(DatabaseCore):
    def calendar_state(self) -> dict[str, dict[str, Any]]:
        return {row["uid"]: row for row in self._rows("SELECT * FROM calendar_events")}

    def record_calendar_export(self, rows: list[dict[str, Any]]) -> None:
        """Remember what was exported, so the next export raises SEQUENCE or cancels."""
        with self._edit() as db:
            db.conn.executemany(
                """INSERT OR REPLACE INTO calendar_events (uid, kind, model_id, app_names,
                       summary, start_date, end_date, sequence, cancelled, exported_at)
                   VALUES (:uid, :kind, :model_id, :app_names, :summary, :start_date,
                       :end_date, :sequence, :cancelled, :exported_at)""",
                rows,
            )

    def calendar_settings(self) -> CalendarSettings:
        from ...domain.settings import CalendarSettings

        row = self.conn.execute("SELECT value FROM planner_meta WHERE key = ?", [SETTINGS_KEY]).fetchone()
        return CalendarSettings.model_validate_json(row[0]) if row else CalendarSettings()

    def save_calendar_settings(self, settings: CalendarSettings) -> None:
        with self._edit() as db:
            db.execute("INSERT OR REPLACE INTO planner_meta (key, value) VALUES (?, ?)",
                       [SETTINGS_KEY, settings.model_dump_json()])
