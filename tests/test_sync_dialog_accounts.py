"""The sync dialog for every account of the organization (#17): one progress row per account,
the accounts' failures one line each, the others' results kept. Through the local stand-in."""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import Checkbox, Input, Label, Static

from planner_tui.services.project import open_project
from planner_tui.ui.app import PlannerApp

from .conftest import TODAY, settle
from .test_sync_accounts import DENIED, aws  # noqa: F401 - the stand-in fixture

__all__ = ["aws"]


async def test_the_sync_dialog_syncs_every_account(aws, db_path: Path, tmp_path: Path) -> None:  # noqa: F811
    from planner_tui.ui.sync_dialog import SyncDialog

    store = open_project(db_path)
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_sync()
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SyncDialog)
        dialog.query_one("#regions", Input).value = "us-east-1,us-west-2"
        dialog.query_one("#org", Checkbox).value = True
        for box in ("#usage", "#health"):
            dialog.query_one(box, Checkbox).value = False
        await pilot.click("#start")
        for _ in range(300):
            await pilot.pause(0.05)
            if not dialog.running:
                break
        await settle(pilot)
        if shots := os.environ.get("PLANNER_SCREENSHOTS"):
            app.save_screenshot(str(Path(shots) / "sync-accounts.svg"))
        assert not dialog.running
        summary = str(dialog.query_one("#sync-summary", Static).render())
        assert "Sync partial: 19 of 20 account(s), 37 of 40 Region(s)." in summary
        assert f"team-03 ({DENIED}): the role OrganizationAccountAccessRole cannot be assumed" in summary
        assert len(dialog.query(".region-progress")) == 20  # one row per account
        assert str(dialog.query_one("#state-account-2", Label).render()) == "failed"
        assert str(dialog.query_one("#state-account-0", Label).render()) == "done"
    store.close()


async def test_profile_and_org_together_is_one_clear_line(db_path: Path) -> None:
    from planner_tui.ui.sync_dialog import SyncDialog

    store = open_project(db_path)
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_sync()
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SyncDialog)
        dialog.query_one("#profile", Input).value = "a,b"
        dialog.query_one("#org", Checkbox).value = True
        await pilot.click("#start")
        await settle(pilot)
        assert not dialog.running
        assert "not both" in str(dialog.query_one("#sync-summary", Static).render())
    store.close()


async def test_profiles_each_get_a_row_that_follows_their_progress(aws, db_path: Path, tmp_path: Path,  # noqa: F811
                                                                    monkeypatch) -> None:
    from planner_tui.ui.sync_dialog import SyncDialog

    from .test_sync_accounts import IDS, TUNED

    credentials = tmp_path / "credentials"
    credentials.write_text("".join(f"[{name}]\naws_access_key_id = AKIA{account}\n"
                                   f"aws_secret_access_key = s{account}\n\n"
                                   for name, account in (("payments", TUNED), ("search", IDS[10]))))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    store = open_project(db_path)
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_sync()
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SyncDialog)
        dialog.query_one("#profile", Input).value = "payments,search"
        dialog.query_one("#regions", Input).value = "us-east-1,us-west-2"
        for box in ("#usage", "#health"):
            dialog.query_one(box, Checkbox).value = False
        await pilot.click("#start")
        for _ in range(200):
            await pilot.pause(0.05)
            if not dialog.running:
                break
        await settle(pilot)
        assert dialog.regions == ["payments", "search"]
        # Each account's Regions reported their progress on its row as they finished.
        assert dialog.parts == {"payments": {"us-east-1": 1.0, "us-west-2": 1.0},
                                "search": {"us-east-1": 1.0, "us-west-2": 1.0}}
        summary = str(dialog.query_one("#sync-summary", Static).render())
        assert summary.startswith("Sync complete: 2 of 2 account(s), 4 of 4 Region(s).")
    store.close()
