"""The dashboard through Textual's pilot, and its snapshots at two terminal sizes."""

from __future__ import annotations

from textual.widgets import DataTable

from planner_tui.ui.app import PlannerApp
from planner_tui.ui.widgets.status_counts import StatusCounts

from .conftest import TODAY, settle


async def test_dashboard_shows_milestones_and_plans_by_risk(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY, label="demo")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        milestones = app.screen.query_one("#milestones", DataTable)
        plans = app.screen.query_one("#plans", DataTable)
        assert milestones.row_count == 7
        first = [str(c) for c in milestones.get_row_at(0)]
        assert first[:4] == ["2026-11-26", "4 d", "EOL", "Jamba 1.5 Large"]
        risks = [str(plans.get_row_at(i)[2]) for i in range(plans.row_count)]
        assert risks[0] == "overdue" and risks[-1] == "done"
        counts = app.screen.query_one(StatusCounts)
        assert "7" in str(counts.query_one("#count-pea").render())


async def test_refresh_picks_up_changes(store) -> None:
    app = PlannerApp(store, TODAY)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.screen.query_one("#plans", DataTable).row_count == 0
        from planner_tui.domain.models import Application, Dependency

        store.add_application(Application(name="Late"), [Dependency(
            app_id=0, model_id="anthropic.claude-opus-4-1-20250805-v1:0", region="us-east-1")],
            today=TODAY)
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.query_one("#plans", DataTable).row_count == 1
