"""`scan PATH...`: every Bedrock model reference in code, infrastructure and configuration,
with its status per Region, days left and AWS's replacement; a table, JSON or SARIF.

With a project (`--db`, `--demo`, `--app`, or the default project file when it exists:
`$PLANNER_TUI_DB` or the user data folder's) the lifecycle dates are the project's;
without one (CI) the bundled catalog's. The dispatcher asks `opens_project(args)` before
opening a project and passes None as the store when it says no.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UserInputError
from ..integrations.files import atomic_write_bytes
from ..integrations.scan import (
    STAGES,
    Finding,
    reference_from_catalog,
    reference_from_store,
    sarif_document,
    scan,
)
from ..persistence.locations import default_db_path
from .common import EXIT_OK, Parser, choice_arg, count_arg, metavar
from .output import plain, print_json, say, show, table, warn

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore

EXIT_FINDINGS = 1  # --fail-on met


class FailOn(StrEnum):
    LEGACY = "legacy"
    PEA = "pea"
    EOL = "eol"

    @property
    def stage(self) -> int:
        return {"legacy": STAGES["Legacy"], "pea": STAGES["PEA"], "eol": STAGES["EOL"]}[self.value]


def register(sub: Any, common: Parser) -> None:
    parser = sub.add_parser(
        "scan", parents=[common], help="find Bedrock model references in code and infrastructure",
        description="Find every Bedrock model ID, inference profile, model ARN and CDK model constant "
                    "under the PATHs (respecting .gitignore), with its status per Region.")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="folders or files to scan")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.add_argument("--sarif", type=Path, metavar="FILE", help="also write SARIF 2.1.0 for code scanning")
    parser.add_argument("--fail-on", type=choice_arg("stage", FailOn), metavar=metavar(FailOn),
                        help="exit 1 when any reference is at or past this stage")
    parser.add_argument("--region", action="append", metavar="R",
                        help="evaluate the status in this Region (repeatable; default: the worst of the "
                             "Regions where the model is offered)")
    parser.add_argument("--app", metavar="NAME",
                        help="record the findings for this application (needs a project): its plans list every "
                             "place; a re-scan of the folder marks places no longer found as resolved")
    parser.add_argument("--record", action="store_true",
                        help="record the findings for no application (needs a project): they wait in "
                             "'discovered' (source: code) to be accepted into one or dismissed; a re-scan of "
                             "the folder marks places no longer found as resolved")
    parser.add_argument("--accept", action="store_true",
                        help="with --app: make each model found a dependency of the application, in the ARN's "
                             "Region or each --region")
    parser.add_argument("--jobs", type=count_arg, metavar="N",
                        help="read files in N processes (default: one per CPU, up to 8, for large trees)")
    # A scan only reads: the project is opened read-only (and only when there is one).
    parser.set_defaults(handler=cmd_scan, opens_project=opens_project, opens_read_only=True)


def opens_project(args: argparse.Namespace) -> bool:
    """A project only when one is named or already exists: CI runs need none."""
    if getattr(args, "app", None) or getattr(args, "record", False):
        args.opens_read_only = False  # the findings are recorded (unless --read-only says not to)
        return True
    if getattr(args, "db", None) or getattr(args, "demo", False):
        return True
    return default_db_path().exists()  # $PLANNER_TUI_DB or the user data folder's


def _regions(wanted: list[str] | None, known: tuple[str, ...]) -> tuple[str, ...] | None:
    if not wanted:
        return None
    regions = tuple(dict.fromkeys(r.strip().lower() for part in wanted for r in part.split(",") if r.strip()))
    unknown = [r for r in regions if r not in known]
    if unknown:
        raise UserInputError(f"unknown Region {unknown[0]!r}: the catalog knows {', '.join(known)}.")
    return regions


def _display(finding: Finding, several_roots: bool) -> str:
    if not several_roots or finding.root == finding.file:
        return finding.file
    return f"{finding.root.rstrip('/')}/{finding.file}"


def _uris(findings: list[Finding]) -> dict[tuple[str, str], str]:
    """SARIF names files relative to the current folder (run it from the repository's top,
    as CI does); a file outside it by its file:// URI."""
    from urllib.parse import quote

    here = Path.cwd().resolve()
    uris: dict[tuple[str, str], str] = {}
    for key in {(f.root, f.file) for f in findings}:
        root = Path(key[0]).resolve()
        full = root if root.is_file() else root / key[1]
        try:
            uris[key] = quote(full.relative_to(here).as_posix(), safe="/")
        except ValueError:
            uris[key] = full.as_uri()
    return uris


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("planner-tui")
    except PackageNotFoundError:
        return "0"


def cmd_scan(store: ProjectStore | None, args: argparse.Namespace, today: dt.date) -> int:
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise UserInputError(f"no such file or folder: {missing[0]}.")
    application = None
    if args.accept and not args.app:
        raise UserInputError("--accept needs --app NAME: the application the models become dependencies of.")
    if args.record and store is None:
        raise UserInputError("--record needs a project (--db FILE).")
    if args.app:
        if store is None:
            raise UserInputError("--app needs a project (--db FILE).")
        application = store.application(args.app.strip()).name
    reference = reference_from_store(store) if store is not None else reference_from_catalog()
    regions = _regions(args.region, reference.regions)
    result = scan(args.paths, reference, today, regions=regions, application=application, workers=args.jobs)
    findings = result.findings
    if args.sarif:
        document = sarif_document(findings, reference, today, uris=_uris(findings), version=_version())
        atomic_write_bytes(args.sarif, json.dumps(document, indent=2).encode("utf-8"))
    if args.json:
        print_json([f.to_json() for f in findings])
    else:
        _print_table(findings, len(args.paths) > 1, result.files_read, result.files_skipped, reference.source,
                     application)
    if store is not None and (application is not None or args.record):
        from .scan_record import accept_findings, record_findings

        report = warn if args.json else say  # --json keeps stdout to the findings
        if store.read_only:
            report(f"Not recorded {f'for {application}' if application else 'for triage'}: "
                   "the project is open read-only.")
        else:
            record_findings(store, application, args.paths, result, reference.source, today, report)
            if args.accept and application is not None:
                accept_findings(store, application, findings, regions, today, report)
    failed = args.fail_on is not None and any(f.stage >= args.fail_on.stage for f in findings)
    return EXIT_FINDINGS if failed else EXIT_OK


def _model_cell(finding: Finding) -> str:
    shown = finding.profile_id or finding.model_id
    if finding.variant:
        shown += f" ({finding.variant})"
    if finding.suggestions:
        shown += f" (did you mean {finding.suggestions[0]}?)"
    return shown


def _print_table(findings: list[Finding], several_roots: bool, files_read: int, files_skipped: int,
                 source: str, application: str | None) -> None:
    if findings:
        show(table(
            ["SEVERITY", "STATUS", "EOL", "DAYS", "WHERE", "MODEL", "REPLACEMENT"],
            [[f.severity, f.status, f.eol_date or "", "" if f.days_left is None else f.days_left,
              f"{_display(f, several_roots)}:{f.line}:{f.column}", _model_cell(f), f.replacements_text()]
             for f in findings],
        ))
    files = f"{files_read} file{'s' * (files_read != 1)}"
    skipped = f" ({files_skipped} binary or unreadable skipped)" if files_skipped else ""
    for_app = f" for {application}" if application else ""
    count = f"{len(findings)} model reference{'s' * (len(findings) != 1)}"
    say(plain(f"{count}{for_app} in {files}{skipped}; lifecycle dates from the {source}."))
