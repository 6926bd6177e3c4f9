"""Who calls each model: record what a CloudTrail scan counted; accept a caller as a
dependency of an application (the way `deps add` adds one; undoable)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ...domain.callers import account_of, resolve_caller_model
from ...errors import NotFoundError, UserInputError
from . import Change
from .portfolio import add_dependency

if TYPE_CHECKING:
    from ...domain.models import Dependency
    from ...integrations.aws.cloudtrail import CallerScan
    from ...persistence.repos.callers import RecordedCallers
    from ...persistence.store import ProjectStore


def _resources(store: ProjectStore) -> dict[str, str]:
    """Resource ID or ARN → model, of what a sync discovered (application inference profiles,
    Provisioned Throughput, custom models): a call naming one of them calls that model."""
    found: dict[str, str] = {}
    for resource in store.discovered(include_handled=True):
        model = resource.raw_model_id or resource.model_id
        if model:
            found.setdefault(resource.resource_id, model)
    return found


def record_caller_scan(store: ProjectStore, scan: CallerScan, scanned_at: dt.datetime) -> RecordedCallers:
    """Add one account's and Region's counts to the project, each caller's model resolved to
    the catalog's base model (a profile's or variant's). Evidence a sync makes again: not
    undoable, like the sync itself."""
    from ...persistence.repos.callers import CallerRecord

    if store.read_only:
        raise UserInputError("this project is open read-only (--read-only); recording callers would change it.")
    # Read only when the scan found callers: most accounts' Regions have none.
    known = store.model_ids() if scan.callers else set()
    resources = _resources(store) if scan.callers else {}
    records = []
    for count in scan.callers:
        resolved = resolve_caller_model(count.model_written, known, resources)
        records.append(CallerRecord(
            # the standard configuration's account is never asked: its principals' ARNs name it
            account_id=count.account_id or account_of(count.principal_arn), account_name=count.account_name,
            region=count.region,
            principal_arn=count.principal_arn, model_written=count.model_written, model_id=resolved.model_id,
            profile_id=resolved.profile_id, variant=resolved.variant, known=resolved.known, calls=count.calls,
            errors=count.errors, first_seen=count.first_seen, last_seen=count.last_seen))
    return store.record_callers(scan.account_id, scan.account_name, scan.region, scan.start, scan.end,
                                scanned_at, scan.events, scan.skipped, records)


def accept_caller(store: ProjectStore, caller_id: int, app_id: int, today: dt.date,
                  environment: str = "prod") -> Change:
    """The application depends on what the caller calls: a dependency on its model in its
    Region and account (through its inference profile where it used one), added and checked
    as `deps add` does (a plan opens if due). Taking it back removes that dependency and
    makes the caller unassigned again."""
    from ...domain.models import Dependency
    from ...domain.validation import first_error

    caller = store.caller(caller_id)
    if caller is None:
        raise NotFoundError(f"no caller t{caller_id} (see 'planner-tui callers').")
    if not caller.known:
        raise UserInputError(
            f"{caller.model_written}: the catalog does not know this model, so it cannot be a dependency yet: "
            "a sync of a Region that lists it makes it known.")
    if caller.app_id is not None:
        raise UserInputError(f"caller t{caller_id} is {store.application(caller.app_id).name}'s dependency already: "
                             "undo the assignment, or remove the dependency, to change that.")
    app = store.application(app_id)
    notes = f"CloudTrail caller {caller.principal_arn}"
    if caller.variant:
        notes += f" ({caller.variant})"
    try:
        dependency = Dependency(app_id=app.id or app_id, model_id=caller.profile_id or caller.model_id,
                                region=caller.region, environment=environment.strip() or "prod", notes=notes[:500],
                                account_id=caller.account_id, account_name=caller.account_name)
    except ValueError as error:
        raise UserInputError(first_error(error)) from None
    resolved = store.resolve_dependency(dependency)
    same = _dependency_id(store, app_id, resolved)
    with store.batch():  # the dependency and the caller's assignment: both or neither
        added = None if same is not None else add_dependency(store, dependency, today)
        store.set_caller_app(caller_id, app_id)
    dep_id = same if same is not None else _dependency_id(store, app_id, resolved)

    def take_back() -> Change:
        with store.batch():
            if added is not None and added.inverse is not None:
                added.inverse()  # removes the dependency (its plan closes if nothing else needs it)
            store.set_caller_app(caller_id, caller.app_id)
        return Change("taking back the caller's assignment", None,
                      lambda: accept_caller(store, caller_id, app_id, today, environment))

    return Change(f"assigning caller t{caller_id} to {app.name}", dep_id, take_back,
                  added.note if added is not None else "")


def _dependency_id(store: ProjectStore, app_id: int, wanted: Dependency) -> int | None:
    """The application's dependency that is `wanted` (as the dependencies' key has it)."""
    key = (wanted.model_id, wanted.region, wanted.access_path, wanted.resource_id, wanted.environment)
    return next((d.id for d in store.dependencies(app_id)
                 if (d.model_id, d.region, d.access_path, d.resource_id, d.environment) == key), None)


def dismiss_caller(store: ProjectStore, caller_id: int, dismissed: bool = True) -> Change:
    """An unassigned caller hidden from `discovered` (kept so across syncs), or shown again;
    `callers` still lists it with its counts."""
    caller = store.caller(caller_id)
    if caller is None:
        raise NotFoundError(f"no caller t{caller_id} (see 'planner-tui callers').")
    if caller.app_id is not None:
        raise UserInputError(f"caller t{caller_id} is {store.application(caller.app_id).name}'s dependency already: "
                             "undo the assignment, or remove the dependency, to change that.")
    if caller.dismissed == dismissed:  # (an undo of a no-op would change it)
        raise UserInputError(f"caller t{caller_id} is {'dismissed' if dismissed else 'shown'} already"
                             + (" ('discovered --all' lists it)." if dismissed else "."))
    store.dismiss_caller(caller_id, dismissed)
    return Change("dismissing the caller" if dismissed else "showing the caller again", caller_id,
                  lambda: dismiss_caller(store, caller_id, not dismissed))
