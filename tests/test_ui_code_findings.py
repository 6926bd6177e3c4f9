"""The plan workspace shows what `scan --app` recorded (#18): Assess lists every place, Update
the files left for the swap item; Tab brings the list into view on a small terminal."""

from __future__ import annotations

import pytest

from planner_tui.ui.app import PlannerApp
from planner_tui.ui.screens.plan import PlanScreen

from .conftest import TODAY
from .screen_states import STATES, TEST, UPDATE, scanned, settle


@pytest.mark.asyncio
async def test_assess_lists_places_and_tab_brings_them_into_view(demo_store) -> None:  # noqa: ANN001
    app = PlannerApp(demo_store, TODAY, label="demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await scanned(*TEST, "left_square_bracket", "left_square_bracket")(pilot)
        assert isinstance(app.screen, PlanScreen)
        places = app.screen.query_one("#code-places")
        text = str(places.render())
        assert "3 places in 2 files (1 resolved) · last scan 2026-11-22" in text
        assert "src/chat/handler.py:88:17  us.anthropic.claude-sonnet-4-5-20250929-v1:0" in text
        assert "✓ config/prod.env:3:18" in text and "resolved 2026-11-22" in text
        panel = app.screen.query_one("#phase-panel")
        assert not panel.region.contains_region(places.region)  # below the fold at 80×24
        for _ in range(6):
            if app.focused is places:
                break
            await pilot.press("tab")
            await settle(pilot)
        assert app.focused is places
        assert panel.region.overlaps(places.region)


@pytest.mark.asyncio
async def test_update_lists_the_files_left_and_nothing_shows_unscanned(demo_store) -> None:  # noqa: ANN001
    app = PlannerApp(demo_store, TODAY, label="demo")
    async with app.run_test(size=(120, 40)) as pilot:
        await STATES["plan-update"].steps(pilot)
        assert not app.screen.query("#code-files")  # never scanned: the panel is as before
        await pilot.press("escape")
        await scanned(*UPDATE)(pilot)
        text = str(app.screen.query_one("#code-files").render())
        assert "Files for 'Swap the model ID or inference profile ID in code and config'" in text
        assert "infra/bedrock.tf  1 place" in text and "src/chat/handler.py  2 places" in text
        assert "config/prod.env" not in text  # resolved by the second scan


@pytest.mark.asyncio
async def test_file_names_from_the_scan_show_as_data_on_one_line(demo_store) -> None:  # noqa: ANN001
    import datetime as dt

    from planner_tui.persistence.repos.code_findings import FoundReference
    from planner_tui.services.commands.code_findings import record_code_scan

    found = next(p for p in demo_store.plans() if p.app_name == TEST[0] and TEST[1] in p.model_id)
    evil = "src/a\nb\x1b[31m[bold]x.py"
    record_code_scan(demo_store, found.app_id, "/srv/x", dt.date(2026, 11, 22), 1, "project",
                     [FoundReference("e", evil, 1, 1, found.model_id, found.model_id, None, True, "Legacy", "note")])
    app = PlannerApp(demo_store, TODAY, label="demo")
    async with app.run_test(size=(120, 40)) as pilot:
        await STATES["plan-assess"].steps(pilot)
        app.open_plan(found.id)
        await settle(pilot)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        text = app.screen.query_one("#code-places").render()
        plain = str(text)
        assert "\x1b" not in plain and "[bold]x.py:1:1" in plain
        assert "src/a b\ufffd[31m[bold]x.py:1:1" in plain.splitlines()[2]
