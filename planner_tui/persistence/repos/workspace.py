"""A plan's phase workspace: form fields, test results, rollout stages and decisions.

The writes of results, stages and decisions are `PlanRepository`'s (repos/plans.py); the
inserts here are the one write of each table, used by it and by document import."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from ..db import DatabaseCore, _date, _inserted_id, _iso

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ...domain.workspace import RolloutDecision, RolloutStage, TestResult


class WorkspaceRepo(DatabaseCore):
    # -- the one write of each table -------------------------------------------------------

    @staticmethod
    def _put_plan_field(db: Database, plan_id: int, key: str, value: str) -> None:
        db.execute("INSERT OR REPLACE INTO plan_fields (plan_id, key, value) VALUES (?,?,?)",
                   [plan_id, key, value])

    @staticmethod
    def _insert_test_result(db: Database, result: TestResult) -> int:
        return _inserted_id(db.execute(
            """INSERT INTO test_results (id, plan_id, metric, baseline, candidate, threshold,
                   higher_is_better, notes) VALUES (?,?,?,?,?,?,?,?)""",
            [result.id, result.plan_id, result.metric, result.baseline, result.candidate,
             result.threshold, int(result.higher_is_better), result.notes]))

    @staticmethod
    def _insert_stage(db: Database, stage: RolloutStage) -> int:
        return _inserted_id(db.execute(
            """INSERT INTO rollout_stages (id, plan_id, traffic_percent, start_date, end_date, notes)
               VALUES (?,?,?,?,?,?)""",
            [stage.id, stage.plan_id, stage.traffic_percent, _iso(stage.start_date), _iso(stage.end_date),
             stage.notes]))

    @staticmethod
    def _insert_decision(db: Database, decision: RolloutDecision) -> int:
        return _inserted_id(db.execute(
            """INSERT INTO rollout_decisions (id, plan_id, decided_on, decision, traffic_percent, note)
               VALUES (?,?,?,?,?,?)""",
            [decision.id, decision.plan_id, decision.decided_on.isoformat(), decision.decision.value,
             decision.traffic_percent, decision.note]))

    # -- reads and form edits --------------------------------------------------------------

    def plan_fields(self, plan_id: int) -> dict[str, str]:
        return {
            key: value
            for key, value in self.conn.execute(
                "SELECT key, value FROM plan_fields WHERE plan_id = ?", [plan_id]
            )
        }

    def set_plan_fields(self, plan_id: int, values: dict[str, str]) -> None:
        """Save a phase form at once; an empty value removes the field."""
        with self._edit() as db:
            for key, value in values.items():
                if value:
                    self._put_plan_field(db, plan_id, key, value)
                else:
                    db.execute("DELETE FROM plan_fields WHERE plan_id = ? AND key = ?", [plan_id, key])

    def test_results(self, plan_id: int) -> list[TestResult]:
        from ...domain.workspace import TestResult

        return [
            TestResult(
                id=r["id"], plan_id=r["plan_id"], metric=r["metric"], baseline=r["baseline"],
                candidate=r["candidate"], threshold=r["threshold"],
                higher_is_better=bool(r["higher_is_better"]), notes=r["notes"],
            )
            for r in self._rows("SELECT * FROM test_results WHERE plan_id = ? ORDER BY id", [plan_id])
        ]

    def rollout_stages(self, plan_id: int) -> list[RolloutStage]:
        from ...domain.workspace import RolloutStage

        return [
            RolloutStage(
                id=r["id"], plan_id=r["plan_id"], traffic_percent=r["traffic_percent"],
                start_date=_date(r["start_date"]), end_date=_date(r["end_date"]), notes=r["notes"],
            )
            for r in self._rows(
                "SELECT * FROM rollout_stages WHERE plan_id = ? ORDER BY traffic_percent, id", [plan_id]
            )
        ]

    def all_rollout_stages(self) -> dict[int, list[RolloutStage]]:
        """Every plan's stages in one query (calendar export of thousands of plans)."""
        from ...domain.workspace import RolloutStage

        found: dict[int, list[RolloutStage]] = defaultdict(list)
        for r in self._rows("SELECT * FROM rollout_stages ORDER BY plan_id, traffic_percent, id"):
            found[r["plan_id"]].append(RolloutStage(
                id=r["id"], plan_id=r["plan_id"], traffic_percent=r["traffic_percent"],
                start_date=_date(r["start_date"]), end_date=_date(r["end_date"]), notes=r["notes"]))
        return found

    def rollout_decisions(self, plan_id: int) -> list[RolloutDecision]:
        from ...domain.workspace import Decision, RolloutDecision

        return [
            RolloutDecision(
                id=r["id"], plan_id=r["plan_id"], decided_on=dt.date.fromisoformat(r["decided_on"]),
                decision=Decision(r["decision"]), traffic_percent=r["traffic_percent"], note=r["note"],
            )
            for r in self._rows(
                "SELECT * FROM rollout_decisions WHERE plan_id = ? ORDER BY decided_on, id", [plan_id]
            )
        ]
