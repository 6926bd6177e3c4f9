"""Named, ordered schema migrations. Never edit a released migration: add a new one.

sqlite-utils applies them. The registry is a plain list so that opening an up-to-date
project needs no sqlite-utils import (a third of a second of start-up).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "planner-tui"
MIGRATIONS: list[tuple[str, Callable[[Database], None]]] = []


def migrations(name: str) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
    def register(fn: Callable[[Database], None]) -> Callable[[Database], None]:
        MIGRATIONS.append((name, fn))
        return fn

    return register


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


# Tables whose every change is kept in the audit log, with how a row finds its plan and app.
AUDITED = {
    "applications": ("NULL", "{r}.id"),
    "dependencies": ("NULL", "{r}.app_id"),
    "plans": ("{r}.id", "{r}.app_id"),
    "checklist_items": ("{r}.plan_id", "(SELECT app_id FROM plans WHERE id = {r}.plan_id)"),
    "plan_fields": ("{r}.plan_id", "(SELECT app_id FROM plans WHERE id = {r}.plan_id)"),
    "test_results": ("{r}.plan_id", "(SELECT app_id FROM plans WHERE id = {r}.plan_id)"),
    "rollout_stages": ("{r}.plan_id", "(SELECT app_id FROM plans WHERE id = {r}.plan_id)"),
    "rollout_decisions": ("{r}.plan_id", "(SELECT app_id FROM plans WHERE id = {r}.plan_id)"),
    "discovered": ("NULL", "{r}.app_id"),
}


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
    for table in AUDITED:
        _audit_triggers(db, table)


# Who makes an edit: written into planner_meta by each edit's transaction (persistence/db.py).
# Triggers read it there; calling a Python function from a trigger could deadlock a worker
# thread reading the same connection (it holds the GIL waiting for SQLite, which waits for it).
ACTOR_SQL = "(SELECT value FROM planner_meta WHERE key = 'actor')"


def _audit_triggers(db: Database, table: str, actor: str = "planner_actor()") -> None:
    """Triggers that log every insert, update and delete of `table` with its whole row."""
    plan_expr, app_expr = AUDITED[table]
    columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()]
    has_id = "id" in columns

    def row_json(ref: str) -> str:
        return "json_object(" + ", ".join(f"'{c}', {ref}.{c}" for c in columns) + ")"

    def key(ref: str) -> str:
        if has_id:
            return f"{ref}.id"
        return f"{ref}.plan_id || ':' || {ref}.key"  # plan_fields

    stamp = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
    for action, ref, old, new in (
        ("insert", "NEW", "NULL", row_json("NEW")),
        ("update", "NEW", row_json("OLD"), row_json("NEW")),
        ("delete", "OLD", row_json("OLD"), "NULL"),
    ):
        when = f"WHEN {old} IS NOT {new}" if action == "update" else ""
        db.execute(
            f"""CREATE TRIGGER audit_{table}_{action} AFTER {action.upper()} ON {table}
                {when}
                BEGIN
                    INSERT INTO audit_log (at, actor, table_name, row_key, plan_id, app_id,
                                           action, old, new)
                    VALUES ({stamp}, {actor}, '{table}', {key(ref)},
                            {plan_expr.format(r=ref)}, {app_expr.format(r=ref)},
                            '{action}', {old}, {new});
                END"""
        )


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


@migrations(name="0009_lifecycle_groups")
def lifecycle_groups(db: Database) -> None:
    """Lifecycle rows in the order ProjectStore.lifecycle_dates groups them (the Regions that
    share a model's dates), with every column it reads: SQLite groups while it walks the
    index instead of sorting 9,000 rows (23 → 6 ms on a large project)."""
    db.execute("""CREATE INDEX lifecycle_groups ON lifecycle(model_id, declared_status, legacy_date, pea_date,
                                                            eol_date, policy, source, as_of, region)""")


@migrations(name="0010_plan_closure")
def plan_closure(db: Database) -> None:
    """Plans end three ways: completed, closed as no longer needed (their last dependency
    went) or cancelled (won't migrate, with a reason); the last two can be reopened. Stored
    schedules keep the earliest EOL of the plan's Regions: past it, the plan is an outage.
    Risk ranks moved (past EOL first, closed last), so every stored schedule is worked out again."""
    db.execute("ALTER TABLE plans ADD COLUMN closed_on TEXT")
    db.execute("ALTER TABLE plans ADD COLUMN closed_kind TEXT")  # domain.schedule.Closure
    db.execute("ALTER TABLE plans ADD COLUMN closed_reason TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE plan_schedules ADD COLUMN eol TEXT")
    db.execute("DELETE FROM plan_schedules")
    db.execute("DROP TRIGGER schedule_plans_standing")
    db.execute("""CREATE TRIGGER schedule_plans_standing AFTER UPDATE OF current_phase, completed_on, closed_on
                  ON plans BEGIN UPDATE plan_schedules SET evaluated_on = NULL WHERE plan_id IN (NEW.id); END""")
    # Dates and results that contradict the EOL count toward the standing (domain/eol_checks.py).
    stale = "UPDATE plan_schedules SET evaluated_on = NULL WHERE plan_id = {r}.plan_id;"
    db.execute(f"""CREATE TRIGGER schedule_items_due AFTER UPDATE OF due_date ON checklist_items
                   BEGIN {stale.format(r="NEW")} END""")
    for table in ("rollout_stages", "test_results"):
        db.execute(f"CREATE INDEX {table}_plan ON {table}(plan_id)")
        for action, rows in (("insert", ["NEW"]), ("update", ["OLD", "NEW"]), ("delete", ["OLD"])):
            db.execute(f"""CREATE TRIGGER schedule_{table}_{action} AFTER {action.upper()} ON {table}
                           BEGIN {"".join(stale.format(r=r) for r in rows)} END""")
    # The audit triggers list a table's columns: plans has new ones.
    for action in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER audit_plans_{action}")
    _audit_triggers(db, "plans")


@migrations(name="0011_actor_in_meta")
def actor_in_meta(db: Database) -> None:
    """Audit triggers read the actor from planner_meta instead of calling Python (see ACTOR_SQL)."""
    for table in AUDITED:
        for action in ("insert", "update", "delete"):
            db.execute(f"DROP TRIGGER audit_{table}_{action}")
        _audit_triggers(db, table, ACTOR_SQL)


def known_migrations() -> set[str]:
    """Names of every migration this release knows."""
    return {name for name, _ in MIGRATIONS}


def apply_migrations(db: Database) -> None:
    """Apply, in order, every migration the database has not had (sqlite-utils records them)."""
    from sqlite_utils import Migrations

    registry = Migrations(MIGRATION_SET)
    for name, fn in MIGRATIONS:
        registry(name=name)(fn)
    registry.apply(db)
