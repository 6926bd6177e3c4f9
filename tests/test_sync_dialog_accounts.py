"""The sync dialog for every account of the organization (#17): one progress row per account,
the accounts' failures one line each, the others' results kept; CloudTrail's callers read
unless unchecked, the new ones counted. Through the local stand-in."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Label

from planner_tui.services.project import open_project
from planner_tui.ui.app import PlannerApp

from .conftest import TODAY
from .fake_cloudtrail import Call, FakeCloudTrail, FakeTrail
from .sync_dialog_pilot import run_sync_dialog, summary
from .test_sync_accounts import DENIED, aws  # noqa: F401 - the stand-in fixture

__all__ = ["aws"]


async def test_the_sync_dialog_syncs_every_account(aws, db_path: Path, tmp_path: Path) -> None:  # noqa: F811
    store = open_project(db_path)
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await run_sync_dialog(pilot, "us-east-1,us-west-2", org=True, only=("discovery", "callers"))
        if shots := os.environ.get("PLANNER_SCREENSHOTS"):
            app.save_screenshot(str(Path(shots) / "sync-accounts.svg"))
        text = summary(dialog)
        assert "Sync partial: 19 of 20 account(s), 37 of 40 Region(s)." in text
        assert f"team-03 ({DENIED}): the role OrganizationAccountAccessRole cannot be assumed" in text
        assert len(dialog.query(".region-progress")) == 20  # one row per account
        assert str(dialog.query_one("#state-account-2", Label).render()) == "failed"
        assert str(dialog.query_one("#state-account-0", Label).render()) == "done"
    store.close()


async def test_profile_and_org_together_is_one_clear_line(db_path: Path) -> None:
    store = open_project(db_path)
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await run_sync_dialog(pilot, "", profile="a,b", org=True)
        assert "not both" in summary(dialog)
    store.close()


def profiles(tmp_path: Path, monkeypatch, **accounts: str) -> None:  # noqa: ANN001
    """A credentials file with a profile per account (the stand-in reads the account from the key)."""
    credentials = tmp_path / "credentials"
    credentials.write_text("".join(f"[{name}]\naws_access_key_id = AKIA{account}\n"
                                   f"aws_secret_access_key = s{account}\n\n" for name, account in accounts.items()))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))


async def test_profiles_each_get_a_row_that_follows_their_progress(aws, db_path: Path, tmp_path: Path,  # noqa: F811
                                                                    monkeypatch) -> None:
    from .test_sync_accounts import IDS, TUNED

    profiles(tmp_path, monkeypatch, payments=TUNED, search=IDS[10])
    store = open_project(db_path)
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await run_sync_dialog(pilot, "us-east-1,us-west-2", profile="payments,search",
                                       only=("discovery", "callers"), seconds=10)
        assert dialog.regions == ["payments", "search"]
        # Each account's Regions reported their progress on its row as they finished.
        assert dialog.parts == {"payments": {"us-east-1": 1.0, "us-west-2": 1.0},
                                "search": {"us-east-1": 1.0, "us-west-2": 1.0}}
        assert summary(dialog).startswith("Sync complete: 2 of 2 account(s), 4 of 4 Region(s).")
    store.close()


# -- CloudTrail's callers: a part of the sync of its own (#17) ------------------------------


def trails() -> FakeCloudTrail:
    """Calls of the last days (the dialog's sync reads 90 days back from now): two callers in
    one account's us-east-1, one in another's."""
    from .test_sync_accounts import DR, OPUS_41, PROD, SONNET_45

    ago = datetime.now(UTC) - timedelta(days=2)
    api, dr = f"arn:aws:iam::{PROD}:role/checkout-api", f"arn:aws:iam::{DR}:role/checkout-dr"
    return FakeCloudTrail({PROD: FakeTrail({"us-east-1": [Call(ago, api, SONNET_45), Call(ago, api, OPUS_41)]}),
                           DR: FakeTrail({"us-east-1": [Call(ago, dr, SONNET_45)]})})


async def test_the_sync_dialog_reads_callers_and_says_how_many_are_new(aws, db_path: Path, tmp_path: Path,  # noqa: F811
                                                                        monkeypatch) -> None:
    from .test_sync_accounts import DR, PROD

    aws.cloudtrail = trails()
    profiles(tmp_path, monkeypatch, prod=PROD, dr=DR)
    store = open_project(db_path)
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await run_sync_dialog(pilot, "us-east-1,us-west-2", profile="prod,dr", only=("discovery", "callers"))
        text = summary(dialog)
        assert text.startswith("Sync complete: 2 of 2 account(s), 4 of 4 Region(s).")
        assert "CloudTrail: 3 new caller(s) of Bedrock models: the Discovered screen (Applications, u) lists them " \
               "to accept." in text
        # the same again: nothing new
        await pilot.press("escape")
        dialog = await run_sync_dialog(pilot, "us-east-1", profile="prod", only=("discovery", "callers"))
        assert "CloudTrail: 0 new caller(s) of Bedrock models." in summary(dialog)
    assert len(store.callers()) == 3
    store.close()


async def test_unchecking_callers_reads_no_cloudtrail(aws, db_path: Path, tmp_path: Path,  # noqa: F811
                                                      monkeypatch) -> None:
    from .test_sync_accounts import PROD

    aws.cloudtrail = trails()
    profiles(tmp_path, monkeypatch, prod=PROD)
    store = open_project(db_path)
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await run_sync_dialog(pilot, "us-east-1,us-west-2", profile="prod", only=("discovery",))
        text = summary(dialog)
        assert text.startswith("Sync complete: 2 of 2 Region(s).") and "CloudTrail" not in text
    assert not aws.cloudtrail.requests  # not one LookupEvents call
    assert "cloudtrail" not in {service for (_, _, service) in aws.calls}
    assert not store.callers() and not store.caller_scans()
    store.close()
