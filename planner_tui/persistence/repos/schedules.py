"""Stored timetables: what domain/schedule.py works out for a plan that does not depend on the
day (migration 0018), kept by services/schedules.py. Standings are worked out when read
(persistence/queries.py). A read-only project keeps what it had to work out in a temporary
table of this session that shadows the stored one."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from ..db import DatabaseCore, _iso
from ..schema.steps_0018 import late_from_sql

if TYPE_CHECKING:
    from ...domain.schedule import Timetable

# The band a timeline draws for a plan: (first Region, EOL, PEA start) of the lifecycle
# group that ends first.
TimelineBand = tuple[str | None, dt.date | None, dt.date | None]

# The columns `timetable_rows` gives, in order (late_from is set from them and the plan's phase).
COLUMNS = ("plan_id", "valid_from", "valid_until", "deadline", "basis", "due_assess", "due_research", "due_test",
           "due_update", "due_rollout", "compressed", "eol", "band_region", "band_eol", "band_pea", "contradictions")
ALWAYS, FOR_EVER = "", "~"  # stored bounds of a timetable that holds since always / for ever


class PlanKey(NamedTuple):
    """What a plan's timetables are worked out from, besides lifecycles and settings."""

    plan_id: int
    app_id: int
    model_id: str
    started_on: str
    deadline_override: str | None


def _band(band: TimelineBand | None) -> tuple[str | None, str | None, str | None]:
    region, eol, pea = band or (None, None, None)
    return region, _iso(eol), _iso(pea)


def timetable_rows(plan_id: int, timetables: Iterable[Timetable], band: TimelineBand | None) -> list[tuple]:
    """The stored rows of plan_schedules for a plan's timetables (contradictions still to count)."""
    tail = (*_band(band), None)
    rows = []
    for index, t in enumerate(timetables):
        deadline = t.deadline
        # The first holds since always (also one from 0001-01-01): each plan has one such row.
        rows.append((plan_id, t.valid_from.isoformat() if t.valid_from and index else ALWAYS,
                     t.valid_until.isoformat() if t.valid_until else FOR_EVER,
                     deadline.date.isoformat() if deadline else None, deadline.basis if deadline else "",
                     *map(dt.date.isoformat, t.dues), int(t.compressed), t.eol.isoformat() if t.eol else None,
                     *tail))
    return rows


class ScheduleRepo(DatabaseCore):
    def stale_schedules(self) -> tuple[list[int], list[int]]:
        """(plans without timetables, plans whose contradictions must be counted again): what
        edits left to work out. The day never makes anything stale."""
        self._drop_outdated_shadow()
        token = self.change_token()
        if self.__dict__.get("_schedules_fresh") == token:
            return [], []
        # What a read-only copy is based on: changes after this point must invalidate it.
        self._checked_version = token[1]
        missing: list[int] = []
        plans, stored = self.conn.execute(
            "SELECT (SELECT count(*) FROM plans), (SELECT count(*) FROM plan_schedules WHERE valid_from = '')"
        ).fetchone()
        if plans != stored:  # rows cascade away with their plan
            missing = [row[0] for row in self.conn.execute(
                "SELECT id FROM plans p WHERE NOT EXISTS (SELECT 1 FROM plan_schedules WHERE plan_id = p.id)")]
        uncounted = [row[0] for row in self.conn.execute(
            "SELECT DISTINCT plan_id FROM plan_schedules WHERE contradictions IS NULL")]
        if not missing and not uncounted:
            self._schedules_fresh = token
        return missing, uncounted

    def plan_keys(self, plan_ids: list[int]) -> list[PlanKey]:
        """These plans' keys (plain rows: no pydantic, no items)."""
        return list(map(PlanKey._make, self.conn.execute(
            """SELECT id, app_id, model_id, started_on, deadline_override FROM plans
               WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id""", [json.dumps(plan_ids)])))

    def save_timetables(self, rows: list[tuple]) -> None:
        """Store plans' timetables (rows of `timetable_row`), replacing those they had. Read-only
        projects keep them in a temporary table for this session instead, which shadows the
        stored one (SQLite looks in `temp` first)."""
        plan_ids = json.dumps(sorted({row[0] for row in rows}))
        among = "plan_id IN (SELECT value FROM json_each(?))"
        self._write(lambda conn: (
            conn.execute(f"DELETE FROM plan_schedules WHERE {among}", [plan_ids]),
            conn.executemany(f"INSERT INTO plan_schedules ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * 16)})",
                             rows),
            conn.execute(f"""UPDATE plan_schedules SET late_from = (
                                 SELECT {late_from_sql("p.current_phase", "plan_schedules.")} FROM plans p
                                 WHERE p.id = plan_schedules.plan_id)
                             WHERE deadline IS NOT NULL AND {among}""", [plan_ids])))

    def plan_eols(self, plan_ids: list[int]) -> dict[int, dt.date | None]:
        """Each of these plans' earliest EOL, None for an ended plan (nothing of it counts)."""
        return {plan_id: dt.date.fromisoformat(eol) if eol and open_ else None
                for plan_id, eol, open_ in self.conn.execute(
                    """SELECT s.plan_id, s.eol, p.completed_on IS NULL AND p.closed_on IS NULL
                       FROM plan_schedules s JOIN plans p ON p.id = s.plan_id
                       WHERE s.valid_from = '' AND s.plan_id IN (SELECT value FROM json_each(?))""",
                    [json.dumps(plan_ids)])}

    def save_contradictions(self, counts: dict[int, int]) -> None:
        """Store, per plan, how many of its dates and results contradict its earliest EOL."""
        rows = [(count, plan_id) for plan_id, count in counts.items()]
        self._write(lambda conn: conn.executemany(
            "UPDATE plan_schedules SET contradictions = ? WHERE plan_id = ?", rows))

    def _write(self, work) -> None:  # noqa: ANN001 - a function of the connection
        if self.read_only:
            with self._temp_writes() as conn:
                self._make_shadow(conn)
                with conn:
                    work(conn)
            return
        with self._edit() as db:
            work(db.conn)

    def _make_shadow(self, conn: sqlite3.Connection) -> None:
        if "_shadow_version" in self.__dict__:
            return
        # The stored table's own definition and indexes, made again in `temp`.
        table = conn.execute("SELECT sql FROM main.sqlite_master WHERE type = 'table' "
                             "AND name = 'plan_schedules'").fetchone()[0]
        conn.execute(table.replace("CREATE TABLE ", "CREATE TEMP TABLE ", 1))
        conn.execute("INSERT INTO temp.plan_schedules SELECT * FROM main.plan_schedules")
        for (index,) in conn.execute("SELECT sql FROM main.sqlite_master WHERE type = 'index' "
                                     "AND tbl_name = 'plan_schedules' AND sql IS NOT NULL").fetchall():
            conn.execute(index.replace("CREATE INDEX ", "CREATE INDEX temp.", 1))
        self._shadow_version = self._checked_version

    def _drop_outdated_shadow(self) -> None:
        """Another program changed the project: its stored schedules are newer than our copy."""
        version = self.__dict__.get("_shadow_version")
        if version is not None and version != self.conn.execute("PRAGMA data_version").fetchone()[0]:
            with self._temp_writes() as conn:
                conn.execute("DROP TABLE temp.plan_schedules")
            del self._shadow_version

