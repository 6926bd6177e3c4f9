"""Dashboard: dependency counts, timeline, next milestones and plans by risk."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Label

from ...services import overview
from ...services.dashboard import DashboardData, Preload, load_dashboard
from ...services.views import project_version
from ..formatting import days_text, progress_bar, risk_text
from ..widgets.footer import Footer
from ..widgets.status_counts import StatusCounts
from ..widgets.table import Table
from ..widgets.timeline import TimelineChart
from .base import PlannerScreen, selected_key

STARTUP_WAIT_SECONDS = 0.5


class DashboardScreen(PlannerScreen[DashboardData]):
    AUTO_FOCUS = None  # the plans table takes the focus in on_mount, without scrolling
    HELP_TITLE = "Dashboard"
    HELP_TEXT = (
        "How your project stands today. The counters show how many dependencies sit on "
        "Active, Legacy, extended-access (PEA) and End-of-Life models. The timeline has one "
        "row per retiring model you use: coloured bands for its lifecycle, a bar for today and "
        "a diamond for each open phase due date, coloured by the plan's risk; under it, a row "
        "for each of its most urgent plans, named by application, with that plan's own due "
        "dates. Milestones are coloured by days left; plans are listed most urgent first, and b "
        "groups them by campaign (one per retiring model, the most urgent first) under a heading "
        "whose Enter opens the campaign. Select a plan and press Enter to open its workspace."
    )
    _preload: Preload | None = None  # the start-up read, while it is still under way

    BINDINGS = [
        Binding("r", "refresh", "Refresh", id="dashboard.refresh", tooltip="Reload from the project"),
        Binding("enter", "open_plan", "Open plan", show=False, id="dashboard.open"),
        Binding("h", "app.history", "History", id="dashboard.history",
                tooltip="Every change to the project"),
        Binding("b", "by_campaign", "By campaign", id="dashboard.by-campaign",
                tooltip="Group the plans by campaign (one per retiring model), or list them by risk"),
    ]
    by_campaign = False  # the plans grouped under a heading per campaign
    _data: DashboardData | None = None  # as last shown

    def action_by_campaign(self) -> None:
        self.by_campaign = not self.by_campaign
        if self._data is not None:
            self.show(self._data)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="dashboard"):
            yield StatusCounts(id="counts")
            yield Label("Timeline", classes="section-title")
            yield TimelineChart(id="timeline")
            yield Label("Plans by risk  (Enter opens)", classes="section-title", id="plans-title")
            yield Table(id="plans", cursor_type="row", zebra_stripes=True, keep=("Risk", "Next due", "Progress"))
            yield Label("Next milestones", classes="section-title", id="milestones-title")
            yield Table(id="milestones", cursor_type="row", zebra_stripes=True, keep=("Date", "Left", "Apps"))
        yield Footer()

    def on_mount(self) -> None:
        milestones = self.query_one("#milestones", DataTable)
        milestones.add_columns("Date", "Left", "Milestone", "Model", "Regions", "Apps")
        plans = self.query_one("#plans", DataTable)
        plans.add_columns("Application", "Model", "Risk", "Next due", "Phase", "Progress")
        # Arrows move through the plans; on a small terminal the table does not fit, and
        # focusing would scroll the counters and timeline away: the dashboard opens at its top.
        self.set_focus(plans, scroll_visible=False)

    def refresh_data(self) -> None:
        preload, self.planner.preload = self.planner.preload, None  # used once, at start-up
        # The data is usually a moment away: showing it in the first frame beats painting
        # empty tables and then painting again.
        if preload is not None and preload.done(within=STARTUP_WAIT_SECONDS):
            data = preload.result()  # None if it failed, or the project changed meanwhile
            if data is not None:
                # Its version, as `result` has just checked it (one pragma, at start-up only).
                self._generation, self._version = self.planner.generation, project_version(self.planner.store)
                self.show(data)
                return
            preload = None
        if not self.query_one("#plans", DataTable).row_count:
            for table in self.query(DataTable):
                table.loading = True  # until the worker's data arrives; `show` clears it
        self._preload = preload
        super().refresh_data()

    def action_refresh(self) -> None:
        self.refresh_data()

    def load(self) -> DashboardData:
        preload, self._preload = self._preload, None
        data = preload.result() if preload is not None else None  # still reading since start-up
        return data if data is not None else load_dashboard(self.planner.store, self.planner.today)

    def show(self, data: DashboardData) -> None:
        self._data = data
        self.query_one(StatusCounts).update_counts(data.counts)
        self.query_one(TimelineChart).set_data(data.timeline, self.planner.today, data.plans)
        milestones = self.query_one("#milestones", Table)
        milestones.clear()
        for row in data.milestones:
            regions = row.milestone.regions
            milestones.add_row(
                str(row.milestone.date),
                days_text(row.days_left),
                row.milestone.kind.label,
                row.model_name,
                overview.regions_label(regions, 1),
                Text(str(len(row.affected_apps)), justify="right") if row.affected_apps else "",
            )
        plans = self.query_one("#plans", Table)
        rows: list[Any] = data.plans
        if self.by_campaign:  # the campaign modules load when first wanted, not before the first frame
            from ...services.campaign_view import group_by_campaign
            from .campaigns import campaign_header_cells

            rows = group_by_campaign(data.plans)
        with plans.keeping_place():
            plans.clear()
            for plan in rows:
                if not isinstance(plan, overview.PlanLine):  # a campaign's heading
                    plans.add_row(*campaign_header_cells(plan, 6), key=f"campaign:{plan.model_id}")
                    continue
                plans.add_row(
                    plan.app_name,
                    plan.model_name,
                    risk_text(plan.risk),
                    str(plan.next_due or ""),
                    plan.phase_label,
                    progress_bar(plan.progress, 6),
                    key=str(plan.plan_id),
                )
        more = data.total_plans - len(data.plans)
        self.query_one("#plans-title", Label).update(
            ("Plans by campaign, most urgent first  (Enter opens)" if self.by_campaign
             else "Plans by risk  (Enter opens)") + (f"  · {more:,} more under Plans (p)" if more > 0 else ""))
        later = data.total_milestones - len(data.milestones)
        self.query_one("#milestones-title", Label).update(
            "Next milestones" + (f"  · {later:,} later ones under Models (m)" if later > 0 else ""))
        milestones.loading = plans.loading = False
        milestones.measure_now()
        plans.measure_now()

    @on(DataTable.RowSelected, "#plans")
    def _plan_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self._open(event.row_key.value)

    def action_open_plan(self) -> None:
        key = selected_key(self.query_one("#plans", DataTable))
        if key is not None:
            self._open(key)

    def _open(self, key: str) -> None:
        """A plan's row opens its plan; a campaign's heading, its campaign."""
        if key.startswith("campaign:"):
            from .campaigns import CampaignScreen

            self.app.push_screen(CampaignScreen(key.removeprefix("campaign:")))
        else:
            self.planner.open_plan(int(key))
