"""The TUI's calendar export dialog starts from the project's calendar settings (reminders
before each event and before EOL) and writes what its fields say."""

from __future__ import annotations

import os
from pathlib import Path

import icalendar
from textual.widgets import Input

from planner_tui.services.commands.settings import set_calendar_settings
from planner_tui.ui.app import PlannerApp

from .conftest import TODAY, settle


async def test_the_dialog_starts_from_the_settings_and_writes_eol_reminders(demo_store, tmp_path: Path) -> None:
    from planner_tui.ui.export_dialog import ExportCalendarDialog

    set_calendar_settings(demo_store, alarm_days=(14, 2), eol_alarm_days=(120, 60))
    target = tmp_path / "team.ics"
    for size in ((80, 24), (120, 40)):
        app = PlannerApp(demo_store, TODAY)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+e")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, ExportCalendarDialog)
            assert dialog.query_one("#alarms", Input).value == "14,2"
            assert dialog.query_one("#eol-alarms", Input).value == "120,60"
            if os.environ.get("SAVE_SCREENSHOTS"):
                app.save_screenshot(str(Path(os.environ["SAVE_SCREENSHOTS"]) / f"export-{size[0]}x{size[1]}.svg"))
            dialog.query_one("#path", Input).value = str(target)
            dialog.query_one("#eol-alarms", Input).value = "90, 9"
            await settle(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot)
            await app.workers.wait_for_complete()
            assert not isinstance(app.screen, ExportCalendarDialog)
        triggers = {str(e["SUMMARY"]): [-a["TRIGGER"].dt.days for a in e.walk("VALARM")]
                    for e in icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")}
        assert {tuple(v) for s, v in triggers.items() if s.startswith("EOL: ")} == {(90, 9)}
        assert {tuple(v) for s, v in triggers.items() if not s.startswith("EOL: ")} == {(14, 2)}
        target.unlink()


async def test_an_owners_or_teams_calendar_from_the_dialog(demo_store, tmp_path: Path) -> None:
    """As `export ics --owner` / `--team`: the count says what it writes; an unknown name is
    one red line and no export."""
    from textual.widgets import Button, Static

    from planner_tui.ui.export_dialog import ExportCalendarDialog

    target = tmp_path / "raman.ics"
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportCalendarDialog)
        assert dialog.query_one("#owners", Input).placeholder == "ana.costa, dev.raman"
        dialog.query_one("#owners", Input).value = "Nobody"
        await settle(pilot)
        assert "no application has the owner 'Nobody'" in str(dialog.query_one("#count", Static).render())
        assert dialog.query_one("#export", Button).disabled
        dialog.query_one("#owners", Input).value = "DEV.RAMAN"
        dialog.query_one("#teams", Input).value = "legal tech"
        await settle(pilot)
        assert str(dialog.query_one("#count", Static).render()).startswith("22 events will be written")
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await app.workers.wait_for_complete()
    events = icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert len(events) == 22 and all("Contract Review" in str(e["SUMMARY"]) or "Legal Summaries" in str(e["SUMMARY"])
                                     or not str(e["SUMMARY"]).count(" × ") for e in events)
