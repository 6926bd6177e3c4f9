"""Migration 0020: model references found in an application's code (`scan PATH --app APP`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .registry import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database


@migrations(name="0020_code_findings")
def code_findings(db: Database) -> None:
    """`code_scans`: each folder (or file) scanned for an application, when, and how many
    files were read. `code_findings`: every model reference found there, one row per place
    (the scan's fingerprint: file, matched text and its occurrence in the file, so a row
    survives lines moving). A re-scan of the same folder marks a row no longer found as
    resolved (`resolved_on`), never deletes it, and opens it again if it comes back. Both go
    with their application. Evidence the scan can make again: not in the audit log."""
    db.execute(
        """
        CREATE TABLE code_scans (
            id INTEGER PRIMARY KEY,
            app_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
            root TEXT NOT NULL,
            scanned_on TEXT NOT NULL,
            files_read INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL DEFAULT '',
            UNIQUE (app_id, root)
        )"""
    )
    db.execute(
        """
        CREATE TABLE code_findings (
            id INTEGER PRIMARY KEY,
            app_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
            root TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            file TEXT NOT NULL,
            line INTEGER NOT NULL,
            column_no INTEGER NOT NULL,
            matched TEXT NOT NULL,
            model_id TEXT NOT NULL,
            profile_id TEXT,
            known INTEGER NOT NULL,
            status TEXT NOT NULL,
            severity TEXT NOT NULL,
            language TEXT NOT NULL DEFAULT '',
            via TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            resolved_on TEXT,
            UNIQUE (app_id, root, fingerprint)
        )"""
    )
    db.execute("CREATE INDEX code_findings_model ON code_findings(app_id, model_id)")
