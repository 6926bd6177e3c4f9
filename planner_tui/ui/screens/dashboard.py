"""Dashboard: dependency counts, next milestones and plans by risk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label
from textual.worker import Worker, WorkerState

from ...domain.models import Status
from ...persistence.store import ProjectStore
from ...services import overview
from ..formatting import days_text, progress_bar, risk_text
from ..widgets.status_counts import StatusCounts


@dataclass(frozen=True)
class DashboardData:
    counts: dict[Status, int]
    milestones: list[overview.MilestoneRow]
    plans: list[overview.PlanRow]


def load_dashboard(store: ProjectStore, today: dt.date) -> DashboardData:
    return DashboardData(
        counts=dict(overview.dependency_status_counts(store, today)),
        milestones=overview.milestone_rows(store, today),
        plans=overview.plan_rows(store, today),
    )


class DashboardScreen(Screen):
    BINDINGS = [
        Binding("r", "refresh", "Refresh", id="dashboard.refresh", tooltip="Reload from the project"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="dashboard"):
            yield StatusCounts(id="counts")
            yield Label("Next milestones", classes="section-title")
            yield DataTable(id="milestones", cursor_type="row", zebra_stripes=True)
            yield Label("Plans by risk", classes="section-title")
            yield DataTable(id="plans", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        milestones = self.query_one("#milestones", DataTable)
        milestones.add_columns("Date", "Left", "Milestone", "Model", "Regions", "Apps")
        plans = self.query_one("#plans", DataTable)
        plans.add_columns("Application", "Model", "Risk", "Next due", "Phase", "Progress")
        milestones.loading = plans.loading = True
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="dashboard")
    def load(self) -> DashboardData:
        return load_dashboard(self.app.store, self.app.today)

    @on(Worker.StateChanged)
    def _loaded(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "dashboard":
            return
        if event.state is WorkerState.SUCCESS:
            self.show(event.worker.result)
        elif event.state is WorkerState.ERROR:
            self.notify(str(event.worker.error), title="Could not load the project",
                        severity="error", timeout=10)

    def show(self, data: DashboardData) -> None:
        self.query_one(StatusCounts).update_counts(data.counts)
        milestones = self.query_one("#milestones", DataTable)
        milestones.clear()
        for row in data.milestones:
            regions = row.milestone.regions
            milestones.add_row(
                str(row.milestone.date),
                days_text(row.days_left),
                row.milestone.kind.label,
                row.model_name,
                regions[0] + (f" +{len(regions) - 1}" if len(regions) > 1 else ""),
                Text(str(len(row.affected_apps)), justify="right") if row.affected_apps else "",
            )
        plans = self.query_one("#plans", DataTable)
        plans.clear()
        for row in data.plans:
            plans.add_row(
                row.app.name,
                row.model_name,
                risk_text(row.schedule.risk),
                str(row.schedule.next_due or ""),
                "complete" if row.plan.completed_on else row.plan.current_phase.title,
                progress_bar(row.plan.progress),
                key=str(row.plan.id),
            )
        milestones.loading = plans.loading = False
