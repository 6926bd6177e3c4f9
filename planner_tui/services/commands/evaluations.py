"""Evaluations of a campaign's candidates: recorded once for every application of the
campaign (each reads it against its own thresholds), removed, and put back by undo."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from ...domain.evaluations import Evaluation
from ...errors import UserInputError
from . import Change, checked_text
from .campaigns import campaign_model, checked_target

if TYPE_CHECKING:
    from ...persistence.store import ProjectStore


def record_evaluation(store: ProjectStore, model_id: str, candidate_id: str, metric: str, value: float, *,
                      higher_is_better: bool = True, notes: str = "", today: dt.date | None = None) -> Change:
    """One metric of one candidate, measured once for the campaign on `model_id`."""
    model_id = campaign_model(store, model_id)
    candidate = checked_target(store, model_id, candidate_id)
    metric = checked_text(metric, "metric").strip()
    if not metric:
        raise UserInputError("name the metric (for example 'F1 score' or 'p95 latency ms').")
    if not math.isfinite(value):
        raise UserInputError("the value must be a finite number.")
    campaign = store.campaign(model_id)
    if campaign is None or campaign.id is None:
        raise UserInputError(f"there is no campaign for {model_id}.")
    saved = store.add_evaluation(Evaluation(None, campaign.id, candidate, metric, value, higher_is_better,
                                            checked_text(notes, "notes").strip(), today))
    return Change(f"recording {metric} of {candidate} for the campaign on {model_id}", saved,
                  lambda: remove_evaluation(store, saved.id or 0))


def remove_evaluation(store: ProjectStore, evaluation_id: int) -> Change:
    removed = store.remove_evaluation(evaluation_id)
    return Change(f"removing the {removed.metric} evaluation of {removed.candidate_model_id}", removed,
                  lambda: _restore(store, removed))


def _restore(store: ProjectStore, evaluation: Evaluation) -> Change:
    store.restore_evaluation(evaluation)
    return Change(f"restoring the {evaluation.metric} evaluation of {evaluation.candidate_model_id}", evaluation,
                  lambda: remove_evaluation(store, evaluation.id or 0))
