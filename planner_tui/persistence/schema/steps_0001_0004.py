"""Migrations 0001-0004: the project, phase workspaces, calendar exports, AWS sync."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .registry import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database


@migrations(name="0001_initial")
def initial(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE planner_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )"""
    )
    # Marks the file as ours; checked before any later open writes to it.
    db.execute("INSERT INTO planner_meta(key, value) VALUES ('app', 'planner-tui')")
    db.execute(
        """
        CREATE TABLE models (
            model_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            provider TEXT NOT NULL,
            input_modalities TEXT NOT NULL DEFAULT '[]',
            output_modalities TEXT NOT NULL DEFAULT '[]',
            streaming INTEGER NOT NULL DEFAULT 0,
            launch_date TEXT,
            eol_no_sooner_than TEXT,
            legacy_period_days INTEGER,
            source_url TEXT NOT NULL DEFAULT '',
            as_of TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute(
        """
        CREATE TABLE model_regions (
            model_id TEXT NOT NULL REFERENCES models(model_id) ON DELETE CASCADE,
            region TEXT NOT NULL,
            access TEXT NOT NULL CHECK (access IN ('in-region', 'cross-region')),
            PRIMARY KEY (model_id, region)
        )"""
    )
    db.execute(
        """
        CREATE TABLE lifecycle (
            model_id TEXT NOT NULL REFERENCES models(model_id) ON DELETE CASCADE,
            region TEXT NOT NULL,
            declared_status TEXT NOT NULL,
            legacy_date TEXT,
            pea_date TEXT,
            eol_date TEXT,
            policy TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            as_of TEXT NOT NULL DEFAULT '',
            manual_fields TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (model_id, region)
        )"""
    )
    db.execute(
        """
        CREATE TABLE lifecycle_history (
            id INTEGER PRIMARY KEY,
            model_id TEXT NOT NULL,
            region TEXT NOT NULL,
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            changed_at TEXT NOT NULL,
            source TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE applications (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            owner TEXT NOT NULL DEFAULT '',
            team TEXT NOT NULL DEFAULT '',
            criticality TEXT NOT NULL DEFAULT 'medium',
            environments TEXT NOT NULL DEFAULT '["prod"]',
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE dependencies (
            id INTEGER PRIMARY KEY,
            app_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
            model_id TEXT NOT NULL,
            region TEXT NOT NULL,
            access_path TEXT NOT NULL,
            resource_id TEXT NOT NULL DEFAULT '',
            environment TEXT NOT NULL DEFAULT 'prod',
            monthly_volume INTEGER NOT NULL DEFAULT 0,
            notes TEXT NOT NULL DEFAULT '',
            UNIQUE (app_id, model_id, region, access_path, resource_id, environment)
        )"""
    )
    db.execute(
        """
        CREATE TABLE plans (
            id INTEGER PRIMARY KEY,
            app_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
            model_id TEXT NOT NULL,
            target_model_id TEXT,
            decision_reason TEXT NOT NULL DEFAULT '',
            current_phase TEXT NOT NULL DEFAULT 'assess',
            started_on TEXT NOT NULL,
            deadline_override TEXT,
            completed_on TEXT,
            UNIQUE (app_id, model_id)
        )"""
    )
    db.execute(
        """
        CREATE TABLE checklist_items (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            phase TEXT NOT NULL,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            done INTEGER NOT NULL DEFAULT 0,
            owner TEXT NOT NULL DEFAULT '',
            due_date TEXT,
            notes TEXT NOT NULL DEFAULT '',
            done_at TEXT
        )"""
    )
    db.execute("CREATE INDEX checklist_items_plan ON checklist_items(plan_id, phase, position)")
    db.execute("CREATE INDEX dependencies_model ON dependencies(model_id, region)")
    db.execute(
        """
        CREATE TABLE plan_log (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            event TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        )"""
    )


@migrations(name="0002_phase_workspace")
def phase_workspace(db: Database) -> None:
    """Phase forms: free fields (baseline, update notes, guardrails), tests, rollout."""
    db.execute(
        """
        CREATE TABLE plan_fields (
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (plan_id, key)
        )"""
    )
    db.execute(
        """
        CREATE TABLE test_results (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            metric TEXT NOT NULL,
            baseline REAL,
            candidate REAL NOT NULL,
            threshold REAL NOT NULL,
            higher_is_better INTEGER NOT NULL,
            notes TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute(
        """
        CREATE TABLE rollout_stages (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            traffic_percent INTEGER NOT NULL CHECK (traffic_percent BETWEEN 0 AND 100),
            start_date TEXT,
            end_date TEXT,
            notes TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute(
        """
        CREATE TABLE rollout_decisions (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            decided_on TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('advance', 'hold', 'roll back')),
            traffic_percent INTEGER,
            note TEXT NOT NULL DEFAULT ''
        )"""
    )


@migrations(name="0003_calendar_exports")
def calendar_exports(db: Database) -> None:
    """What each calendar event looked like when last exported: UID → date, SEQUENCE."""
    db.execute(
        """
        CREATE TABLE calendar_events (
            uid TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            model_id TEXT NOT NULL DEFAULT '',
            app_names TEXT NOT NULL DEFAULT '[]',
            summary TEXT NOT NULL,
            start_date TEXT NOT NULL,
            end_date TEXT NOT NULL,
            sequence INTEGER NOT NULL DEFAULT 0,
            cancelled INTEGER NOT NULL DEFAULT 0,
            exported_at TEXT NOT NULL
        )"""
    )
    # A stable identity for this project, part of every calendar UID.
    db.execute(
        "INSERT OR IGNORE INTO planner_meta (key, value) VALUES ('project_id', lower(hex(randomblob(16))))"
    )


@migrations(name="0004_aws_sync")
def aws_sync(db: Database) -> None:
    """Live-account data: discovered resources, daily usage, Health events, sync runs."""
    db.execute(
        """
        CREATE TABLE discovered (
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
            UNIQUE (region, kind, resource_id, model_id)
        )"""
    )
    db.execute(
        """
        CREATE TABLE usage_daily (
            region TEXT NOT NULL,
            model_id TEXT NOT NULL,
            metric TEXT NOT NULL,
            day TEXT NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (region, model_id, metric, day)
        )"""
    )
    db.execute(
        """
        CREATE TABLE health_events (
            arn TEXT PRIMARY KEY,
            event_type_code TEXT NOT NULL,
            category TEXT NOT NULL,
            status TEXT NOT NULL,
            region TEXT NOT NULL DEFAULT '',
            start_time TEXT,
            end_time TEXT,
            description TEXT NOT NULL DEFAULT '',
            entities TEXT NOT NULL DEFAULT '[]',
            fetched_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE sync_runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            outcome TEXT NOT NULL,
            report TEXT NOT NULL
        )"""
    )

