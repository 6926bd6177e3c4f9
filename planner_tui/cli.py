"""Command line: `planner-tui` starts the TUI; subcommands script the same project.

User errors print one line on stderr and exit 2; never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .cli_output import REPORT_KINDS, print_json, reader_gone, table, warn
from .domain.dates import parse_date
from .domain.vocabulary import Criticality, Status
from .domain.schedule import Risk
from .errors import ImportRejected, PlannerError, UserInputError
from .persistence.locations import DB_ENV, default_db_path
from .persistence.store import ProjectStore
from .services import overview
from .services.project import DemoProject, open_project

EXIT_OK, EXIT_OVERDUE, EXIT_USER_ERROR = 0, 1, 2


def _date_arg(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _days_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of days {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("days must be zero or more")
    return value


def _choice_arg(kind: str, choices: type[Status] | type[Criticality]):  # noqa: ANN202
    """A choice typed in any case: 'legacy', 'Legacy' and 'LEGACY' are one status."""
    by_key = {choice.value.lower(): choice for choice in choices}

    def parse(text: str) -> Status | Criticality:
        try:
            return by_key[text.strip().lower()]
        except KeyError:
            raise argparse.ArgumentTypeError(
                f"invalid {kind} {text!r}: choose from {', '.join(by_key.values())}") from None

    return parse


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, default=argparse.SUPPRESS,
                        help=f"project file (default: ${DB_ENV} or the user data folder)")
    common.add_argument("--today", type=_date_arg, default=argparse.SUPPRESS,
                        help="evaluate as of this date, YYYY-MM-DD (default: today)")
    common.add_argument("--read-only", action="store_true", default=argparse.SUPPRESS,
                        help="open the project without ever writing to it")
    common.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                        help="use a fresh copy of the example project")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="planner-tui", parents=[common],
        description="Plan migrations off Amazon Bedrock models before they reach End-of-Life.",
        epilog="Without a command, planner-tui starts the terminal UI on the project. "
               "User errors exit with code 2.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    models = sub.add_parser("models", parents=[common], help="list models with their status per Region")
    models.add_argument("--status", type=_choice_arg("status", Status),
                        metavar="{" + ",".join(Status) + "}", help="only this status today (any case)")
    models.add_argument("--region", help="only rows covering this Region")
    models.add_argument("--json", action="store_true", help="print JSON")

    lifecycle = sub.add_parser("lifecycle", parents=[common], help="enter lifecycle dates by hand")
    lifecycle_sub = lifecycle.add_subparsers(dest="lifecycle_command", metavar="ACTION", required=True)
    set_dates = lifecycle_sub.add_parser(
        "set", parents=[common],
        help="set a model's dates in a Region; catalog reloads and syncs keep them")
    set_dates.add_argument("target", metavar="MODEL_ID@REGION")
    set_dates.add_argument("--legacy", type=_date_arg, metavar="DATE")
    set_dates.add_argument("--pea", type=_date_arg, metavar="DATE")
    set_dates.add_argument("--eol", type=_date_arg, metavar="DATE")

    milestones = sub.add_parser("milestones", parents=[common], help="upcoming Legacy, PEA and EOL dates")
    milestones.add_argument("--within", type=_days_arg, metavar="DAYS", help="only the next DAYS days")
    milestones.add_argument("--json", action="store_true", help="print JSON")

    status = sub.add_parser(
        "status", parents=[common],
        help="plans with phase, next due date and risk; exit 1 if any is overdue",
    )
    status.add_argument("--json", action="store_true", help="print JSON")

    apps = sub.add_parser("apps", parents=[common], help="manage applications")
    apps_sub = apps.add_subparsers(dest="apps_command", metavar="ACTION", required=True)
    add = apps_sub.add_parser("add", parents=[common], help="add an application and what it uses")
    add.add_argument("name")
    add.add_argument("--owner", required=True)
    add.add_argument("--team", default="")
    add.add_argument("--criticality", type=_choice_arg("criticality", Criticality),
                     default=Criticality.MEDIUM, metavar="{" + ",".join(Criticality) + "}")
    add.add_argument("--uses", action="append", default=[], metavar="MODEL_ID@REGION",
                     help="a model (or inference profile) ID and Region; repeatable")
    add.add_argument("--env", default="prod", help="environment of these dependencies")
    add.add_argument("--notes", default="")
    bulk = apps_sub.add_parser("import", parents=[common],
                               help="add applications and dependencies from CSV (all or nothing)")
    bulk.add_argument("file", type=Path)
    listing = apps_sub.add_parser("list", parents=[common], help="list applications")
    listing.add_argument("--json", action="store_true", help="print JSON")

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
    export_json = export_sub.add_parser("json", parents=[common], help="the whole project as JSON")
    export_json.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")

    importer = sub.add_parser("import", parents=[common], help="import a project export")
    import_sub = importer.add_subparsers(dest="import_command", metavar="FORMAT", required=True)
    import_json = import_sub.add_parser("json", parents=[common],
                                        help="add every application of a JSON export (all or nothing)")
    import_json.add_argument("file", type=Path)

    report = sub.add_parser("report", parents=[common], help="a report for people who never open the TUI")
    report.add_argument("--format", required=True, choices=["md", "html", "csv", "json"])
    report.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    report.add_argument("--app", action="append", default=[], metavar="NAME")
    report.add_argument("--model", action="append", default=[], metavar="ID")

    backup = sub.add_parser("backup", parents=[common], help="a consistent copy of the project file")
    backup.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")

    history = sub.add_parser("history", parents=[common], help="the audit trail: every change, who, when")
    history.add_argument("--app", metavar="NAME", help="only this application")
    history.add_argument("--limit", type=_days_arg, default=50, metavar="N")
    history.add_argument("--json", action="store_true", help="print JSON")

    sync = sub.add_parser("sync", parents=[common],
                          help="refresh lifecycle data and discover dependencies from your AWS account")
    sync.add_argument("--profile", help="AWS profile (default: the standard AWS configuration)")
    sync.add_argument("--regions", metavar="R1,R2", help="Regions to sync (default: those your "
                      "applications use, plus the profile's Region)")
    sync.add_argument("--all-regions", action="store_true", help="every Region that offers Bedrock")
    sync.add_argument("--skip", default="", metavar="STEPS",
                      help="leave out some of: discovery, usage, health (comma-separated)")

    discovered = sub.add_parser("discovered", parents=[common],
                                help="resources found by sync that call a model: assign or dismiss them")
    discovered_sub = discovered.add_subparsers(dest="discovered_command", metavar="ACTION")
    discovered.add_argument("--json", action="store_true", help="print JSON")
    discovered.add_argument("--all", action="store_true", help="include assigned and dismissed ones")
    accept = discovered_sub.add_parser("accept", parents=[common], help="make it a dependency of an app")
    accept.add_argument("id", type=int)
    accept.add_argument("--app", required=True, metavar="NAME")
    dismiss = discovered_sub.add_parser("dismiss", parents=[common], help="hide it from the list")
    dismiss.add_argument("id", type=int)
    return parser


# -- commands ------------------------------------------------------------------------------


def cmd_models(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    region = args.region.strip().lower() if args.region else None
    if region:
        known = sorted({r for row in overview.model_rows(store, today) for r in row.regions})
        if region not in known:
            raise UserInputError(f"unknown Region {args.region!r}: the catalog knows {', '.join(known)}.")
    rows = overview.model_rows(store, today, args.status, region)
    if args.json:
        print_json([
            {
                "model_id": r.model.model_id, "name": r.model.name, "provider": r.model.provider,
                "regions": list(r.regions), "status": r.status.value,
                "legacy_date": r.lifecycle.legacy_date if r.lifecycle else None,
                "pea_date": r.lifecycle.pea_date if r.lifecycle else None,
                "eol_date": r.lifecycle.eol_date if r.lifecycle else None,
                "source": r.lifecycle.source if r.lifecycle else r.model.source_url,
                "as_of": r.lifecycle.as_of if r.lifecycle else r.model.as_of,
            }
            for r in rows
        ])
        return EXIT_OK
    print(table(
        ["MODEL ID", "PROVIDER", "STATUS", "LEGACY", "PEA", "EOL", "REGIONS"],
        [
            [r.model.model_id, r.model.provider, r.status.value,
             r.lifecycle.legacy_date if r.lifecycle else "", r.lifecycle.pea_date if r.lifecycle else "",
             r.lifecycle.eol_date if r.lifecycle else "", overview.regions_label(r.regions, 4)]
            for r in rows
        ],
    ))
    return EXIT_OK


def cmd_lifecycle(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from .domain.lifecycle import Severity, check_revision
    from .domain.models import RegionalLifecycle
    from .domain.validation import check_model_id, check_region

    model_id, region = _parse_uses(args.target)
    region, model_id = check_region(region), check_model_id(model_id, store.model_ids())
    given = {f: v for f, v in (("legacy_date", args.legacy), ("pea_date", args.pea),
                                ("eol_date", args.eol)) if v is not None}
    if not given:
        raise UserInputError("give at least one of --legacy, --pea, --eol.")
    current = next((lc for lc in store.lifecycles(model_id) if region in lc.regions), None)
    if current is None:  # no dates there yet: the row set_lifecycle_date will start
        model = store.model(model_id)
        current = RegionalLifecycle(model_id=model_id, regions=(region,),
                                    launch_date=model.launch_date if model else None)
    contradictions, findings = check_revision(current, current.model_copy(update={"regions": (region,), **given}))
    if contradictions:
        raise UserInputError(
            f"refused for {model_id} in {region}: {'; '.join(f.message.rstrip('.') for f in contradictions)}. "
            "Nothing was saved (give --legacy / --pea / --eol together to move several dates).")
    with store.batch():  # all the dates or none
        for field, value in given.items():
            store.set_lifecycle_date(model_id, region, field, value, today=today)
    print(f"set {', '.join(f.removesuffix('_date') for f in given)} of "
          f"{model_id} in {region}; kept over catalog reloads and syncs")
    for finding in findings:
        print(f"planner-tui: {'warning' if finding.severity is Severity.WARNING else 'note'}: "
              f"{model_id} in {region}: {finding.message}", file=sys.stderr)
    return EXIT_OK


def cmd_milestones(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    rows = overview.milestone_rows(store, today, args.within)
    if args.json:
        print_json([
            {
                "date": r.milestone.date, "days_left": r.days_left, "kind": r.milestone.kind.value,
                "label": r.milestone.kind.label, "model_id": r.milestone.model_id,
                "model_name": r.model_name, "regions": list(r.milestone.regions),
                "consequences": list(r.milestone.consequences),
                "affected_applications": list(r.affected_apps), "source": r.milestone.source,
            }
            for r in rows
        ])
        return EXIT_OK
    print(table(
        ["DATE", "DAYS", "MILESTONE", "MODEL", "REGIONS", "APPS"],
        [[r.milestone.date, r.days_left, r.milestone.kind.label, r.model_name,
          overview.regions_label(r.milestone.regions, 3), ", ".join(r.affected_apps)] for r in rows],
    ))
    return EXIT_OK


def cmd_status(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    rows = overview.plan_lines(store, today, with_closed=False)
    overdue = any(r.risk in (Risk.OVERDUE, Risk.PAST_EOL) for r in rows)
    if args.json:
        iso = dt.date.isoformat
        print_json({
            "today": today,
            "plans": [
                {
                    "id": r.plan_id, "application": r.app_name, "model_id": r.model_id,
                    "model_name": r.model_name, "phase": r.phase.value,
                    "next_due": r.next_due and iso(r.next_due), "deadline": r.deadline and iso(r.deadline),
                    "deadline_basis": r.deadline_basis if r.deadline else None,
                    "risk": r.risk.value, "compressed": r.compressed, "progress": round(r.progress, 3),
                    "urgency": r.urgency, "target_model_id": r.target_model_id,
                }
                for r in rows
            ],
            "overdue": overdue,
            "past_eol": any(r.risk is Risk.PAST_EOL for r in rows),
        })
    else:
        print(table(
            ["APPLICATION", "MODEL", "PHASE", "NEXT DUE", "DEADLINE", "RISK", "DONE"],
            [[r.app_name, r.model_name, r.phase_label, r.next_due or "", r.deadline or "",
              r.risk.value, f"{r.progress:.0%}"] for r in rows],
        ) if rows else "No migration plans: no application depends on a Legacy model.")
    return EXIT_OVERDUE if overdue else EXIT_OK


def _parse_uses(spec: str) -> tuple[str, str]:
    model_id, sep, region = spec.rpartition("@")
    if not sep or not model_id or not region:
        raise UserInputError(f"invalid {spec!r}: expected MODEL_ID@REGION.")
    return model_id, region


def cmd_apps(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    if args.apps_command == "import":
        from .integrations.csv_import import import_applications

        apps, deps = import_applications(store, args.file, today)
        print(f"imported {apps} application(s) with {deps} dependencies from {args.file}")
        return EXIT_OK
    if args.apps_command == "list":
        apps = store.applications()
        deps = store.dependencies()
        if args.json:
            print_json([
                {**a.model_dump(mode="json"),
                 "dependencies": [d.model_dump(mode="json") for d in deps if d.app_id == a.id]}
                for a in apps
            ])
        else:
            print(table(
                ["NAME", "OWNER", "TEAM", "CRITICALITY", "USES"],
                [[a.name, a.owner, a.team, a.criticality.value,
                  ", ".join(sorted({f"{d.model_id}@{d.region}" for d in deps if d.app_id == a.id}))]
                 for a in apps],
            ))
        return EXIT_OK
    from .domain.models import Application, Dependency  # pydantic: only for commands that validate input

    try:
        app = Application(name=args.name, owner=args.owner, team=args.team,
                          criticality=Criticality(args.criticality), notes=args.notes,
                          environments=(args.env,))
    except ValueError as error:
        raise UserInputError(_first_error(error)) from None
    dependencies = []
    for spec in args.uses:
        model_id, region = _parse_uses(spec)
        dependencies.append(Dependency(app_id=0, model_id=model_id, region=region,
                                       environment=args.env))
    from .services.commands.portfolio import past_eol_warnings

    outages = past_eol_warnings(store, dependencies, today)
    added = store.add_application(app, dependencies, today=today)
    plans = [p for p in store.plans() if p.app_id == added.id]
    print(f"added {added.name} with {len(dependencies)} dependenc{'y' if len(dependencies) == 1 else 'ies'}"
          f"; {len(plans)} migration plan(s) created")
    for message in outages:
        warn(message)
    return EXIT_OK


def _first_error(error: Exception) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        first = errors()[0]
        return str(first.get("msg", error)).removeprefix("Value error, ")
    return str(error)


def cmd_sync(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from .integrations.aws.clients import make_session
    from .integrations.aws.sync import EXIT_FAILED, SyncFailed, choose_regions, run_sync

    session = make_session(args.profile)
    regions = choose_regions(store, session, args.regions, args.all_regions)
    skip = frozenset(s.strip() for s in args.skip.split(",") if s.strip())

    def progress(region: str, fraction: float, message: str) -> None:
        print(f"[{region}] {message}", file=sys.stderr, flush=True)

    try:
        report = run_sync(store, session, regions, today, skip, progress)
    except SyncFailed as error:
        print(f"planner-tui: sync failed: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(table(
        ["REGION", "STATE", "MODELS", "DATES CHANGED", "RETIRED", "DISCOVERED", "NOTE"],
        [[r.region, r.state, r.models, r.changed_dates, r.retired,
          f"{r.discovered} ({r.new_discovered} new)", r.error or "; ".join(r.warnings)]
         for r in report.regions],
    ))
    for region in report.regions:
        if region.invocation_logging:
            print(f"{region.region}: model invocation logging {region.invocation_logging}")
    if report.health_note:
        print(report.health_note)
    elif "health" not in skip:
        print(f"AWS Health: {report.health_events} Bedrock event(s).")
    print(f"sync {report.outcome}: {sum(r.state != 'failed' for r in report.regions)} of "
          f"{len(report.regions)} Region(s) synced.")
    return report.exit_code


def cmd_discovered(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    if args.discovered_command == "accept":
        app = store.application(args.app)
        store.accept_discovered(args.id, app.id, today)
        print(f"assigned to {app.name}")
        return EXIT_OK
    if args.discovered_command == "dismiss":
        store.dismiss_discovered(args.id)
        print("dismissed")
        return EXIT_OK
    rows = store.discovered(include_handled=args.all)
    if args.json:
        print_json([r.model_dump(mode="json") for r in rows])
        return EXIT_OK
    apps = {a.id: a.name for a in store.applications()}
    print(table(
        ["ID", "REGION", "KIND", "MODEL", "NAME / RESOURCE", "ASSIGNED"],
        [[r.id, r.region, r.kind.value, r.model_id, r.name or r.resource_id,
          apps.get(r.app_id, "dismissed" if r.dismissed else "")] for r in rows],
    ) if rows else "Nothing unassigned. Run 'planner-tui sync' to discover resources.")
    return EXIT_OK


def cmd_export(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from .integrations.calendar_export import ExportScope, export_calendar, parse_alarms, parse_kinds

    if args.export_command == "json":
        from .integrations.project_file import export_project

        count = export_project(store, args.output)
        print(f"wrote {count} application(s) to {args.output}")
        return EXIT_OK

    scope = ExportScope(apps=tuple(args.app), models=tuple(args.model),
                        kinds=parse_kinds(args.kinds), alarms=parse_alarms(args.alarm))
    result = export_calendar(store, args.output, today, scope)
    note = "" if result.recorded else " (read-only: export history not updated)"
    print(f"wrote {result.events} events to {args.output} "
          f"({result.updated} updated, {result.cancelled} cancelled){note}")
    return EXIT_OK


def cmd_import(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from .integrations.project_file import import_project

    count = import_project(store, args.file, today)
    print(f"imported {count} application(s) from {args.file}")
    return EXIT_OK


def cmd_report(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from .integrations.reports import write_report

    plans = write_report(store, args.output, args.format, today, tuple(args.app), tuple(args.model))
    print(f"wrote {REPORT_KINDS[args.format]} report of {plans} plan(s) to {args.output}")
    return EXIT_OK


def cmd_backup(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from .persistence.backup import backup_project

    size = backup_project(store, args.output)
    print(f"backed up the project to {args.output} ({size:,} bytes)")
    return EXIT_OK


def cmd_history(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from .cli_output import history

    app_id = store.application(args.app).id if args.app else None
    entries = history(store, app_id, args.limit)
    if args.json:
        print_json(entries)
        return EXIT_OK
    print(table(["WHEN (UTC)", "WHO", "WHAT"], [[e["at"], e["actor"], e["what"]] for e in entries])
          if entries else "No changes recorded yet.")
    return EXIT_OK


COMMANDS = {"models": cmd_models, "lifecycle": cmd_lifecycle, "milestones": cmd_milestones, "status": cmd_status,
            "apps": cmd_apps, "export": cmd_export, "sync": cmd_sync,
            "discovered": cmd_discovered, "import": cmd_import, "report": cmd_report,
            "backup": cmd_backup, "history": cmd_history}


@contextmanager
def _project(args: argparse.Namespace, today: dt.date) -> Iterator[ProjectStore]:
    read_only = getattr(args, "read_only", False)
    if getattr(args, "demo", False):
        demo = DemoProject(today, read_only=read_only)
        try:
            yield demo.store
        finally:
            demo.close()
        return
    store = open_project(getattr(args, "db", None) or default_db_path(), read_only=read_only)
    try:
        yield store
    finally:
        store.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    today = getattr(args, "today", None) or dt.date.today()
    try:
        if args.command is None:
            from .ui.launch import run_tui

            return run_tui(args, today)
        with _project(args, today) as store:
            code = COMMANDS[args.command](store, args, today)
        sys.stdout.flush()  # a reader that went away shows here, not in a traceback at exit
        return code
    except BrokenPipeError:
        return reader_gone()
    except ImportRejected as error:
        print(f"planner-tui: {error}", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_USER_ERROR
    except PlannerError as error:
        print(f"planner-tui: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except sqlite3.DatabaseError as error:
        print(f"planner-tui: the project file cannot be used: {error}.", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130


def run() -> None:
    sys.exit(main())
