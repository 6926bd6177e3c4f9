"""Migration 0013: stored schedules worked out again under a corrected rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .registry import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database


@migrations(name="0013_retired_without_a_date")
def retired_without_a_date(db: Database) -> None:
    """A model declared EOL with no EOL date, noted 'before 2026-02-15 (dropped from …)', is
    past EOL from that day (domain/schedule.py read only a leading date, so its plans were
    rated overdue). Stored schedules are a cache of the rules: drop them, the next read
    works every one out again."""
    db.execute("DELETE FROM plan_schedules")
