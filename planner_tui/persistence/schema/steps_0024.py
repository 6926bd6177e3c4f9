"""Migration 0024: a caller can be dismissed from `discovered` (kept so across syncs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .audit import ACTOR_SQL
from .registry import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database


@migrations(name="0024_callers_dismissed")
def callers_dismissed(db: Database) -> None:
    """`callers.dismissed`: an unassigned caller hidden from `discovered` (source: cloudtrail),
    say a test role or a one-off script. A sync adds its calls as before and leaves the flag
    alone; `callers` still lists it, with its counts."""
    db.execute("ALTER TABLE callers ADD COLUMN dismissed INTEGER NOT NULL DEFAULT 0")
    # Dismissing (or showing again) is a person's edit, kept in the history as a discovered
    # resource's is; a sync's new counts are not (every caller every sync), nor is accepting
    # one (its dependency's insert is).
    row = ("json_object('principal_arn', {r}.principal_arn, 'model_id', {r}.model_written, "
           "'region', {r}.region, 'account_id', {r}.account_id, 'dismissed', {r}.dismissed)")
    db.execute(f"""CREATE TRIGGER audit_callers_dismissed AFTER UPDATE OF dismissed ON callers
                   WHEN OLD.dismissed IS NOT NEW.dismissed
                   BEGIN
                       INSERT INTO audit_log (at, actor, table_name, row_key, plan_id, app_id, action, old, new)
                       VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), {ACTOR_SQL}, 'callers', NEW.id, NULL,
                               NEW.app_id, 'update', {row.format(r="OLD")}, {row.format(r="NEW")});
                   END""")
