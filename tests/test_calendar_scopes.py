"""Issue #19: `export ics --owner/--team`, and reminders that follow the project's calendar
settings (`settings calendar`), EOL milestones with their own lead times."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from planner_tui.cli import main
from planner_tui.domain.models import Application, Dependency
from planner_tui.domain.settings import CalendarSettings
from planner_tui.errors import UserInputError
from planner_tui.integrations.calendar.events import ExportScope
from planner_tui.integrations.calendar.ics import export_calendar
from planner_tui.services.commands.settings import set_calendar_settings

from .conftest import TODAY

NOW = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"


def summaries(data: bytes) -> list[str]:
    return [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]


def triggers(data: bytes) -> dict[str, list[int]]:
    return {str(e["SUMMARY"]): [-a["TRIGGER"].dt.days for a in e.walk("VALARM")]
            for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def _portfolio(store) -> None:
    for name, owner, team in (("Checkout", "Dana Reviewer", "Payments"), ("Refunds", "dana reviewer ", "Payments"),
                              ("Search", "Lee", "Discovery")):
        store.add_application(Application(name=name, owner=owner, team=team), [
            Dependency(app_id=0, model_id=OPUS_41, region="us-east-1")], today=TODAY)


def test_owner_and_team_scopes(store) -> None:
    _portfolio(store)

    def apps_in(scope: ExportScope) -> set[str]:
        data = export_calendar(store, None, TODAY, scope, now=NOW).data
        plan = [s for s in summaries(data) if " due: " in s]
        return {s.split(": ", 1)[1].split(" × ")[0] for s in plan}

    # An owner is matched whatever the case and spaces around it.
    assert apps_in(ExportScope(owners=("DANA REVIEWER",))) == {"Checkout", "Refunds"}
    assert apps_in(ExportScope(teams=("discovery",))) == {"Search"}
    assert apps_in(ExportScope(owners=("Lee", "Dana Reviewer"))) == {"Checkout", "Refunds", "Search"}
    # Each selector given narrows: Dana's applications of team Payments named Refunds.
    assert apps_in(ExportScope(owners=("Dana Reviewer",), teams=("Payments",), apps=("refunds",))) == {"Refunds"}
    # The EOL of the model those applications use comes with them, listing all three.
    data = export_calendar(store, None, TODAY, ExportScope(teams=("Discovery",)), now=NOW).data
    assert any(s.startswith("EOL: Claude Opus 4.1") for s in summaries(data))
    with pytest.raises(UserInputError, match="no application has the owner 'Nobody'"):
        export_calendar(store, None, TODAY, ExportScope(owners=("Nobody",)), now=NOW)
    with pytest.raises(UserInputError, match="no application matches --owner 'Lee' and --team 'Payments'"):
        export_calendar(store, None, TODAY, ExportScope(owners=("Lee",), teams=("Payments",)), now=NOW)


def test_reminders_follow_the_settings(store) -> None:
    _portfolio(store)
    data = export_calendar(store, None, TODAY, ExportScope(), now=NOW).data
    by_summary = triggers(data)
    eol = next(s for s in by_summary if s.startswith("EOL: "))
    assert by_summary[eol] == [90, 30, 7] and by_summary["Assess due: Checkout × Claude Opus 4.1"] == [30, 7, 1]

    change = set_calendar_settings(store, alarm_days=(14, 1, 14), eol_alarm_days=(180,))
    assert change.result == CalendarSettings(alarm_days=(14, 1), eol_alarm_days=(180,))
    by_summary = triggers(export_calendar(store, None, TODAY, ExportScope(), now=NOW).data)
    assert by_summary[eol] == [180] and by_summary["Assess due: Checkout × Claude Opus 4.1"] == [14, 1]
    # --alarm sets every event's, EOL's too, unless --eol-alarm is given.
    by_summary = triggers(export_calendar(store, None, TODAY, ExportScope(alarms=(3,)), now=NOW).data)
    assert by_summary[eol] == [3]
    by_summary = triggers(export_calendar(store, None, TODAY, ExportScope(alarms=(3,), eol_alarms=()), now=NOW).data)
    assert by_summary[eol] == [] and by_summary["Assess due: Checkout × Claude Opus 4.1"] == [3]
    # Undone: the former settings.
    assert change.inverse is not None
    change.inverse()
    assert store.calendar_settings() == CalendarSettings()
    with pytest.raises(UserInputError, match="between 0 and 366"):
        set_calendar_settings(store, alarm_days=(400,))
    assert store.calendar_settings() == CalendarSettings()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli(capsys, tmp_path: Path, db_path: Path) -> None:
    db = ("--db", str(db_path), "--today", "2026-11-22")
    assert run(capsys, "apps", "add", "Checkout", "--owner", "Dana", "--team", "Payments", "--uses",
               f"{OPUS_41}@us-east-1", *db)[0] == 0
    assert run(capsys, "settings", "calendar", *db)[1] == (
        "calendar: reminders 30,7,1 days before each event, reminders 90,30,7 days before EOL; "
        "feeds refresh every 12 h\n")
    code, out, _ = run(capsys, "settings", "calendar", "--alarm", "7,2", "--eol-alarm", "", "--refresh", "6", *db)
    assert code == 0 and out == ("calendar settings saved: reminders 7,2 days before each event, "
                                 "no reminders before EOL; feeds refresh every 6 h\n")
    for bad, message in ((("--alarm", "soon"), "invalid --alarm 'soon'"),
                         (("--eol-alarm", "400"), "--eol-alarm: reminder days must be between 0 and 366"),
                         (("--refresh", "0"), "refresh hours: Input should be greater than or equal to 1"),
                         (("--alarm", ",".join(map(str, range(11)))), "at most 10 reminders")):
        code, _, err = run(capsys, "settings", "calendar", *bad, *db)
        assert code == 2 and message in err and "Traceback" not in err
    out_file = tmp_path / "dana.ics"
    assert run(capsys, "export", "ics", "-o", str(out_file), "--owner", "dana", *db)[0] == 0
    by_summary = triggers(out_file.read_bytes())
    assert by_summary["Assess due: Checkout × Claude Opus 4.1"] == [7, 2]
    assert next(v for s, v in by_summary.items() if s.startswith("EOL: ")) == []
    code, _, err = run(capsys, "export", "ics", "-o", str(out_file), "--team", "Nope", *db)
    assert code == 2 and "no application has the team 'Nope'" in err
    code, _, err = run(capsys, "--read-only", "settings", "calendar", "--alarm", "1", *db)
    assert code == 2 and "read-only" in err
