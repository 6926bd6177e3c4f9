"""Applications and their dependencies; resources a sync discovered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ...domain.ids import saved_id
from ...domain.lifecycle import status_in_region
from ...domain.vocabulary import Status
from ...errors import NotFoundError, UserInputError
from . import Change, checked

if TYPE_CHECKING:
    from ...domain.models import Application, Dependency
    from ...persistence.store import ProjectStore


def past_eol_warnings(store: ProjectStore, dependencies: Iterable[Dependency], today: dt.date) -> list[str]:
    """One sentence for each dependency on a model already past EOL in its Region: an outage."""
    found = []
    for dependency in dependencies:
        resolved = store.resolve_dependency(dependency)
        status = status_in_region(store.lifecycles(resolved.model_id), resolved.model_id, resolved.region,
                                  today)
        if status is Status.EOL:
            found.append(f"{resolved.model_id} is past its EOL in {resolved.region}: calls to it fail "
                         "already. The plan for it is rated 'past EOL'.")
    return found


def add_application(store: ProjectStore, app: Application, dependencies: list[Dependency],
                    today: dt.date) -> Change:
    app, dependencies = checked(app), [checked(d) for d in dependencies]
    warnings = past_eol_warnings(store, dependencies, today)
    saved = store.add_application(app, dependencies, today=today)
    return Change(f"adding {saved.name}", saved, lambda: remove_application(store, saved_id(saved)),
                  " ".join(warnings))


def edit_application(store: ProjectStore, edited: Application, *, check: bool = True) -> Change:
    """Save `edited`; taking it back saves the application as it was, checked or not (what
    the project held)."""
    edited = checked(edited) if check else edited
    before = store.application(saved_id(edited))
    saved = store.update_application(edited)
    return Change(f"editing {before.name}", saved,
                  lambda: edit_application(store, before.model_copy(update={"version": saved.version}),
                                           check=False))


def remove_application(store: ProjectStore, app_id: int) -> Change:
    app = store.application(app_id)
    snapshot = store.snapshot_application(app_id)
    store.delete_application(app_id)
    return Change(f"removing {app.name}", app, lambda: restore_application(store, app, snapshot))


def restore_application(store: ProjectStore, app: Application, snapshot: dict) -> Change:
    store.restore_application(snapshot)
    return Change(f"restoring {app.name}", app, lambda: remove_application(store, saved_id(app)))


def add_dependency(store: ProjectStore, dependency: Dependency, today: dt.date, *, check: bool = True) -> Change:
    """Add a dependency; a plan opens (or reopens) for a model with retirement dates."""
    dependency = checked(dependency) if check else dependency
    warnings = past_eol_warnings(store, [dependency], today)
    before = {p.id for p in store.plans(with_items=False) if p.is_open}
    dep_id = store.add_dependency(dependency, today)
    opened = [p for p in store.plans(with_items=False) if p.is_open and p.id not in before]
    return Change(f"adding {dependency.model_id} in {dependency.region}", opened,
                  lambda: remove_dependency(store, dep_id, today), " ".join(warnings))


def remove_dependency(store: ProjectStore, dep_id: int, today: dt.date) -> Change:
    """Remove a dependency; the plan it leaves without any closes as no longer needed."""
    dependency = next((d for d in store.dependencies() if d.id == dep_id), None)
    if dependency is None:
        raise NotFoundError("that dependency no longer exists: it was removed elsewhere.")
    closed = store.delete_dependency(dep_id, today)
    return Change(f"removing {dependency.model_id} in {dependency.region}", closed,
                  lambda: add_dependency(store, dependency.model_copy(update={"id": None}), today, check=False))


def accept_discovered(store: ProjectStore, discovered_id: int, app_id: int, today: dt.date) -> Change:
    dep_id = store.accept_discovered(discovered_id, app_id, today)

    def unaccept() -> Change:
        store.unaccept_discovered(discovered_id, dep_id, today)
        return Change("taking back the assignment", None,
                      lambda: accept_discovered(store, discovered_id, app_id, today))

    return Change("assigning the discovered resource", dep_id, unaccept)


def dismiss_discovered(store: ProjectStore, discovered_id: int, dismissed: bool = True) -> Change:
    if not any(d.id == discovered_id for d in store.discovered(include_handled=True)):
        raise UserInputError(f"no discovered resource with id {discovered_id}.")
    store.dismiss_discovered(discovered_id, dismissed)
    return Change("dismissing the resource" if dismissed else "showing the resource again", discovered_id,
                  lambda: dismiss_discovered(store, discovered_id, not dismissed))
