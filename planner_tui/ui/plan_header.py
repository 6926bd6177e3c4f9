"""What the plan workspace's header says: the plan's title, its standing (deadline, risk,
progress, target), the warnings where a date or result contradicts the model's EOL, and the
phase tabs' labels. Pure functions of the plan's view (services/plan_view.py)."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from ..domain.vocabulary import Phase
from ..services.plan_view import PlanView
from .formatting import days_text, progress_bar, risk_text


def title_text(view: PlanView, width: int) -> Text:
    """'Application × Model', with the model's ID where it fits in `width` cells."""
    row = view.row
    title = Text.assemble((row.app.name, "bold"), " × ", (row.model_name, "bold"))
    if title.cell_len + len(row.plan.model_id) + 3 <= width - 2:
        title.append(f"   {row.plan.model_id}", style="dim")
    return title


def meta_text(view: PlanView, today: dt.date) -> Text:
    """How the plan stands: closed or its deadline, then risk, progress and target."""
    row = view.row
    plan, schedule = row.plan, row.schedule
    meta = Text()
    if plan.closed_kind:
        meta.append(f"Closed {plan.closed_on}: {plan.closed_kind.value}", style="bold")
        if plan.closed_reason:
            meta.append(f" ({plan.closed_reason})")
        meta.append(" · r reopens\n", style="dim")
    elif schedule.deadline:
        meta.append(f"Deadline {schedule.deadline.date} ")
        meta.append_text(days_text((schedule.deadline.date - today).days))
        meta.append(f" · {schedule.deadline.basis}\n", style="dim")
    meta.append("Risk ")
    meta.append_text(risk_text(schedule.risk))
    if schedule.risk.value == "past EOL":
        meta.append(f" (EOL {view.eol}: calls already fail)", style="bold red")
    elif schedule.compressed and plan.is_open:
        meta.append(" (window shorter than the phases need)", style="magenta")
    meta.append("  ·  ")
    meta.append_text(progress_bar(plan.progress, 8))
    meta.append(f"  ·  Target: {view.target_name or 'not chosen yet'}")
    if plan.completed_on:
        open_count = len(plan.open_items())
        meta.append(f"  ·  Completed {plan.completed_on}", style="green")
        if open_count:
            meta.append(f" with {open_count} item(s) open", style="yellow")
    return meta


def warnings_text(view: PlanView) -> Text:
    return Text("\n".join(f"⚠ {w}" for w in view.warnings))


def tab_labels(view: PlanView) -> dict[Phase, str]:
    """Each phase's tab: ✓ done, ▶ current, with its due date while the plan is open."""
    plan, schedule = view.row.plan, view.row.schedule
    labels = {}
    for window in schedule.phases:
        if plan.completed_on or (window.done and plan.is_open):
            mark = "✓ "
        elif window.phase is plan.current_phase and plan.is_open:
            mark = "▶ "
        else:
            mark = ""
        due = f" {window.due:%m-%d}" if schedule.deadline and plan.is_open else ""
        labels[window.phase] = f"{mark}{window.phase.title}{due}"
    return labels
