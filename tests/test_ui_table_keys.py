"""Home and End in a list go to its first and last row, as in any list people know."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from planner_tui.ui.app import PlannerApp

from .conftest import TODAY, settle


async def test_home_and_end_move_the_cursor_to_the_first_and_last_application(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        table = app.screen.focused
        assert isinstance(table, DataTable) and table.row_count > 2
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0


async def test_end_in_the_plans_list_goes_to_the_last_plan_however_many_pages_away(demo_store, monkeypatch) -> None:
    from planner_tui.ui.screens import plans

    monkeypatch.setattr(plans, "PAGE", 5)  # the demo's 10 plans: two pages
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p")
        await settle(pilot)
        table = app.screen.query_one("#all-plans", DataTable)
        assert table.row_count == 5
        await pilot.press("end")
        await settle(pilot)
        assert table.row_count == 10 and table.cursor_row == 9
        await pilot.press("home")
        assert table.cursor_row == 0


async def test_home_and_end_in_the_plans_filter_move_within_the_text(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("slash", *"claude", "home")
        field = app.screen.focused
        assert isinstance(field, Input) and field.cursor_position == 0
        await pilot.press("end")
        assert app.screen.focused is field and field.cursor_position == len("claude")
