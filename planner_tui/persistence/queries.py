"""Read models for overviews (dashboard, plan list, timeline), counted and ordered in SQL.

Stored schedules must be current where these read them (services/schedules.py sees to it)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from ..domain.vocabulary import PHASE_BY_VALUE, PHASES, Criticality, Phase
from .db import DatabaseCore, _real


class PlanLineRow(NamedTuple):
    """A plan with its stored standing, as the plan list reads it (ISO dates as stored). It is
    read only once the stored schedules are current, when every standing is set: risk_rank,
    urgency and progress are NULL only in a schedule made stale by an edit."""

    plan_id: int
    app_id: int
    app_name: str
    criticality: str
    model_id: str
    model_name: str
    current_phase: str
    completed_on: str | None
    target_model_id: str | None
    deadline: str | None
    basis: str
    compressed: int
    risk_rank: int
    next_due: str | None
    urgency: float
    progress: float
    dues: str  # JSON array of ISO dates, one per phase
    closed_kind: str | None


_new = tuple.__new__
_make_line = PlanLineRow._make


class OverviewQueries(DatabaseCore):
    def plan_line_rows(self, *, limit: int | None = None, app_id: int | None = None,
                       model_ids: Iterable[str] | None = None, open_only: bool = False,
                       below_rank: int | None = None) -> list[PlanLineRow]:
        """Plans with their stored standing, most urgent first. `below_rank` leaves out plans
        whose risk ranks there or after.

        Stored schedules must be current (services/schedules.py sees to it)."""
        where: list[str] = []
        params: list[int | str] = []
        if app_id is not None:
            where.append("p.app_id = ?")
            params.append(app_id)
        if model_ids is not None:
            condition, values = self._among("p.model_id", model_ids)
            where.append(condition)
            params += values
        if open_only:
            where.append("p.completed_on IS NULL AND p.closed_on IS NULL")
        # The first few of all plans: walk the stored order (plan_schedules_order) and sort only
        # ties, instead of sorting every plan (CROSS JOIN keeps SQLite to that join order).
        first_few = limit is not None and not where
        if below_rank is not None:  # risk_rank leads the stored order's index: the walk holds
            where.append("s.risk_rank < ?")
            params.append(below_rank)
        order = "s.risk_rank, s.urgency DESC, s.next_due IS NULL, s.next_due, a.name, p.model_id"
        columns = """p.id, p.app_id, a.name, a.criticality, p.model_id, coalesce(m.name, p.model_id),
                     p.current_phase, p.completed_on, p.target_model_id, s.deadline, s.basis,
                     s.compressed, s.risk_rank, s.next_due, s.urgency, s.progress, s.dues, p.closed_kind"""
        tables = f"""FROM plan_schedules s {"CROSS JOIN" if first_few else "JOIN"} plans p ON p.id = s.plan_id
                    JOIN applications a ON a.id = p.app_id LEFT JOIN models m ON m.model_id = p.model_id
                    {"WHERE " + " AND ".join(where) if where else ""}"""
        if limit is None and model_ids is None:  # up to every plan: row by row is quicker
            return list(map(_make_line, self.conn.execute(f"SELECT {columns} {tables} ORDER BY {order}", params)))
        # A few rows (the dashboard's, read as the app starts): all at once. The order travels
        # as a row number, or with LIMIT as the order of the rows. JSON writes a REAL with 15
        # digits, so urgency and progress go as quote()'s exact text.
        exact = columns.replace("s.urgency, s.progress", "quote(s.urgency), quote(s.progress)")
        if limit is None:
            sql = f"SELECT json_array(row_number() OVER (ORDER BY {order}), {exact}) AS row {tables}"
            rows = [row[1:] for row in sorted(self._all_at_once(sql, params))]
        else:
            sql = f"SELECT json_array({exact}) AS row {tables} ORDER BY {order} LIMIT ?"
            rows = self._all_at_once(sql, [*params, limit])
        return [_new(PlanLineRow, (*row[:14], _real(row[14]), _real(row[15]), row[16], row[17])) for row in rows]

    def regions_used(self, uses: Iterable[tuple[int, str]]) -> dict[tuple[int, str], set[str]]:
        """Regions each (application id, model) pair has dependencies in."""
        found: dict[tuple[int, str], set[str]] = defaultdict(set)
        for app_id, model_id, region in self.conn.execute(
            """SELECT d.app_id, d.model_id, d.region FROM dependencies d
               JOIN json_each(?) u ON d.app_id = json_extract(u.value, '$[0]')
                    AND d.model_id = json_extract(u.value, '$[1]')""",
            [json.dumps(sorted(uses))],
        ):
            found[(app_id, model_id)].add(region)
        return found

    def criticalities(self) -> dict[int, Criticality]:
        return {app_id: Criticality(value) for app_id, value in
                self.conn.execute("SELECT id, criticality FROM applications")}

    def plan_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM plans").fetchone()[0]

    def timeline_bands(self) -> list[tuple[str, str, str | None, str | None]]:
        """Per model with open plans: (model_id, a Region of the lifecycle its plans reach first,
        that EOL date, that PEA date)."""
        # SQLite takes the bare columns from the row that gives the MIN. NOT INDEXED: one
        # scan and a sort beat walking plans_model with a look-up per plan (2× here).
        return [tuple(row) for row in self._all_at_once(
            """SELECT json_array(model_id, band_region, band_eol, band_pea) AS row FROM (
                   SELECT p.model_id, s.band_region, s.band_eol, s.band_pea,
                          MIN(coalesce(s.band_eol, '9999-12-31') || coalesce(s.band_pea, '9999-12-31'))
                   FROM plans p NOT INDEXED JOIN plan_schedules s ON s.plan_id = p.id
                   WHERE p.completed_on IS NULL AND p.closed_on IS NULL AND s.band_region IS NOT NULL
                   GROUP BY p.model_id)""")]

    def open_phase_dues(self, model_ids: Iterable[str]) -> list[tuple[str, str, int, int]]:
        """For these models' open plans, the due dates of the phases not done yet, counted
        per (model_id, ISO due date, risk rank of the plan): what the timeline draws.
        A plan without a deadline has no due dates. Stored schedules must be current."""
        among, params = self._among("p.model_id", model_ids)
        phase_index = "CASE p.current_phase " + " ".join(
            f"WHEN '{phase.value}' THEN {index}" for index, phase in enumerate(PHASES)) + " END"
        # Counted by SQLite: the dashboard's timeline would otherwise read every open plan of
        # its models (hundreds on a large project) while the app starts.
        return [tuple(row) for row in self._all_at_once(
            f"""SELECT json_array(p.model_id, d.value, s.risk_rank, count(*)) AS row
                FROM plans p JOIN plan_schedules s ON s.plan_id = p.id JOIN json_each(s.dues) d
                WHERE {among} AND p.completed_on IS NULL AND p.closed_on IS NULL AND s.deadline IS NOT NULL
                      AND d.key >= {phase_index}
                GROUP BY p.model_id, d.value, s.risk_rank""", params)]

    def dependency_lifecycle_counts(self) -> list[tuple]:
        """How many dependencies sit on each lifecycle row (None dates: no row, still Active):
        (declared status, legacy, PEA, EOL, count)."""
        # Counted per (model, Region) first: one lifecycle look-up per pair, not per dependency.
        return [tuple(row) for row in self._all_at_once(
            """SELECT json_array(l.declared_status, l.legacy_date, l.pea_date, l.eol_date, sum(d.uses)) AS row
               FROM (SELECT model_id, region, count(*) AS uses FROM dependencies GROUP BY model_id, region) d
               LEFT JOIN lifecycle l ON l.model_id = d.model_id AND l.region = d.region
               GROUP BY l.declared_status, l.legacy_date, l.pea_date, l.eol_date""")]

    def apps_using_each(self, uses: list[tuple[str, tuple[str, ...]]]) -> list[set[str]]:
        """For each (model, Regions): names of the applications using the model in any of
        those Regions. One query for all (the dashboard asks for forty while the app starts)."""
        found: list[set[str]] = [set() for _ in uses]
        (by_use,) = self.conn.execute(
            """SELECT json_group_object(use_index, names) FROM (
                   SELECT u.key AS use_index, json_group_array(DISTINCT a.name) AS names
                   FROM json_each(?) u
                   JOIN dependencies d ON d.model_id = json_extract(u.value, '$[0]')
                        AND d.region IN (SELECT value FROM json_each(u.value, '$[1]'))
                   JOIN applications a ON a.id = d.app_id
                   GROUP BY u.key)""",
            [json.dumps([[model_id, list(regions)] for model_id, regions in uses])]).fetchone()
        for index, names in json.loads(by_use).items():
            found[int(index)].update(json.loads(names))
        return found

    def model_uses(self) -> dict[tuple[str, str], set[str]]:
        """Names of the applications using each (model, Region)."""
        uses: dict[tuple[str, str], set[str]] = defaultdict(set)
        for model_id, region, name in self.conn.execute(
                "SELECT d.model_id, d.region, a.name FROM dependencies d JOIN applications a ON a.id = d.app_id"):
            uses[(model_id, region)].add(name)
        return uses

    def phase_totals(self, plan_ids: Iterable[int] | None = None) -> dict[tuple[int, Phase], int]:
        """How many checklist items each (plan, phase) has, of every plan or of these."""
        where, params = self._among("plan_id", plan_ids)
        return {(plan_id, PHASE_BY_VALUE[phase]): total for plan_id, phase, total in
                self.conn.execute(f"SELECT plan_id, phase, total FROM plan_item_counts WHERE {where}", params)}

    def open_item_titles(self, plan_ids: Iterable[int] | None = None) -> dict[tuple[int, Phase], list[str]]:
        """Titles of unticked checklist items per (plan, phase), in checklist order, of every
        plan or of these."""
        where, params = self._among("plan_id", plan_ids)
        found: dict[tuple[int, Phase], list[str]] = defaultdict(list)
        for plan_id, phase, title in self.conn.execute(
            f"""SELECT plan_id, phase, title FROM checklist_items WHERE done = 0 AND {where}
                ORDER BY plan_id, phase, position, id""", params
        ):
            found[(plan_id, PHASE_BY_VALUE[phase])].append(title)
        return found
