"""Applications' dependencies moved from one model to another (a completed migration)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import TYPE_CHECKING

from ...domain.vocabulary import AccessPath
from ...errors import UserInputError

if TYPE_CHECKING:
    from ...domain.models import Dependency
    from ..store import ProjectStore

_COLUMNS = ("id", "app_id", "model_id", "region", "access_path", "resource_id", "environment",
            "monthly_volume", "notes")


def _row(dependency: Dependency) -> list:
    return [dependency.id, dependency.app_id, dependency.model_id, dependency.region,
            dependency.access_path.value, dependency.resource_id, dependency.environment,
            dependency.monthly_volume, dependency.notes]


class PortfolioRepository:
    def __init__(self, store: ProjectStore) -> None:
        self.store = store

    def switched(self, dependency: Dependency, to_model: str) -> Dependency:
        """`dependency` as it reads on `to_model`: the same Region, and the same kind of
        inference profile where it used one; checked against the catalog."""
        if dependency.access_path in (AccessPath.PROVISIONED, AccessPath.CUSTOM_MODEL):
            raise UserInputError(
                f"the dependency in {dependency.region} is {dependency.access_path.value} "
                f"({dependency.resource_id}): it cannot follow the model by itself; add the new "
                "resource in the dependency editor.")
        ident = to_model
        if dependency.access_path is AccessPath.INFERENCE_PROFILE and dependency.resource_id.endswith(
                dependency.model_id):
            ident = dependency.resource_id[: -len(dependency.model_id)] + to_model
        return self.store.resolve_dependency(dependency.model_copy(update={
            "model_id": ident, "resource_id": "" if ident == to_model else dependency.resource_id,
            "access_path": AccessPath.ON_DEMAND if dependency.access_path is AccessPath.INFERENCE_PROFILE
            and ident == to_model else dependency.access_path}))

    def switch_model(self, app_id: int, from_model: str, to_model: str, today: dt.date) -> list[Dependency]:
        """Move every dependency of the application on `from_model` to `to_model`, all or
        none; returns the dependencies as they were (what `restore` puts back)."""
        before = [d for d in self.store.dependencies(app_id) if d.model_id == from_model]
        if not before:
            raise UserInputError(f"the application no longer uses {from_model}.")
        after = [self.switched(d, to_model) for d in before]
        with self.store._edit() as db:
            for old, new in zip(before, after, strict=True):
                try:
                    db.execute("""UPDATE dependencies SET model_id = ?, access_path = ?, resource_id = ?
                                  WHERE id = ?""", [new.model_id, new.access_path.value, new.resource_id, old.id])
                except sqlite3.IntegrityError:  # the application already uses the new model there
                    db.execute("DELETE FROM dependencies WHERE id = ?", [old.id])
            self.store._ensure_plans(db, today)
        return before

    def restore(self, app_id: int, dependencies: list[Dependency], to_model: str, today: dt.date) -> None:
        """Put dependencies back as they were before a switch to `to_model`; a plan the
        switch opened for `to_model` closes again when nothing else uses it."""
        with self.store._edit() as db:
            for dependency in dependencies:
                db.execute("DELETE FROM dependencies WHERE id = ?", [dependency.id])
                db.execute(f"INSERT OR REPLACE INTO dependencies ({', '.join(_COLUMNS)}) "
                           f"VALUES ({', '.join('?' for _ in _COLUMNS)})", _row(dependency))
            self.store._ensure_plans(db, today)
            self.store.plan_records.close_unneeded(db, app_id, to_model, today)
