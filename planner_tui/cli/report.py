"""`report`: Markdown, HTML, CSV or JSON for people who never open the TUI."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common import EXIT_OK, Parser
from .output import REPORT_KINDS, say

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore


def register(sub: Any, common: Parser) -> None:
    report = sub.add_parser("report", parents=[common], help="a report for people who never open the TUI")
    report.add_argument("--format", required=True, choices=["md", "html", "csv", "json"])
    report.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    report.add_argument("--app", action="append", default=[], metavar="NAME")
    report.add_argument("--model", action="append", default=[], metavar="ID")
    report.add_argument("--force", action="store_true",
                        help="replace FILE even when it is another planner project or SQLite database")
    report.set_defaults(handler=cmd_report)


def cmd_report(store: ProjectStore, args: argparse.Namespace, today: dt.date) -> int:
    from ..integrations.files import safe_output_target
    from ..integrations.reports import write_report

    safe_output_target(args.output, store.path, args.force)
    plans = write_report(store, args.output, args.format, today, tuple(args.app), tuple(args.model))
    say(f"wrote {REPORT_KINDS[args.format]} report of {plans} plan(s) to {args.output}")
    return EXIT_OK
