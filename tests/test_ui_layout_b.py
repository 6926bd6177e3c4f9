"""Screens fit the terminal: nothing cut off at 80×24, columns grow at 200×60."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from planner_tui.ui.app import PlannerApp
from planner_tui.ui.widgets.table import Table, fitted_widths
from planner_tui.ui.widgets.timeline import TimelineChart

from .conftest import TODAY, settle


def fits(table: Table) -> bool:
    """Every column in sight: nothing to scroll sideways to."""
    return table.virtual_size.width <= table.scrollable_content_region.width


def cells(table: Table, column: int) -> list[str]:
    return [str(table.get_row_at(row)[column]) for row in range(table.row_count)]


def drawn_lines(chart: TimelineChart) -> list[str]:
    return chart.render().plain.split("\n")


async def test_dashboard_at_80x24_shows_progress_apps_and_the_legend(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        plans = app.screen.query_one("#plans", Table)
        milestones = app.screen.query_one("#milestones", Table)
        assert fits(plans) and fits(milestones)
        progress = plans.ordered_columns[-1]
        assert str(progress.label) == "Progress" and progress.auto_width  # shown whole
        apps = milestones.ordered_columns[-1]
        assert str(apps.label) == "Apps" and apps.auto_width
        chart = app.screen.query_one(TimelineChart)
        lines = drawn_lines(chart)
        assert all(cell_len(line.rstrip()) <= chart.size.width for line in lines)
        legend = " ".join(lines[-2:])
        assert "today" in legend and "phase due" in legend and "on track" in legend


async def test_a_column_cut_to_fit_ends_in_an_ellipsis(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        models = app.screen.query_one("#models", Table)
        assert fits(models)
        model_id = models.ordered_columns[-1]
        assert not model_id.auto_width and model_id.width < model_id.content_width
        line = models.render_line(1).text  # the first row as drawn
        assert "…" in line


async def test_at_200x60_names_are_whole_and_columns_take_the_room(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        chart = app.screen.query_one(TimelineChart)
        assert any(line.startswith("Llama 3.3 70B Instruct ") for line in drawn_lines(chart))
        for table in app.screen.query(Table):
            assert all(column.auto_width for column in table.ordered_columns), table.id
        await pilot.press("m")
        await settle(pilot)
        models = app.screen.query_one("#models", Table)
        assert all(column.auto_width for column in models.ordered_columns)
        assert "Llama 3.3 70B Instruct" in cells(models, 0)


@pytest.mark.parametrize("width", [80, 120])
async def test_columns_grow_back_when_the_terminal_widens(demo_store, width) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        models = app.screen.query_one("#models", Table)
        narrow = [c.get_render_width(models) for c in models.ordered_columns]
        await pilot.resize_terminal(220, 30)
        await settle(pilot)
        wide = [c.get_render_width(models) for c in models.ordered_columns]
        assert all(c.auto_width for c in models.ordered_columns)
        assert sum(wide) >= sum(narrow) and fits(models)


def test_fitted_widths_cut_the_widest_first_and_keep_minimums() -> None:
    assert fitted_widths([10, 30, 5], [10, 8, 5], 100) == [10, 30, 5]  # room: natural widths
    widths = fitted_widths([20, 40, 10], [8, 8, 10], 50)
    assert sum(widths) == 50 and widths[2] == 10 and widths[1] >= widths[0]
    assert fitted_widths([20, 20], [15, 15], 10) == [15, 15]  # never under the minimum


async def test_research_candidates_show_rows_at_80x24(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        plan = next(p for p in demo_store.plans(with_items=False)
                    if p.app_name == "SQL Assistant" and "llama3-3" in p.model_id)  # in Research
        app.open_plan(plan.id)
        await settle(pilot)
        panel = app.screen.query_one("#phase-panel")
        table = app.screen.query_one("#candidates", Table)
        visible = table.region.intersection(panel.region)
        assert visible.height >= 4  # the header and candidates, not the header alone
        assert fits(table)


def test_the_timeline_legend_breaks_between_bands_and_markers() -> None:
    """Too long for one line, the legend puts the bands on one and the phase-due markers on
    the next: never one marker alone on a line of its own (120 columns did)."""
    from planner_tui.ui.widgets.timeline import TimelineChart as Timeline

    (one,) = Timeline._legend(200, 20)
    assert "today" in one.plain and "on track" in one.plain
    bands, markers = Timeline._legend(116, 20)
    assert bands.plain.startswith(" " * 21) and bands.plain.rstrip().endswith("today")
    assert markers.plain.lstrip().startswith("◆ phase due:") and markers.plain.rstrip().endswith("on track")
    narrow = Timeline._legend(78, 20)
    assert [line.plain.split()[0] for line in narrow] == ["Active", "◆"]  # from the left edge, not cut
    assert all(line.cell_len <= 78 for line in narrow)
