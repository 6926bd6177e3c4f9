"""Migrations 0005-0008: audit log, item counts, row versions, stored schedules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .audit import AUDITED_BEFORE_0012, _audit_triggers
from .registry import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database


@migrations(name="0005_audit_log")
def audit_log(db: Database) -> None:
    """Every change to user data: what, old and new row, when and by whom (via triggers)."""
    db.execute(
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_key TEXT NOT NULL,
            plan_id INTEGER,
            app_id INTEGER,
            action TEXT NOT NULL,
            old TEXT,
            new TEXT
        )"""
    )
    db.execute("CREATE INDEX audit_log_plan ON audit_log(plan_id, id)")
    for table in AUDITED_BEFORE_0012:
        _audit_triggers(db, table)



@migrations(name="0006_item_counts")
def item_counts(db: Database) -> None:
    """Done and total checklist items per plan and phase, kept current by triggers, so
    overviews of thousands of plans never aggregate every item."""
    db.execute(
        """
        CREATE TABLE plan_item_counts (
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            phase TEXT NOT NULL,
            done INTEGER NOT NULL DEFAULT 0,
            total INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (plan_id, phase)
        ) WITHOUT ROWID"""
    )
    db.execute(
        """INSERT INTO plan_item_counts (plan_id, phase, done, total)
           SELECT plan_id, phase, SUM(done), COUNT(*) FROM checklist_items GROUP BY plan_id, phase"""
    )
    add = """INSERT INTO plan_item_counts (plan_id, phase, done, total) VALUES ({r}.plan_id, {r}.phase, 0, 0)
             ON CONFLICT(plan_id, phase) DO NOTHING;
             UPDATE plan_item_counts SET done = done + {r}.done, total = total + 1
             WHERE plan_id = {r}.plan_id AND phase = {r}.phase;"""
    remove = """UPDATE plan_item_counts SET done = done - {r}.done, total = total - 1
                WHERE plan_id = {r}.plan_id AND phase = {r}.phase;"""
    db.execute(f"CREATE TRIGGER item_counts_insert AFTER INSERT ON checklist_items BEGIN "
               f"{add.format(r='NEW')} END")
    db.execute(f"CREATE TRIGGER item_counts_delete AFTER DELETE ON checklist_items BEGIN "
               f"{remove.format(r='OLD')} END")
    db.execute(f"CREATE TRIGGER item_counts_update AFTER UPDATE OF done, phase, plan_id ON checklist_items "
               f"BEGIN {remove.format(r='OLD')} {add.format(r='NEW')} END")


@migrations(name="0007_row_versions")
def row_versions(db: Database) -> None:
    """A version per editable row: an edit based on an old version is a conflict."""
    db.execute("ALTER TABLE checklist_items ADD COLUMN version INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE applications ADD COLUMN version INTEGER NOT NULL DEFAULT 0")


@migrations(name="0008_plan_schedules")
def plan_schedules(db: Database) -> None:
    """Each plan's computed schedule, so overviews of thousands of plans read rows instead of
    scheduling every plan. A cache of the domain rules (domain/schedule.py): triggers drop a
    row when an input of its timetable changes and mark its standing stale when progress,
    phase or criticality change; services/schedules.py fills in what is missing."""
    db.execute(
        """
        CREATE TABLE plan_schedules (
            plan_id INTEGER PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
            deadline TEXT,
            basis TEXT NOT NULL DEFAULT '',
            dues TEXT NOT NULL,             -- JSON list: one ISO date per phase
            compressed INTEGER NOT NULL,
            valid_from TEXT,                -- the timetable holds for valid_from <= today
            valid_until TEXT,               -- ... and today < valid_until
            band_region TEXT,               -- a Region of the earliest-ending lifecycle it uses
            band_eol TEXT,
            band_pea TEXT,
            evaluated_on TEXT,              -- the day of the standing below; NULL when stale
            risk_rank INTEGER,
            next_due TEXT,
            urgency REAL,
            progress REAL
        )"""
    )
    db.execute("CREATE INDEX plan_schedules_order ON plan_schedules(risk_rank, urgency DESC, next_due)")
    db.execute("CREATE INDEX plans_model ON plans(model_id)")
    drop = "DELETE FROM plan_schedules WHERE plan_id IN ({plans});"
    stale = "UPDATE plan_schedules SET evaluated_on = NULL WHERE plan_id IN ({plans});"
    of_model = "SELECT id FROM plans WHERE model_id = {r}.model_id"
    of_use = "SELECT id FROM plans WHERE app_id = {r}.app_id AND model_id = {r}.model_id"
    triggers = {
        "plans_timetable": ("UPDATE OF started_on, deadline_override, model_id, app_id ON plans",
                            drop.format(plans="NEW.id")),
        "plans_standing": ("UPDATE OF current_phase, completed_on ON plans", stale.format(plans="NEW.id")),
        "applications_standing": ("UPDATE OF criticality ON applications",
                                  stale.format(plans="SELECT id FROM plans WHERE app_id = NEW.id")),
        "settings": ("INSERT ON planner_meta WHEN NEW.key = 'schedule_settings'",
                     "DELETE FROM plan_schedules;"),
        "settings_update": ("UPDATE ON planner_meta WHEN NEW.key = 'schedule_settings'",
                            "DELETE FROM plan_schedules;"),
    }
    for action in ("insert", "update", "delete"):
        rows = {"insert": ["NEW"], "update": ["OLD", "NEW"], "delete": ["OLD"]}[action]
        on = action.upper()
        triggers[f"counts_{action}"] = (f"{on} ON plan_item_counts",
                                        "".join(stale.format(plans=f"{r}.plan_id") for r in rows))
        for table, columns in (("lifecycle", "declared_status, legacy_date, pea_date, eol_date, as_of, "
                                              "model_id, region"),
                               ("models", "launch_date, eol_no_sooner_than, legacy_period_days, model_id")):
            # Updates only of what a timetable reads (a sync rewrites source on every row).
            event = f"UPDATE OF {columns} ON {table}" if action == "update" else f"{on} ON {table}"
            triggers[f"{table}_{action}"] = (event, "".join(drop.format(plans=of_model.format(r=r)) for r in rows))
        triggers[f"dependencies_{action}"] = (f"{on} ON dependencies",
                                              "".join(drop.format(plans=of_use.format(r=r)) for r in rows))
    for name, (event, body) in triggers.items():
        db.execute(f"CREATE TRIGGER schedule_{name} AFTER {event} BEGIN {body} END")

