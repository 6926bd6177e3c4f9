"""Snapshot of every screen of the example project at 80×24 and 120×40, with a fixed today."""

from __future__ import annotations

import pytest

from planner_tui.ui.app import PlannerApp

from .conftest import TODAY, settle


def keys(*pressed: str):
    async def run(pilot) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

    return run


def plan(app_name: str, model_part: str, *pressed: str):
    async def run(pilot) -> None:
        await settle(pilot)
        found = next(p for p in pilot.app.store.plans()
                     if p.app_name == app_name and model_part in p.model_id)
        pilot.app.open_plan(found.id)
        await keys(*pressed)(pilot)

    return run


def frozen_history(app_name: str, model_part: str, *pressed: str):
    """The audit trail records real clock times and the OS user: pin both for a snapshot."""
    async def run(pilot) -> None:
        with pilot.app.store.batch() as db:  # workers may be writing too: take the store's turn
            db.execute("UPDATE audit_log SET at = '2026-11-22T08:00:00Z', actor = 'maria.okafor'")
            db.execute("UPDATE plan_log SET at = '2026-11-22T08:00:00+00:00'")
        await plan(app_name, model_part, *pressed)(pilot)

    return run


SCREENS = {
    "dashboard": keys(),
    "models": keys("m"),
    "model-detail": keys("m", "slash", *"opus", "enter", "enter"),
    "applications": keys("a"),
    "application-detail": keys("a", "enter"),
    "plan-research": plan("Contract Review", "opus-4-1", "left_square_bracket"),
    "plan-rollout": plan("Legal Summaries", "jamba"),
    "plans": keys("p"),
    "history": frozen_history("Legal Summaries", "jamba", "h"),
    "discovered": keys("a", "u"),
    "help": keys("f1"),
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_snapshot(snap_compare, demo_store, screen, size) -> None:
    app = PlannerApp(demo_store, TODAY, label="example project (demo)")
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[screen])
