"""Migration 0023: code findings kept for triage (`scan PATH --record`, no application)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .registry import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

_FINDING_COLUMNS = ("id, app_id, root, fingerprint, file, line, column_no, matched, model_id, profile_id, known, "
                    "status, severity, language, via, first_seen, last_seen, resolved_on")


@migrations(name="0023_code_findings_triage")
def code_findings_triage(db: Database) -> None:
    """`code_scans.app_id` and `code_findings.app_id` may be NULL: a scan recorded without an
    application (`scan PATH --record`) keeps its findings unassigned, listed by `discovered`
    (source: code) until one is accepted into an application (it then becomes that
    application's evidence) or dismissed (`code_findings.dismissed`, kept across re-scans).
    One row per (application or none, folder, fingerprint) as before: the uniqueness moves
    to indexes on `IFNULL(app_id, 0)`, since NULLs never collide in a UNIQUE constraint."""
    db.execute(
        """
        CREATE TABLE code_scans_new (
            id INTEGER PRIMARY KEY,
            app_id INTEGER REFERENCES applications(id) ON DELETE CASCADE,
            root TEXT NOT NULL,
            scanned_on TEXT NOT NULL,
            files_read INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("""INSERT INTO code_scans_new (id, app_id, root, scanned_on, files_read, source)
                  SELECT id, app_id, root, scanned_on, files_read, source FROM code_scans""")
    db.execute("DROP TABLE code_scans")
    db.execute("ALTER TABLE code_scans_new RENAME TO code_scans")
    db.execute("CREATE UNIQUE INDEX code_scans_place ON code_scans(IFNULL(app_id, 0), root)")
    db.execute(
        """
        CREATE TABLE code_findings_new (
            id INTEGER PRIMARY KEY,
            app_id INTEGER REFERENCES applications(id) ON DELETE CASCADE,
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
            dismissed INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute(f"INSERT INTO code_findings_new ({_FINDING_COLUMNS}) SELECT {_FINDING_COLUMNS} FROM code_findings")
    db.execute("DROP TABLE code_findings")
    db.execute("ALTER TABLE code_findings_new RENAME TO code_findings")
    db.execute("CREATE UNIQUE INDEX code_findings_place ON code_findings(IFNULL(app_id, 0), root, fingerprint)")
    db.execute("CREATE INDEX code_findings_model ON code_findings(app_id, model_id)")
