"""The model detail shows who calls the model (CloudTrail), read in its worker: account,
Region, calls, last call, the idle flag; a principal ARN from AWS is shown as data."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Static

from planner_tui.domain.callers import CallerCount
from planner_tui.integrations.aws.cloudtrail import CallerScan
from planner_tui.services.commands.callers import record_caller_scan
from planner_tui.ui.app import PlannerApp
from planner_tui.ui.screens.models import ModelDetailScreen

from .conftest import TODAY
from .screen_states import callers, forget_callers, settle

OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"


def rendered(app: PlannerApp) -> str:
    return str(app.screen.query_one("#callers", Static).render())


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_model_detail_lists_callers_with_the_idle_flag(demo_store, size) -> None:  # noqa: ANN001
    app = PlannerApp(demo_store, TODAY, label="demo")
    async with app.run_test(size=size) as pilot:
        await callers(OPUS_41)(pilot)
        assert isinstance(app.screen, ModelDetailScreen)
        text = rendered(app)
        assert "#1 prod-payments (111122223333) us-east-1: 18,420 calls, last 2026-11-21 · PEA" in text
        assert f"via us.{OPUS_41}" in text
        assert "dr (444455556666) us-west-2: 12 calls, last 2026-10-30 · idle PEA" in text
        assert "3 caller(s)" in text
        # the dependencies in us-west-2 last called 23 days ago: idle (the model is in PEA there)
        assert "Ops Chatbot in us-west-2 (dr): idle Legacy: last call 2026-10-30 (23 days ago, CloudTrail)" in text
        dependents = app.screen.query_one("#dependents")
        flags = {(str(dependents.get_row_at(r)[0]), str(dependents.get_row_at(r)[1])): str(dependents.get_row_at(r)[5])
                 for r in range(dependents.row_count)}
        assert flags[("Ops Chatbot", "us-west-2")] == "idle PEA" and flags[("Contract Review", "us-east-1")] == ""
        callers_widget = app.screen.query_one("#callers")
        assert app.screen.query_one("VerticalScroll").region.overlaps(callers_widget.region)


@pytest.mark.asyncio
async def test_model_detail_without_callers_says_how_to_get_them(demo_store) -> None:  # noqa: ANN001
    forget_callers(demo_store)
    app = PlannerApp(demo_store, TODAY, label="demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ModelDetailScreen(OPUS_41))
        await settle(pilot)
        assert "cloudtrail:LookupEvents" in rendered(app)


@pytest.mark.asyncio
async def test_a_principal_arn_from_aws_is_shown_as_data(demo_store) -> None:  # noqa: ANN001
    hostile = "arn:aws:iam::1:role/[bold red]x[/]\x1b]52;c;aGk=\x07\x1b[2J"
    stamp = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    scan = CallerScan("111122223333", "[link=http://x]n[/link]", "us-east-1", stamp - dt.timedelta(days=90), stamp,
                      callers=[CallerCount("111122223333", "[link=http://x]n[/link]", "us-east-1", hostile, OPUS_41,
                                           3, stamp, stamp)])
    record_caller_scan(demo_store, scan, stamp)
    app = PlannerApp(demo_store, TODAY, label="demo")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(ModelDetailScreen(OPUS_41))
        await settle(pilot)
        text = rendered(app)
        assert "role/[bold red]x[/]" in text and "[link=http://x]n[/link]" in text
        assert "\x1b" not in text and "\x07" not in text
