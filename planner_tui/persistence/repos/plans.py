"""Plans' lifecycle and workspace records: closing, reopening and stepping back a plan;
restoring deleted results, stages and decisions (for undo); dates against the EOL.

Each write runs in one transaction of the store (ProjectStore._edit).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ...domain.vocabulary import Closure
from ...domain.vocabulary import PHASES, Phase
from ...errors import NotFoundError, UserInputError

if TYPE_CHECKING:
    from ...domain.workspace import RolloutDecision, RolloutStage, TestResult
    from ..store import ProjectStore


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


class PlanRepository:
    def __init__(self, store: ProjectStore) -> None:
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

    def close_unneeded(self, db, app_id: int, model_id: str, today: dt.date) -> list[int]:  # noqa: ANN001
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

    def reopen_needed(self, db) -> list[int]:  # noqa: ANN001
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
        with self.store._edit() as db:
            cursor = db.execute(
                """INSERT INTO test_results (id, plan_id, metric, baseline, candidate, threshold,
                       higher_is_better, notes) VALUES (?,?,?,?,?,?,?,?)""",
                [result.id, result.plan_id, result.metric, result.baseline, result.candidate,
                 result.threshold, int(result.higher_is_better), result.notes])
            self.store._log(db, result.plan_id, "test recorded",
                            f"{result.metric}: {result.candidate:g} ({'pass' if result.passed else 'FAIL'})")
        return cursor.lastrowid

    def delete_test_result(self, result: TestResult) -> None:
        with self.store._edit() as db:
            self._delete(db, "test_results", result.id)
            self.store._log(db, result.plan_id, "test removed", result.metric)

    def add_stage(self, stage: RolloutStage) -> int:
        with self.store._edit() as db:
            cursor = db.execute(
                """INSERT INTO rollout_stages (id, plan_id, traffic_percent, start_date, end_date, notes)
                   VALUES (?,?,?,?,?,?)""",
                [stage.id, stage.plan_id, stage.traffic_percent, _iso(stage.start_date), _iso(stage.end_date),
                 stage.notes])
            self.store._log(db, stage.plan_id, "stage added", f"{stage.traffic_percent}%")
        return cursor.lastrowid

    def delete_stage(self, stage: RolloutStage) -> None:
        with self.store._edit() as db:
            self._delete(db, "rollout_stages", stage.id)
            self.store._log(db, stage.plan_id, "stage removed", f"{stage.traffic_percent}%")

    def add_decision(self, decision: RolloutDecision) -> int:
        with self.store._edit() as db:
            cursor = db.execute(
                """INSERT INTO rollout_decisions (id, plan_id, decided_on, decision, traffic_percent, note)
                   VALUES (?,?,?,?,?,?)""",
                [decision.id, decision.plan_id, decision.decided_on.isoformat(), decision.decision.value,
                 decision.traffic_percent, decision.note])
            share = "–" if decision.traffic_percent is None else decision.traffic_percent
            self.store._log(db, decision.plan_id, f"rollout {decision.decision.value}", f"{share}%: {decision.note}")
        return cursor.lastrowid

    def delete_decision(self, decision: RolloutDecision) -> None:
        with self.store._edit() as db:
            self._delete(db, "rollout_decisions", decision.id)
            self.store._log(db, decision.plan_id, "decision removed", decision.decision.value)

    @staticmethod
    def _delete(db, table: str, row_id: int | None) -> None:  # noqa: ANN001
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
