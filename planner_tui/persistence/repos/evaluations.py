"""Evaluations of a campaign's candidates (schema 0015): recorded once per candidate and
metric for every application of the campaign; added, removed and put back (for undo)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...domain.evaluations import Evaluation, Threshold
from ...errors import NotFoundError
from ..db import DatabaseCore, _date, _inserted_id, _iso

if TYPE_CHECKING:
    from sqlite_utils import Database

_COLUMNS = "id, campaign_id, candidate_model_id, metric, value, higher_is_better, notes, recorded_on"


def _evaluation(row: tuple) -> Evaluation:
    return Evaluation(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6], _date(row[7]))


class EvaluationsRepo(DatabaseCore):
    def evaluations(self, model_id: str) -> list[Evaluation]:
        """The campaign's evaluations, by candidate, then in the order recorded."""
        return [_evaluation(row) for row in self.conn.execute(
            f"""SELECT {", ".join("e." + c for c in _COLUMNS.split(", "))} FROM campaign_evaluations e
                JOIN campaigns c ON c.id = e.campaign_id WHERE c.model_id = ?
                ORDER BY e.candidate_model_id, e.id""", [model_id])]

    def campaign_model_of(self, campaign_id: int) -> str:
        row = self.conn.execute("SELECT model_id FROM campaigns WHERE id = ?", [campaign_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no campaign with id {campaign_id}.")
        return row[0]

    def evaluation(self, evaluation_id: int) -> Evaluation:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM campaign_evaluations WHERE id = ?",
                                [evaluation_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no evaluation with id {evaluation_id}.")
        return _evaluation(row)

    def thresholds(self, model_id: str) -> dict[str, list[Threshold]]:
        """Per application with a plan on the model, the thresholds of its plan's test results."""
        found: dict[str, list[Threshold]] = {}
        for name, metric, threshold, higher in self.conn.execute(
                """SELECT a.name, t.metric, t.threshold, t.higher_is_better FROM test_results t
                   JOIN plans p ON p.id = t.plan_id JOIN applications a ON a.id = p.app_id
                   WHERE p.model_id = ? ORDER BY t.id""", [model_id]):
            found.setdefault(name, []).append(Threshold(metric, threshold, bool(higher)))
        return found

    def add_evaluation(self, evaluation: Evaluation) -> Evaluation:
        with self._edit() as db:
            evaluation_id = self._insert_evaluation(db, evaluation)
        return self.evaluation(evaluation_id)

    def remove_evaluation(self, evaluation_id: int) -> Evaluation:
        evaluation = self.evaluation(evaluation_id)
        with self._edit() as db:
            db.execute("DELETE FROM campaign_evaluations WHERE id = ?", [evaluation_id])
        return evaluation

    def restore_evaluation(self, evaluation: Evaluation) -> None:
        with self._edit() as db:
            self._insert_evaluation(db, evaluation)

    @staticmethod
    def _insert_evaluation(db: Database, e: Evaluation) -> int:
        """The one write of a `campaign_evaluations` row (with its id when put back)."""
        return _inserted_id(db.execute(
            f"INSERT INTO campaign_evaluations ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [e.id, e.campaign_id, e.candidate_model_id, e.metric, e.value, int(e.higher_is_better), e.notes,
             _iso(e.recorded_on)]))


__all__ = ["EvaluationsRepo"]
