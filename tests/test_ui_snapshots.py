"""Snapshot of every screen, phase tab and dialog of the example project (tests/screen_states.py)
at 80×24 and 120×40, with a fixed today; and the read-only review."""

from __future__ import annotations

import pytest

from planner_tui.persistence.store import ProjectStore
from planner_tui.ui.app import PlannerApp

from .conftest import TODAY
from .screen_states import STATES


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("screen", list(STATES))
def test_screen_snapshot(snap_compare, demo_store, screen, size) -> None:
    state = STATES[screen]
    store = demo_store
    if state.read_only:
        demo_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store = ProjectStore.open(demo_store.path, read_only=True)
    try:
        app = PlannerApp(store, TODAY, label="example project (demo)")
        assert snap_compare(app, terminal_size=size, run_before=state.steps)
    finally:
        if store is not demo_store:
            store.close()
