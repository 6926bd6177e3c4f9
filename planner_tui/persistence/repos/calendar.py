"""What was exported to calendars, so the next export raises SEQUENCE or cancels."""

from __future__ import annotations

from typing import Any

from ..db import DatabaseCore


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
