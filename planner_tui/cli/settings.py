"""`settings calendar`: the project's calendar reminders and feed refresh, shown or set."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from .common import EXIT_OK, Parser, group
from .output import say

if TYPE_CHECKING:
    from ..domain.settings import CalendarSettings
    from ..persistence.store import ProjectStore


def register(sub: Any, common: Parser) -> None:
    actions = group(sub, "settings", common, "show or change project settings", "settings_command")
    calendar = actions.add_parser(
        "calendar", parents=[common],
        help="reminders of calendar events and how often feeds are fetched; without options, show them")
    calendar.add_argument("--alarm", metavar="DAYS",
                          help="reminders this many days before each event, e.g. 30,7,1 ('' for none)")
    calendar.add_argument("--eol-alarm", metavar="DAYS",
                          help="reminders before an EOL milestone, e.g. 90,30,7 ('' for none)")
    calendar.add_argument("--refresh", type=int, metavar="HOURS",
                          help="how often a subscribed calendar should fetch a feed again (1-168)")
    calendar.set_defaults(handler=cmd_calendar)


def describe(settings: CalendarSettings) -> str:
    def days(values: tuple[int, ...], what: str) -> str:
        return f"reminders {','.join(map(str, values))} days before {what}" if values else f"no reminders before {what}"

    return (f"{days(settings.alarm_days, 'each event')}, {days(settings.eol_alarm_days, 'EOL')}; "
            f"feeds refresh every {settings.refresh_hours} h")


def cmd_calendar(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..integrations.calendar.events import parse_alarms
    from ..services.commands.settings import set_calendar_settings

    given: dict[str, Any] = {}
    if args.alarm is not None:
        given["alarm_days"] = parse_alarms(args.alarm)
    if args.eol_alarm is not None:
        given["eol_alarm_days"] = parse_alarms(args.eol_alarm, "--eol-alarm")
    if args.refresh is not None:
        given["refresh_hours"] = args.refresh
    if not given:
        say(f"calendar: {describe(store.calendar_settings())}")
        return EXIT_OK
    change = set_calendar_settings(store, **given)
    say(f"calendar settings saved: {describe(change.result)}")
    return EXIT_OK
