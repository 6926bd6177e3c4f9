"""The Discovered screen flags resources on a model past EOL as an outage, and shows unknown
models with the ID AWS gave and what it may have meant (#22)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from textual.widgets import DataTable, Static

from planner_tui.domain.aws_records import DiscoveredResource, ResourceKind
from planner_tui.ui.app import PlannerApp
from planner_tui.ui.screens.discovered import DiscoveredScreen

from .conftest import TODAY, settle
from .screen_states import forget_callers

HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0"
ACCOUNT_ARN = "arn:aws:bedrock:us-east-1:111122223333:"


def add_findings(store) -> None:
    seen = dt.datetime(2026, 11, 22, 7, 0, tzinfo=dt.UTC)
    store.record_discovered([
        DiscoveredResource(region="us-east-1", kind=ResourceKind.CUSTOM_MODEL,
                           resource_id=ACCOUNT_ARN + f"custom-model/{HAIKU_3}:200k/claims7x2",
                           name="claims-haiku", model_id=HAIKU_3, raw_model_id=f"{HAIKU_3}:200k",
                           variant="200k context"),
        DiscoveredResource(region="us-east-1", kind=ResourceKind.BATCH_JOB,
                           resource_id=ACCOUNT_ARN + "model-invocation-job/nightly1", name="nightly",
                           model_id="anthropic.claude-3-haiku-20240307-v9:0",
                           raw_model_id="anthropic.claude-3-haiku-20240307-v9:0", detail="Completed"),
    ], seen)


async def test_outage_and_unknown_model_on_the_discovered_screen(demo_store) -> None:
    forget_callers(demo_store)  # the columns of the sync's resources alone
    add_findings(demo_store)
    app = PlannerApp(demo_store, TODAY)
    for size in ((120, 40), (80, 24)):
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            app.push_screen(DiscoveredScreen())
            await settle(pilot)
            note = str(app.screen.query_one("#discovered-note", Static).render())
            assert "1 on a model past EOL: an outage, calls to it fail already." in note
            table = app.screen.query_one("#discovered", DataTable)
            rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
            custom = next(r for r in rows if r[4] == "claims-haiku")
            assert custom[2] == f"{HAIKU_3} (200k context)" and custom[3] == "OUTAGE: past EOL"
            job = next(r for r in rows if r[4] == "nightly")
            assert job[3] == "unknown model"
            assert job[2] == f"unknown model anthropic.claude-3-haiku-20240307-v9:0; did you mean {HAIKU_3}?"
            if os.environ.get("PLANNER_SCREENSHOTS"):
                app.save_screenshot(str(Path(os.environ["PLANNER_SCREENSHOTS"]) / f"discovered-{size[0]}.svg"))
            # Assigning the unknown one says what was meant, in one line, and assigns nothing.
            table.move_cursor(row=rows.index(job))
            await pilot.press("a")
            await settle(pilot)
            await pilot.press("enter")  # the only application offered? choose the first
            await settle(pilot)
        app = PlannerApp(demo_store, TODAY)
    assert not any(d.resource_id.endswith("nightly1") for d in demo_store.dependencies())


async def test_account_column_and_filter(demo_store) -> None:
    from textual.widgets import Select

    forget_callers(demo_store)
    seen = dt.datetime(2026, 11, 22, 7, 0, tzinfo=dt.UTC)
    demo_store.record_discovered([
        DiscoveredResource(region="us-east-1", kind=ResourceKind.CUSTOM_MODEL, account_id=account,
                           account_name=name, resource_id=f"arn:aws:bedrock:us-east-1:{account}:custom-model/x",
                           name=f"{name}-model", model_id=HAIKU_3)
        for account, name in (("100000000001", "payments"), ("100000000002", "search"))], seen)
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(DiscoveredScreen())
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#discovered", DataTable)
        assert str(table.ordered_columns[0].label) == "Account"
        accounts = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert {"payments (100000000001)", "search (100000000002)", "fernhill-prod (111122223333)"} <= accounts
        assert screen.check_action("filter_account", ()) is True
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one(Select).value = "100000000002"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DiscoveredScreen)
        assert [str(table.get_row_at(i)[5]) for i in range(table.row_count)] == ["search-model"]
        assert "Showing account search (100000000002) only (1)" in str(
            screen.query_one("#discovered-note", Static).render())
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one(Select).value = "*"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert table.row_count == 5


async def test_no_account_filter_with_one_account(demo_store) -> None:
    forget_callers(demo_store)
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(DiscoveredScreen())
        await settle(pilot)
        assert app.screen.check_action("filter_account", ()) is False  # not in the footer either
        assert str(app.screen.query_one("#discovered", DataTable).ordered_columns[0].label) == "Region"
