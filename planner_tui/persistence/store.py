"""The project store: every read and write of a project goes through here.

Each public method that changes data runs in its own transaction, so an edit is either
fully on disk or not at all. The pydantic models are imported in the methods that build
them: opening a project and reading its overviews then needs no pydantic (a third of a
second of every start).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
import contextlib
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.lifecycle import LifecycleDates
from ..domain.schedule import Standing, Timetable
from ..domain.vocabulary import PHASE_BY_VALUE, PHASES, AccessPath, Closure, Criticality, Phase, PolicyRegime, Status
from ..domain.validation import check_model_id, check_offered, check_region, split_profile
from ..errors import ConflictError, NotFoundError, ProjectFileError, ReadOnlyError, UserInputError
from .database import describe_operational_error, open_database

LIFECYCLE_DATE_FIELDS = ("legacy_date", "pea_date", "eol_date")
HAND_SOURCE = "entered by hand"


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _real(quoted: str) -> float | None:
    """A REAL as SQLite's quote() writes it (exactly), back to a float."""
    return None if quoted == "NULL" else float(quoted)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


if TYPE_CHECKING:
    from sqlite_utils import Database

    from ..catalog.bundled import Catalog
    from ..domain import project_document as doc
    from ..domain.audit import AuditEntry
    from ..domain.aws_records import DiscoveredResource, HealthEvent, ListedModel, UsagePoint
    from ..domain.models import (
        Application,
        ChecklistItem,
        Dependency,
        FoundationModel,
        MigrationPlan,
        RegionalLifecycle,
    )
    from ..domain.settings import ScheduleSettings
    from ..domain.workspace import RolloutDecision, RolloutStage, TestResult
    from .repos.plans import PlanRepository
    from .repos.portfolio import PortfolioRepository

_STATUS = {s.value: s for s in Status}
_POLICY = {p.value: p for p in PolicyRegime}


def _band(band: tuple | None) -> tuple:
    region, eol, pea = band or (None, None, None)
    return region, _iso(eol), _iso(pea)


class ProjectStore:
    def __init__(self, conn: sqlite3.Connection, *, read_only: bool = False, path: Path | None = None):
        self.conn = conn
        self.read_only = read_only
        self.path = path
        # One connection serves the UI thread and workers: one transaction at a time.
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: Path, read_only: bool = False) -> ProjectStore:
        return cls(open_database(path, read_only=read_only), read_only=read_only, path=Path(path))

    def close(self) -> None:
        self.conn.close()

    @cached_property
    def plan_records(self) -> PlanRepository:
        """Closing, reopening and stepping back plans; workspace records by id."""
        from .repos.plans import PlanRepository

        return PlanRepository(self)

    @cached_property
    def portfolio(self) -> PortfolioRepository:
        """Dependencies moved from one model to another."""
        from .repos.portfolio import PortfolioRepository

        return PortfolioRepository(self)

    @cached_property
    def db(self) -> Database:
        """sqlite-utils on the same connection, for edits; loaded on first use (reads need
        only the connection, so opening a project stays quick)."""
        from sqlite_utils import Database

        return Database(self.conn, execute_plugins=False, recursive_triggers=False)

    def change_token(self) -> tuple[int, int]:
        """Changes whenever the project changes, here or in another process."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        return self.conn.total_changes, version

    def _memo(self, key: str, compute):  # noqa: ANN001, ANN202
        """Whole-project lists are read by several overviews at once: compute each once per
        state of the project. Callers get a fresh list; the items are immutable."""
        token = self.change_token()
        cache = self.__dict__.setdefault("_lists", {})
        if key not in cache or cache[key][0] != token:
            cache[key] = (token, compute())
        return list(cache[key][1])

    # -- transactions ------------------------------------------------------------------

    @contextmanager
    def _edit(self) -> Iterator[Database]:
        """One user edit = one transaction. Refused in read-only mode.

        BEGIN IMMEDIATE takes the write lock up front, so a second program editing the same
        project waits its turn (busy timeout) instead of failing halfway with "locked".
        """
        if self.read_only:
            raise ReadOnlyError("this project is open read-only (--read-only); nothing was changed.")
        with self._lock:
            conn = self.conn
            try:
                if conn.in_transaction:  # an edit inside an edit: a savepoint
                    with self.db.atomic():
                        yield self.db
                    return
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self.db
                except BaseException:
                    if conn.in_transaction:
                        conn.rollback()
                    raise
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.rollback()
                    raise
            except sqlite3.OperationalError as error:
                raise ProjectFileError(describe_operational_error(error, "your edit was not saved")) from None

    def batch(self) -> contextlib.AbstractContextManager[Database]:
        """Several edits as one transaction (one commit, one disk flush)."""
        return self._edit()

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # -- settings ----------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM planner_meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def schedule_settings(self) -> ScheduleSettings:
        from ..domain.settings import ScheduleSettings

        raw = self._meta("schedule_settings")
        return ScheduleSettings.model_validate_json(raw) if raw else ScheduleSettings()

    def save_schedule_settings(self, settings: ScheduleSettings) -> None:
        with self._edit() as db:
            db.execute(
                "INSERT OR REPLACE INTO planner_meta(key, value) VALUES ('schedule_settings', ?)",
                [settings.model_dump_json()],
            )

    # -- catalog -----------------------------------------------------------------------

    def catalog_version(self) -> str | None:
        return self._meta("catalog_version")

    def set_catalog_version(self, version: str) -> None:
        with self._edit() as db:
            db.execute("INSERT OR REPLACE INTO planner_meta (key, value) VALUES ('catalog_version', ?)",
                       [version])

    def load_catalog(self, catalog: Catalog, source_label: str = "bundled catalog") -> int:
        """Merge catalog data in. Dates typed by hand are kept; every date change is logged.

        Returns the number of lifecycle dates that changed.
        """
        now = utc_now()
        changed = 0
        with self._edit() as db:
            for model in catalog.models:
                db.execute(
                    """INSERT INTO models (model_id, name, provider, input_modalities,
                           output_modalities, streaming, launch_date, eol_no_sooner_than,
                           legacy_period_days, source_url, as_of)
                       VALUES (?,?,?,?,?,?,?,?,?,?,?)
                       ON CONFLICT(model_id) DO UPDATE SET name=excluded.name,
                           provider=excluded.provider, input_modalities=excluded.input_modalities,
                           output_modalities=excluded.output_modalities,
                           streaming=excluded.streaming,
                           launch_date=COALESCE(excluded.launch_date, models.launch_date),
                           eol_no_sooner_than=COALESCE(excluded.eol_no_sooner_than,
                                                       models.eol_no_sooner_than),
                           legacy_period_days=COALESCE(excluded.legacy_period_days,
                                                       models.legacy_period_days),
                           source_url=excluded.source_url, as_of=excluded.as_of""",
                    [
                        model.model_id, model.name, model.provider,
                        json.dumps(model.input_modalities), json.dumps(model.output_modalities),
                        int(model.streaming), _iso(model.launch_date),
                        _iso(model.eol_no_sooner_than), model.legacy_period_days,
                        model.source_url, model.as_of,
                    ],
                )
                for access, regions in (
                    ("in-region", model.regions),
                    ("cross-region", model.cross_region_regions),
                ):
                    for region in regions:
                        db.execute(
                            """INSERT INTO model_regions (model_id, region, access) VALUES (?,?,?)
                               ON CONFLICT(model_id, region) DO UPDATE SET access =
                                 CASE WHEN model_regions.access = 'in-region'
                                      THEN 'in-region' ELSE excluded.access END""",
                            [model.model_id, region, access],
                        )
            for lifecycle in catalog.lifecycles:
                for region in lifecycle.regions:
                    changed += self._merge_lifecycle(db, lifecycle, region, source_label, now)
            db.execute(
                "INSERT OR REPLACE INTO planner_meta(key, value) VALUES ('catalog_loaded_at', ?)",
                [now],
            )
        return changed

    def _merge_lifecycle(
        self, db: Database, new: RegionalLifecycle, region: str, source_label: str, now: str
    ) -> int:
        existing = self._rows(
            "SELECT * FROM lifecycle WHERE model_id = ? AND region = ?", [new.model_id, region]
        )
        values = {
            "legacy_date": _iso(new.legacy_date),
            "pea_date": _iso(new.pea_date),
            "eol_date": _iso(new.eol_date),
        }
        if not existing:
            db.execute(
                """INSERT INTO lifecycle (model_id, region, declared_status, legacy_date, pea_date,
                       eol_date, policy, source, as_of) VALUES (?,?,?,?,?,?,?,?,?)""",
                [
                    new.model_id, region, new.declared_status.value, values["legacy_date"],
                    values["pea_date"], values["eol_date"], new.policy.value, new.source,
                    new.as_of,
                ],
            )
            return 0
        row = existing[0]
        manual = set(json.loads(row["manual_fields"]))
        changed = 0
        for field, value in values.items():
            if field in manual or row[field] == value:
                continue
            if value is None:
                # A source that simply doesn't state a date never erases one we have.
                continue
            db.execute(
                f"UPDATE lifecycle SET {field} = ? WHERE model_id = ? AND region = ?",
                [value, new.model_id, region],
            )
            self._log_date_change(db, new.model_id, region, field, row[field], value, now, source_label)
            changed += 1
        db.execute(
            """UPDATE lifecycle SET declared_status = ?, policy = ?, source = ?, as_of = ?
               WHERE model_id = ? AND region = ?""",
            [new.declared_status.value, new.policy.value, new.source, new.as_of, new.model_id, region],
        )
        return changed

    @staticmethod
    def _log_date_change(
        db: Database, model_id: str, region: str, field: str,
        old: str | None, new: str | None, now: str, source: str,
    ) -> None:
        db.execute(
            """INSERT INTO lifecycle_history (model_id, region, field, old_value, new_value,
                   changed_at, source) VALUES (?,?,?,?,?,?,?)""",
            [model_id, region, field, old, new, now, source],
        )

    def set_lifecycle_date(
        self, model_id: str, region: str, field: str, value: dt.date | None,
        today: dt.date | None = None,
    ) -> None:
        """A date the user enters by hand; later catalog reloads and syncs keep it. The
        change goes into the vendor-date history and, with who made it, the audit trail."""
        if field not in LIFECYCLE_DATE_FIELDS:
            raise UserInputError(f"unknown lifecycle date {field!r}.")
        region = check_region(region)
        model_id = check_model_id(model_id, self.model_ids())
        with self._edit() as db:
            rows = self._rows(
                "SELECT * FROM lifecycle WHERE model_id = ? AND region = ?", [model_id, region]
            )
            if not rows:
                db.execute(
                    """INSERT INTO lifecycle (model_id, region, declared_status, policy, source,
                           as_of) VALUES (?,?,?,?,?,?)""",
                    [model_id, region, Status.LEGACY.value, PolicyRegime.BEFORE_2026_09_07.value,
                     HAND_SOURCE, (today or dt.date.today()).isoformat()],
                )
                old, manual = None, set()
            else:
                old, manual = rows[0][field], set(json.loads(rows[0]["manual_fields"]))
            manual.add(field)
            db.execute(
                f"UPDATE lifecycle SET {field} = ?, manual_fields = ? WHERE model_id = ? AND region = ?",
                [_iso(value), json.dumps(sorted(manual)), model_id, region],
            )
            if old != _iso(value):
                now = utc_now()
                self._log_date_change(db, model_id, region, field, old, _iso(value), now, HAND_SOURCE)
                # The lifecycle table has no audit triggers (catalog loads and syncs rewrite
                # it): a date typed by hand is logged here, at the same moment, by its actor.
                db.execute(
                    """INSERT INTO audit_log (at, actor, table_name, row_key, action, old, new)
                       VALUES (?, planner_actor(), 'lifecycle', ?, 'update', ?, ?)""",
                    [now.replace("+00:00", "Z"), f"{model_id}@{region}",
                     json.dumps({field: old}), json.dumps({field: _iso(value)})],
                )

    def lifecycle_history(self, model_id: str | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE model_id = ?", [model_id]) if model_id else ("", [])
        return self._rows(f"SELECT * FROM lifecycle_history {where} ORDER BY id", params)

    def model_ids(self) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT model_id FROM models")}

    def models(self) -> list[FoundationModel]:
        return self._memo("models", self._models)

    def _models(self) -> list[FoundationModel]:
        from ..domain.models import FoundationModel

        regions: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for model_id, region, access in self.conn.execute(
            "SELECT model_id, region, access FROM model_regions ORDER BY region"
        ):
            regions[model_id][access].append(region)
        return [
            FoundationModel(
                model_id=row["model_id"],
                name=row["name"],
                provider=row["provider"],
                input_modalities=tuple(json.loads(row["input_modalities"])),
                output_modalities=tuple(json.loads(row["output_modalities"])),
                streaming=bool(row["streaming"]),
                launch_date=_date(row["launch_date"]),
                eol_no_sooner_than=_date(row["eol_no_sooner_than"]),
                legacy_period_days=row["legacy_period_days"],
                regions=tuple(regions[row["model_id"]]["in-region"]),
                cross_region_regions=tuple(regions[row["model_id"]]["cross-region"]),
                source_url=row["source_url"],
                as_of=row["as_of"],
            )
            for row in self._rows("SELECT * FROM models ORDER BY provider, name, model_id")
        ]

    def model_names(self) -> dict[str, str]:
        # One row, not one per model: start-up reads this in a thread beside a busy UI thread,
        # and each row fetched waits its turn for the interpreter.
        (names,) = self.conn.execute("SELECT json_group_object(model_id, name) FROM models").fetchone()
        return json.loads(names)

    def model(self, model_id: str) -> FoundationModel | None:
        return next((m for m in self.models() if m.model_id == model_id), None)

    def offered_regions(self, model_id: str) -> set[str]:
        """Regions where the model is (or was) offered: availability plus lifecycle rows."""
        return {
            row[0]
            for row in self.conn.execute(
                """SELECT region FROM model_regions WHERE model_id = ?
                   UNION SELECT region FROM lifecycle WHERE model_id = ?""",
                [model_id, model_id],
            )
        }

    def lifecycles(self, model_id: str | None = None) -> list[RegionalLifecycle]:
        """Lifecycle rows grouped: Regions with the same dates share one row."""
        if model_id is None:
            return self._memo("lifecycles", lambda: self._lifecycles(None))
        return self._lifecycles(model_id)

    def _lifecycle_groups(self, model_id: str | None) -> list[tuple[tuple, list[str]]]:
        """(first row, Regions) per group of Regions with the same dates and source."""
        where, params = ("WHERE l.model_id = ?", [model_id]) if model_id else ("", [])
        groups: dict[tuple, tuple[tuple, list[str]]] = {}
        for *row, region in self.conn.execute(
            f"""SELECT l.model_id, l.declared_status, l.legacy_date, l.pea_date, l.eol_date, l.policy,
                       l.source, l.as_of, m.launch_date, m.eol_no_sooner_than, m.legacy_period_days,
                       l.region
                FROM lifecycle l JOIN models m USING (model_id) {where}
                ORDER BY l.model_id, l.region""",
            params,
        ):
            # as_of and the model's columns follow from the rest.
            groups.setdefault(tuple(row[:7]), (row, []))[1].append(region)
        return list(groups.values())

    def _lifecycles(self, model_id: str | None) -> list[RegionalLifecycle]:
        from ..domain.models import RegionalLifecycle, trusted

        # Rows come from our own schema: build without re-validating every field.
        return [
            trusted(
                RegionalLifecycle, model_id=model, regions=tuple(regions), declared_status=_STATUS[declared],
                launch_date=_date(launch), legacy_date=_date(legacy), pea_date=_date(pea),
                eol_date=_date(eol), eol_no_sooner_than=_date(no_sooner), legacy_period_days=period,
                policy=_POLICY[policy], source=source, as_of=as_of)
            for (model, declared, legacy, pea, eol, policy, source, as_of, launch, no_sooner, period), regions
            in self._lifecycle_groups(model_id)
        ]

    def lifecycle_dates(self, model_ids: Iterable[str] | None = None) -> list[LifecycleDates]:
        """The same groups as `lifecycles` (of every model, or of these), with only their
        dates: what overviews draw. Grouped by SQLite (thousands of rows stay out of Python),
        read as one value (see `_all_at_once`)."""
        where, params = self._among("model_id", model_ids)
        groups = [
            LifecycleDates(model, tuple(sorted(regions)), _STATUS[declared], _date(legacy), _date(pea),
                           _date(eol), source, as_of)
            for model, declared, legacy, pea, eol, source, as_of, regions in self._all_at_once(
                f"""SELECT json_array(model_id, declared_status, legacy_date, pea_date, eol_date, source,
                                      min(as_of), json_group_array(region)) AS row
                    FROM lifecycle WHERE {where}
                    GROUP BY model_id, declared_status, legacy_date, pea_date, eol_date, policy, source""",
                params)
        ]
        return sorted(groups, key=lambda group: (group.model_id, group.regions[0]))

    def _all_at_once(self, rows_sql: str, params: Iterable[Any] = ()) -> list[list[Any]]:
        """The rows of `rows_sql`, whose one column `row` is each row as a JSON array, fetched
        as a single value. The dashboard is read in a thread while the UI thread starts, and SQLite
        hands the interpreter back after every row it steps: each hand-back waits for the busy
        UI thread. One value per query keeps a few hundred rows from taking a few hundred waits."""
        (rows,) = self.conn.execute(
            f"SELECT json_group_array(json(row)) FROM ({rows_sql})",
            list(params)).fetchone()
        return json.loads(rows)

    @staticmethod
    def _among(column: str, values: Iterable[Any] | None) -> tuple[str, list[str]]:
        """SQL condition and its parameter: `column` is one of `values` (any row for None)."""
        if values is None:
            return "1", []
        return f"{column} IN (SELECT value FROM json_each(?))", [json.dumps(list(values))]

    # -- applications and dependencies -------------------------------------------------

    @staticmethod
    def _application(row: dict[str, Any]) -> Application:
        from ..domain.models import Application

        return Application(
            id=row["id"], name=row["name"], owner=row["owner"], team=row["team"],
            criticality=Criticality(row["criticality"]),
            environments=tuple(json.loads(row["environments"])), notes=row["notes"],
            version=row["version"],
        )

    def applications(self) -> list[Application]:
        return self._memo("applications", lambda: [
            self._application(r) for r in self._rows("SELECT * FROM applications ORDER BY name")])

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
            app_id = db.execute(
                """INSERT INTO applications (name, owner, team, criticality, environments,
                       notes, created_at) VALUES (?,?,?,?,?,?,?)""",
                [*self._app_values(app), utc_now()],
            ).lastrowid
        except sqlite3.IntegrityError:
            raise UserInputError(f"an application named {app.name!r} already exists.") from None
        for dependency in dependencies:
            self._insert_dependency(db, dependency.model_copy(update={"app_id": app_id}))
        return app_id

    def add_application(
        self, app: Application, dependencies: Iterable[Dependency] = (),
        today: dt.date | None = None,
    ) -> Application:
        """Add an application with its dependencies, all or nothing."""
        with self._edit() as db:
            app_id = self._insert_application(db, app, dependencies)
            self._ensure_plans(db, today or dt.date.today())
        return self.application(app_id)

    def update_application(self, app: Application) -> Application:
        """Save an edit made to `app` as read (its version); refuse if it changed since."""
        with self._edit() as db:
            try:
                cursor = db.execute(
                    """UPDATE applications SET name=?, owner=?, team=?, criticality=?,
                           environments=?, notes=?, version = version + 1
                       WHERE id = ? AND version = ?""",
                    [*self._app_values(app), app.id, app.version],
                )
            except sqlite3.IntegrityError:
                raise UserInputError(f"an application named {app.name!r} already exists.") from None
            if cursor.rowcount == 0:
                self._explain_lost_update("applications", app.id, f"application {app.name!r}")
        return self.application(app.id)

    def _explain_lost_update(self, table: str, row_id: int | None, what: str) -> None:
        row = self.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", [row_id]).fetchone()
        if row is None:
            raise NotFoundError(f"{what} no longer exists.")
        last = self._rows(
            "SELECT actor, at FROM audit_log WHERE table_name = ? AND row_key = ? ORDER BY id DESC LIMIT 1",
            [table, str(row_id)],
        )
        by = f" by {last[0]['actor']} at {last[0]['at']}" if last else ""
        raise ConflictError(f"{what} was changed elsewhere{by} since you opened it; your edit was "
                            "not saved. Reload to see the latest and try again.")

    def delete_application(self, app_id: int) -> None:
        with self._edit() as db:
            db.execute("DELETE FROM applications WHERE id = ?", [app_id])

    def resolve_dependency(self, dependency: Dependency) -> Dependency:
        """Validate against the catalog; an inference profile ID resolves to its model, and is
        refused from a Region outside its geography."""
        from ..catalog.bundled import profile_source_regions
        from ..domain.validation import check_profile_region

        model_id, profile_id = split_profile(dependency.model_id.strip())
        model_id = check_model_id(model_id, self.model_ids())
        region = check_region(dependency.region)
        if dependency.access_path is AccessPath.INFERENCE_PROFILE:  # as stored, or imported
            check_profile_region(dependency.resource_id, region, profile_source_regions())
        if profile_id:
            check_profile_region(profile_id, region, profile_source_regions())
            return dependency.model_copy(update={
                "model_id": model_id, "region": region,
                "access_path": AccessPath.INFERENCE_PROFILE, "resource_id": profile_id,
            })
        check_offered(model_id, region, self.offered_regions(model_id))
        return dependency.model_copy(update={"model_id": model_id, "region": region})

    def _insert_dependency(self, db: Database, dependency: Dependency) -> int:
        dependency = self.resolve_dependency(dependency)
        try:
            cursor = db.execute(
                """INSERT INTO dependencies (app_id, model_id, region, access_path, resource_id,
                       environment, monthly_volume, notes) VALUES (?,?,?,?,?,?,?,?)""",
                [dependency.app_id, dependency.model_id, dependency.region,
                 dependency.access_path.value, dependency.resource_id, dependency.environment,
                 dependency.monthly_volume, dependency.notes],
            )
        except sqlite3.IntegrityError:
            raise UserInputError(
                f"{dependency.model_id} in {dependency.region} is already listed for this application."
            ) from None
        return cursor.lastrowid

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
        from ..domain.models import Dependency, trusted

        where, params = ("WHERE app_id = ?", [app_id]) if app_id is not None else ("", [])
        paths = {a.value: a for a in AccessPath}
        return [
            trusted(
                Dependency,
                id=r["id"], app_id=r["app_id"], model_id=r["model_id"], region=r["region"],
                access_path=paths[r["access_path"]], resource_id=r["resource_id"],
                environment=r["environment"], monthly_volume=r["monthly_volume"], notes=r["notes"],
            )
            for r in self._rows(f"SELECT * FROM dependencies {where} ORDER BY app_id, model_id, region", params)
        ]

    # -- plans -------------------------------------------------------------------------

    def _ensure_plans(self, db: Database, today: dt.date) -> list[int]:
        """A plan for every application × model with published retirement dates where it's used;
        a plan closed as no longer needed opens again when its model is used again."""
        from ..domain.checklists import default_items

        self.plan_records.reopen_needed(db)
        missing = db.execute(
            """SELECT DISTINCT d.app_id, d.model_id FROM dependencies d
               JOIN lifecycle l ON l.model_id = d.model_id AND l.region = d.region
               LEFT JOIN plans p ON p.app_id = d.app_id AND p.model_id = d.model_id
               WHERE p.id IS NULL ORDER BY d.app_id, d.model_id"""
        ).fetchall()
        created = []
        for app_id, model_id in missing:
            cursor = db.execute(
                "INSERT INTO plans (app_id, model_id, started_on) VALUES (?,?,?)",
                [app_id, model_id, today.isoformat()],
            )
            plan_id = cursor.lastrowid
            db.conn.executemany(
                """INSERT INTO checklist_items (plan_id, phase, position, title)
                   VALUES (?,?,?,?)""",
                [(plan_id, i.phase.value, i.position, i.title) for i in default_items()],
            )
            self._log(db, plan_id, "created", f"plan for {model_id}")
            created.append(plan_id)
        return created

    def ensure_plans(self, today: dt.date) -> list[int]:
        with self._edit() as db:
            return self._ensure_plans(db, today)

    @staticmethod
    def _log(db: Database, plan_id: int, event: str, detail: str = "") -> None:
        db.execute(
            "INSERT INTO plan_log (plan_id, at, event, detail) VALUES (?,?,?,?)",
            [plan_id, utc_now(), event, detail],
        )

    @staticmethod
    def _item(row: dict[str, Any]) -> ChecklistItem:
        from ..domain.models import ChecklistItem

        return ChecklistItem(
            id=row["id"], plan_id=row["plan_id"], phase=Phase(row["phase"]),
            position=row["position"], title=row["title"], done=bool(row["done"]),
            owner=row["owner"], due_date=_date(row["due_date"]), notes=row["notes"],
            done_at=dt.datetime.fromisoformat(row["done_at"]) if row["done_at"] else None,
            version=row["version"],
        )

    def plans(self, plan_id: int | None = None, with_items: bool = True,
              plan_ids: Iterable[int] | None = None) -> list[MigrationPlan]:
        """Plans (all, one, or those in `plan_ids`) with their checklist items, or
        (with_items=False) only per-phase counts, which is what overviews of thousands need."""
        from ..domain.models import MigrationPlan, trusted

        if plan_id is not None:
            plan_ids = [plan_id]
        where, params = self._among("p.id", plan_ids)
        item_where, _ = self._among("plan_id", plan_ids)
        items: dict[int, list[ChecklistItem]] = defaultdict(list)
        counts: dict[int, dict[Phase, tuple[int, int]]] = defaultdict(dict)
        if with_items:
            for row in self._rows(
                f"SELECT * FROM checklist_items WHERE {item_where} ORDER BY plan_id, phase, position, id", params
            ):
                items[row["plan_id"]].append(self._item(row))
        else:
            for plan, phase, done, total in self.conn.execute(
                f"SELECT plan_id, phase, done, total FROM plan_item_counts WHERE {item_where}", params
            ):
                if total:
                    counts[plan][PHASE_BY_VALUE[phase]] = (done, total)
        # Rows come from our own schema: build without re-validating every field.
        return [
            trusted(
                MigrationPlan,
                id=r["id"], app_id=r["app_id"], app_name=r["app_name"], model_id=r["model_id"],
                target_model_id=r["target_model_id"], decision_reason=r["decision_reason"],
                current_phase=PHASE_BY_VALUE[r["current_phase"]], started_on=_date(r["started_on"]),
                deadline_override=_date(r["deadline_override"]),
                completed_on=_date(r["completed_on"]), closed_on=_date(r["closed_on"]),
                closed_kind=r["closed_kind"] and Closure(r["closed_kind"]), closed_reason=r["closed_reason"],
                items=tuple(items[r["id"]]),
                phase_counts=counts[r["id"]],
            )
            for r in self._rows(
                f"""SELECT p.*, a.name AS app_name FROM plans p
                    JOIN applications a ON a.id = p.app_id WHERE {where} ORDER BY a.name, p.model_id""",
                params,
            )
        ]

    # -- stored schedules: a cache of domain/schedule.py, see migration 0008 ------------------

    def stale_schedules(self, today: dt.date) -> tuple[list[int], list[int]]:
        """(plans whose timetable must be worked out, plans whose standing on `today` must be)."""
        self._drop_outdated_shadow()
        checked = (self.change_token(), today)
        if self.__dict__.get("_schedules_fresh") == checked:
            return [], []
        # What a read-only copy is based on: changes after this point must invalidate it.
        self._checked_version = checked[0][1]
        day = today.isoformat()
        rebuild = []
        plans, stored = self.conn.execute(
            "SELECT (SELECT count(*) FROM plans), (SELECT count(*) FROM plan_schedules)").fetchone()
        if plans != stored:  # counting is instant; rows cascade away with their plan
            rebuild = [row[0] for row in self.conn.execute(
                "SELECT id FROM plans p WHERE NOT EXISTS (SELECT 1 FROM plan_schedules WHERE plan_id = p.id)")]
        reevaluate = []
        for plan_id, whole in self.conn.execute(
            """SELECT plan_id, valid_from > :day OR valid_until <= :day FROM plan_schedules
               WHERE evaluated_on IS NOT :day OR valid_from > :day OR valid_until <= :day""",
            {"day": day},
        ):
            (rebuild if whole else reevaluate).append(plan_id)
        if not rebuild and not reevaluate:
            self._schedules_fresh = checked
        return rebuild, reevaluate

    def standing_inputs(self, plan_ids: Iterable[int]) -> list[tuple]:
        """What a plan's standing is worked out from, besides its stored timetable:
        (plan id, started_on, deadline, basis, dues, compressed, valid_from, valid_until,
        current phase, completed_on, criticality, done and total items of the current phase,
        done and total items of the plan, earliest EOL, closed_on)."""
        return self.conn.execute(
            """SELECT s.plan_id, p.started_on, s.deadline, s.basis, s.dues, s.compressed, s.valid_from,
                      s.valid_until, p.current_phase, p.completed_on, a.criticality,
                      coalesce(c.done, 0), coalesce(c.total, 0),
                      (SELECT coalesce(sum(done), 0) FROM plan_item_counts WHERE plan_id = p.id),
                      (SELECT coalesce(sum(total), 0) FROM plan_item_counts WHERE plan_id = p.id),
                      s.eol, p.closed_on
               FROM plan_schedules s JOIN plans p ON p.id = s.plan_id JOIN applications a ON a.id = p.app_id
               LEFT JOIN plan_item_counts c ON c.plan_id = p.id AND c.phase = p.current_phase
               WHERE s.plan_id IN (SELECT value FROM json_each(?))""",
            [json.dumps(list(plan_ids))],
        ).fetchall()

    def save_schedules(self, today: dt.date, timetables: dict[int, tuple[Timetable, tuple | None]],
                       standings: dict[int, tuple[Standing, float]]) -> None:
        """Store timetables (with their timeline band: (region, eol, pea) or None) and standings.

        Read-only projects keep them in a temporary table for this session instead, which
        shadows the stored one (SQLite looks in `temp` first)."""
        day = today.isoformat()
        full = [
            (plan_id, _iso(t.deadline.date) if t.deadline else None, t.deadline.basis if t.deadline else "",
             json.dumps([d.isoformat() for d in t.dues]), int(t.compressed), _iso(t.valid_from),
             _iso(t.valid_until), *_band(band), day, s.risk.rank, _iso(s.next_due),
             s.urgency, progress, _iso(t.eol))
            for plan_id, (t, band) in timetables.items()
            for s, progress in [standings[plan_id]]
        ]
        partial = [(day, s.risk.rank, _iso(s.next_due), s.urgency, progress, plan_id)
                   for plan_id, (s, progress) in standings.items() if plan_id not in timetables]
        if self.read_only:
            self._write_shadow(full, partial)
            return
        with self._edit() as db:
            self._write_schedules(db.conn, full, partial)

    @staticmethod
    def _write_schedules(conn: sqlite3.Connection, full: list[tuple], partial: list[tuple]) -> None:
        conn.executemany("INSERT OR REPLACE INTO plan_schedules VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", full)
        conn.executemany("UPDATE plan_schedules SET evaluated_on = ?, risk_rank = ?, next_due = ?, "
                         "urgency = ?, progress = ? WHERE plan_id = ?", partial)

    @contextmanager
    def _temp_writes(self) -> Iterator[sqlite3.Connection]:
        """Writes to the `temp` schema of a read-only connection; the file itself stays
        read-only (mode=ro or immutable), only query_only is lifted meanwhile."""
        self.conn.execute("PRAGMA query_only = OFF")
        try:
            yield self.conn
        finally:
            self.conn.execute("PRAGMA query_only = ON")

    def _write_shadow(self, full: list[tuple], partial: list[tuple]) -> None:
        with self._temp_writes() as conn:
            if "_shadow_version" not in self.__dict__:
                # The stored table's own definition and indexes, made again in `temp`.
                table = conn.execute("SELECT sql FROM main.sqlite_master WHERE type = 'table' "
                                     "AND name = 'plan_schedules'").fetchone()[0]
                conn.execute(table.replace("CREATE TABLE ", "CREATE TEMP TABLE ", 1))
                conn.execute("INSERT INTO temp.plan_schedules SELECT * FROM main.plan_schedules")
                for (index,) in conn.execute("SELECT sql FROM main.sqlite_master WHERE type = 'index' "
                                             "AND tbl_name = 'plan_schedules' AND sql IS NOT NULL").fetchall():
                    conn.execute(index.replace("CREATE INDEX ", "CREATE INDEX temp.", 1))
                self._shadow_version = self._checked_version
            with conn:
                self._write_schedules(conn, full, partial)

    def _drop_outdated_shadow(self) -> None:
        """Another program changed the project: its stored schedules are newer than our copy."""
        version = self.__dict__.get("_shadow_version")
        if version is not None and version != self.conn.execute("PRAGMA data_version").fetchone()[0]:
            with self._temp_writes() as conn:
                conn.execute("DROP TABLE temp.plan_schedules")
            del self._shadow_version

    def plan_line_rows(self, *, limit: int | None = None, app_id: int | None = None,
                       model_ids: Iterable[str] | None = None, open_only: bool = False,
                       below_rank: int | None = None) -> list[tuple]:
        """Plans with their stored standing, most urgent first, as tuples of
        (id, app_id, app name, criticality, model_id, model name, current phase, completed_on,
        target_model_id, deadline, basis, compressed, risk rank, next due, urgency, progress, dues,
        closed_kind). `below_rank` leaves out plans whose risk ranks there or after.

        Stored schedules must be current (services/schedules.py sees to it)."""
        where, params = [], []
        if app_id is not None:
            where.append("p.app_id = ?")
            params.append(app_id)
        if model_ids is not None:
            condition, values = self._among("p.model_id", model_ids)
            where.append(condition)
            params += values
        if open_only:
            where.append("p.completed_on IS NULL AND p.closed_on IS NULL")
        # The first few of all plans: walk the stored order (plan_schedules_order) and sort only
        # ties, instead of sorting every plan (CROSS JOIN keeps SQLite to that join order).
        first_few = limit is not None and not where
        if below_rank is not None:  # risk_rank leads the stored order's index: the walk holds
            where.append("s.risk_rank < ?")
            params.append(below_rank)
        order = "s.risk_rank, s.urgency DESC, s.next_due IS NULL, s.next_due, a.name, p.model_id"
        columns = """p.id, p.app_id, a.name, a.criticality, p.model_id, coalesce(m.name, p.model_id),
                     p.current_phase, p.completed_on, p.target_model_id, s.deadline, s.basis,
                     s.compressed, s.risk_rank, s.next_due, s.urgency, s.progress, s.dues, p.closed_kind"""
        tables = f"""FROM plan_schedules s {"CROSS JOIN" if first_few else "JOIN"} plans p ON p.id = s.plan_id
                    JOIN applications a ON a.id = p.app_id LEFT JOIN models m ON m.model_id = p.model_id
                    {"WHERE " + " AND ".join(where) if where else ""}"""
        if limit is None and model_ids is None:  # up to every plan: row by row is quicker
            return self.conn.execute(f"SELECT {columns} {tables} ORDER BY {order}", params).fetchall()
        # A few rows (the dashboard's, read as the app starts): all at once. The order travels
        # as a row number, or with LIMIT as the order of the rows. JSON writes a REAL with 15
        # digits, so urgency and progress go as quote()'s exact text.
        exact = columns.replace("s.urgency, s.progress", "quote(s.urgency), quote(s.progress)")
        if limit is None:
            sql = f"SELECT json_array(row_number() OVER (ORDER BY {order}), {exact}) AS row {tables}"
            rows = [row[1:] for row in sorted(self._all_at_once(sql, params))]
        else:
            sql = f"SELECT json_array({exact}) AS row {tables} ORDER BY {order} LIMIT ?"
            rows = self._all_at_once(sql, [*params, limit])
        return [(*row[:14], _real(row[14]), _real(row[15]), row[16], row[17]) for row in rows]

    def regions_used(self, uses: Iterable[tuple[int, str]]) -> dict[tuple[int, str], set[str]]:
        """Regions each (application id, model) pair has dependencies in."""
        found: dict[tuple[int, str], set[str]] = defaultdict(set)
        for app_id, model_id, region in self.conn.execute(
            """SELECT d.app_id, d.model_id, d.region FROM dependencies d
               JOIN json_each(?) u ON d.app_id = json_extract(u.value, '$[0]') AND d.model_id = json_extract(u.value, '$[1]')""",
            [json.dumps(sorted(uses))],
        ):
            found[(app_id, model_id)].add(region)
        return found

    def criticalities(self) -> dict[int, Criticality]:
        return {app_id: Criticality(value) for app_id, value in
                self.conn.execute("SELECT id, criticality FROM applications")}

    def plan_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM plans").fetchone()[0]

    def timeline_bands(self) -> list[tuple[str, str, str | None, str | None]]:
        """Per model with open plans: (model_id, a Region of the lifecycle its plans reach first,
        that EOL date, that PEA date)."""
        # SQLite takes the bare columns from the row that gives the MIN. NOT INDEXED: one
        # scan and a sort beat walking plans_model with a look-up per plan (2× here).
        return [tuple(row) for row in self._all_at_once(
            """SELECT json_array(model_id, band_region, band_eol, band_pea) AS row FROM (
                   SELECT p.model_id, s.band_region, s.band_eol, s.band_pea,
                          MIN(coalesce(s.band_eol, '9999-12-31') || coalesce(s.band_pea, '9999-12-31'))
                   FROM plans p NOT INDEXED JOIN plan_schedules s ON s.plan_id = p.id
                   WHERE p.completed_on IS NULL AND p.closed_on IS NULL AND s.band_region IS NOT NULL
                   GROUP BY p.model_id)""")]

    def open_phase_dues(self, model_ids: Iterable[str]) -> list[tuple[str, str, int, int]]:
        """For these models' open plans, the due dates of the phases not done yet, counted
        per (model_id, ISO due date, risk rank of the plan): what the timeline draws.
        A plan without a deadline has no due dates. Stored schedules must be current."""
        among, params = self._among("p.model_id", model_ids)
        phase_index = "CASE p.current_phase " + " ".join(
            f"WHEN '{phase.value}' THEN {index}" for index, phase in enumerate(PHASES)) + " END"
        # Counted by SQLite: the dashboard's timeline would otherwise read every open plan of
        # its models (hundreds on a large project) while the app starts.
        return [tuple(row) for row in self._all_at_once(
            f"""SELECT json_array(p.model_id, d.value, s.risk_rank, count(*)) AS row
                FROM plans p JOIN plan_schedules s ON s.plan_id = p.id JOIN json_each(s.dues) d
                WHERE {among} AND p.completed_on IS NULL AND p.closed_on IS NULL AND s.deadline IS NOT NULL
                      AND d.key >= {phase_index}
                GROUP BY p.model_id, d.value, s.risk_rank""", params)]

    def dependency_lifecycle_counts(self) -> list[tuple]:
        """How many dependencies sit on each lifecycle row (None dates: no row, still Active):
        (declared status, legacy, PEA, EOL, count)."""
        # Counted per (model, Region) first: one lifecycle look-up per pair, not per dependency.
        return [tuple(row) for row in self._all_at_once(
            """SELECT json_array(l.declared_status, l.legacy_date, l.pea_date, l.eol_date, sum(d.uses)) AS row
               FROM (SELECT model_id, region, count(*) AS uses FROM dependencies GROUP BY model_id, region) d
               LEFT JOIN lifecycle l ON l.model_id = d.model_id AND l.region = d.region
               GROUP BY l.declared_status, l.legacy_date, l.pea_date, l.eol_date""")]

    def apps_using_each(self, uses: list[tuple[str, tuple[str, ...]]]) -> list[set[str]]:
        """For each (model, Regions): names of the applications using the model in any of
        those Regions. One query for all (the dashboard asks for forty while the app starts)."""
        found: list[set[str]] = [set() for _ in uses]
        (by_use,) = self.conn.execute(
            """SELECT json_group_object(use_index, names) FROM (
                   SELECT u.key AS use_index, json_group_array(DISTINCT a.name) AS names
                   FROM json_each(?) u
                   JOIN dependencies d ON d.model_id = json_extract(u.value, '$[0]')
                        AND d.region IN (SELECT value FROM json_each(u.value, '$[1]'))
                   JOIN applications a ON a.id = d.app_id
                   GROUP BY u.key)""",
            [json.dumps([[model_id, list(regions)] for model_id, regions in uses])]).fetchone()
        for index, names in json.loads(by_use).items():
            found[int(index)].update(json.loads(names))
        return found

    def model_uses(self) -> dict[tuple[str, str], set[str]]:
        """Names of the applications using each (model, Region)."""
        uses: dict[tuple[str, str], set[str]] = defaultdict(set)
        for model_id, region, name in self.conn.execute(
                "SELECT d.model_id, d.region, a.name FROM dependencies d JOIN applications a ON a.id = d.app_id"):
            uses[(model_id, region)].add(name)
        return uses

    def phase_totals(self, plan_ids: Iterable[int] | None = None) -> dict[tuple[int, Phase], int]:
        """How many checklist items each (plan, phase) has, of every plan or of these."""
        where, params = self._among("plan_id", plan_ids)
        return {(plan_id, PHASE_BY_VALUE[phase]): total for plan_id, phase, total in
                self.conn.execute(f"SELECT plan_id, phase, total FROM plan_item_counts WHERE {where}", params)}

    def open_item_titles(self, plan_ids: Iterable[int] | None = None) -> dict[tuple[int, Phase], list[str]]:
        """Titles of unticked checklist items per (plan, phase), in checklist order, of every
        plan or of these."""
        where, params = self._among("plan_id", plan_ids)
        found: dict[tuple[int, Phase], list[str]] = defaultdict(list)
        for plan_id, phase, title in self.conn.execute(
            f"""SELECT plan_id, phase, title FROM checklist_items WHERE done = 0 AND {where}
                ORDER BY plan_id, phase, position, id""", params
        ):
            found[(plan_id, PHASE_BY_VALUE[phase])].append(title)
        return found

    def plan(self, plan_id: int) -> MigrationPlan:
        found = self.plans(plan_id)
        if not found:
            raise NotFoundError(f"no plan with id {plan_id}.")
        return found[0]

    def plan_log(self, plan_id: int) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM plan_log WHERE plan_id = ? ORDER BY id", [plan_id])

    def set_target(self, plan_id: int, target_model_id: str, reason: str) -> None:
        target = check_model_id(target_model_id, self.model_ids())
        with self._edit() as db:
            db.execute(
                "UPDATE plans SET target_model_id = ?, decision_reason = ? WHERE id = ?",
                [target, reason.strip(), plan_id],
            )
            self._log(db, plan_id, "target chosen", f"{target}: {reason.strip()}")

    def clear_target(self, plan_id: int) -> None:
        with self._edit() as db:
            db.execute(
                "UPDATE plans SET target_model_id = NULL, decision_reason = '' WHERE id = ?", [plan_id]
            )
            self._log(db, plan_id, "target cleared")

    def set_deadline_override(self, plan_id: int, deadline: dt.date | None) -> None:
        with self._edit() as db:
            db.execute(
                "UPDATE plans SET deadline_override = ? WHERE id = ?", [_iso(deadline), plan_id]
            )
            self._log(db, plan_id, "deadline set", _iso(deadline) or "cleared")

    def advance_phase(self, plan_id: int, today: dt.date, note: str = "") -> Phase | None:
        """Move to the next phase (or complete the plan after rollout). Open items are logged."""
        plan = self.plan(plan_id)
        if plan.completed_on:
            raise UserInputError("this plan is already complete.")
        open_items = [i for i in plan.items_in(plan.current_phase) if not i.done]
        detail = f"{plan.current_phase.title} closed"
        if open_items:
            detail += f" with {len(open_items)} open item(s), confirmed"
        if note.strip():
            detail += f": {note.strip()}"
        with self._edit() as db:
            if plan.current_phase is PHASES[-1]:
                db.execute("UPDATE plans SET completed_on = ? WHERE id = ?", [today.isoformat(), plan_id])
                self._log(db, plan_id, "completed", detail)
                return None
            following = PHASES[plan.current_phase.index + 1]
            db.execute("UPDATE plans SET current_phase = ? WHERE id = ?", [following.value, plan_id])
            self._log(db, plan_id, "phase advanced", detail)
            return following

    # -- checklist items ---------------------------------------------------------------

    def item(self, item_id: int) -> ChecklistItem:
        rows = self._rows("SELECT * FROM checklist_items WHERE id = ?", [item_id])
        if not rows:
            raise NotFoundError(f"checklist item {item_id} no longer exists.")
        return self._item(rows[0])

    def add_item(self, plan_id: int, phase: Phase, title: str, **fields: Any) -> ChecklistItem:
        from ..domain.models import ChecklistItem

        item = ChecklistItem(plan_id=plan_id, phase=phase, title=title, **fields)
        with self._edit() as db:
            position = db.execute(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM checklist_items WHERE plan_id = ? AND phase = ?",
                [plan_id, phase.value],
            ).fetchone()[0]
            cursor = db.execute(
                """INSERT INTO checklist_items (plan_id, phase, position, title, owner, due_date, notes)
                   VALUES (?,?,?,?,?,?,?)""",
                [plan_id, phase.value, position, item.title, item.owner, _iso(item.due_date), item.notes],
            )
        return self.item(cursor.lastrowid)

    def update_item(self, item: ChecklistItem) -> ChecklistItem:
        """Save an edit made to `item` as read (its version); refuse if it changed since."""
        with self._edit() as db:
            cursor = db.execute(
                """UPDATE checklist_items SET title=?, owner=?, due_date=?, notes=?, done=?, done_at=?,
                       version = version + 1
                   WHERE id = ? AND version = ?""",
                [item.title, item.owner, _iso(item.due_date), item.notes, int(item.done),
                 item.done_at.isoformat(timespec="seconds") if item.done_at else None, item.id,
                 item.version],
            )
            if cursor.rowcount == 0:
                self._explain_lost_update("checklist_items", item.id, f"checklist item {item.title!r}")
        return self.item(item.id)

    def toggle_item(self, item_id: int) -> ChecklistItem:
        item = self.item(item_id)
        done = not item.done
        updated = item.model_copy(update={
            "done": done,
            "done_at": dt.datetime.now(dt.UTC).replace(microsecond=0) if done else None,
        })
        return self.update_item(updated)

    def delete_item(self, item_id: int) -> ChecklistItem:
        """Delete and return the item, so the caller can offer undo via restore_item."""
        item = self.item(item_id)
        with self._edit() as db:
            db.execute("DELETE FROM checklist_items WHERE id = ?", [item_id])
        return item

    def restore_item(self, item: ChecklistItem) -> None:
        with self._edit() as db:
            db.execute(
                """INSERT INTO checklist_items (id, plan_id, phase, position, title, done, owner,
                       due_date, notes, done_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
                [item.id, item.plan_id, item.phase.value, item.position, item.title, int(item.done),
                 item.owner, _iso(item.due_date), item.notes,
                 item.done_at.isoformat(timespec="seconds") if item.done_at else None,
                 item.version + 1],
            )

    def move_item(self, item_id: int, offset: int) -> int:
        """Move an item up (negative) or down within its phase; returns how far it moved
        (less than asked at either end of the list)."""
        item = self.item(item_id)
        siblings = [
            row[0]
            for row in self.conn.execute(
                "SELECT id FROM checklist_items WHERE plan_id = ? AND phase = ? ORDER BY position, id",
                [item.plan_id, item.phase.value],
            )
        ]
        index = siblings.index(item_id)
        target = min(max(index + offset, 0), len(siblings) - 1)
        if target == index:
            return 0
        siblings.insert(target, siblings.pop(index))
        with self._edit() as db:
            db.conn.executemany(
                "UPDATE checklist_items SET position = ? WHERE id = ?",
                [(position, sibling) for position, sibling in enumerate(siblings)],
            )
        return target - index

    # -- phase workspace -----------------------------------------------------------------

    def plan_fields(self, plan_id: int) -> dict[str, str]:
        return {
            key: value
            for key, value in self.conn.execute(
                "SELECT key, value FROM plan_fields WHERE plan_id = ?", [plan_id]
            )
        }

    def set_plan_fields(self, plan_id: int, values: dict[str, str]) -> None:
        """Save a phase form at once; an empty value removes the field."""
        with self._edit() as db:
            for key, value in values.items():
                if value:
                    db.execute(
                        "INSERT OR REPLACE INTO plan_fields (plan_id, key, value) VALUES (?,?,?)",
                        [plan_id, key, value],
                    )
                else:
                    db.execute("DELETE FROM plan_fields WHERE plan_id = ? AND key = ?", [plan_id, key])

    def test_results(self, plan_id: int) -> list[TestResult]:
        from ..domain.workspace import TestResult

        return [
            TestResult(
                id=r["id"], plan_id=r["plan_id"], metric=r["metric"], baseline=r["baseline"],
                candidate=r["candidate"], threshold=r["threshold"],
                higher_is_better=bool(r["higher_is_better"]), notes=r["notes"],
            )
            for r in self._rows("SELECT * FROM test_results WHERE plan_id = ? ORDER BY id", [plan_id])
        ]

    def rollout_stages(self, plan_id: int) -> list[RolloutStage]:
        from ..domain.workspace import RolloutStage

        return [
            RolloutStage(
                id=r["id"], plan_id=r["plan_id"], traffic_percent=r["traffic_percent"],
                start_date=_date(r["start_date"]), end_date=_date(r["end_date"]), notes=r["notes"],
            )
            for r in self._rows(
                "SELECT * FROM rollout_stages WHERE plan_id = ? ORDER BY traffic_percent, id", [plan_id]
            )
        ]

    def all_rollout_stages(self) -> dict[int, list[RolloutStage]]:
        """Every plan's stages in one query (calendar export of thousands of plans)."""
        from ..domain.workspace import RolloutStage

        found: dict[int, list[RolloutStage]] = defaultdict(list)
        for r in self._rows("SELECT * FROM rollout_stages ORDER BY plan_id, traffic_percent, id"):
            found[r["plan_id"]].append(RolloutStage(
                id=r["id"], plan_id=r["plan_id"], traffic_percent=r["traffic_percent"],
                start_date=_date(r["start_date"]), end_date=_date(r["end_date"]), notes=r["notes"]))
        return found

    def rollout_decisions(self, plan_id: int) -> list[RolloutDecision]:
        from ..domain.workspace import Decision, RolloutDecision

        return [
            RolloutDecision(
                id=r["id"], plan_id=r["plan_id"], decided_on=_date(r["decided_on"]),
                decision=Decision(r["decision"]), traffic_percent=r["traffic_percent"], note=r["note"],
            )
            for r in self._rows(
                "SELECT * FROM rollout_decisions WHERE plan_id = ? ORDER BY decided_on, id", [plan_id]
            )
        ]

    # -- live AWS data -------------------------------------------------------------------

    def apply_region_listing(
        self, region: str, listed: list[ListedModel], fetched_at: dt.datetime, today: dt.date
    ) -> dict[str, int]:
        """Merge one Region's `list_foundation_models` answer. The API wins over bundled data,
        never over a date typed by hand; a model gone from the listing after its EOL is EOL."""
        from ..domain.models import RegionalLifecycle

        source = f"AWS API, {region}, at {fetched_at.isoformat(timespec='seconds')}"
        now = fetched_at.isoformat(timespec="seconds")
        counts = {"models": len(listed), "changed_dates": 0, "new_models": 0, "retired": 0}
        known = self.model_ids()
        counts["new_models"] = sum(model.model_id not in known for model in listed)
        with self._edit() as db:
            # Unchanged rows are not rewritten (WHERE on DO UPDATE): no write, no trigger.
            db.conn.executemany(
                """INSERT INTO models (model_id, name, provider, input_modalities,
                       output_modalities, streaming, launch_date, source_url, as_of)
                   VALUES (?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(model_id) DO UPDATE SET name=excluded.name,
                       provider=excluded.provider, input_modalities=excluded.input_modalities,
                       output_modalities=excluded.output_modalities,
                       streaming=excluded.streaming,
                       launch_date=COALESCE(excluded.launch_date, models.launch_date)
                   WHERE name IS NOT excluded.name OR provider IS NOT excluded.provider
                      OR input_modalities IS NOT excluded.input_modalities
                      OR output_modalities IS NOT excluded.output_modalities
                      OR streaming IS NOT excluded.streaming
                      OR (excluded.launch_date IS NOT NULL AND launch_date IS NOT excluded.launch_date)""",
                [(model.model_id, model.name, model.provider, json.dumps(sorted(model.input_modalities)),
                  json.dumps(sorted(model.output_modalities)), int(model.streaming),
                  _iso(model.launch_date), source, now) for model in listed],
            )
            db.conn.executemany(
                """INSERT INTO model_regions (model_id, region, access) VALUES (?,?,'in-region')
                   ON CONFLICT(model_id, region) DO UPDATE SET access = 'in-region'
                   WHERE access != 'in-region'""",
                [(model.model_id, region) for model in listed],
            )
            for model in listed:
                has_dates = any((model.legacy_date, model.pea_date, model.eol_date))
                if model.status == "LEGACY" or has_dates:
                    lifecycle = RegionalLifecycle(
                        model_id=model.model_id, regions=(region,),
                        declared_status=Status.LEGACY if model.status == "LEGACY" else Status.ACTIVE,
                        legacy_date=model.legacy_date, pea_date=model.pea_date,
                        eol_date=model.eol_date,
                        policy=(PolicyRegime.FROM_2026_09_07 if model.launch_date
                                and model.launch_date >= dt.date(2026, 9, 7)
                                else PolicyRegime.BEFORE_2026_09_07),
                        source=source, as_of=now,
                    )
                    counts["changed_dates"] += self._merge_lifecycle(db, lifecycle, region, source, now)
            listed_ids = {m.model_id for m in listed}
            for row in self._rows(
                "SELECT * FROM lifecycle WHERE region = ? AND declared_status != 'EOL'", [region]
            ):
                eol = _date(row["eol_date"])
                if row["model_id"] not in listed_ids and eol and eol <= today:
                    db.execute(
                        """UPDATE lifecycle SET declared_status = 'EOL', source = ?, as_of = ?
                           WHERE model_id = ? AND region = ?""",
                        [source, now, row["model_id"], region],
                    )
                    self._log_date_change(db, row["model_id"], region, "status",
                                          row["declared_status"], "EOL", now, source)
                    counts["retired"] += 1
        return counts

    def record_discovered(self, resources: list[DiscoveredResource], seen_at: dt.datetime) -> int:
        """Insert or refresh proposals; a user's assignment or dismissal is kept. Returns new ones."""
        now = seen_at.isoformat(timespec="seconds")
        known = {
            tuple(row)
            for row in self.conn.execute("SELECT region, kind, resource_id, model_id FROM discovered")
        }
        new = 0
        with self._edit() as db:
            for resource in resources:
                key = (resource.region, resource.kind.value, resource.resource_id, resource.model_id)
                new += key not in known
                known.add(key)
                db.execute(
                    """INSERT INTO discovered (region, kind, resource_id, name, model_id, detail,
                           first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?)
                       ON CONFLICT(region, kind, resource_id, model_id) DO UPDATE SET
                           name = excluded.name, detail = excluded.detail,
                           last_seen = excluded.last_seen""",
                    [resource.region, resource.kind.value, resource.resource_id, resource.name,
                     resource.model_id, resource.detail, now, now],
                )
        return new

    def discovered(self, include_handled: bool = False) -> list[DiscoveredResource]:
        from ..domain.aws_records import DiscoveredResource, ResourceKind

        where = "" if include_handled else "WHERE app_id IS NULL AND dismissed = 0"
        return [
            DiscoveredResource(
                id=r["id"], region=r["region"], kind=ResourceKind(r["kind"]),
                resource_id=r["resource_id"], name=r["name"], model_id=r["model_id"],
                detail=r["detail"], app_id=r["app_id"], dismissed=bool(r["dismissed"]),
            )
            for r in self._rows(f"SELECT * FROM discovered {where} ORDER BY model_id, region, kind, id")
        ]

    def accept_discovered(self, discovered_id: int, app_id: int, today: dt.date) -> int | None:
        """Turn a proposal into a dependency of the application (and a plan if due); returns
        the dependency added (None when the application had it already)."""
        from ..domain.aws_records import ResourceKind
        from ..domain.models import Dependency

        rows = self._rows("SELECT * FROM discovered WHERE id = ?", [discovered_id])
        if not rows:
            raise NotFoundError(f"no discovered resource with id {discovered_id}.")
        row = rows[0]
        kind = ResourceKind(row["kind"])
        self.application(app_id)
        with self._edit() as db:
            dependency = Dependency(
                app_id=app_id, model_id=row["model_id"], region=row["region"],
                access_path=kind.access_path, resource_id=row["resource_id"],
                notes=f"discovered: {kind.value} {row['name']}".strip(),
            )
            exists = db.execute(
                """SELECT 1 FROM dependencies WHERE app_id = ? AND model_id = ? AND region = ?
                   AND access_path = ? AND resource_id = ?""",
                [app_id, dependency.model_id, dependency.region, dependency.access_path.value,
                 dependency.resource_id],
            ).fetchone()
            dep_id = None if exists else self._insert_dependency(db, dependency)
            db.execute("UPDATE discovered SET app_id = ? WHERE id = ?", [app_id, discovered_id])
            self._ensure_plans(db, today)
        return dep_id

    def unaccept_discovered(self, discovered_id: int, dep_id: int | None, today: dt.date) -> None:
        """Undo an accept: the proposal again, without the dependency it added (if any)."""
        with self._edit() as db:
            db.execute("UPDATE discovered SET app_id = NULL WHERE id = ?", [discovered_id])
            row = db.execute("SELECT app_id, model_id FROM dependencies WHERE id = ?", [dep_id]).fetchone()
            if row is not None:
                db.execute("DELETE FROM dependencies WHERE id = ?", [dep_id])
                self.plan_records.close_unneeded(db, row[0], row[1], today)

    def dismiss_discovered(self, discovered_id: int, dismissed: bool = True) -> None:
        with self._edit() as db:
            db.execute("UPDATE discovered SET dismissed = ? WHERE id = ?", [int(dismissed), discovered_id])

    def record_usage(self, points: list[UsagePoint]) -> None:
        with self._edit() as db:
            db.conn.executemany(
                """INSERT OR REPLACE INTO usage_daily (region, model_id, metric, day, value)
                   VALUES (?,?,?,?,?)""",
                [(p.region, p.model_id, p.metric, p.day.isoformat(), p.value) for p in points],
            )

    def usage(self, model_id: str, regions: Iterable[str] | None = None,
              metric: str = "Invocations") -> dict[dt.date, float]:
        """Daily totals for a model, over its inference profiles too (ID ending in the model ID)."""
        rows = self._rows(
            """SELECT region, model_id, day, value FROM usage_daily
               WHERE metric = ? AND (model_id = ? OR model_id LIKE ?)""",
            [metric, model_id, f"%.{model_id}"],
        )
        wanted = set(regions) if regions is not None else None
        totals: dict[dt.date, float] = defaultdict(float)
        for row in rows:
            if wanted is None or row["region"] in wanted:
                totals[dt.date.fromisoformat(row["day"])] += row["value"]
        return dict(sorted(totals.items()))

    def record_health(self, events: list[HealthEvent], fetched_at: dt.datetime) -> None:
        with self._edit() as db:
            for event in events:
                db.execute(
                    """INSERT OR REPLACE INTO health_events (arn, event_type_code, category, status,
                           region, start_time, end_time, description, entities, fetched_at)
                       VALUES (?,?,?,?,?,?,?,?,?,?)""",
                    [event.arn, event.event_type_code, event.category, event.status, event.region,
                     event.start_time.isoformat() if event.start_time else None,
                     event.end_time.isoformat() if event.end_time else None,
                     event.description, json.dumps(list(event.entities)),
                     fetched_at.isoformat(timespec="seconds")],
                )

    def health_events(self, model_id: str | None = None) -> list[HealthEvent]:
        from ..domain.aws_records import HealthEvent

        events = [
            HealthEvent(
                arn=r["arn"], event_type_code=r["event_type_code"], category=r["category"],
                status=r["status"], region=r["region"],
                start_time=dt.datetime.fromisoformat(r["start_time"]) if r["start_time"] else None,
                end_time=dt.datetime.fromisoformat(r["end_time"]) if r["end_time"] else None,
                description=r["description"], entities=tuple(json.loads(r["entities"])),
            )
            for r in self._rows("SELECT * FROM health_events ORDER BY start_time DESC")
        ]
        if model_id is None:
            return events
        return [e for e in events if model_id in e.entities or model_id in e.description]

    def record_sync_run(self, started: dt.datetime, finished: dt.datetime, outcome: str,
                        report: dict[str, Any]) -> None:
        with self._edit() as db:
            db.execute(
                "INSERT INTO sync_runs (started_at, finished_at, outcome, report) VALUES (?,?,?,?)",
                [started.isoformat(timespec="seconds"), finished.isoformat(timespec="seconds"),
                 outcome, json.dumps(report)],
            )

    def last_sync(self) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM sync_runs ORDER BY id DESC LIMIT 1")
        return rows[0] if rows else None

    # -- whole-project documents --------------------------------------------------------

    def export_document(self) -> doc.ProjectDocument:
        from ..domain import project_document as doc

        deps: dict[int, list] = defaultdict(list)
        for d in self.dependencies():
            deps[d.app_id].append(doc.DependencyDoc(
                model_id=d.model_id, region=d.region, access_path=d.access_path,
                resource_id=d.resource_id, environment=d.environment,
                monthly_volume=d.monthly_volume, notes=d.notes))
        plans: dict[int, list] = defaultdict(list)
        for plan in self.plans():
            items = [
                doc.ItemDoc(phase=i.phase, title=i.title, done=i.done, owner=i.owner,
                            due_date=i.due_date, notes=i.notes, done_at=i.done_at)
                for phase in PHASES for i in plan.items_in(phase)
            ]
            plans[plan.app_id].append(doc.PlanDoc(
                model_id=plan.model_id, target_model_id=plan.target_model_id,
                decision_reason=plan.decision_reason, current_phase=plan.current_phase,
                started_on=plan.started_on, deadline_override=plan.deadline_override,
                completed_on=plan.completed_on, closed_on=plan.closed_on,
                closed_kind=plan.closed_kind,
                closed_reason=plan.closed_reason, items=items,
                fields=dict(sorted(self.plan_fields(plan.id).items())),
                test_results=[doc.TestResultDoc(**r.model_dump(exclude={"id", "plan_id"}))
                              for r in self.test_results(plan.id)],
                rollout_stages=[doc.StageDoc(**st.model_dump(exclude={"id", "plan_id"}))
                                for st in self.rollout_stages(plan.id)],
                decisions=[doc.DecisionDoc(**dc.model_dump(exclude={"id", "plan_id"}))
                           for dc in self.rollout_decisions(plan.id)],
                log=[doc.LogDoc(at=e["at"], event=e["event"], detail=e["detail"])
                     for e in self.plan_log(plan.id)],
            ))
        manual = []
        for row in self._rows("SELECT * FROM lifecycle WHERE manual_fields != '[]' ORDER BY model_id, region"):
            for field in json.loads(row["manual_fields"]):
                manual.append(doc.ManualDateDoc(model_id=row["model_id"], region=row["region"],
                                                field=field, value=_date(row[field])))
        return doc.ProjectDocument(
            schema_version=doc.SCHEMA_VERSION, project_id=self.project_id(),
            settings=self.schedule_settings(),
            applications=[
                doc.ApplicationDoc(
                    name=a.name, owner=a.owner, team=a.team, criticality=a.criticality,
                    environments=list(a.environments), notes=a.notes,
                    dependencies=deps[a.id], plans=plans[a.id])
                for a in self.applications()
            ],
            manual_dates=manual,
        )

    def import_document(self, document: doc.ProjectDocument, today: dt.date) -> int:
        """Add every application of the document, all or nothing. Returns how many."""
        from ..domain.models import Application, Dependency

        adopt_identity = not self.applications()
        with self._edit() as db:
            if adopt_identity and document.project_id:
                db.execute("INSERT OR REPLACE INTO planner_meta (key, value) VALUES ('project_id', ?)",
                           [document.project_id])
                db.execute(
                    "INSERT OR REPLACE INTO planner_meta(key, value) VALUES ('schedule_settings', ?)",
                    [document.settings.model_dump_json()],
                )
            for app_doc in document.applications:
                app_id = self._insert_application(
                    db,
                    Application(name=app_doc.name, owner=app_doc.owner, team=app_doc.team,
                                criticality=app_doc.criticality,
                                environments=tuple(app_doc.environments), notes=app_doc.notes),
                    [Dependency(app_id=0, **d.model_dump()) for d in app_doc.dependencies],
                )
                for p in app_doc.plans:
                    plan_id = db.execute(
                        """INSERT INTO plans (app_id, model_id, target_model_id, decision_reason,
                               current_phase, started_on, deadline_override, completed_on,
                               closed_on, closed_kind, closed_reason)
                           VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
                        [app_id, p.model_id, p.target_model_id, p.decision_reason,
                         p.current_phase.value, p.started_on.isoformat(), _iso(p.deadline_override),
                         _iso(p.completed_on), _iso(p.closed_on), p.closed_kind and p.closed_kind.value, p.closed_reason],
                    ).lastrowid
                    positions: dict[Phase, int] = defaultdict(int)
                    for item in p.items:
                        db.execute(
                            """INSERT INTO checklist_items (plan_id, phase, position, title, done,
                                   owner, due_date, notes, done_at) VALUES (?,?,?,?,?,?,?,?,?)""",
                            [plan_id, item.phase.value, positions[item.phase], item.title,
                             int(item.done), item.owner, _iso(item.due_date), item.notes,
                             item.done_at.isoformat(timespec="seconds") if item.done_at else None],
                        )
                        positions[item.phase] += 1
                    for key, value in p.fields.items():
                        db.execute("INSERT INTO plan_fields (plan_id, key, value) VALUES (?,?,?)",
                                   [plan_id, key, value])
                    for r in p.test_results:
                        db.execute(
                            """INSERT INTO test_results (plan_id, metric, baseline, candidate,
                                   threshold, higher_is_better, notes) VALUES (?,?,?,?,?,?,?)""",
                            [plan_id, r.metric, r.baseline, r.candidate, r.threshold,
                             int(r.higher_is_better), r.notes])
                    for st in p.rollout_stages:
                        db.execute(
                            """INSERT INTO rollout_stages (plan_id, traffic_percent, start_date,
                                   end_date, notes) VALUES (?,?,?,?,?)""",
                            [plan_id, st.traffic_percent, _iso(st.start_date), _iso(st.end_date), st.notes])
                    for dc in p.decisions:
                        db.execute(
                            """INSERT INTO rollout_decisions (plan_id, decided_on, decision,
                                   traffic_percent, note) VALUES (?,?,?,?,?)""",
                            [plan_id, dc.decided_on.isoformat(), dc.decision.value,
                             dc.traffic_percent, dc.note])
                    for entry in p.log:
                        db.execute("INSERT INTO plan_log (plan_id, at, event, detail) VALUES (?,?,?,?)",
                                   [plan_id, entry.at, entry.event, entry.detail])
            for manual in document.manual_dates:
                self.set_lifecycle_date(manual.model_id, manual.region, manual.field, manual.value)
            self._ensure_plans(db, today)
        return len(document.applications)

    def add_applications(self, batch: list[tuple[Application, list[Dependency]]], today: dt.date) -> None:
        """Bulk onboarding: every application with its dependencies, in one transaction."""
        with self._edit() as db:
            for app, dependencies in batch:
                self._insert_application(db, app, dependencies)
            self._ensure_plans(db, today)

    # -- audit trail ---------------------------------------------------------------------

    def audit_trail(self, plan_id: int | None = None, app_id: int | None = None,
                    limit: int | None = None) -> list[AuditEntry]:
        """Changes to user data, newest first; for a plan, its own rows only."""
        from ..domain.audit import AuditEntry

        clauses, params = [], []
        if plan_id is not None:
            clauses.append("plan_id = ?")
            params.append(plan_id)
        if app_id is not None:
            clauses.append("app_id = ?")
            params.append(app_id)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        tail = f"LIMIT {int(limit)}" if limit else ""
        return [AuditEntry.from_row(r) for r in self._rows(
            f"SELECT * FROM audit_log {where} ORDER BY id DESC {tail}", params)]

    def vendor_changes(self, limit: int | None = None) -> list[dict[str, Any]]:
        tail = f"LIMIT {int(limit)}" if limit else ""
        return self._rows(f"SELECT * FROM lifecycle_history ORDER BY id DESC {tail}")

    # -- calendar export state -----------------------------------------------------------

    def project_id(self) -> str:
        return self._meta("project_id") or "unknown-project"

    def set_project_id(self, project_id: str) -> None:
        """Fix the project identity (the example project uses a constant one)."""
        with self._edit() as db:
            db.execute(
                "INSERT OR REPLACE INTO planner_meta (key, value) VALUES ('project_id', ?)", [project_id]
            )

    def calendar_state(self) -> dict[str, dict[str, Any]]:
        return {row["uid"]: row for row in self._rows("SELECT * FROM calendar_events")}

    def record_calendar_export(self, rows: list[dict[str, Any]]) -> None:
        """Remember what was exported, so the next export raises SEQUENCE or cancels."""
        with self._edit() as db:
            db.conn.executemany(
                """INSERT OR REPLACE INTO calendar_events (uid, kind, model_id, app_names,
                       summary, start_date, end_date, sequence, cancelled, exported_at)
                   VALUES (:uid, :kind, :model_id, :app_names, :summary, :start_date,
                       :end_date, :sequence, :cancelled, :exported_at)""",
                rows,
            )

    # -- whole-application snapshots (undo of a delete) ----------------------------------

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
        with self._edit() as db:
            for table, _ in self._APP_TABLES:
                for row in snapshot.get(table, []):
                    columns = ", ".join(row)
                    marks = ", ".join("?" for _ in row)
                    db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
