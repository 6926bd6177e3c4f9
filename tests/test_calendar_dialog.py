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
