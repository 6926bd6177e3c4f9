"""Migration 0021: who calls each model, as CloudTrail logged it (`callers`), and how far
each account and Region was read (`caller_scans`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .registry import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database


@migrations(name="0021_callers")
def callers(db: Database) -> None:
    """`callers`: per account, Region, principal ARN and model as the request wrote it (a
    model ID, ARN, inference profile ID or ARN): the model it resolves to (the catalog's
    base model; as written when unknown), the calls counted, how many failed, the first and
    last seen (UTC, ISO), the newest event time a scan had read when it was last counted
    (`synced_until`), and the application it was accepted into (NULL until then). A later
    scan adds its counts. `caller_scans`: per account and Region, the end of the window
    the last scan read (the next starts there: only what is new is read again), when, and
    what it counted and skipped. Evidence a sync can make again: not in the audit log."""
    db.execute(
        """
        CREATE TABLE callers (
            id INTEGER PRIMARY KEY,
            account_id TEXT NOT NULL DEFAULT '',
            account_name TEXT NOT NULL DEFAULT '',
            region TEXT NOT NULL,
            principal_arn TEXT NOT NULL,
            model_written TEXT NOT NULL,
            model_id TEXT NOT NULL,
            profile_id TEXT NOT NULL DEFAULT '',
            variant TEXT NOT NULL DEFAULT '',
            known INTEGER NOT NULL DEFAULT 1,
            calls INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            synced_until TEXT NOT NULL,
            app_id INTEGER REFERENCES applications(id) ON DELETE SET NULL,
            UNIQUE (account_id, region, principal_arn, model_written)
        )"""
    )
    db.execute("CREATE INDEX callers_model ON callers(model_id, region)")
    db.execute(
        """
        CREATE TABLE caller_scans (
            account_id TEXT NOT NULL DEFAULT '',
            region TEXT NOT NULL,
            account_name TEXT NOT NULL DEFAULT '',
            window_start TEXT NOT NULL,
            synced_until TEXT NOT NULL,
            scanned_at TEXT NOT NULL,
            events INTEGER NOT NULL DEFAULT 0,
            skipped INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (account_id, region)
        )"""
    )
