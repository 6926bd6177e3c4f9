"""Many new rows at once, for imports and for the plans they open: one `executemany` per
table instead of one statement per row, ids handed out in advance so that rows of one table
can name rows of another before either is written.

Used inside a transaction (`DatabaseCore._edit`), which holds the write lock: no other
program can take an id meanwhile. Rows are written table by table in the order of
`TABLES` (a plan before its items: the audit triggers look a plan's application up), every
`FLUSH_ROWS` rows and at the end. The columns are those of the one-row helpers
(`_insert_application`, `_insert_dependency_row`, `_insert_plan`, `_insert_items`,
`_log`, `_put_plan_field`, `_insert_test_result`, `_insert_stage`, `_insert_decision`).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ...errors import UserInputError
from ..schema.steps_0022 import dependency_insert_trigger

TABLES: dict[str, tuple[str, ...]] = {
    "applications": ("id", "name", "owner", "team", "criticality", "environments", "notes", "created_at"),
    "dependencies": ("app_id", "model_id", "region", "access_path", "resource_id", "environment",
                     "monthly_volume", "notes", "account_id", "account_name"),
    "plans": ("id", "app_id", "model_id", "target_model_id", "decision_reason", "current_phase",
              "started_on", "deadline_override", "completed_on", "closed_on", "closed_kind", "closed_reason",
              "campaign_id", "target_overridden"),
    "checklist_items": ("id", "plan_id", "phase", "position", "title", "done", "owner", "due_date", "notes",
                        "done_at", "version"),
    "plan_fields": ("plan_id", "key", "value"),
    "test_results": ("plan_id", "metric", "baseline", "candidate", "threshold", "higher_is_better", "notes"),
    "rollout_stages": ("plan_id", "traffic_percent", "start_date", "end_date", "notes"),
    "rollout_decisions": ("plan_id", "decided_on", "decision", "traffic_percent", "note"),
    "plan_log": ("plan_id", "at", "event", "detail"),
}
FLUSH_ROWS = 50_000


class BulkRows:
    """Rows collected per table and written with one statement per table and flush."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.rows: dict[str, list[tuple]] = {table: [] for table in TABLES}
        self.pending = 0
        self._next: dict[str, int] = {}

    def new_id(self, table: str) -> int:
        """The id the next row of `table` gets (as SQLite would give it: after the largest)."""
        if table not in self._next:
            self._next[table] = self.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]
        value = self._next[table]
        self._next[table] += 1
        return value

    def add(self, table: str, row: tuple | list) -> None:
        self.rows[table].append(tuple(row))
        self.pending += 1
        if self.pending >= FLUSH_ROWS:
            self.flush()

    def extend(self, table: str, rows: list[tuple]) -> None:
        self.rows[table].extend(rows)
        self.pending += len(rows)
        if self.pending >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        for table, columns in TABLES.items():
            rows = self.rows[table]
            if not rows:
                continue
            verb = "INSERT OR REPLACE" if table == "plan_fields" else "INSERT"
            sql = f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
            try:
                _insert(self.conn, table, sql, rows)
            except sqlite3.IntegrityError as error:
                raise UserInputError(_explain(table, error)) from None
            except OverflowError:
                raise UserInputError(f"a number in the {table.replace('_', ' ')} to import is too large "
                                     "to store; nothing was imported.") from None
            rows.clear()
        self.pending = 0


def _explain(table: str, error: sqlite3.IntegrityError) -> str:
    what: dict[str, Any] = {
        "applications": "an application of the import has the name of one already in the project",
        "dependencies": "a dependency of the import is listed twice for the same application",
        "plans": "an application of the import has two plans for the same model",
    }
    return f"{what.get(table, f'a row of {table} conflicts with one already there ({error})')}; nothing was imported."


# -- insert triggers, run once for all the new rows --------------------------------------------
#
# An import of 100,000 dependencies opens thousands of plans, each with a checklist of 26
# items: a million rows, and SQLite runs each table's AFTER INSERT triggers (schema.py) once
# per row: the audit row, the per-phase item counts, the stale schedules. For new rows (ids
# after the largest so far) the triggers are dropped for the insert and their work is done
# afterwards by one statement each over all the new rows, with the same outcome; then they
# are created again from their stored SQL. All of it happens inside the edit's transaction:
# a failure rolls it all back. An audit trigger (one `INSERT INTO … VALUES (…)` of NEW's
# columns) is run as INSERT … SELECT; the others are replaced only when their SQL is exactly
# the one below. A table with any other trigger (a newer schema) keeps its per-row triggers.

SET_BASED = ("applications", "dependencies", "plans", "checklist_items")
SET_BASED_ROWS = 1000
KNOWN_TRIGGERS = {
    "item_counts_insert": (
        "CREATE TRIGGER item_counts_insert AFTER INSERT ON checklist_items BEGIN INSERT INTO "
        "plan_item_counts (plan_id, phase, done, total) VALUES (NEW.plan_id, NEW.phase, 0, 0) ON "
        "CONFLICT(plan_id, phase) DO NOTHING; UPDATE plan_item_counts SET done = done + NEW.done, total "
        "= total + 1 WHERE plan_id = NEW.plan_id AND phase = NEW.phase; END",
        """INSERT INTO plan_item_counts (plan_id, phase, done, total)
           SELECT plan_id, phase, sum(done), count(*) FROM checklist_items WHERE id > ? GROUP BY plan_id, phase
           ON CONFLICT (plan_id, phase) DO UPDATE SET done = done + excluded.done, total = total + excluded.total"""),
    "schedule_dependencies_insert": (
        "CREATE TRIGGER schedule_dependencies_insert AFTER INSERT ON dependencies BEGIN DELETE FROM "
        "plan_schedules WHERE plan_id IN (SELECT id FROM plans WHERE app_id = NEW.app_id AND model_id = "
        "NEW.model_id); END",
        """DELETE FROM plan_schedules WHERE plan_id IN (
               SELECT p.id FROM dependencies AS NEW JOIN plans AS p ON p.app_id = NEW.app_id
               AND p.model_id = NEW.model_id WHERE NEW.id > ?)"""),
    "dependency_uses_insert": (  # 0022: dependencies counted per set of lifecycle dates
        " ".join(dependency_insert_trigger().split()),
        """INSERT INTO dependency_uses (declared_status, legacy_date, pea_date, eol_date, uses)
           SELECT coalesce(l.declared_status, ''), coalesce(l.legacy_date, ''), coalesce(l.pea_date, ''),
                  coalesce(l.eol_date, ''), count(*)
           FROM dependencies AS NEW LEFT JOIN lifecycle l ON l.model_id = NEW.model_id AND l.region = NEW.region
           WHERE NEW.id > ? GROUP BY 1, 2, 3, 4
           ON CONFLICT (declared_status, legacy_date, pea_date, eol_date) DO UPDATE SET uses = uses + excluded.uses"""),
}


def _as_select(trigger_sql: str, table: str) -> str | None:
    """An AFTER INSERT trigger whose body is one `INSERT INTO x (…) VALUES (…)` of NEW's
    columns, as one INSERT … SELECT over the rows of `table` after a given id; None for any
    other shape."""
    match = re.fullmatch(
        r"\s*CREATE TRIGGER \w+ AFTER INSERT ON \w+\s+BEGIN\s+(INSERT INTO \w+\s*\([\w\s,]+\))\s*"
        r"VALUES\s*\((.*)\);\s*END\s*", trigger_sql, re.DOTALL)
    if match is None or ";" in match.group(2):
        return None
    head, values = match.groups()
    return f"{head} SELECT {values} FROM {table} AS NEW WHERE NEW.id > ? ORDER BY NEW.id"


def _replacements(conn: sqlite3.Connection, table: str) -> dict[str, tuple[str, str]] | None:
    """Each AFTER INSERT trigger of `table`: (its SQL, the statement doing its work for every
    row after an id); None when one of them has no such statement."""
    found = {}
    for name, text in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", [table]):
        if not re.search(r"\bAFTER INSERT ON\b", text):
            continue
        known = KNOWN_TRIGGERS.get(name)
        if known is not None and " ".join(text.split()) == known[0]:
            found[name] = (text, known[1])
        elif (statement := _as_select(text, table)) is not None:
            found[name] = (text, statement)
        else:
            return None
    return found


@contextmanager
def triggers_replaced(conn: sqlite3.Connection, table: str, rows: int) -> Iterator[int]:
    """Inside: rows inserted into `table` with ids after the largest so far (the one
    yielded) do not run its insert triggers; on leaving, their work is done once for all.
    Only for `rows` of at least SET_BASED_ROWS (dropping and creating triggers changes the
    schema, which every connection then reads again): fewer run the triggers row by row."""
    (before,) = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()
    replacements = _replacements(conn, table) if rows >= SET_BASED_ROWS else None
    if not replacements:
        yield before  # no triggers, or ones this does not know: they run for each row
        return
    for name in replacements:
        conn.execute(f"DROP TRIGGER {name}")
    try:
        yield before
        for _, statement in replacements.values():
            conn.execute(statement, [before])
    finally:
        for text, _ in replacements.values():
            conn.execute(text)


def _insert(conn: sqlite3.Connection, table: str, sql: str, rows: list[tuple]) -> None:
    if table not in SET_BASED:
        conn.executemany(sql, rows)
        return
    with triggers_replaced(conn, table, len(rows)) as before:
        if TABLES[table][0] == "id" and any(row[0] is not None and row[0] <= before for row in rows):
            raise AssertionError(f"bulk rows of {table} must come after its last row")
        conn.executemany(sql, rows)
