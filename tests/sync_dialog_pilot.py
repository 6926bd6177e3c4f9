"""Driving the sync dialog in a pilot test: open it, fill it, start it and wait for the end."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static

from planner_tui.ui.sync_dialog import SyncDialog

from .conftest import settle

PARTS = ("discovery", "usage", "health", "callers")  # the dialog's checkboxes


async def open_sync_dialog(pilot: Pilot) -> SyncDialog:
    await settle(pilot)
    pilot.app.action_sync()
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, SyncDialog)
    return dialog


async def run_sync_dialog(pilot: Pilot, regions: str, profile: str = "", org: bool = False,
                          only: tuple[str, ...] = ("discovery",), seconds: float = 15) -> SyncDialog:
    """The dialog opened, filled (the parts in `only` checked, the others not), started, and
    its summary once the sync has ended."""
    dialog = await open_sync_dialog(pilot)
    dialog.query_one("#profile", Input).value = profile
    dialog.query_one("#regions", Input).value = regions
    dialog.query_one("#org", Checkbox).value = org
    for part in PARTS:
        dialog.query_one(f"#{part}", Checkbox).value = part in only
    await pilot.click("#start")
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)
        if not dialog.running:
            break
    await settle(pilot)
    assert not dialog.running
    return dialog


def summary(dialog: SyncDialog) -> str:
    return str(dialog.query_one("#sync-summary", Static).render())
