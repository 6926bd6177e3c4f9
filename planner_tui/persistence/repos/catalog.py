"""The model catalog: models, where they are offered, lifecycle dates per Region, the
history of those dates, and dates typed by hand (which catalog loads and syncs keep)."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ...domain.lifecycle import LifecycleDates
from ...domain.validation import check_model_id, check_region
from ...domain.vocabulary import PolicyRegime, Status
from ...errors import UserInputError
from ..db import _date, _iso, utc_now
from .meta import MetaRepo

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ...catalog.bundled import Catalog
    from ...domain.models import FoundationModel, RegionalLifecycle

LIFECYCLE_DATE_FIELDS = ("legacy_date", "pea_date", "eol_date")
HAND_SOURCE = "entered by hand"

_STATUS = {s.value: s for s in Status}
_POLICY = {p.value: p for p in PolicyRegime}


class CatalogRepo(MetaRepo):
    """Relies on MetaRepo (the catalog version and load time)."""

    # -- the one write of each catalog table ---------------------------------------------

    @staticmethod
    def _upsert_models(db: Database, rows: Iterable[dict[str, Any]], *, from_listing: bool) -> None:
        """Insert or refresh models. Dates a source does not state are kept. A catalog load
        (`from_listing` False) also replaces the source and as-of; a Region's listing
        rewrites only rows whose listed facts changed (no write, no trigger otherwise)."""
        db.conn.executemany(
            """INSERT INTO models (model_id, name, provider, input_modalities, output_modalities,
                   streaming, launch_date, eol_no_sooner_than, legacy_period_days, source_url, as_of)
               VALUES (:model_id, :name, :provider, :input_modalities, :output_modalities,
                   :streaming, :launch_date, :eol_no_sooner_than, :legacy_period_days, :source_url, :as_of)
               ON CONFLICT(model_id) DO UPDATE SET name=excluded.name,
                   provider=excluded.provider, input_modalities=excluded.input_modalities,
                   output_modalities=excluded.output_modalities, streaming=excluded.streaming,
                   launch_date=COALESCE(excluded.launch_date, models.launch_date),
                   eol_no_sooner_than=COALESCE(excluded.eol_no_sooner_than, models.eol_no_sooner_than),
                   legacy_period_days=COALESCE(excluded.legacy_period_days, models.legacy_period_days),
                   source_url=CASE WHEN :refresh THEN excluded.source_url ELSE models.source_url END,
                   as_of=CASE WHEN :refresh THEN excluded.as_of ELSE models.as_of END
               WHERE :refresh OR name IS NOT excluded.name OR provider IS NOT excluded.provider
                  OR input_modalities IS NOT excluded.input_modalities
                  OR output_modalities IS NOT excluded.output_modalities
                  OR streaming IS NOT excluded.streaming
                  OR (excluded.launch_date IS NOT NULL AND launch_date IS NOT excluded.launch_date)""",
            [{"eol_no_sooner_than": None, "legacy_period_days": None, **row, "refresh": int(not from_listing)}
             for row in rows],
        )

    @staticmethod
    def _add_model_regions(db: Database, rows: Iterable[tuple[str, str, str]]) -> None:
        """(model_id, region, access) rows; in-region access wins over cross-region."""
        db.conn.executemany(
            """INSERT INTO model_regions (model_id, region, access) VALUES (?,?,?)
               ON CONFLICT(model_id, region) DO UPDATE SET access = excluded.access
               WHERE model_regions.access != 'in-region' AND model_regions.access != excluded.access""",
            list(rows),
        )

    @staticmethod
    def _insert_lifecycle(db: Database, model_id: str, region: str, declared_status: Status,
                          policy: PolicyRegime, source: str, as_of: str, legacy_date: str | None = None,
                          pea_date: str | None = None, eol_date: str | None = None) -> None:
        db.execute(
            """INSERT INTO lifecycle (model_id, region, declared_status, legacy_date, pea_date,
                   eol_date, policy, source, as_of) VALUES (?,?,?,?,?,?,?,?,?)""",
            [model_id, region, declared_status.value, legacy_date, pea_date, eol_date, policy.value,
             source, as_of],
        )

    # -- loading and merging -------------------------------------------------------------

    def load_catalog(self, catalog: Catalog, source_label: str = "bundled catalog") -> int:
        """Merge catalog data in. Dates typed by hand are kept; every date change is logged.

        Returns the number of lifecycle dates that changed.
        """
        now = utc_now()
        changed = 0
        with self._edit() as db:
            self._upsert_models(db, [
                {"model_id": model.model_id, "name": model.name, "provider": model.provider,
                 "input_modalities": json.dumps(model.input_modalities),
                 "output_modalities": json.dumps(model.output_modalities), "streaming": int(model.streaming),
                 "launch_date": _iso(model.launch_date), "eol_no_sooner_than": _iso(model.eol_no_sooner_than),
                 "legacy_period_days": model.legacy_period_days, "source_url": model.source_url,
                 "as_of": model.as_of}
                for model in catalog.models], from_listing=False)
            self._add_model_regions(db, [
                (model.model_id, region, access)
                for model in catalog.models
                for access, regions in (("in-region", model.regions), ("cross-region", model.cross_region_regions))
                for region in regions])
            for lifecycle in catalog.lifecycles:
                for region in lifecycle.regions:
                    changed += self._merge_lifecycle(db, lifecycle, region, source_label, now)
            self._set_meta(db, "catalog_loaded_at", now)
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
            self._insert_lifecycle(db, new.model_id, region, new.declared_status, new.policy, new.source,
                                   new.as_of, **values)
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
        change goes into the vendor-date history and, with who made it, the audit trail.
        `today` is the as-of of a lifecycle row this starts (left unknown without it)."""
        if field not in LIFECYCLE_DATE_FIELDS:
            raise UserInputError(f"unknown lifecycle date {field!r}.")
        region = check_region(region)
        model_id = check_model_id(model_id, self.model_ids())
        with self._edit() as db:
            rows = self._rows(
                "SELECT * FROM lifecycle WHERE model_id = ? AND region = ?", [model_id, region]
            )
            if not rows:
                self._insert_lifecycle(db, model_id, region, Status.LEGACY, PolicyRegime.BEFORE_2026_09_07,
                                       HAND_SOURCE, _iso(today) or "")
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
                       VALUES (?, (SELECT value FROM planner_meta WHERE key = 'actor'), 'lifecycle', ?,
                               'update', ?, ?)""",
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
        from ...domain.models import FoundationModel

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
        from ...domain.models import RegionalLifecycle, trusted

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
