"""Plans: made for every application × model with retirement dates (each joining its model's
campaign, repos/campaigns.py, and following its decision), read with their items or counts,
and edited (deadline, phases; targets through the campaign). `PlanRepository` (store.plan_records) closes,
reopens and steps back plans, adds and removes results, stages and decisions by id (for undo)
and checks dates against the EOL.

Each write runs in one transaction of the store (DatabaseCore._edit).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ...domain.ids import plan_of, saved_id
from ...domain.vocabulary import PHASE_BY_VALUE, PHASES, Closure, Phase
from ...errors import NotFoundError, UserInputError
from ..db import _date, _inserted_id, _iso, utc_now
from .campaigns import CampaignsRepo
from .catalog import CatalogRepo
from .checklist import ChecklistRepo, join_shared_checklists
from .workspace import WorkspaceRepo

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ...domain.models import ChecklistItem, MigrationPlan
    from ...domain.workspace import RolloutDecision, RolloutStage, TestResult


class PlansRepo(CampaignsRepo, CatalogRepo, ChecklistRepo, WorkspaceRepo):
    """Relies on CampaignsRepo (the campaign each new plan joins), CatalogRepo (model IDs),
    ChecklistRepo (a plan's items) and WorkspaceRepo (the inserts of `plan_records`)."""

    @cached_property
    def plan_records(self) -> PlanRepository:
        """Closing, reopening and stepping back plans; workspace records by id."""
        return PlanRepository(self)

    def _ensure_plans(self, db: Database, today: dt.date) -> list[int]:
        """A plan for every application × model with published retirement dates where it's used,
        in its model's campaign (made if there is none) and following its decision; a plan
        closed as no longer needed opens again when its model is used again.

        Set-based, however many plans are missing (an import opens thousands): the rows of
        _insert_plan, _insert_items and _log, each table filled by one statement."""
        from ...domain.checklists import SHARED_PHASES, default_items
        from .bulk import triggers_replaced

        self.plan_records.reopen_needed(db)
        conn = self.conn
        missing = """SELECT DISTINCT d.app_id, d.model_id FROM dependencies d
                     JOIN lifecycle l ON l.model_id = d.model_id AND l.region = d.region
                     LEFT JOIN plans p ON p.app_id = d.app_id AND p.model_id = d.model_id
                     WHERE p.id IS NULL"""
        (count,) = conn.execute(f"SELECT count(*) FROM ({missing})").fetchone()
        if not count:
            return []
        self._campaign_ids(db, [row[0] for row in conn.execute(f"SELECT DISTINCT model_id FROM ({missing})")], today)
        with triggers_replaced(conn, "plans", count) as before:
            conn.execute(
                f"""INSERT INTO plans (app_id, model_id, target_model_id, decision_reason, current_phase,
                        started_on, deadline_override, completed_on, closed_on, closed_kind, closed_reason,
                        campaign_id, target_overridden)
                    SELECT m.app_id, m.model_id, c.target_model_id, c.decision_reason, ?, ?, NULL, NULL, NULL,
                           NULL, '', c.id, 0
                    FROM ({missing}) m JOIN campaigns c ON c.model_id = m.model_id ORDER BY m.app_id, m.model_id""",
                [PHASES[0].value, today.isoformat()])
        created = [row[0] for row in conn.execute("SELECT id FROM plans WHERE id > ? ORDER BY id", [before])]
        checklist = default_items()
        template = ", ".join("(?, ?, ?)" for _ in checklist)
        values = [v for i in checklist for v in (i.phase.value, i.position, i.title)]
        # Assess, Research and Test are the campaign's: each item is the plan's copy of the
        # shared one of its title (domain/checklists.py).
        phases = [phase.value for phase in SHARED_PHASES]
        shared = ", ".join("?" for _ in phases)
        # CROSS JOIN: plan by plan (read by id), each with the checklist in its order; no sort
        # of a million rows in memory.
        with triggers_replaced(conn, "checklist_items", len(created) * len(checklist)):
            conn.execute(
                f"""WITH t(phase, position, title) AS (VALUES {template})
                    INSERT INTO checklist_items (id, plan_id, phase, position, title, done, owner, due_date,
                        notes, done_at, version, shared_key)
                    SELECT NULL, p.id, t.phase, t.position, t.title, 0, '', NULL, '', NULL, 0,
                           CASE WHEN t.phase IN ({shared}) THEN t.title END
                    FROM plans p CROSS JOIN t WHERE p.id > ? ORDER BY p.id""", [*values, *phases, before])
        join_shared_checklists(conn, before)
        now = utc_now()
        conn.execute("""INSERT INTO plan_log (plan_id, at, event, detail)
                        SELECT id, ?, 'created', 'plan for ' || model_id FROM plans WHERE id > ? ORDER BY id""",
                     [now, before])
        conn.execute("""INSERT INTO plan_log (plan_id, at, event, detail)
                        SELECT id, ?, 'target chosen', target_model_id || ': ' || decision_reason
                                                       || ' (the campaign''s decision)'
                        FROM plans WHERE id > ? AND target_model_id IS NOT NULL ORDER BY id""", [now, before])
        return created

    def ensure_plans(self, today: dt.date) -> list[int]:
        with self._edit() as db:
            return self._ensure_plans(db, today)

    @staticmethod
    def _log(db: Database, plan_id: int, event: str, detail: str = "", at: str | None = None) -> None:
        """The one write of `plan_log`: now, or at `at` (an imported entry)."""
        db.execute(
            "INSERT INTO plan_log (plan_id, at, event, detail) VALUES (?,?,?,?)",
            [plan_id, utc_now() if at is None else at, event, detail],
        )

    @staticmethod
    def _insert_plan(db: Database, app_id: int, model_id: str, started_on: dt.date, *,
                     target_model_id: str | None = None, decision_reason: str = "",
                     current_phase: Phase = PHASES[0], deadline_override: dt.date | None = None,
                     completed_on: dt.date | None = None, closed_on: dt.date | None = None,
                     closed_kind: Closure | None = None, closed_reason: str = "", campaign_id: int | None = None,
                     target_overridden: bool = False) -> int:
        """The one write of new `plans` rows; returns the plan's id."""
        return _inserted_id(db.execute(
            """INSERT INTO plans (app_id, model_id, target_model_id, decision_reason, current_phase,
                   started_on, deadline_override, completed_on, closed_on, closed_kind, closed_reason,
                   campaign_id, target_overridden)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [app_id, model_id, target_model_id, decision_reason, current_phase.value, started_on.isoformat(),
             _iso(deadline_override), _iso(completed_on), _iso(closed_on), closed_kind and closed_kind.value,
             closed_reason, campaign_id, int(target_overridden)],
        ))

    def plans(self, plan_id: int | None = None, with_items: bool = True,
              plan_ids: Iterable[int] | None = None) -> list[MigrationPlan]:
        """Plans (all, one, or those in `plan_ids`) with their checklist items, or
        (with_items=False) only per-phase counts, which is what overviews of thousands need."""
        from ...domain.models import MigrationPlan, trusted

        if plan_id is not None:
            plan_ids = [plan_id]
        where, params = self._among("p.id", plan_ids)
        item_where, _ = self._among("plan_id", plan_ids)
        items: dict[int, list[ChecklistItem]] = defaultdict(list)
        counts: dict[int, dict[Phase, tuple[int, int]]] = defaultdict(dict)
        if with_items:
            for row in self._rows(
                f"SELECT * FROM checklist_items WHERE {item_where} ORDER BY plan_id, phase, position, id", params
            ):
                items[row["plan_id"]].append(self._item(row))
        else:
            for plan, phase, done, total in self.conn.execute(
                f"SELECT plan_id, phase, done, total FROM plan_item_counts WHERE {item_where}", params
            ):
                if total:
                    counts[plan][PHASE_BY_VALUE[phase]] = (done, total)
        # Rows come from our own schema: build without re-validating every field.
        return [
            trusted(
                MigrationPlan,
                id=r["id"], app_id=r["app_id"], app_name=r["app_name"], model_id=r["model_id"],
                target_model_id=r["target_model_id"], decision_reason=r["decision_reason"],
                current_phase=PHASE_BY_VALUE[r["current_phase"]], started_on=_date(r["started_on"]),
                deadline_override=_date(r["deadline_override"]),
                completed_on=_date(r["completed_on"]), closed_on=_date(r["closed_on"]),
                closed_kind=r["closed_kind"] and Closure(r["closed_kind"]), closed_reason=r["closed_reason"],
                items=tuple(items[r["id"]]),
                phase_counts=counts[r["id"]],
            )
            for r in self._rows(
                f"""SELECT p.*, a.name AS app_name FROM plans p
                    JOIN applications a ON a.id = p.app_id WHERE {where} ORDER BY a.name, p.model_id""",
                params,
            )
        ]

    def plan(self, plan_id: int) -> MigrationPlan:
        found = self.plans(plan_id)
        if not found:
            raise NotFoundError(f"no plan with id {plan_id}.")
        return found[0]

    def plan_log(self, plan_id: int) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM plan_log WHERE plan_id = ? ORDER BY id", [plan_id])

    def set_deadline_override(self, plan_id: int, deadline: dt.date | None) -> None:
        with self._edit() as db:
            db.execute(
                "UPDATE plans SET deadline_override = ? WHERE id = ?", [_iso(deadline), plan_id]
            )
            self._log(db, plan_id, "deadline set", _iso(deadline) or "cleared")

    def advance_phase(self, plan_id: int, today: dt.date, note: str = "") -> Phase | None:
        """Move to the next phase (or complete the plan after rollout). Open items are logged."""
        plan = self.plan(plan_id)
        if plan.completed_on:
            raise UserInputError("this plan is already complete.")
        open_items = [i for i in plan.items_in(plan.current_phase) if not i.done]
        detail = f"{plan.current_phase.title} closed"
        if open_items:
            detail += f" with {len(open_items)} open item(s), confirmed"
        if note.strip():
            detail += f": {note.strip()}"
        with self._edit() as db:
            if plan.current_phase is PHASES[-1]:
                db.execute("UPDATE plans SET completed_on = ? WHERE id = ?", [today.isoformat(), plan_id])
                self._log(db, plan_id, "completed", detail)
                return None
            following = PHASES[plan.current_phase.index + 1]
            db.execute("UPDATE plans SET current_phase = ? WHERE id = ?", [following.value, plan_id])
            self._log(db, plan_id, "phase advanced", detail)
            return following


class PlanRepository:
    def __init__(self, store: PlansRepo) -> None:
        self.store = store

    # -- the plan's own state ------------------------------------------------------------

    def state(self, plan_id: int) -> tuple[str, str | None, str | None, str, str | None]:
        """(current phase, completed_on, closed_on, closed_reason, closed_kind)."""
        row = self.store.conn.execute(
            "SELECT current_phase, completed_on, closed_on, closed_reason, closed_kind FROM plans WHERE id = ?",
            [plan_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no plan with id {plan_id}.")
        return row

    def close(self, plan_id: int, kind: Closure, reason: str, today: dt.date) -> None:
        """End an open plan without completing it (no longer needed, or won't migrate)."""
        _, completed, closed, _, _ = self.state(plan_id)
        if completed:
            raise UserInputError("this plan is already complete; reopen it first to cancel it.")
        if closed:
            raise UserInputError("this plan is already closed.")
        if kind is Closure.WONT_MIGRATE and not reason.strip():
            raise UserInputError("say why the application won't migrate: the reason is kept with the plan.")
        with self.store._edit() as db:
            db.execute("UPDATE plans SET closed_on = ?, closed_kind = ?, closed_reason = ? WHERE id = ?",
                       [today.isoformat(), kind.value, reason.strip(), plan_id])
            self.store._log(db, plan_id, "cancelled" if kind is Closure.WONT_MIGRATE else "closed",
                            f"{kind.value}: {reason.strip()}" if reason.strip() else kind.value)

    def reopen(self, plan_id: int, note: str = "") -> tuple[str | None, str | None, str]:
        """Reopen a closed, cancelled or completed plan; returns what it was (closed_on,
        closed_kind, closed_reason) so that undo can close it again."""
        _, completed, closed, reason, kind = self.state(plan_id)
        if not completed and not closed:
            raise UserInputError("this plan is open already.")
        with self.store._edit() as db:
            db.execute("UPDATE plans SET closed_on = NULL, closed_kind = NULL, closed_reason = '', "
                       "completed_on = NULL WHERE id = ?", [plan_id])
            self.store._log(db, plan_id, "reopened", note.strip())
        return closed, kind, reason

    def restore_closure(self, plan_id: int, closed_on: str, kind: str, reason: str) -> None:
        """Close a plan again exactly as it was (undo of a reopen)."""
        with self.store._edit() as db:
            db.execute("UPDATE plans SET closed_on = ?, closed_kind = ?, closed_reason = ? WHERE id = ?",
                       [closed_on, kind, reason, plan_id])
            self.store._log(db, plan_id, "closed again", f"{kind}: {reason}" if reason else kind)

    def restore_completion(self, plan_id: int, completed_on: str) -> None:
        with self.store._edit() as db:
            db.execute("UPDATE plans SET completed_on = ?, current_phase = ? WHERE id = ?",
                       [completed_on, PHASES[-1].value, plan_id])
            self.store._log(db, plan_id, "completed again")

    def step_back(self, plan_id: int, to: Phase, note: str = "") -> None:
        """Return the plan to an earlier phase (undo of an advance), reopening it if it was
        completed by that advance."""
        with self.store._edit() as db:
            db.execute("UPDATE plans SET current_phase = ?, completed_on = NULL WHERE id = ?", [to.value, plan_id])
            self.store._log(db, plan_id, "phase reopened", f"back to {to.title}" + (f": {note}" if note else ""))

    def close_unneeded(self, db: Database, app_id: int, model_id: str, today: dt.date) -> list[int]:
        """Inside an edit: close the open plan of (app, model) when the app no longer uses
        the model in any Region with lifecycle dates. Returns the plans closed."""
        still_used = db.execute(
            """SELECT 1 FROM dependencies d JOIN lifecycle l ON l.model_id = d.model_id AND l.region = d.region
               WHERE d.app_id = ? AND d.model_id = ? LIMIT 1""", [app_id, model_id]).fetchone()
        if still_used:
            return []
        closed = [row[0] for row in db.execute(
            "SELECT id FROM plans WHERE app_id = ? AND model_id = ? AND completed_on IS NULL AND closed_on IS NULL",
            [app_id, model_id])]
        for plan_id in closed:
            db.execute("UPDATE plans SET closed_on = ?, closed_kind = ?, closed_reason = ? WHERE id = ?",
                       [today.isoformat(), Closure.NO_LONGER_NEEDED.value,
                        f"no dependency on {model_id} is left", plan_id])
            self.store._log(db, plan_id, "closed", f"{Closure.NO_LONGER_NEEDED.value}: "
                            f"the application no longer uses {model_id}")
        return closed

    def reopen_needed(self, db: Database) -> list[int]:
        """Inside an edit: reopen plans closed as no longer needed whose model is used again."""
        reopened = [row[0] for row in db.execute(
            """SELECT p.id FROM plans p WHERE p.closed_kind = ? AND EXISTS (
                   SELECT 1 FROM dependencies d JOIN lifecycle l ON l.model_id = d.model_id AND l.region = d.region
                   WHERE d.app_id = p.app_id AND d.model_id = p.model_id)""",
            [Closure.NO_LONGER_NEEDED.value])]
        for plan_id in reopened:
            db.execute("UPDATE plans SET closed_on = NULL, closed_kind = NULL, closed_reason = '' WHERE id = ?",
                       [plan_id])
            self.store._log(db, plan_id, "reopened", "the application uses the model again")
        return reopened

    # -- workspace records, by id (undo and redo put back the very same row) -------------

    def add_test_result(self, result: TestResult) -> int:
        plan_id = plan_of(result)
        with self.store._edit() as db:
            row_id = self.store._insert_test_result(db, result)
            self.store._log(db, plan_id, "test recorded",
                            f"{result.metric}: {result.candidate:g} ({'pass' if result.passed else 'FAIL'})")
        return row_id

    def delete_test_result(self, result: TestResult) -> None:
        with self.store._edit() as db:
            self._delete(db, "test_results", saved_id(result))
            self.store._log(db, plan_of(result), "test removed", result.metric)

    def add_stage(self, stage: RolloutStage) -> int:
        plan_id = plan_of(stage)
        with self.store._edit() as db:
            row_id = self.store._insert_stage(db, stage)
            self.store._log(db, plan_id, "stage added", f"{stage.traffic_percent}%")
        return row_id

    def delete_stage(self, stage: RolloutStage) -> None:
        with self.store._edit() as db:
            self._delete(db, "rollout_stages", saved_id(stage))
            self.store._log(db, plan_of(stage), "stage removed", f"{stage.traffic_percent}%")

    def add_decision(self, decision: RolloutDecision) -> int:
        plan_id = plan_of(decision)
        with self.store._edit() as db:
            row_id = self.store._insert_decision(db, decision)
            share = "–" if decision.traffic_percent is None else decision.traffic_percent
            self.store._log(db, plan_id, f"rollout {decision.decision.value}", f"{share}%: {decision.note}")
        return row_id

    def delete_decision(self, decision: RolloutDecision) -> None:
        with self.store._edit() as db:
            self._delete(db, "rollout_decisions", saved_id(decision))
            self.store._log(db, plan_of(decision), "decision removed", decision.decision.value)

    @staticmethod
    def _delete(db: Database, table: str, row_id: int) -> None:
        if db.execute(f"DELETE FROM {table} WHERE id = ?", [row_id]).rowcount == 0:
            raise NotFoundError("that record no longer exists: it was removed elsewhere.")

    # -- dates against the EOL -----------------------------------------------------------

    def eol_contradiction_counts(self, eols: dict[int, dt.date | None]) -> dict[int, int]:
        """Per plan, how many of its dates and results contradict its earliest EOL (the
        rules of domain/eol_checks.py, counted by SQLite)."""
        pairs = [[plan_id, _iso(eol)] for plan_id, eol in eols.items()]
        failing_phases = ", ".join(f"'{p.value}'" for p in PHASES if p.index > Phase.TEST.index)
        found = {plan_id: 0 for plan_id in eols}
        if not pairs:
            return found
        for plan_id, count in self.store.conn.execute(
            f"""WITH e(plan_id, eol) AS (
                    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))
                SELECT e.plan_id,
                    (SELECT count(*) FROM checklist_items i
                     WHERE i.plan_id = e.plan_id AND i.done = 0 AND i.due_date >= e.eol)
                  + (SELECT count(*) FROM rollout_stages r
                     WHERE r.plan_id = e.plan_id AND (r.start_date >= e.eol OR r.end_date >= e.eol))
                  + EXISTS (SELECT 1 FROM test_results t JOIN plans p ON p.id = t.plan_id
                            WHERE t.plan_id = e.plan_id
                              AND (p.current_phase IN ({failing_phases}) OR p.completed_on IS NOT NULL)
                              AND CASE WHEN t.higher_is_better THEN t.candidate < t.threshold
                                       ELSE t.candidate > t.threshold END)
                FROM e""", [json.dumps(pairs)]):
            found[plan_id] = count
        return found

    def failing_results_count(self, plan_ids: Iterable[int]) -> int:
        return self.store.conn.execute(
            """SELECT count(*) FROM test_results WHERE plan_id IN (SELECT value FROM json_each(?))
               AND CASE WHEN higher_is_better THEN candidate < threshold ELSE candidate > threshold END""",
            [json.dumps(list(plan_ids))]).fetchone()[0]
