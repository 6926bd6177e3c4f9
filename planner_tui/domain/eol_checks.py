"""What in a plan contradicts its model's End-of-Life: work planned for after the model is
gone, or a move past Test on a failing result. Each counts toward the plan's risk.

The same rules are counted in SQL for overviews (ProjectStore.eol_contradiction_counts);
tests check that the two agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .vocabulary import Phase

if TYPE_CHECKING:
    from .models import ChecklistItem
    from .workspace import RolloutStage, TestResult


def item_after_eol(due: dt.date | None, eol: dt.date | None) -> str:
    """A warning for a checklist item due on or after EOL ('' when none)."""
    if due is None or eol is None or due < eol:
        return ""
    return f"due {due}, on or after the model's EOL {eol}: calls fail from that day"


def stage_after_eol(start: dt.date | None, end: dt.date | None, eol: dt.date | None) -> str:
    """A warning for a rollout stage that starts or ends on or after EOL ('' when none)."""
    if eol is None:
        return ""
    late = [f"{label} {day}" for label, day in (("starts", start), ("ends", end)) if day and day >= eol]
    if not late:
        return ""
    return f"{' and '.join(late)}, on or after the model's EOL {eol}"


def past_test_with_failures(current: Phase, completed: bool, results: Iterable[TestResult]) -> str:
    """A warning when the plan has moved past Test while a test result fails."""
    if current.index <= Phase.TEST.index and not completed:
        return ""
    failing = [r.metric for r in results if not r.passed]
    if not failing:
        return ""
    return f"moved past Test with {len(failing)} failing result(s): {', '.join(failing)}"


def plan_warnings(current: Phase, completed: bool, eol: dt.date | None, items: Iterable[ChecklistItem],
                  stages: Iterable[RolloutStage], results: Iterable[TestResult]) -> list[str]:
    """Every contradiction in one plan, worded for the plan header."""
    found = []
    for item in items:
        if not item.done and (warning := item_after_eol(item.due_date, eol)):
            found.append(f"Item '{item.title}' is {warning}.")
    for stage in stages:
        if warning := stage_after_eol(stage.start_date, stage.end_date, eol):
            found.append(f"Rollout stage {stage.traffic_percent}% {warning}.")
    if warning := past_test_with_failures(current, completed, results):
        found.append(f"The plan {warning}.")
    return found
