"""`export ics|json` and `import json`: the project as a calendar or a versioned document."""

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
    ics.add_argument("--model", action="append", default=[], metavar="ID",
                     help="only this model (repeatable)")
    ics.add_argument("--kinds", default="vendor,plan",
                     help="vendor (Legacy/PEA/EOL dates), plan (phase due dates, rollout stages)")
    ics.add_argument("--alarm", default="30,7,1", metavar="DAYS",
                     help="reminders this many days before each event (default 30,7,1)")
    ics.add_argument("--force", action="store_true",
                     help="replace FILE even when it is another planner project or SQLite database")
    ics.set_defaults(handler=cmd_export_ics)
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
    from ..integrations.calendar_export import ExportScope, export_calendar, parse_alarms, parse_kinds
    from ..integrations.files import safe_output_target

    safe_output_target(args.output, store.path, args.force)
    scope = ExportScope(apps=tuple(args.app), models=tuple(args.model),
                        kinds=parse_kinds(args.kinds), alarms=parse_alarms(args.alarm))
    result = export_calendar(store, args.output, today, scope)
    note = f" (export history not updated: {result.unrecorded})" if result.unrecorded else ""
    say(f"wrote {result.events} events to {args.output} "
          f"({result.updated} updated, {result.cancelled} cancelled){note}")
    return EXIT_OK


def cmd_import_json(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..integrations.project_file import import_project

    count = import_project(store, args.file, today)
    say(f"imported {count} application(s) from {args.file}")
    return EXIT_OK
