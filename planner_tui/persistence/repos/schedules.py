"""Stored schedules: a cache of domain/schedule.py per plan (see migration 0008), brought up
to date by services/schedules.py. A read-only project keeps its fresh copy in a temporary
table of this session that shadows the stored one."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from ..db import DatabaseCore, _iso

if TYPE_CHECKING:
    from ...domain.schedule import Standing, Timetable

# The band a timeline draws for a plan: (first Region, EOL, PEA start) of the lifecycle
# group that ends first.
TimelineBand = tuple[str | None, dt.date | None, dt.date | None]


class StandingInput(NamedTuple):
    """A plan's row of what its standing is worked out from (ISO dates as stored)."""

    plan_id: int
    started_on: str
    deadline: str | None
    basis: str
    dues: str  # JSON array of ISO dates, one per phase
    compressed: int
    valid_from: str | None
    valid_until: str | None
    current_phase: str
    completed_on: str | None
    criticality: str
    phase_done: int  # items done in the current phase
    phase_total: int
    all_done: int  # items done in the whole plan
    all_total: int
    eol: str | None  # the earliest EOL
    closed_on: str | None


def _band(band: TimelineBand | None) -> tuple[str | None, str | None, str | None]:
    region, eol, pea = band or (None, None, None)
    return region, _iso(eol), _iso(pea)


class ScheduleRepo(DatabaseCore):
    def stale_schedules(self, today: dt.date) -> tuple[list[int], list[int]]:
        """(plans whose timetable must be worked out, plans whose standing on `today` must be)."""
        self._drop_outdated_shadow()
        checked = (self.change_token(), today)
        if self.__dict__.get("_schedules_fresh") == checked:
            return [], []
        # What a read-only copy is based on: changes after this point must invalidate it.
        self._checked_version = checked[0][1]
        day = today.isoformat()
        rebuild: list[int] = []
        plans, stored = self.conn.execute(
            "SELECT (SELECT count(*) FROM plans), (SELECT count(*) FROM plan_schedules)").fetchone()
        if plans != stored:  # counting is instant; rows cascade away with their plan
            rebuild = [row[0] for row in self.conn.execute(
                "SELECT id FROM plans p WHERE NOT EXISTS (SELECT 1 FROM plan_schedules WHERE plan_id = p.id)")]
        reevaluate: list[int] = []
        for plan_id, whole in self.conn.execute(
            """SELECT plan_id, valid_from > :day OR valid_until <= :day FROM plan_schedules
               WHERE evaluated_on IS NOT :day OR valid_from > :day OR valid_until <= :day""",
            {"day": day},
        ):
            (rebuild if whole else reevaluate).append(plan_id)
        if not rebuild and not reevaluate:
            self._schedules_fresh = checked
        return rebuild, reevaluate

    def standing_inputs(self, plan_ids: Iterable[int]) -> list[StandingInput]:
        """What each plan's standing is worked out from, besides its stored timetable."""
        return list(map(StandingInput._make, self.conn.execute(
            """SELECT s.plan_id, p.started_on, s.deadline, s.basis, s.dues, s.compressed, s.valid_from,
                      s.valid_until, p.current_phase, p.completed_on, a.criticality,
                      coalesce(c.done, 0), coalesce(c.total, 0),
                      (SELECT coalesce(sum(done), 0) FROM plan_item_counts WHERE plan_id = p.id),
                      (SELECT coalesce(sum(total), 0) FROM plan_item_counts WHERE plan_id = p.id),
                      s.eol, p.closed_on
               FROM plan_schedules s JOIN plans p ON p.id = s.plan_id JOIN applications a ON a.id = p.app_id
               LEFT JOIN plan_item_counts c ON c.plan_id = p.id AND c.phase = p.current_phase
               WHERE s.plan_id IN (SELECT value FROM json_each(?))""",
            [json.dumps(list(plan_ids))],
        )))

    def save_schedules(self, today: dt.date, timetables: dict[int, tuple[Timetable, TimelineBand | None]],
                       standings: dict[int, tuple[Standing, float]]) -> None:
        """Store timetables (with their timeline band: (region, eol, pea) or None) and standings.

        Read-only projects keep them in a temporary table for this session instead, which
        shadows the stored one (SQLite looks in `temp` first)."""
        day = today.isoformat()
        full = [
            (plan_id, _iso(t.deadline.date) if t.deadline else None, t.deadline.basis if t.deadline else "",
             json.dumps([d.isoformat() for d in t.dues]), int(t.compressed), _iso(t.valid_from),
             _iso(t.valid_until), *_band(band), day, s.risk.rank, _iso(s.next_due),
             s.urgency, progress, _iso(t.eol))
            for plan_id, (t, band) in timetables.items()
            for s, progress in [standings[plan_id]]
        ]
        partial = [(day, s.risk.rank, _iso(s.next_due), s.urgency, progress, plan_id)
                   for plan_id, (s, progress) in standings.items() if plan_id not in timetables]
        if self.read_only:
            self._write_shadow(full, partial)
            return
        with self._edit() as db:
            self._write_schedules(db.conn, full, partial)

    @staticmethod
    def _write_schedules(conn: sqlite3.Connection, full: list[tuple], partial: list[tuple]) -> None:
        conn.executemany("INSERT OR REPLACE INTO plan_schedules VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", full)
        conn.executemany("UPDATE plan_schedules SET evaluated_on = ?, risk_rank = ?, next_due = ?, "
                         "urgency = ?, progress = ? WHERE plan_id = ?", partial)

    def _write_shadow(self, full: list[tuple], partial: list[tuple]) -> None:
        with self._temp_writes() as conn:
            if "_shadow_version" not in self.__dict__:
                # The stored table's own definition and indexes, made again in `temp`.
                table = conn.execute("SELECT sql FROM main.sqlite_master WHERE type = 'table' "
                                     "AND name = 'plan_schedules'").fetchone()[0]
                conn.execute(table.replace("CREATE TABLE ", "CREATE TEMP TABLE ", 1))
                conn.execute("INSERT INTO temp.plan_schedules SELECT * FROM main.plan_schedules")
                for (index,) in conn.execute("SELECT sql FROM main.sqlite_master WHERE type = 'index' "
                                             "AND tbl_name = 'plan_schedules' AND sql IS NOT NULL").fetchall():
                    conn.execute(index.replace("CREATE INDEX ", "CREATE INDEX temp.", 1))
                self._shadow_version = self._checked_version
            with conn:
                self._write_schedules(conn, full, partial)

    def _drop_outdated_shadow(self) -> None:
        """Another program changed the project: its stored schedules are newer than our copy."""
        version = self.__dict__.get("_shadow_version")
        if version is not None and version != self.conn.execute("PRAGMA data_version").fetchone()[0]:
            with self._temp_writes() as conn:
                conn.execute("DROP TABLE temp.plan_schedules")
            del self._shadow_version
