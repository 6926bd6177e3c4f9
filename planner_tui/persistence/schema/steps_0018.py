"""Migration 0018: stored timetables for every day; standings worked out when read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .registry import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

# The triggers of 0008 and 0010 that marked a stored standing stale (evaluated_on = NULL).
_STANDING_TRIGGERS = (
    "schedule_plans_standing", "schedule_applications_standing", "schedule_items_due",
    *(f"schedule_counts_{a}" for a in ("insert", "update", "delete")),
    *(f"schedule_{t}_{a}" for t in ("rollout_stages", "test_results") for a in ("insert", "update", "delete")),
)


@migrations(name="0018_standings_on_read")
def standings_on_read(db: Database) -> None:
    """A plan's risk, next due date and urgency are worked out when they are read, in SQL with
    the day as a parameter (persistence/queries.py, the rules of domain/schedule.py): nothing
    is stored per day, so a new day, or a read-only look at any day, costs nothing.

    What is stored is what does not depend on the day: the plan's timetables, one per stretch
    between the PEA starts of its Regions (together they cover every day), with the timeline
    band and the earliest EOL; and how many of the plan's dates and results contradict that EOL
    (domain/eol_checks.py), NULL when an edit made it to be counted again. The triggers that
    drop a plan's timetables when their inputs change stay as they are (0008)."""
    for name in _STANDING_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.execute("DROP TABLE plan_schedules")
    db.execute(
        """
        CREATE TABLE plan_schedules (
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            valid_from TEXT NOT NULL,       -- the timetable holds for valid_from <= day ('' : always)
            valid_until TEXT NOT NULL,      -- ... and day < valid_until ('~': for ever)
            deadline TEXT,
            basis TEXT NOT NULL DEFAULT '',
            due_assess TEXT NOT NULL,       -- each phase's due date
            due_research TEXT NOT NULL,
            due_test TEXT NOT NULL,
            due_update TEXT NOT NULL,
            due_rollout TEXT NOT NULL,
            compressed INTEGER NOT NULL,
            eol TEXT,                       -- the earliest EOL of the plan's Regions
            band_region TEXT,               -- a Region of the earliest-ending lifecycle it uses
            band_eol TEXT,
            band_pea TEXT,
            contradictions INTEGER,         -- dates and results against the EOL; NULL: to count
            PRIMARY KEY (plan_id, valid_from)
        ) WITHOUT ROWID"""
    )
    # Each plan has one first stretch: counting them says whether every plan has timetables.
    db.execute("CREATE INDEX plan_schedules_first ON plan_schedules(plan_id) WHERE valid_from = ''")
    db.execute("CREATE INDEX plan_schedules_uncounted ON plan_schedules(plan_id) WHERE contradictions IS NULL")
    recount = "UPDATE plan_schedules SET contradictions = NULL WHERE plan_id = {r}.plan_id;"
    triggers = {
        "plans_standing": ("UPDATE OF current_phase, completed_on, closed_on ON plans",
                           "UPDATE plan_schedules SET contradictions = NULL WHERE plan_id = NEW.id;"),
        "items_due": ("UPDATE OF due_date ON checklist_items", recount.format(r="NEW")),
    }
    # An item added, removed, ticked or unticked changes its plan's counts (0006's triggers).
    for table in ("plan_item_counts", "rollout_stages", "test_results"):
        for action, rows in (("insert", ["NEW"]), ("update", ["OLD", "NEW"]), ("delete", ["OLD"])):
            name = "counts" if table == "plan_item_counts" else table
            triggers[f"{name}_{action}"] = (f"{action.upper()} ON {table}",
                                             "".join(recount.format(r=r) for r in rows))
    for name, (event, body) in triggers.items():
        db.execute(f"CREATE TRIGGER schedule_{name} AFTER {event} BEGIN {body} END")


@migrations(name="0018_overview_indexes")
def overview_indexes(db: Database) -> None:
    """What the dashboard reads first, in index order instead of working out every plan:
    the plans past EOL (the worst risk: on a large project in trouble, the first hundred of
    the dashboard are among them) and the timeline's bands, soonest EOL first."""
    db.execute("CREATE INDEX plan_schedules_eol ON plan_schedules(eol) WHERE valid_from = '' AND eol IS NOT NULL")
    db.execute("""CREATE INDEX plan_schedules_band ON plan_schedules(
                      coalesce(band_eol, '9999-12-31'), coalesce(band_pea, '9999-12-31'))
                  WHERE valid_from = '' AND band_region IS NOT NULL""")


def late_from_sql(phase: str, row: str = "") -> str:
    """SQL of a stored timetable row's `late_from` for a plan in `phase` (SQL naming it);
    `row` qualifies the timetable's columns ("plan_schedules.")."""
    due = "CASE " + phase + " " + " ".join(
        f"WHEN '{p}' THEN {row}due_{p}" for p in ("assess", "research", "test", "update", "rollout")) + " END"
    return f"min({due}, {row}deadline)"


@migrations(name="0018_late_index")
def late_index(db: Database) -> None:
    """`late_from`: the earlier of the current phase's due date and the deadline, in each
    timetable with a deadline. After it the plan is overdue (domain/schedule.py), so the
    dashboard finds its overdue plans in this index's order, as it finds those past EOL.
    Kept by a trigger when the plan changes phase, and by services/schedules.py when its
    timetables are worked out."""
    db.execute("ALTER TABLE plan_schedules ADD COLUMN late_from TEXT")
    db.execute(f"""UPDATE plan_schedules SET late_from = (
                       SELECT {late_from_sql("p.current_phase", "plan_schedules.")} FROM plans p
                       WHERE p.id = plan_schedules.plan_id)
                   WHERE deadline IS NOT NULL""")
    db.execute("CREATE INDEX plan_schedules_late ON plan_schedules(late_from) WHERE late_from IS NOT NULL")
    db.execute(f"""CREATE TRIGGER schedule_plans_late AFTER UPDATE OF current_phase ON plans BEGIN
                       UPDATE plan_schedules SET late_from = {late_from_sql("NEW.current_phase")}
                       WHERE plan_id = NEW.id AND deadline IS NOT NULL; END""")
