"""Read models for overviews (dashboard, plan list, timeline), counted and ordered in SQL.

A plan's standing on a day (risk, next due date, urgency) is worked out here, for the rows
read, from its stored timetable (migration 0018), its checklist counts and the day as a
parameter: the rules of domain/schedule.py (`plan_standing`, `urgency`), written again in
SQL. tests/test_standings_sql.py checks that both give the same answer for every plan of
generated projects on many days. Stored timetables must be in place where these read them
(services/schedules.py sees to it)."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from ..domain.schedule import CRITICALITY_WEIGHT, Risk
from ..domain.vocabulary import PHASE_BY_VALUE, PHASES, Criticality, Phase
from .db import DatabaseCore, _real


class PlanLineRow(NamedTuple):
    """A plan with its standing on the day read, as the plan list reads it (ISO dates)."""

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

DUE_COLUMNS = tuple(f"due_{phase.value}" for phase in PHASES)


def _by_phase(values: Iterable[str]) -> str:
    return "CASE p.current_phase " + " ".join(
        f"WHEN '{phase.value}' THEN {value}" for phase, value in zip(PHASES, values, strict=True)) + " END"


_R = {risk: risk.rank for risk in Risk}
# Round to hundredths, halves up, as domain/schedule.py's urgency() does, step for step.
_HUNDREDTHS = "CAST(({}) * 100 + 0.5 AS INTEGER) / 100.0"


def standings_sql(plans_where: str = "1") -> str:
    """A subquery: every plan (those `plans_where` keeps, a condition on `p`, plans) with its
    timetable on the day `:day` and its standing then: plan_id, app_id, model_id,
    phase_index, deadline, basis, compressed, the five due dates, risk_rank, next_due,
    urgency, progress. domain/schedule.py's plan_standing() and urgency(), in SQL."""
    weight = "CASE a.criticality " + " ".join(
        f"WHEN '{c.value}' THEN {w!r}" for c, w in CRITICALITY_WEIGHT.items()) + " END"
    phase_index = _by_phase(str(index) for index in range(len(PHASES)))
    due = _by_phase(f"s.{column}" for column in DUE_COLUMNS)
    start = _by_phase(["p.started_on", *(f"s.{column}" for column in DUE_COLUMNS[:-1])])
    # The share of all items done: a plan without items is done when completed.
    progress = ("coalesce((SELECT CAST(sum(done) AS REAL) / sum(total) FROM plan_item_counts "
                "WHERE plan_id = p.id), CASE WHEN p.completed_on IS NULL THEN 0.0 ELSE 1.0 END)")
    inputs = f"""SELECT p.id AS plan_id, p.app_id, p.model_id, {phase_index} AS phase_index,
                        p.closed_on IS NOT NULL AS closed, p.completed_on IS NOT NULL AS finished,
                        s.eol, s.deadline, s.basis, s.compressed, coalesce(s.contradictions, 0) AS contradictions,
                        {", ".join(f"s.{column}" for column in DUE_COLUMNS)},
                        {due} AS due, {start} AS start, {progress} AS progress, {weight} AS weight,
                        coalesce(c.done, 0) AS phase_done, coalesce(c.total, 0) AS phase_total
                 FROM plans p
                 JOIN plan_schedules s ON s.plan_id = p.id AND s.valid_from <= :day AND :day < s.valid_until
                 JOIN applications a ON a.id = p.app_id
                 LEFT JOIN plan_item_counts c ON c.plan_id = p.id AND c.phase = p.current_phase
                 WHERE {plans_where}"""
    # _behind(): most of the phase's time used, little of its work done.
    behind = """(julianday(due) > julianday(start)
                 AND (julianday(:day) - julianday(start)) / (julianday(due) - julianday(start)) > 0.75
                 AND (CASE WHEN phase_total THEN CAST(phase_done AS REAL) / phase_total ELSE 0.0 END) < 0.5)"""
    ranked = f"""SELECT *,
                    CASE WHEN closed THEN {_R[Risk.CLOSED]} WHEN finished THEN {_R[Risk.DONE]}
                         WHEN eol <= :day THEN {_R[Risk.PAST_EOL]}
                         WHEN deadline IS NULL THEN {_R[Risk.ON_TRACK]}
                         WHEN due < :day OR deadline < :day THEN {_R[Risk.OVERDUE]}
                         WHEN compressed THEN {_R[Risk.COMPRESSED]}
                         WHEN contradictions OR {behind} THEN {_R[Risk.AT_RISK]}
                         ELSE {_R[Risk.ON_TRACK]} END AS risk_rank,
                    CASE WHEN closed OR finished THEN NULL WHEN eol <= :day THEN eol
                         WHEN deadline IS NULL THEN NULL ELSE due END AS next_due
                 FROM ({inputs})"""
    overdue = _HUNDREDTHS.format("(1000.0 + (julianday(:day) - julianday(next_due)) + (1.0 - progress) * 100)"
                                 " * weight")
    ahead = _HUNDREDTHS.format("(1.0 - progress) * 100 / max(julianday(next_due) - julianday(:day), 1) * weight")
    return f"""(SELECT plan_id, app_id, model_id, phase_index, deadline, basis, compressed,
                       {", ".join(DUE_COLUMNS)}, risk_rank, next_due,
                       CASE WHEN next_due IS NULL THEN 0.0 WHEN next_due < :day THEN {overdue}
                            ELSE {ahead} END AS urgency, progress
                FROM ({ranked}))"""


# Plans past EOL on :day (the worst risk), and those past EOL or overdue (every other risk
# ranks after both): read from the EOL and late_from indexes. A timetable is late after its
# late_from (its current due date or its deadline, whichever is first); domain/schedule.py's
# plan_standing() says the same.
_PAST_EOL = """SELECT plan_id FROM plan_schedules INDEXED BY plan_schedules_eol
               WHERE valid_from = '' AND eol IS NOT NULL AND eol <= :day"""
_TIERS = {
    "past EOL": f"p.id IN ({_PAST_EOL})",
    "past EOL or overdue": f"""p.id IN ({_PAST_EOL} UNION
                                SELECT plan_id FROM plan_schedules INDEXED BY plan_schedules_late
                                WHERE late_from IS NOT NULL AND late_from < :day
                                      AND valid_from <= :day AND :day < valid_until)""",
}
_ORDER = "s.risk_rank, s.urgency DESC, s.next_due IS NULL, s.next_due, a.name, s.model_id"
_LINE_COLUMNS = f"""s.plan_id, s.app_id, a.name, a.criticality, s.model_id, coalesce(m.name, s.model_id),
                    p.current_phase, p.completed_on, p.target_model_id, s.deadline, s.basis,
                    s.compressed, s.risk_rank, s.next_due, s.urgency, s.progress,
                    json_array({", ".join(f"s.{c}" for c in DUE_COLUMNS)}), p.closed_kind"""


class OverviewQueries(DatabaseCore):
    def _at_once(self, rows_sql: str, params: dict[str, Any]) -> list[list[Any]]:
        """`_all_at_once` with named parameters."""
        (rows,) = self.conn.execute(f"SELECT json_group_array(json(row)) FROM ({rows_sql})", params).fetchone()
        return json.loads(rows)

    def _worst_open(self, day: dt.date, tier: str = "past EOL or overdue") -> int:
        """How many open plans are past EOL (or overdue) on `day`, found by indexes (0018)."""
        return self.conn.execute(
            f"SELECT count(*) FROM plans p WHERE {_TIERS[tier]} AND p.completed_on IS NULL AND p.closed_on IS NULL",
            {"day": day.isoformat()}).fetchone()[0]

    def _line_query(self, day: dt.date, app_id: int | None, model_ids: Iterable[str] | None, open_only: bool,
                    below_rank: int | None, tier: str | None = None) -> tuple[str, dict[str, Any]]:
        where: list[str] = []
        params: dict[str, Any] = {"day": day.isoformat()}
        if tier is not None:
            # Past EOL and overdue are the worst risks, in that order: when at least as many
            # open plans are as are asked for, the first are all among them.
            where.append(f"{_TIERS[tier]} AND p.completed_on IS NULL AND p.closed_on IS NULL")
        if app_id is not None:
            where.append("p.app_id = :app")
            params["app"] = app_id
        if model_ids is not None:
            where.append("p.model_id IN (SELECT value FROM json_each(:models))")
            params["models"] = json.dumps(list(model_ids))
        if open_only:
            where.append("p.completed_on IS NULL AND p.closed_on IS NULL")
        if below_rank == _R[Risk.CLOSED]:  # closed plans rank last: no standing to work out
            where.append("p.closed_on IS NULL")
        sql = f"""FROM {standings_sql(" AND ".join(where) or "1")} s JOIN plans p ON p.id = s.plan_id
                  JOIN applications a ON a.id = s.app_id LEFT JOIN models m ON m.model_id = s.model_id
                  {"WHERE s.risk_rank < :below" if below_rank is not None else ""}"""
        if below_rank is not None:
            params["below"] = below_rank
        return sql, params

    def plan_line_rows(self, day: dt.date, *, limit: int | None = None, app_id: int | None = None,
                       model_ids: Iterable[str] | None = None, open_only: bool = False,
                       below_rank: int | None = None) -> list[PlanLineRow]:
        """Plans with their standing on `day`, most urgent first. `below_rank` leaves out plans
        whose risk ranks there or after."""
        tier = None
        if limit is not None and app_id is None and model_ids is None:
            # The first are among the worst when enough are: the fewest that hold them.
            tier = next((t for t in _TIERS if self._worst_open(day, t) >= limit), None)
        tables, params = self._line_query(day, app_id, model_ids, open_only, below_rank, tier)
        if limit is None and model_ids is None:  # up to every plan: row by row is quicker
            return list(self.iter_plan_line_rows(day, app_id=app_id, open_only=open_only, below_rank=below_rank))
        # A few rows (the dashboard's, read as the app starts): all at once. The order travels
        # as a row number, or with LIMIT as the order of the rows. JSON writes a REAL with 15
        # digits, so urgency and progress go as quote()'s exact text.
        exact = _LINE_COLUMNS.replace("s.urgency, s.progress", "quote(s.urgency), quote(s.progress)").replace(
            "json_array(s.due", "'' || json_array(s.due")  # the due dates as JSON text, as row by row
        if limit is None:
            sql = f"SELECT json_array(row_number() OVER (ORDER BY {_ORDER}), {exact}) AS row {tables}"
            rows = [row[1:] for row in sorted(self._at_once(sql, params))]
        else:
            sql = f"SELECT json_array({exact}) AS row {tables} ORDER BY {_ORDER} LIMIT :limit"
            rows = self._at_once(sql, {**params, "limit": limit})
        return [_new(PlanLineRow, (*row[:14], _real(row[14]), _real(row[15]), row[16], row[17])) for row in rows]

    def iter_plan_line_rows(self, day: dt.date, *, app_id: int | None = None, open_only: bool = False,
                            below_rank: int | None = None) -> Iterator[PlanLineRow]:
        """Every plan (of an application) with its standing on `day`, most urgent first, one
        row at a time (what `status --json` streams)."""
        tables, params = self._line_query(day, app_id, None, open_only, below_rank)
        # Sorted narrow (the order's keys and the standing), the rest looked up row by row in
        # that order (CROSS JOIN keeps the sorted rows the outer loop): SQLite sorts in memory,
        # and 200,000 whole rows took 120 MB more than their keys.
        # (LIMIT keeps SQLite from merging the sorted subquery into the join, losing its order.)
        keys = f"""SELECT s.plan_id, s.risk_rank, s.next_due, s.urgency, s.progress {tables}
                   ORDER BY {_ORDER} LIMIT -1"""
        return map(_make_line, self.conn.execute(
            f"""SELECT o.plan_id, p.app_id, a.name, a.criticality, p.model_id, coalesce(m.name, p.model_id),
                       p.current_phase, p.completed_on, p.target_model_id, s.deadline, s.basis, s.compressed,
                       o.risk_rank, o.next_due, o.urgency, o.progress,
                       json_array({", ".join(f"s.{c}" for c in DUE_COLUMNS)}), p.closed_kind
                FROM ({keys}) o CROSS JOIN plans p ON p.id = o.plan_id
                JOIN plan_schedules s ON s.plan_id = p.id AND s.valid_from <= :day AND :day < s.valid_until
                JOIN applications a ON a.id = p.app_id LEFT JOIN models m ON m.model_id = p.model_id""", params))

    def worst_risk_by_model(self, day: dt.date) -> dict[str, int]:
        """Per model with plans, the worst risk rank of its plans on `day`."""
        return dict(self.conn.execute(
            f"SELECT model_id, min(risk_rank) FROM {standings_sql()} GROUP BY model_id", {"day": day.isoformat()}))

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

    def timeline_bands(self, limit: int | None = None) -> list[tuple[str, str, str | None, str | None]]:
        """Per model with open plans: (model_id, a Region of the lifecycle its plans reach first,
        that EOL date, that PEA date), soonest EOL (then PEA) first. With `limit`: enough of
        the first to give the `limit` soonest EOLs with every model tied with the last."""
        # Walked in the band index's order (0018): each model's first row is its band.
        rows = self.conn.execute(
            """SELECT p.model_id, s.band_region, s.band_eol, s.band_pea
               FROM plan_schedules s INDEXED BY plan_schedules_band JOIN plans p ON p.id = s.plan_id
               WHERE s.valid_from = '' AND s.band_region IS NOT NULL
                     AND p.completed_on IS NULL AND p.closed_on IS NULL
               ORDER BY coalesce(s.band_eol, '9999-12-31'), coalesce(s.band_pea, '9999-12-31')""")
        bands: dict[str, tuple[str, str, str | None, str | None]] = {}
        last_eol: str | None = None
        for model_id, region, eol, pea in rows:
            if limit is not None and len(bands) >= limit and (eol or "9999-12-31") > (last_eol or "9999-12-31"):
                break
            if model_id not in bands:
                bands[model_id] = (model_id, region, eol, pea)
                if limit is not None and len(bands) == limit:
                    last_eol = eol
        return list(bands.values())

    def open_phase_dues(self, day: dt.date, model_ids: Iterable[str]) -> list[tuple[str, str, int, int]]:
        """For these models' open plans, the due dates of the phases not done yet, counted
        per (model_id, ISO due date, risk rank of the plan on `day`): what the timeline draws.
        A plan without a deadline has no due dates."""
        standings = standings_sql("p.model_id IN (SELECT value FROM json_each(:models)) "
                                  "AND p.completed_on IS NULL AND p.closed_on IS NULL")
        # Each plan's standing worked out once (SQLite keeps a CTE read five times; joined to
        # the five phases instead, it worked each out again per phase: 25 -> 10 ms for the
        # twelve models of a 50,000-application project), then a row per phase not done yet.
        dues = " UNION ALL ".join(f"SELECT model_id, {column} AS due, risk_rank FROM s WHERE phase_index <= {index}"
                                  for index, column in enumerate(DUE_COLUMNS))
        # Counted by SQLite: the dashboard's timeline would otherwise read every open plan of
        # its models (hundreds on a large project) while the app starts.
        return [tuple(row) for row in self._at_once(
            f"""WITH s AS (SELECT model_id, phase_index, risk_rank, {", ".join(DUE_COLUMNS)}
                          FROM {standings} WHERE deadline IS NOT NULL)
                SELECT json_array(model_id, due, risk_rank, count(*)) AS row FROM ({dues})
                GROUP BY model_id, due, risk_rank""",
            {"day": day.isoformat(), "models": json.dumps(list(model_ids))})]

    def dependency_lifecycle_counts(self) -> list[tuple]:
        """How many dependencies sit on each set of lifecycle dates (None dates: no row, still
        Active): (declared status, legacy, PEA, EOL, count). Kept counted by triggers (0022):
        a few hundred rows, whatever the size of the project."""
        return [(declared or None, legacy or None, pea or None, eol or None, uses) for declared, legacy, pea, eol, uses
                in self.conn.execute("SELECT declared_status, legacy_date, pea_date, eol_date, uses "
                                     "FROM dependency_uses WHERE uses > 0")]

    def upcoming_milestone_groups(self, day: dt.date, limit: int) -> tuple[list[tuple], int]:
        """The lifecycle groups holding the `limit` soonest milestones on or after `day` (and
        every milestone tied with the last of them), as (model_id, declared status, legacy,
        PEA, EOL, source, as_of, Regions); and how many milestones are upcoming in all. Read
        from the groups kept by 0022 in each date's index order: a few index entries, not
        every lifecycle row. domain/lifecycle.py's upcoming_milestones orders them."""
        params = {"day": day.isoformat(), "skip": max(limit - 1, 0)}
        # Per kind, its groups up to the date of its limit-th (ties kept): the soonest
        # `limit` of all three kinds are among them.
        chosen = " UNION ".join(
            f"""SELECT model_id, declared_status, legacy_date, pea_date, eol_date, policy, source
                FROM lifecycle_group_sizes WHERE {c} != '' AND {c} >= :day AND {c} <= coalesce(
                    (SELECT {c} FROM lifecycle_group_sizes WHERE {c} != '' AND {c} >= :day
                     ORDER BY {c} LIMIT 1 OFFSET :skip),
                    '9999-12-31')""" for c in ("legacy_date", "pea_date", "eol_date"))
        groups = self._at_once(
            f"""SELECT json_array(g.model_id, g.declared_status, nullif(g.legacy_date, ''), nullif(g.pea_date, ''),
                                  nullif(g.eol_date, ''), g.source, min(l.as_of), json_group_array(l.region)) AS row
                FROM ({chosen}) g JOIN lifecycle l INDEXED BY lifecycle_groups
                     ON l.model_id = g.model_id AND l.declared_status = g.declared_status
                        AND coalesce(l.legacy_date, '') = g.legacy_date AND coalesce(l.pea_date, '') = g.pea_date
                        AND coalesce(l.eol_date, '') = g.eol_date AND l.policy = g.policy AND l.source = g.source
                GROUP BY g.model_id, g.declared_status, g.legacy_date, g.pea_date, g.eol_date, g.policy, g.source""",
            params) if limit > 0 else []
        (total,) = self.conn.execute(
            "SELECT " + " + ".join(f"(SELECT count(*) FROM lifecycle_group_sizes WHERE {c} != '' AND {c} >= :day)"
                                   for c in ("legacy_date", "pea_date", "eol_date")), params).fetchone()
        return [tuple(group) for group in groups], total

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
