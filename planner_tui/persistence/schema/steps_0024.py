"""Migration 0024: a caller can be dismissed from `discovered` (kept so across syncs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .registry import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database


@migrations(name="0024_callers_dismissed")
def callers_dismissed(db: Database) -> None:
    """`callers.dismissed`: an unassigned caller hidden from `discovered` (source: cloudtrail),
    say a test role or a one-off script. A sync adds its calls as before and leaves the flag
    alone; `callers` still lists it, with its counts."""
    db.execute("ALTER TABLE callers ADD COLUMN dismissed INTEGER NOT NULL DEFAULT 0")
