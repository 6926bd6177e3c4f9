"""Bulk onboarding: many applications with their dependencies, all or none."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypeVar

from ...domain.ids import saved_id
from . import Change, checked

M = TypeVar("M", bound="BaseModel")

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ...domain.models import Application, Dependency
    from ...persistence.store import ProjectStore


def add_applications(store: ProjectStore, batch: list[tuple[Application, list[Dependency]]],
                     today: dt.date) -> Change:
    """Add every application of `batch` (already checked, e.g. by integrations.csv_import)
    in one transaction; its result is the applications as saved. Taken back, they go again
    (each with its plans)."""
    from .portfolio import past_eol_warnings

    batch = [(_checked(app), [_checked(d) for d in deps]) for app, deps in batch]
    warnings = past_eol_warnings(store, [d for _, deps in batch for d in deps], today)
    store.add_applications(batch, today)
    names = {app.name for app, _ in batch}
    saved = [a for a in store.applications() if a.name in names]
    return Change(f"importing {len(saved)} application(s)", saved, lambda: _remove_all(store, saved, today, batch),
                  " ".join(warnings))


def _remove_all(store: ProjectStore, saved: list[Application], today: dt.date,
                batch: list[tuple[Application, list[Dependency]]]) -> Change:
    with store.batch():
        for app in saved:
            store.delete_application(saved_id(app))
    return Change(f"removing {len(saved)} imported application(s)", saved,
                  lambda: add_applications(store, batch, today))


def _checked(model: M) -> M:
    """`checked(model)`, keeping the model given when the rules change nothing: an import of
    100,000 rows would otherwise hold two copies of every application and dependency
    (120 MB more at its peak)."""
    again = checked(model)
    return model if again == model else again
