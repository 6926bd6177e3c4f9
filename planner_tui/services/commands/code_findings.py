"""Code findings as evidence: what `scan PATH --app APP` found, recorded for the application
(its plans show every place), and references accepted as the application's dependencies.
`scan PATH --record` records a scan for no application: its places wait in `discovered`
(source: code) to be accepted into one (`accept_discovered_code`) or dismissed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...errors import PlannerError, UserInputError
from . import Change
from .portfolio import add_dependency

if TYPE_CHECKING:
    from ...persistence.repos.code_findings import FoundReference, RecordedScan, ScanState
    from ...persistence.store import ProjectStore


def record_code_scan(store: ProjectStore, app_id: int | None, root: str, scanned_on: dt.date, files_read: int,
                     source: str, found: list[FoundReference]) -> Change:
    """Record a scan of `root` (absolute) for the application, or for no application (kept
    unassigned for triage): new places added, places no longer found marked resolved (never
    deleted). Taking it back restores the records of `root` as they were."""
    whose = f"for {store.application(app_id).name}" if app_id is not None else "unassigned"
    owners = [app_id, None] if app_id is not None else [None]  # an application's scan claims unassigned places
    before = {owner: store.code_scan_state(owner, root) for owner in owners}
    outcome: RecordedScan = store.record_code_scan(app_id, root, scanned_on, files_read, source, found)
    return Change(f"recording the scan of {root} {whose}", outcome,
                  lambda: _restore(store, root, before, f"the scan of {root} {whose}"))


def _restore(store: ProjectStore, root: str, states: dict[int | None, ScanState], what: str) -> Change:
    now = {owner: store.code_scan_state(owner, root) for owner in states}
    for owner, state in states.items():
        store.restore_code_scan_state(owner, root, state)
    return Change(f"taking back {what}", None, lambda: _restore(store, root, now, what))


def accept_discovered_code(store: ProjectStore, finding_id: int, app_id: int, region: str | None,
                           today: dt.date) -> Change:
    """An unassigned code finding accepted into an application: its model (or inference
    profile) becomes a dependency in `region` (the Region its ARN names when None), as `deps
    add` would make it, and the place becomes the application's evidence (its plans list it).
    An unknown model is refused, with what it may have meant. Taken back as a whole."""
    from ...domain.model_variants import did_you_mean

    finding = store.code_finding(finding_id)
    ref = finding.reference
    where = f"{ref.file}:{ref.line}"
    if finding.app_id is not None:
        raise UserInputError(f"c{finding_id} ({where}) is already {store.application(finding.app_id).name}'s.")
    if finding.resolved:
        raise UserInputError(f"c{finding_id} ({where}) is no longer in the code (resolved on {finding.resolved_on}).")
    if not ref.known or ref.model_id not in store.model_ids():
        hint = did_you_mean(ref.model_id, store.model_ids())
        raise UserInputError(f"c{finding_id} ({where}) names an unknown model {ref.model_id}"
                             + (f"; did you mean {hint}?" if hint else "; the catalog has nothing close.")
                             + " An unknown model cannot be a dependency.")
    app = store.application(app_id)
    region = (region or "").strip().lower() or ref.arn_region
    if not region:
        raise UserInputError(f"c{finding_id} ({where}) names no Region: say which one the application "
                             f"calls {ref.profile_id or ref.model_id} in (--region R).")
    states = {owner: store.code_scan_state(owner, finding.root) for owner in (app_id, None)}
    change = accept_code_findings(store, app_id, [Wanted(ref.profile_id or ref.model_id, region, where)], today)
    accepted: Accepted = change.result
    if accepted.refused:
        item, why = accepted.refused[0]
        raise UserInputError(f"{item.model_or_profile} in {region} cannot be {app.name}'s dependency: {why}")
    # The dependency was added (or the application had it): the place is its evidence now.
    store.assign_code_finding(finding_id, app_id)

    def take_back() -> Change:
        if change.inverse is not None:
            change.inverse()
        for owner, state in states.items():
            store.restore_code_scan_state(owner, finding.root, state)
        return Change("taking back the code finding's assignment", None,
                      lambda: accept_discovered_code(store, finding_id, app_id, region, today))

    return Change(f"assigning {where} to {app.name}", accepted, take_back, change.note)


def dismiss_code_finding(store: ProjectStore, finding_id: int, dismissed: bool = True) -> Change:
    """An unassigned code finding hidden from `discovered` (kept so across re-scans), or shown again."""
    finding = store.code_finding(finding_id)
    if finding.app_id is not None:
        raise UserInputError(f"c{finding_id} is {store.application(finding.app_id).name}'s: "
                             "a scan of the folder for it resolves the place once it is gone.")
    store.dismiss_code_finding(finding_id, dismissed)
    return Change("dismissing the code finding" if dismissed else "showing the code finding again", finding_id,
                  lambda: dismiss_code_finding(store, finding_id, not dismissed))


@dataclass(frozen=True)
class Wanted:
    """A model (or inference profile) a scan found, to become a dependency in a Region."""

    model_or_profile: str
    region: str
    where: str  # file:line, for the report


@dataclass
class Accepted:
    added: list[Wanted] = field(default_factory=list)
    already: list[Wanted] = field(default_factory=list)  # the application uses it there already
    refused: list[tuple[Wanted, str]] = field(default_factory=list)  # with why (a Region it is not in …)
    opened_plans: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def accept_code_findings(store: ProjectStore, app_id: int, wanted: list[Wanted], today: dt.date) -> Change:
    """Each model found becomes a dependency of the application in its Region, as
    `deps add` would make it (a plan opens for a retiring model); one the application uses
    there already is left as it is, one the catalog refuses is reported with why. Taken back
    as a whole."""
    from ...domain.models import Dependency

    app = store.application(app_id)
    result = Accepted()
    inverses: list[Change] = []
    seen: set[tuple[str, str]] = set()
    uses = {(d.model_id, d.region) for d in store.dependencies(app_id)}
    for item in wanted:
        if (item.model_or_profile, item.region) in seen:
            continue
        seen.add((item.model_or_profile, item.region))
        try:
            dependency = Dependency(app_id=app_id, model_id=item.model_or_profile, region=item.region,
                                    notes=f"found in code: {item.where}")
            resolved = store.resolve_dependency(dependency)
            if (resolved.model_id, resolved.region) in uses:
                result.already.append(item)
                continue
            change = add_dependency(store, dependency, today)
        except (PlannerError, ValueError) as error:
            result.refused.append((item, str(error).splitlines()[0]))
            continue
        uses.add((resolved.model_id, resolved.region))
        result.added.append(item)
        result.opened_plans += [plan.id for plan in change.result if plan.id is not None]
        if change.note:
            result.warnings.append(change.note)  # one per dependency: past EOL there
        inverses.append(change)
    return Change(f"adding what the scan found to {app.name}", result,
                  (lambda: _take_back(inverses)) if inverses else None, "\n".join(result.warnings))


def _take_back(changes: list[Change]) -> Change:
    redo = [change.inverse() for change in reversed(changes) if change.inverse is not None]
    return Change("taking back the dependencies found in code", None, lambda: _take_back(redo))
