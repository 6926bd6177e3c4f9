"""Migration 0017: the AWS account on every record a sync brings or a dependency states."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .audit import ACTOR_SQL, _audit_triggers
from .registry import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database


@migrations(name="0017_accounts")
def accounts(db: Database) -> None:
    """`account_id` (12 digits; '' where unknown: records made before, typed by hand) and
    `account_name` on discovered resources, dependencies, daily usage and Health events. The
    same resource ARN, usage series or Health event can come from several accounts: the
    account joins their keys (tables made again). Audit triggers list every column: made
    again for the two audited tables."""
    for action in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER IF EXISTS audit_discovered_{action}")
        db.execute(f"DROP TRIGGER IF EXISTS audit_dependencies_{action}")
    db.execute(
        """
        CREATE TABLE discovered_new (
            id INTEGER PRIMARY KEY,
            region TEXT NOT NULL,
            kind TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            model_id TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            app_id INTEGER REFERENCES applications(id) ON DELETE SET NULL,
            dismissed INTEGER NOT NULL DEFAULT 0,
            raw_model_id TEXT NOT NULL DEFAULT '',
            variant TEXT NOT NULL DEFAULT '',
            account_id TEXT NOT NULL DEFAULT '',
            account_name TEXT NOT NULL DEFAULT '',
            UNIQUE (account_id, region, kind, resource_id, model_id)
        )"""
    )
    db.execute(
        """INSERT INTO discovered_new (id, region, kind, resource_id, name, model_id, detail,
               first_seen, last_seen, app_id, dismissed, raw_model_id, variant, account_id)
           SELECT id, region, kind, resource_id, name, model_id, detail, first_seen, last_seen,
               app_id, dismissed, raw_model_id, variant, ''
           FROM discovered"""
    )
    db.execute("DROP TABLE discovered")
    db.execute("ALTER TABLE discovered_new RENAME TO discovered")
    # The account an ARN names (arn:aws:bedrock:REGION:ACCOUNT:…): found by the one sync there was.
    rows = db.execute("SELECT id, resource_id FROM discovered WHERE resource_id LIKE 'arn:%'").fetchall()
    for row_id, arn in rows:
        parts = arn.split(":")
        if len(parts) > 4 and parts[4].isdigit():
            db.execute("UPDATE discovered SET account_id = ? WHERE id = ?", [parts[4], row_id])

    db.execute("ALTER TABLE dependencies ADD COLUMN account_id TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE dependencies ADD COLUMN account_name TEXT NOT NULL DEFAULT ''")

    db.execute(
        """
        CREATE TABLE usage_daily_new (
            account_id TEXT NOT NULL DEFAULT '',
            region TEXT NOT NULL,
            model_id TEXT NOT NULL,
            metric TEXT NOT NULL,
            day TEXT NOT NULL,
            value REAL NOT NULL,
            account_name TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (account_id, region, model_id, metric, day)
        )"""
    )
    db.execute("""INSERT INTO usage_daily_new (region, model_id, metric, day, value)
                  SELECT region, model_id, metric, day, value FROM usage_daily""")
    db.execute("DROP TABLE usage_daily")
    db.execute("ALTER TABLE usage_daily_new RENAME TO usage_daily")

    db.execute(
        """
        CREATE TABLE health_events_new (
            arn TEXT NOT NULL,
            account_id TEXT NOT NULL DEFAULT '',
            account_name TEXT NOT NULL DEFAULT '',
            event_type_code TEXT NOT NULL,
            category TEXT NOT NULL,
            status TEXT NOT NULL,
            region TEXT NOT NULL DEFAULT '',
            start_time TEXT,
            end_time TEXT,
            description TEXT NOT NULL DEFAULT '',
            entities TEXT NOT NULL DEFAULT '[]',
            fetched_at TEXT NOT NULL,
            PRIMARY KEY (arn, account_id)
        )"""
    )
    db.execute("""INSERT INTO health_events_new (arn, event_type_code, category, status, region, start_time,
                      end_time, description, entities, fetched_at)
                  SELECT arn, event_type_code, category, status, region, start_time, end_time,
                      description, entities, fetched_at FROM health_events""")
    db.execute("DROP TABLE health_events")
    db.execute("ALTER TABLE health_events_new RENAME TO health_events")

    _audit_triggers(db, "discovered", ACTOR_SQL)
    _audit_triggers(db, "dependencies", ACTOR_SQL)
