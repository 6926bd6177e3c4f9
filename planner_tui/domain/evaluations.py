"""Evaluations of a campaign's candidates: recorded once per candidate and metric for every
application of the campaign; each application passes or fails them against its own
thresholds (the Test phase's results of its plan, metric by metric).

Pure rules on plain records: no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One metric of one candidate, measured once for the whole campaign."""

    id: int | None
    campaign_id: int
    candidate_model_id: str
    metric: str
    value: float
    higher_is_better: bool = True
    notes: str = ""
    recorded_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Threshold:
    """An application's own bound for a metric (a test result of its plan)."""

    metric: str
    threshold: float
    higher_is_better: bool = True


@dataclass(frozen=True, slots=True)
class Verdict:
    """An application's reading of one evaluation of its replacement."""

    app_name: str
    evaluation: Evaluation
    threshold: float | None  # None: the application set none for this metric

    @property
    def passed(self) -> bool | None:
        if self.threshold is None:
            return None
        if self.evaluation.higher_is_better:
            return self.evaluation.value >= self.threshold
        return self.evaluation.value <= self.threshold

    @property
    def label(self) -> str:
        return {True: "pass", False: "FAIL", None: "no threshold"}[self.passed]


def metric_key(metric: str) -> str:
    """Metrics match by name, whatever the case and spacing ('F1 score' = 'f1  Score')."""
    return " ".join(metric.lower().split())


def verdicts(evaluations: Iterable[Evaluation], targets: Mapping[str, str | None],
             thresholds: Mapping[str, Iterable[Threshold]]) -> list[Verdict]:
    """For each application (`targets`: application → its effective replacement), each
    evaluation of its replacement read against its own threshold for that metric (the first
    of its plan's results that names it)."""
    evaluations = list(evaluations)
    found = []
    for app_name in sorted(targets):
        target = targets[app_name]
        own: dict[str, Threshold] = {}
        for threshold in thresholds.get(app_name, ()):
            own.setdefault(metric_key(threshold.metric), threshold)
        for evaluation in evaluations:
            if evaluation.candidate_model_id != target:
                continue
            bound = own.get(metric_key(evaluation.metric))
            found.append(Verdict(app_name, evaluation, bound.threshold if bound else None))
    return found


def summary(found: Iterable[Verdict]) -> dict[str, str]:
    """Application → 'pass' (every evaluation of its replacement passes), 'FAIL (metric, …)',
    or 'no threshold' when it has evaluations but set no threshold for any."""
    per_app: dict[str, list[Verdict]] = {}
    for verdict in found:
        per_app.setdefault(verdict.app_name, []).append(verdict)
    result = {}
    for app, items in per_app.items():
        failed = [v.evaluation.metric for v in items if v.passed is False]
        judged = [v for v in items if v.passed is not None]
        result[app] = (f"FAIL ({', '.join(failed)})" if failed else "pass" if judged else "no threshold")
    return result
