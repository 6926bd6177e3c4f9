"""`scan PATH --app APP [--accept]`: the findings recorded for the application (evidence its
plans show) and, with --accept, each model found made one of its dependencies.
`scan PATH --record`: recorded for no application, for triage in `discovered`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..integrations.scan import Finding, ScanResult
from ..persistence.repos.code_findings import FoundReference, RecordedScan
from ..services.commands.code_findings import Accepted, Wanted, accept_code_findings, record_code_scan
from .common import apply
from .output import plain, warn

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore

_REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d$")


def found_reference(finding: Finding) -> FoundReference:
    return FoundReference(finding.fingerprint, finding.file, finding.line, finding.column, finding.text,
                          finding.model_id, finding.profile_id, finding.known, finding.status, finding.severity,
                          finding.language, finding.via)


def record_findings(store: ProjectStore, application: str | None, paths: Sequence[Path], result: ScanResult,
                    source: str, today: dt.date, report: Callable[[str], None]) -> None:
    """One recording per PATH, each as its own folder: what it holds now is what counts.
    No application: kept unassigned, for `discovered`."""
    app_id = store.application(application).id if application is not None else None
    whose = f"for {application}" if application is not None else "unassigned"
    by_root: dict[str, list[FoundReference]] = {path.as_posix(): [] for path in paths}
    for finding in result.findings:
        by_root.setdefault(finding.root, []).append(found_reference(finding))
    for label, found in by_root.items():
        root = str(Path(label).resolve())
        outcome: RecordedScan = apply(record_code_scan, store, app_id, root, today, result.files_read, source,
                                      found).result
        report(plain(f"Recorded {whose} ({label}): {_outcome(outcome)}."))
        if outcome.elsewhere_apps:
            names = ", ".join(store.application(i).name for i in outcome.elsewhere_apps)
            report(plain(f"Already recorded for {names} ({label}): {outcome.elsewhere}, left to "
                         f"{'it' if len(outcome.elsewhere_apps) == 1 else 'them'}."))
    if application is None:
        report("See them with 'planner-tui discovered --source code'; accept one into an application with "
               "'discovered accept cID --app NAME'.")


def _outcome(outcome: RecordedScan) -> str:
    parts = [f"{outcome.new} new", f"{outcome.seen} still there"]
    if outcome.reopened:
        parts.append(f"{outcome.reopened} back again")
    parts.append(f"{outcome.resolved} resolved (no longer found)")
    if outcome.elsewhere:
        parts.append(f"{outcome.elsewhere} already an application's")
    return ", ".join(parts)


def _regions_of(finding: Finding, regions: tuple[str, ...] | None) -> list[str]:
    """Where the reference is used: the Regions asked for (`--region`), else the one its ARN
    names; none otherwise (a model ID alone does not say)."""
    offered = [r.region for r in finding.regions if r.status != "not offered"]
    if regions:
        return offered
    if finding.form == "arn" and len(finding.regions) == 1 and _REGION.match(finding.regions[0].region):
        return offered
    return []


def accept_findings(store: ProjectStore, application: str, findings: list[Finding],
                    regions: tuple[str, ...] | None, today: dt.date, report: Callable[[str], None]) -> None:
    app_id = store.application(application).id
    assert app_id is not None
    wanted: list[Wanted] = []
    without_region: set[str] = set()
    not_offered: set[str] = set()
    for finding in findings:
        if not finding.known:
            continue
        where = f"{finding.file}:{finding.line}"
        in_regions = _regions_of(finding, regions)
        if not in_regions:
            (not_offered if regions and finding.regions else without_region).add(
                finding.profile_id or finding.model_id)
        wanted += [Wanted(finding.profile_id or finding.model_id, region, where) for region in in_regions]
    # The use case's warnings (a model already past EOL there) one a line, not joined.
    accepted: Accepted = accept_code_findings(store, app_id, wanted, today).result
    for warning in accepted.warnings:
        warn(warning)
    for item in accepted.added:
        report(plain(f"{application} now uses {item.model_or_profile} in {item.region} (found in {item.where})."))
    if accepted.already:
        report(plain(f"Already dependencies of {application}: {len(accepted.already)}."))
    for item, why in accepted.refused:
        report(plain(f"Not added: {item.model_or_profile} in {item.region} ({item.where}): {why}"))
    for plan_id in accepted.opened_plans:
        report(f"opened plan {plan_id} (see 'planner-tui plans show {plan_id}')")
    if not_offered:
        names = ", ".join(sorted(not_offered))
        report(plain(f"Not added, not offered in {', '.join(regions or ())}: {names}."))
    if without_region:
        names = ", ".join(sorted(without_region))
        report(plain(f"Not added, no Region known (name one with --region): {names}."))


def files_line(store: ProjectStore, app_id: int, model_id: str) -> str:
    """For `items list`: the files the Update phase's swap item has left, once scanned."""
    from ..services.views.code_findings import SWAP_ITEM_PREFIX, plan_code_findings

    code = plan_code_findings(store, app_id, model_id)
    if not code.scanned:
        return ""
    files = ", ".join(f"{name} ({count})" for name, count in code.files)
    if not files:
        return plain(f"'{SWAP_ITEM_PREFIX} …': the last scan ({code.last_scanned}) found the model nowhere "
                     "in the code.")
    return plain(f"'{SWAP_ITEM_PREFIX} …' still to change: {files} (last scan {code.last_scanned}).")
