"""`export ics|feeds|json` and `import json`: the project as a calendar, calendar feeds or a
versioned document."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common import EXIT_OK, Parser
from .output import say

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore


def register(sub: Any, common: Parser) -> None:
    export = sub.add_parser("export", parents=[common], help="export the project")
    export_sub = export.add_subparsers(dest="export_command", metavar="FORMAT", required=True)
    ics = export_sub.add_parser("ics", parents=[common],
                                help="milestones and plan deadlines as an iCalendar file")
    ics.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    ics.add_argument("--app", action="append", default=[], metavar="NAME",
                     help="only this application (repeatable)")
    ics.add_argument("--owner", action="append", default=[], metavar="NAME",
                     help="only the applications of this owner (repeatable)")
    ics.add_argument("--team", action="append", default=[], metavar="NAME",
                     help="only the applications of this team (repeatable)")
    ics.add_argument("--model", action="append", default=[], metavar="ID",
                     help="only this model (repeatable)")
    ics.add_argument("--kinds", default="vendor,plan",
                     help="vendor (Legacy/PEA/EOL dates), plan (phase due dates, rollout stages)")
    ics.add_argument("--alarm", metavar="DAYS",
                     help="reminders this many days before each event (default: the project's "
                          "calendar settings, 30,7,1 and 90,30,7 before EOL)")
    ics.add_argument("--eol-alarm", metavar="DAYS", help="reminders before EOL milestones (default: --alarm, "
                                                          "else the project's settings)")
    ics.add_argument("--force", action="store_true",
                     help="replace FILE even when it is another planner project or SQLite database")
    ics.set_defaults(handler=cmd_export_ics)
    feeds = export_sub.add_parser("feeds", parents=[common],
                                  help="subscribable calendar feeds per owner, team and application, with an index")
    feeds.add_argument("folder", type=Path, metavar="DIR", help="the folder to write (made if missing)")
    feeds.add_argument("--base-url", metavar="URL",
                       help="the address DIR is served from, for the index's webcal:// and https:// links")
    feeds.add_argument("--force", action="store_true",
                       help="replace files even when one is another planner project or SQLite database")
    feeds.set_defaults(handler=cmd_export_feeds)
    export_json = export_sub.add_parser("json", parents=[common], help="the whole project as JSON")
    export_json.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    export_json.add_argument("--force", action="store_true",
                             help="replace FILE even when it is another planner project or SQLite database")
    export_json.set_defaults(handler=cmd_export_json)

    importer = sub.add_parser("import", parents=[common], help="import a project export")
    import_sub = importer.add_subparsers(dest="import_command", metavar="FORMAT", required=True)
    import_json = import_sub.add_parser("json", parents=[common],
                                        help="add every application of a JSON export (all or nothing)")
    import_json.add_argument("file", type=Path)
    import_json.set_defaults(handler=cmd_import_json)


def cmd_export_json(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..integrations.files import safe_output_target
    from ..integrations.project_file import export_project

    safe_output_target(args.output, store.path, args.force)
    count = export_project(store, args.output)
    say(f"wrote {count} application(s) to {args.output}")
    return EXIT_OK


def cmd_export_ics(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..integrations.calendar.events import ExportScope, parse_alarms, parse_kinds
    from ..integrations.calendar.ics import export_calendar
    from ..integrations.files import safe_output_target

    safe_output_target(args.output, store.path, args.force)
    scope = ExportScope(apps=tuple(args.app), owners=tuple(args.owner), teams=tuple(args.team),
                        models=tuple(args.model), kinds=parse_kinds(args.kinds),
                        alarms=None if args.alarm is None else parse_alarms(args.alarm),
                        eol_alarms=None if args.eol_alarm is None else parse_alarms(args.eol_alarm, "--eol-alarm"))
    result = export_calendar(store, args.output, today, scope)
    note = f" (export history not updated: {result.unrecorded})" if result.unrecorded else ""
    say(f"wrote {result.events} events to {args.output} "
          f"({result.updated} updated, {result.cancelled} cancelled){note}")
    return EXIT_OK


def cmd_export_feeds(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..integrations.calendar.feeds import INDEX, export_feeds

    result = export_feeds(store, args.folder, today, args.base_url, force=args.force)
    note = f" (export history not updated: {result.unrecorded})" if result.unrecorded else ""
    gone = f"; {len(result.emptied)} feed(s) of names no longer in the project emptied" if result.emptied else ""
    say(f"wrote {len(result.feeds)} feeds ({result.feeds[0].events} events in all.ics, {result.updated} updated, "
        f"{result.cancelled} cancelled){gone} and {args.folder / INDEX}{note}")
    return EXIT_OK


def cmd_import_json(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..integrations.project_file import import_project

    count = import_project(store, args.file, today)
    say(f"imported {count} application(s) from {args.file}")
    return EXIT_OK
