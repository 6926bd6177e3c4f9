"""The portfolio: applications and their dependencies on models (with whole-application
snapshots for undo of a delete). `PortfolioRepository` (store.portfolio) moves dependencies
from one model to another (a completed migration)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ...domain.ids import saved_id
from ...domain.validation import check_model_id, check_offered, check_region, split_profile
from ...domain.vocabulary import AccessPath, Criticality
from ...errors import NotFoundError, PlannerError, UserInputError
from ..db import _inserted_id, utc_now
from .plans import PlansRepo

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ...domain.models import Application, Dependency
    from .bulk import BulkRows

_COLUMNS = ("id", "app_id", "model_id", "region", "access_path", "resource_id", "environment",
            "monthly_volume", "notes", "account_id", "account_name")


def _row(dependency: Dependency) -> list:
    return [dependency.id, dependency.app_id, dependency.model_id, dependency.region,
            dependency.access_path.value, dependency.resource_id, dependency.environment,
            dependency.monthly_volume, dependency.notes, dependency.account_id, dependency.account_name]


class PortfolioRepo(PlansRepo):
    """Relies on PlansRepo (a plan for every new use of a model with retirement dates, closed
    when the last use goes) and, through it, CatalogRepo (models and their Regions)."""

    @cached_property
    def portfolio(self) -> PortfolioRepository:
        """Dependencies moved from one model to another."""
        return PortfolioRepository(self)

    @staticmethod
    def _application(row: dict[str, Any]) -> Application:
        from ...domain.models import Application

        return Application(
            id=row["id"], name=row["name"], owner=row["owner"], team=row["team"],
            criticality=Criticality(row["criticality"]),
            environments=tuple(json.loads(row["environments"])), notes=row["notes"],
            version=row["version"],
        )

    def applications(self) -> list[Application]:
        return self._memo("applications", self._all_applications)

    def _all_applications(self) -> list[Application]:
        """Every application, built from our own rows without validating them again (20,000
        after a large import), all sharing one set of field names (pydantic keeps a set per
        model otherwise: frozen models never change theirs, a copy gets its own); texts that
        repeat (owners, teams, environments) kept once."""
        from ...domain.models import Application

        fields = set(Application.model_fields)
        texts: dict[str, str] = {}
        lists: dict[str, tuple[str, ...]] = {}
        criticality = {c.value: c for c in Criticality}
        return [
            Application.model_construct(
                fields, id=app_id, name=name, owner=texts.setdefault(owner, owner),
                team=texts.setdefault(team, team), criticality=criticality[level],
                environments=lists.get(environments) or lists.setdefault(environments, tuple(json.loads(environments))),
                notes=notes, version=version)
            for app_id, name, owner, team, level, environments, notes, version in self.conn.execute(
                "SELECT id, name, owner, team, criticality, environments, notes, version "
                "FROM applications ORDER BY name")
        ]

    def application(self, name_or_id: str | int) -> Application:
        column = "id" if isinstance(name_or_id, int) else "name"
        rows = self._rows(f"SELECT * FROM applications WHERE {column} = ?", [name_or_id])
        if not rows:
            raise NotFoundError(f"no application named {name_or_id!r}.")
        return self._application(rows[0])

    def _app_values(self, app: Application) -> list[Any]:
        return [app.name, app.owner, app.team, app.criticality.value,
                json.dumps(list(app.environments)), app.notes]

    def _insert_application(self, db: Database, app: Application,
                            dependencies: Iterable[Dependency] = ()) -> int:
        try:
            app_id = _inserted_id(db.execute(
                """INSERT INTO applications (name, owner, team, criticality, environments,
                       notes, created_at) VALUES (?,?,?,?,?,?,?)""",
                [*self._app_values(app), utc_now()],
            ))
        except sqlite3.IntegrityError:
            raise UserInputError(f"an application named {app.name!r} already exists.") from None
        for dependency in dependencies:
            self._insert_dependency(db, dependency.model_copy(update={"app_id": app_id}))
        return app_id

    def add_application(
        self, app: Application, dependencies: Iterable[Dependency] = (), *, today: dt.date,
    ) -> Application:
        """Add an application with its dependencies, all or nothing."""
        with self._edit() as db:
            app_id = self._insert_application(db, app, dependencies)
            self._ensure_plans(db, today)
        return self.application(app_id)

    def add_applications(self, batch: list[tuple[Application, list[Dependency]]], today: dt.date) -> None:
        """Bulk onboarding: every application with its dependencies, in one transaction
        (one statement per table, however many applications)."""
        from .bulk import BulkRows

        with self._edit() as db:
            rows = BulkRows(self.conn)
            resolve = self.dependency_resolver()
            created = utc_now()
            for app, dependencies in batch:
                app_id = self._bulk_application(rows, app, created)
                for dependency in dependencies:
                    rows.add("dependencies", [app_id, *_row(resolve(dependency))[2:]])
            rows.flush()
            self._ensure_plans(db, today)

    def _bulk_application(self, rows: BulkRows, app: Application, created: str) -> int:
        """Queue an application's row in `rows` (repos/bulk.py); returns its id."""
        app_id = rows.new_id("applications")
        rows.add("applications", [app_id, *self._app_values(app), created])
        return app_id

    def update_application(self, app: Application) -> Application:
        """Save an edit made to `app` as read (its version); refuse if it changed since."""
        app_id = saved_id(app)
        with self._edit() as db:
            try:
                cursor = db.execute(
                    """UPDATE applications SET name=?, owner=?, team=?, criticality=?,
                           environments=?, notes=?, version = version + 1
                       WHERE id = ? AND version = ?""",
                    [*self._app_values(app), app_id, app.version],
                )
            except sqlite3.IntegrityError:
                raise UserInputError(f"an application named {app.name!r} already exists.") from None
            if cursor.rowcount == 0:
                self._explain_lost_update("applications", app_id, f"application {app.name!r}")
        return self.application(app_id)

    def delete_application(self, app_id: int) -> None:
        with self._edit() as db:
            db.execute("DELETE FROM applications WHERE id = ?", [app_id])

    def resolve_dependency(self, dependency: Dependency) -> Dependency:
        """Validate against the catalog; an inference profile ID resolves to its model, and is
        refused from a Region outside its geography."""
        return self.dependency_resolver()(dependency)

    def dependency_resolver(self) -> DependencyResolver:
        """`resolve_dependency` with the catalog read once, for as long as the project does
        not change (imports resolve thousands of rows)."""
        token = self.change_token()
        cached = self.__dict__.get("_resolver")
        if cached is None or cached[0] != token:
            cached = self.__dict__["_resolver"] = (token, DependencyResolver(self))
        return cached[1]

    def _insert_dependency(self, db: Database, dependency: Dependency) -> int:
        dependency = self.resolve_dependency(dependency)
        try:
            return self._insert_dependency_row(db, dependency.model_copy(update={"id": None}))
        except sqlite3.IntegrityError:
            raise UserInputError(
                f"{dependency.model_id} in {dependency.region} is already listed for this application."
            ) from None

    @staticmethod
    def _insert_dependency_row(db: Database, dependency: Dependency, *, replace: bool = False) -> int:
        """The one write of new `dependencies` rows (as given: resolve first); `replace` puts a
        row back by its id (undo)."""
        return _inserted_id(db.execute(
            f"INSERT {'OR REPLACE ' if replace else ''}INTO dependencies ({', '.join(_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in _COLUMNS)})", _row(dependency)))

    def add_dependency(self, dependency: Dependency, today: dt.date) -> int:
        with self._edit() as db:
            dep_id = self._insert_dependency(db, dependency)
            self._ensure_plans(db, today)
        return dep_id

    def delete_dependency(self, dep_id: int, today: dt.date) -> list[int]:
        """Remove a dependency; a plan left with none closes as no longer needed (returned)."""
        with self._edit() as db:
            row = db.execute("SELECT app_id, model_id FROM dependencies WHERE id = ?", [dep_id]).fetchone()
            if row is None:
                raise NotFoundError("that dependency no longer exists: it was removed elsewhere.")
            db.execute("DELETE FROM dependencies WHERE id = ?", [dep_id])
            return self.plan_records.close_unneeded(db, row[0], row[1], today)

    def dependencies(self, app_id: int | None = None) -> list[Dependency]:
        if app_id is None:
            return self._memo("dependencies", lambda: self._dependencies(None))
        return self._dependencies(app_id)

    def _dependencies(self, app_id: int | None) -> list[Dependency]:
        from ...domain.models import Dependency, trusted

        where, params = ("WHERE app_id = ?", [app_id]) if app_id is not None else ("", [])
        paths = {a.value: a for a in AccessPath}
        return [
            trusted(
                Dependency,
                id=r["id"], app_id=r["app_id"], model_id=r["model_id"], region=r["region"],
                access_path=paths[r["access_path"]], resource_id=r["resource_id"],
                environment=r["environment"], monthly_volume=r["monthly_volume"], notes=r["notes"],
                account_id=r["account_id"], account_name=r["account_name"],
            )
            for r in self._rows(f"SELECT * FROM dependencies {where} ORDER BY app_id, model_id, region", params)
        ]

    _APP_TABLES = (
        ("applications", "id = ?"),
        ("dependencies", "app_id = ?"),
        ("plans", "app_id = ?"),
        ("checklist_items", "plan_id IN (SELECT id FROM plans WHERE app_id = ?)"),
        ("plan_log", "plan_id IN (SELECT id FROM plans WHERE app_id = ?)"),
        ("plan_fields", "plan_id IN (SELECT id FROM plans WHERE app_id = ?)"),
        ("test_results", "plan_id IN (SELECT id FROM plans WHERE app_id = ?)"),
        ("rollout_stages", "plan_id IN (SELECT id FROM plans WHERE app_id = ?)"),
        ("rollout_decisions", "plan_id IN (SELECT id FROM plans WHERE app_id = ?)"),
    )

    def snapshot_application(self, app_id: int) -> dict[str, list[dict[str, Any]]]:
        return {
            table: self._rows(f"SELECT * FROM {table} WHERE {where}", [app_id])
            for table, where in self._APP_TABLES
        }

    def restore_application(self, snapshot: dict[str, list[dict[str, Any]]]) -> None:
        """Put a removed application back as it was; its plans that follow a campaign take
        its decision as it is now (it may have changed meanwhile)."""
        with self._edit() as db:
            for table, _ in self._APP_TABLES:
                for row in snapshot.get(table, []):
                    columns = ", ".join(row)
                    marks = ", ".join("?" for _ in row)
                    db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
            self._follow_decisions(db, [row["id"] for row in snapshot.get("plans", [])])


class DependencyResolver:
    """Checks dependencies against the catalog as read when it was made: model IDs, the
    Regions each model is offered in, the inference profiles' source Regions. Each target
    (model or profile, Region, access path, resource) is checked once."""

    def __init__(self, repo: PortfolioRepo) -> None:
        from ...catalog.bundled import profile_source_regions

        self._repo = repo
        self._models = repo.model_ids()
        self._offered: dict[str, set[str]] = {}
        self._profiles = profile_source_regions()
        self._seen: dict[tuple, dict[str, Any] | PlannerError] = {}

    def __call__(self, dependency: Dependency) -> Dependency:
        key = (dependency.model_id, dependency.region, dependency.access_path, dependency.resource_id)
        outcome = self._seen.get(key)
        if outcome is None:
            try:
                outcome = self._resolve(*key)
            except PlannerError as error:
                outcome = error
            self._seen[key] = outcome
        if isinstance(outcome, PlannerError):
            raise type(outcome)(*outcome.args)
        if not outcome:
            return dependency
        update = dict(outcome)
        variant = update.pop("variant", "")
        if variant and variant not in dependency.notes:  # '200k context', kept as detail
            update["notes"] = f"{variant}; {dependency.notes}" if dependency.notes else variant
        return dependency.model_copy(update=update)

    def _resolve(self, ident: str, region: str, access_path: AccessPath, resource_id: str) -> dict[str, Any]:
        """What changes in a dependency on `ident` in `region`: an inference profile ID
        resolves to its model and is refused from a Region outside its geography."""
        from ...domain.model_variants import base_model_id
        from ...domain.validation import check_profile_region

        # A variant (`…-v1:0:200k`, as fine-tuning bases and Provisioned Throughput name
        # models) is its base model; the variant goes into the notes.
        based, variant = base_model_id(ident, self._models)
        model_id, profile_id = split_profile(based)
        model_id = check_model_id(model_id, self._models)
        checked_region = check_region(region)
        if access_path is AccessPath.INFERENCE_PROFILE:  # as stored, or imported
            check_profile_region(resource_id, checked_region, self._profiles)
        if profile_id:
            check_profile_region(profile_id, checked_region, self._profiles)
            return {"model_id": model_id, "region": checked_region,
                    "access_path": AccessPath.INFERENCE_PROFILE, "resource_id": profile_id}
        offered = self._offered.get(model_id)
        if offered is None:
            offered = self._offered[model_id] = self._repo.offered_regions(model_id)
        check_offered(model_id, checked_region, offered)
        changed: dict[str, Any] = {"model_id": model_id, "region": checked_region}
        if variant:
            changed["variant"] = variant
        return {} if (model_id, checked_region) == (ident, region) else changed


class PortfolioRepository:
    def __init__(self, store: PortfolioRepo) -> None:
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
                self.store._insert_dependency_row(db, dependency, replace=True)
            self.store._ensure_plans(db, today)
            self.store.plan_records.close_unneeded(db, app_id, to_model, today)
