"""Project settings and identity, kept in `planner_meta` (one row per key)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..db import DatabaseCore

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ...domain.settings import ScheduleSettings


class MetaRepo(DatabaseCore):
    @staticmethod
    def _set_meta(db: Database, key: str, value: str) -> None:
        """The one write of `planner_meta`, inside an edit."""
        db.execute("INSERT OR REPLACE INTO planner_meta (key, value) VALUES (?, ?)", [key, value])

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM planner_meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def schedule_settings(self) -> ScheduleSettings:
        from ...domain.settings import ScheduleSettings

        raw = self._meta("schedule_settings")
        return ScheduleSettings.model_validate_json(raw) if raw else ScheduleSettings()

    def save_schedule_settings(self, settings: ScheduleSettings) -> None:
        with self._edit() as db:
            self._set_meta(db, "schedule_settings", settings.model_dump_json())

    def catalog_version(self) -> str | None:
        return self._meta("catalog_version")

    def set_catalog_version(self, version: str) -> None:
        with self._edit() as db:
            self._set_meta(db, "catalog_version", version)

    def project_id(self) -> str:
        return self._meta("project_id") or "unknown-project"

    def set_project_id(self, project_id: str) -> None:
        """Fix the project identity (the example project uses a constant one)."""
        with self._edit() as db:
            self._set_meta(db, "project_id", project_id)
