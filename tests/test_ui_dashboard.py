"""The dashboard through Textual's pilot, and its snapshots at two terminal sizes."""

from __future__ import annotations

from textual.widgets import DataTable

from planner_tui.domain.vocabulary import Status
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
        assert str(counts.label(Status.PEA)) == "7 Extended access"
        assert "7 Extended access" in counts.render_line(1).text


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


async def test_started_app_shows_the_preloaded_dashboard_in_its_first_frame(demo_store) -> None:
    import gc

    from planner_tui.ui.launch import start_app

    app = start_app(demo_store, TODAY)  # reads the dashboard while Textual starts
    assert not gc.isenabled()  # no cycle collection while starting
    async with app.run_test(size=(120, 40)) as pilot:
        plans = app.screen.query_one("#plans", DataTable)
        # No worker waited for: the rows came with the screen.
        assert plans.row_count == 10 and not plans.loading
        assert app.preload is None  # taken, not read twice
        await pilot.pause()
        assert gc.isenabled()  # back on once the first frame is out


async def test_dashboard_opens_at_its_top_on_a_small_terminal(demo_store) -> None:
    # The plans table has the focus (arrows move through it) but does not fit the screen:
    # focusing it must not scroll the counters and the timeline out of sight.
    import asyncio

    from planner_tui.ui.launch import start_app

    app = start_app(demo_store, TODAY)  # with the preloaded data the table is full-size at once
    async with app.run_test(size=(70, 24)) as pilot:
        await settle(pilot)
        await asyncio.sleep(0.5)  # a scroll would be animated
        dashboard = app.screen.query_one("#dashboard")
        assert dashboard.max_scroll_y > 0 and dashboard.scroll_y == 0
        assert app.screen.focused is app.screen.query_one("#plans", DataTable)
        counters = app.screen.query_one(StatusCounts).render_line(1).text
        assert "7 Legacy" in counters and "7 Extended ac…" in counters  # cut short, and says so


async def test_a_preload_made_stale_by_an_edit_is_not_shown(demo_store) -> None:
    from planner_tui.domain.models import Application, Dependency
    from planner_tui.ui.launch import start_app

    app = start_app(demo_store, TODAY)
    app.preload.done(within=5)
    demo_store.add_application(Application(name="Late"), [Dependency(
        app_id=0, model_id="anthropic.claude-opus-4-1-20250805-v1:0", region="us-east-1")], today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        plans = app.screen.query_one("#plans", DataTable)
        names = [str(plans.get_row_at(i)[0]) for i in range(plans.row_count)]
        assert "Late" in names


def test_timeline_cell_shows_its_most_urgent_marker() -> None:
    import datetime as dt

    from planner_tui.domain.lifecycle import LifecycleDates
    from planner_tui.domain.vocabulary import Status
    from planner_tui.services.overview import TimelineMarker, TimelineRow
    from planner_tui.ui.widgets.timeline import MARKER_STYLE, TimelineChart

    due = dt.date(2027, 1, 8)
    lifecycle = LifecycleDates("m", ("us-east-1",), Status.LEGACY, dt.date(2026, 6, 1), None,
                               dt.date(2027, 3, 1), "test", "2026-11-22")
    # Urgency order puts the overdue plan first; the on-track one must not paint over it.
    markers = (TimelineMarker(due, "A: Test", "overdue"), TimelineMarker(due, "B: Test", "on track"))
    chart = TimelineChart()
    chart.set_data([TimelineRow("Model", lifecycle, markers)], TODAY)
    row = chart._draw(100).split("\n")[1]
    diamond = row.plain.index("◆")
    styles = [str(span.style) for span in row.spans if span.start <= diamond < span.end]
    assert styles and styles[0].startswith(MARKER_STYLE["overdue"])
    assert row.plain.count("◆") == 1
