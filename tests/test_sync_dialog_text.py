"""The sync dialog shows what AWS (or a typed Region) says as data: no control character
reaches the screen from a failure, a Region's progress message or the summary."""

from __future__ import annotations

from textual.widgets import Label, Static

from planner_tui.ui.app import PlannerApp
from planner_tui.ui.sync_dialog import SyncDialog

from .conftest import TODAY, settle

HOSTILE = "boom \x1b]52;c;aGk=\x07 \x1b[2J \x9b31m"


def has_control(text: str) -> bool:
    return any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in text)


async def test_sync_messages_from_aws_are_shown_inert(store) -> None:
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        dialog = SyncDialog()
        app.push_screen(dialog)
        await settle(pilot)
        dialog.regions = ["us-east-1"]
        dialog.finished_regions = set()
        await dialog.query_one("#progress").mount(Label("", id="state-us-east-1"))
        dialog._show_progress("us-east-1", 0.5, HOSTILE)
        dialog._failed(f"Sync failed: {HOSTILE}")
        await settle(pilot)
        summary = str(dialog.query_one("#sync-summary", Static).render())
        state = str(dialog.query_one("#state-us-east-1", Label).render())
        assert "boom" in summary and not has_control(summary)
        assert not has_control(state)
