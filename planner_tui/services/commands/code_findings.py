"""Code findings as evidence: what `scan PATH --app APP` found, recorded for the application
(its plans show every place), and references accepted as the application's dependencies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...errors import PlannerError
from . import Change
from .portfolio import add_dependency

if TYPE_CHECKING:
    from ...persistence.repos.code_findings import FoundReference, RecordedScan, ScanState
    from ...persistence.store import ProjectStore


def record_code_scan(store: ProjectStore, app_id: int, root: str, scanned_on: dt.date, files_read: int,
                     source: str, found: list[FoundReference]) -> Change:
    """Record a scan of `root` (absolute) for the application: new places added, places no
    longer found marked resolved (never deleted). Taking it back restores the records of
    `root` as they were."""
    app = store.application(app_id)
    before = store.code_scan_state(app_id, root)
    outcome: RecordedScan = store.record_code_scan(app_id, root, scanned_on, files_read, source, found)
    return Change(f"recording the scan of {root} for {app.name}", outcome,
                  lambda: _restore(store, app_id, root, before, f"the scan of {root} for {app.name}"))


def _restore(store: ProjectStore, app_id: int, root: str, state: ScanState, what: str) -> Change:
    now = store.code_scan_state(app_id, root)
    store.restore_code_scan_state(app_id, root, state)
    return Change(f"taking back {what}", None, lambda: _restore(store, app_id, root, now, what))


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
