"""Records of the live AWS data: Region listings merged into the catalog, discovered
resources (proposals), daily usage, health events and sync runs."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ...domain.lifecycle import regime_for_launch
from ...domain.vocabulary import PolicyRegime, Status
from ...errors import NotFoundError, UserInputError
from ..db import _date, _iso
from .portfolio import PortfolioRepo

if TYPE_CHECKING:
    from ...domain.aws_records import DiscoveredResource, HealthEvent, ListedModel, UsagePoint


class AwsRepo(PortfolioRepo):
    """Relies on PortfolioRepo (accepted resources become dependencies, with their plans)
    and, through it, CatalogRepo (listings merged into the catalog)."""

    def apply_region_listing(
        self, region: str, listed: list[ListedModel], fetched_at: dt.datetime, today: dt.date
    ) -> dict[str, int]:
        """Merge one Region's `list_foundation_models` answer. The API wins over bundled data,
        never over a date typed by hand; a model gone from the listing after its EOL is EOL."""
        from ...domain.models import RegionalLifecycle

        source = f"AWS API, {region}, at {fetched_at.isoformat(timespec='seconds')}"
        now = fetched_at.isoformat(timespec="seconds")
        counts = {"models": len(listed), "changed_dates": 0, "new_models": 0, "retired": 0}
        known = self.model_ids()
        counts["new_models"] = sum(model.model_id not in known for model in listed)
        with self._edit() as db:
            self._upsert_models(db, [
                {"model_id": model.model_id, "name": model.name, "provider": model.provider,
                 "input_modalities": json.dumps(sorted(model.input_modalities)),
                 "output_modalities": json.dumps(sorted(model.output_modalities)),
                 "streaming": int(model.streaming), "launch_date": _iso(model.launch_date),
                 "source_url": source, "as_of": now}
                for model in listed], from_listing=True)
            self._add_model_regions(db, [(model.model_id, region, "in-region") for model in listed])
            for model in listed:
                has_dates = any((model.legacy_date, model.pea_date, model.eol_date))
                if model.status == "LEGACY" or has_dates:
                    lifecycle = RegionalLifecycle(
                        model_id=model.model_id, regions=(region,),
                        declared_status=Status.LEGACY if model.status == "LEGACY" else Status.ACTIVE,
                        legacy_date=model.legacy_date, pea_date=model.pea_date,
                        eol_date=model.eol_date,
                        policy=regime_for_launch(model.launch_date) or PolicyRegime.BEFORE_2026_09_07,
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
            for row in self.conn.execute("SELECT account_id, region, kind, resource_id, model_id FROM discovered")
        }
        new = 0
        with self._edit() as db:
            for resource in resources:
                key = (resource.account_id, resource.region, resource.kind.value, resource.resource_id,
                       resource.model_id)
                new += key not in known
                known.add(key)
                db.execute(
                    """INSERT INTO discovered (region, kind, resource_id, name, model_id, detail,
                           first_seen, last_seen, raw_model_id, variant, account_id, account_name)
                           VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
                       ON CONFLICT(account_id, region, kind, resource_id, model_id) DO UPDATE SET
                           name = excluded.name, detail = excluded.detail,
                           last_seen = excluded.last_seen, raw_model_id = excluded.raw_model_id,
                           variant = excluded.variant, account_name = excluded.account_name""",
                    [resource.region, resource.kind.value, resource.resource_id, resource.name,
                     resource.model_id, resource.detail, now, now,
                     resource.raw_model_id or resource.model_id, resource.variant,
                     resource.account_id, resource.account_name],
                )
        return new

    def discovered(self, include_handled: bool = False) -> list[DiscoveredResource]:
        where = "" if include_handled else "WHERE app_id IS NULL AND dismissed = 0"
        rows = self._rows(f"SELECT * FROM discovered {where} ORDER BY model_id, account_id, region, kind, id")
        if not rows:  # (`status` asks on every run: no pydantic to load for nothing)
            return []
        from ...domain.aws_records import DiscoveredResource, ResourceKind

        return [
            DiscoveredResource(
                id=r["id"], region=r["region"], kind=ResourceKind(r["kind"]),
                resource_id=r["resource_id"], name=r["name"], model_id=r["model_id"],
                detail=r["detail"], app_id=r["app_id"], dismissed=bool(r["dismissed"]),
                raw_model_id=r["raw_model_id"], variant=r["variant"], account_id=r["account_id"],
                account_name=r["account_name"],
            )
            for r in rows
        ]

    def accept_discovered(self, discovered_id: int, app_id: int, today: dt.date) -> int | None:
        """Turn a proposal into a dependency of the application (and a plan if due); returns
        the dependency added (None when the application had it already)."""
        from ...domain.aws_records import ResourceKind
        from ...domain.model_variants import resolve_model
        from ...domain.models import Dependency

        rows = self._rows("SELECT * FROM discovered WHERE id = ?", [discovered_id])
        if not rows:
            raise NotFoundError(f"no discovered resource with id {discovered_id}.")
        row = rows[0]
        kind = ResourceKind(row["kind"])
        self.application(app_id)
        known = self.model_ids()
        model_id = row["model_id"]
        if model_id not in known:  # unknown when synced: the catalog may know it now
            resolved = resolve_model(row["raw_model_id"] or model_id, known)
            if not resolved.known:
                raise UserInputError(
                    f"{resolved.label}: the catalog does not know this model, so it cannot be a "
                    "dependency yet: a sync of a Region that lists it makes it known (or add the "
                    "dependency on the model meant).")
            model_id = resolved.model_id
        notes = f"discovered: {kind.value} {row['name']}".strip()
        if row["variant"]:
            notes += f" ({row['variant']})"
        with self._edit() as db:
            dependency = Dependency(
                app_id=app_id, model_id=model_id, region=row["region"],
                access_path=kind.access_path, resource_id=row["resource_id"],
                notes=notes, account_id=row["account_id"], account_name=row["account_name"],
            )
            exists = db.execute(
                """SELECT 1 FROM dependencies WHERE app_id = ? AND model_id = ? AND region = ?
                   AND access_path = ? AND resource_id = ? AND account_id = ?""",
                [app_id, dependency.model_id, dependency.region, dependency.access_path.value,
                 dependency.resource_id, dependency.account_id],
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
                """INSERT OR REPLACE INTO usage_daily (account_id, account_name, region, model_id,
                       metric, day, value) VALUES (?,?,?,?,?,?,?)""",
                [(p.account_id, p.account_name, p.region, p.model_id, p.metric, p.day.isoformat(), p.value)
                 for p in points],
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
                           region, start_time, end_time, description, entities, fetched_at,
                           account_id, account_name)
                       VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
                    [event.arn, event.event_type_code, event.category, event.status, event.region,
                     event.start_time.isoformat() if event.start_time else None,
                     event.end_time.isoformat() if event.end_time else None,
                     event.description, json.dumps(list(event.entities)),
                     fetched_at.isoformat(timespec="seconds"), event.account_id, event.account_name],
                )

    def health_events(self, model_id: str | None = None) -> list[HealthEvent]:
        from ...domain.aws_records import HealthEvent

        events = [
            HealthEvent(
                arn=r["arn"], event_type_code=r["event_type_code"], category=r["category"],
                status=r["status"], region=r["region"],
                start_time=dt.datetime.fromisoformat(r["start_time"]) if r["start_time"] else None,
                end_time=dt.datetime.fromisoformat(r["end_time"]) if r["end_time"] else None,
                description=r["description"], entities=tuple(json.loads(r["entities"])),
                account_id=r["account_id"], account_name=r["account_name"],
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
