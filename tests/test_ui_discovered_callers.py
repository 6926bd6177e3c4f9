"""The Discovered screen lists the principals CloudTrail saw calling a model that no
application has taken (#17): Source cloudtrail, `s` to show them alone, Enter/a to assign
one (the application and the environment; its model becomes a dependency in its Region and
account), Ctrl+Z to take it back, x to dismiss; an unknown model is refused in one line."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input, Select, Static

from planner_tui.ui.app import PlannerApp
from planner_tui.ui.screens.discovered import DiscoveredScreen

from .conftest import TODAY, settle

SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
NOTEBOOKS = "arn:aws:sts::111122223333:assumed-role/data-science-notebooks/jdoe"  # the example's


def rows(app: PlannerApp) -> list[list[str]]:
    table = app.screen.query_one("#discovered", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def note(app: PlannerApp) -> str:
    return str(app.screen.query_one("#discovered-note", Static).render())


async def open_discovered(pilot) -> DiscoveredScreen:  # noqa: ANN001
    await settle(pilot)
    pilot.app.push_screen(DiscoveredScreen())
    await settle(pilot)
    assert isinstance(pilot.app.screen, DiscoveredScreen)
    return pilot.app.screen


def recorded_notes(app: PlannerApp) -> list[str]:
    """Every notification the app shows from now on, as text."""
    notes: list[str] = []
    original = app.notify
    app.notify = lambda message, **kw: (notes.append(str(message)), original(message, **kw))[1]  # type: ignore[method-assign]
    return notes


async def highlight(pilot, name: str) -> None:  # noqa: ANN001
    table = pilot.app.screen.query_one("#discovered", DataTable)
    table.move_cursor(row=next(i for i, row in enumerate(rows(pilot.app)) if row[5] == name))
    await settle(pilot)


async def test_callers_beside_the_resources_and_the_source_filter(demo_store) -> None:  # noqa: ANN001
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_discovered(pilot)
        table = screen.query_one("#discovered", DataTable)
        assert [str(c.label) for c in table.ordered_columns][:2] == ["Source", "Region"]
        callers = {row[5]: row for row in rows(app) if row[0] == "cloudtrail"}
        assert set(callers) == {"data-science-notebooks", "qa-bot", "nightly-report"}  # not the assigned two
        assert callers["data-science-notebooks"][1:5] == ["us-east-1", "caller", SONNET_45, "Legacy"]
        assert callers["data-science-notebooks"][6] == NOTEBOOKS
        assert callers["nightly-report"][4] == "unknown model"
        resources = {row[5]: row for row in rows(app) if row[0] == "aws"}  # flagged as the callers are
        assert [resources[name][4] for name in ("qa-bot-tagging", "eu-support-pt", "weekly-summaries")] == [
            "PEA", "Legacy", "Legacy"]
        assert "3 callers CloudTrail saw wait for an application." in note(app)
        await highlight(pilot, "data-science-notebooks")
        detail = str(screen.query_one("#discovered-detail", Static).render())
        assert f"{NOTEBOOKS} called {SONNET_45} in us-east-1, account fernhill-prod (111122223333): 1,240 calls" \
               in detail
        assert screen.check_action("filter_source", ()) is True
        await pilot.press("s")
        await settle(pilot)
        assert {r[0] for r in rows(app)} == {"aws"}
        assert "Showing the AWS sync's resources only (3); s shows CloudTrail's callers only." in note(app)
        await pilot.press("s")  # no place in code: straight to the callers
        await settle(pilot)
        assert {r[0] for r in rows(app)} == {"cloudtrail"}
        assert "Showing CloudTrail's callers only (3); s shows every source." in note(app)
        await pilot.press("s")
        await settle(pilot)
        assert {r[0] for r in rows(app)} == {"aws", "cloudtrail"}


async def test_assign_a_caller_with_its_environment_and_ctrl_z_takes_it_back(demo_store) -> None:  # noqa: ANN001
    app_id = demo_store.application("Ops Chatbot").id
    before = sorted((d.model_id, d.region, d.environment) for d in demo_store.dependencies(app_id))
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_discovered(pilot)
        notes = recorded_notes(app)
        await highlight(pilot, "data-science-notebooks")
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#field-app", Select).value = str(app_id)
        dialog.query_one("#field-environment", Input).value = "analytics"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DiscoveredScreen)
        added = [d for d in demo_store.dependencies(app_id) if d.environment == "analytics"]
        assert [(d.model_id, d.region, d.account_id, d.account_name) for d in added] == [
            (SONNET_45, "us-east-1", "111122223333", "fernhill-prod")]
        assert f"Ops Chatbot uses {SONNET_45} in us-east-1 now, as data-science-notebooks calls it." in notes
        assert "data-science-notebooks" not in [r[5] for r in rows(app)]
        assert "2 callers CloudTrail saw wait for an application." in note(app)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert sorted((d.model_id, d.region, d.environment) for d in demo_store.dependencies(app_id)) == before
        assert "data-science-notebooks" in [r[5] for r in rows(app)]


async def test_an_unknown_model_is_refused_and_x_dismisses_undoably(demo_store) -> None:  # noqa: ANN001
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_discovered(pilot)
        notes = recorded_notes(app)
        await highlight(pilot, "nightly-report")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, DiscoveredScreen)  # no dialog: nothing it could become
        (refusal,) = [n for n in notes if "does not know this model" in n]
        assert "anthropic.claude-instant-v1" in refusal and "\n" not in refusal
        await highlight(pilot, "qa-bot")
        await pilot.press("x")
        await settle(pilot)
        assert "qa-bot" not in [r[5] for r in rows(app)]
        assert any(c.dismissed for c in demo_store.callers() if "qa-bot" in c.principal_arn)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "qa-bot" in [r[5] for r in rows(app)]


async def test_a_principal_from_aws_is_shown_as_data(demo_store) -> None:  # noqa: ANN001
    evil = "arn:aws:iam::111122223333:role/[bold]ops\x1b[31m\nx"
    demo_store.record_callers("111122223333", "", "us-east-1", dt.datetime(2026, 8, 1, tzinfo=dt.UTC),
                              dt.datetime(2026, 11, 22, tzinfo=dt.UTC), dt.datetime(2026, 11, 22, tzinfo=dt.UTC), 1,
                              0, [_record(evil)])
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_discovered(pilot)
        (row,) = [r for r in rows(app) if r[0] == "cloudtrail" and "ops" in r[6]]
        assert "\x1b" not in "".join(row) and "[bold]" in row[6]
        await highlight(pilot, row[5])
        detail = str(app.screen.query_one("#discovered-detail", Static).render())
        assert "\x1b" not in detail and "[bold]ops" in detail


def _record(principal: str):  # noqa: ANN202
    from planner_tui.persistence.repos.callers import CallerRecord

    seen = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    return CallerRecord(account_id="111122223333", account_name="", region="us-east-1", principal_arn=principal,
                        model_written=SONNET_45, model_id=SONNET_45, profile_id="", variant="", known=True, calls=1,
                        errors=0, first_seen=seen, last_seen=seen)


async def test_narrow_the_resource_column_gives_way_to_the_model(demo_store) -> None:  # noqa: ANN001
    """At 80 columns the ARN column (cut to the same prefix on every row) is left out, the detail
    line gives it in full, and the model gets the room; wider, it comes back."""
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_discovered(pilot)
        table = screen.query_one("#discovered", DataTable)
        assert [str(c.label) for c in table.ordered_columns] == ["Source", "Region", "Kind", "Model", "Flag",
                                                                 "Name"]
        await highlight(pilot, "data-science-notebooks")
        assert NOTEBOOKS in str(screen.query_one("#discovered-detail", Static).render())
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert [str(c.label) for c in table.ordered_columns][-1] == "Resource"
        assert NOTEBOOKS in [r[6] for r in rows(app)]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "Resource" not in [str(c.label) for c in table.ordered_columns]
