"""Who calls each model: the calls CloudTrail logged, counted per account, Region, principal
and model as written (each scan's counts added to what was stored), and how far each
account and Region was read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..db import DatabaseCore

_COLUMNS = ("account_id", "account_name", "region", "principal_arn", "model_written", "model_id", "profile_id",
            "variant", "known", "calls", "errors", "first_seen", "last_seen", "synced_until")


@dataclass(frozen=True)
class CallerRecord:
    """One caller to record: a scan's count, with the model it resolved to."""

    account_id: str
    account_name: str
    region: str
    principal_arn: str
    model_written: str
    model_id: str
    profile_id: str
    variant: str
    known: bool
    calls: int
    errors: int
    first_seen: dt.datetime
    last_seen: dt.datetime


@dataclass(frozen=True)
class CallerRow:
    """A caller as stored."""

    id: int
    account_id: str
    account_name: str
    region: str
    principal_arn: str
    model_written: str
    model_id: str  # the catalog's base model; as written when unknown
    profile_id: str  # the inference profile it called through ('' when none)
    variant: str
    known: bool
    calls: int
    errors: int
    first_seen: dt.datetime
    last_seen: dt.datetime
    synced_until: dt.datetime
    app_id: int | None  # the application it was accepted into
    dismissed: bool = False  # hidden from `discovered` (kept across syncs)


@dataclass(frozen=True)
class CallerScanRow:
    """How far one account and Region was read."""

    account_id: str
    account_name: str
    region: str
    window_start: dt.datetime  # the oldest moment any scan read from
    synced_until: dt.datetime  # the next scan starts here
    scanned_at: dt.datetime
    events: int
    skipped: int


@dataclass(frozen=True)
class RecordedCallers:
    new: int  # callers not seen before
    updated: int  # callers whose counts grew


def _stamp(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def _caller(row: dict[str, Any]) -> CallerRow:
    return CallerRow(row["id"], row["account_id"], row["account_name"], row["region"], row["principal_arn"],
                     row["model_written"], row["model_id"], row["profile_id"], row["variant"], bool(row["known"]),
                     row["calls"], row["errors"], _stamp(row["first_seen"]), _stamp(row["last_seen"]),
                     _stamp(row["synced_until"]), row["app_id"], bool(row.get("dismissed", 0)))


class CallersRepo(DatabaseCore):
    def record_callers(self, account_id: str, account_name: str, region: str, window_start: dt.datetime,
                       synced_until: dt.datetime, scanned_at: dt.datetime, events: int, skipped: int,
                       found: list[CallerRecord]) -> RecordedCallers:
        """One scan of one account and Region, in one transaction: each caller's calls added
        to what was stored (first seen the earlier, last seen the later), and the window it
        read kept so the next scan reads only what is new."""
        new = updated = 0
        until = _iso(synced_until)
        with self._edit() as db:
            conn = db.conn
            for record in found:
                values = [record.account_id, record.account_name, record.region, record.principal_arn,
                          record.model_written, record.model_id, record.profile_id, record.variant,
                          int(record.known), record.calls, record.errors, _iso(record.first_seen),
                          _iso(record.last_seen), until]
                before = conn.execute(
                    """SELECT id FROM callers WHERE account_id = ? AND region = ? AND principal_arn = ?
                       AND model_written = ?""",
                    [record.account_id, record.region, record.principal_arn, record.model_written]).fetchone()
                new += before is None
                updated += before is not None
                conn.execute(
                    f"INSERT INTO callers ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))}) "
                    """ON CONFLICT (account_id, region, principal_arn, model_written) DO UPDATE SET
                           account_name = excluded.account_name, model_id = excluded.model_id,
                           profile_id = excluded.profile_id, variant = excluded.variant, known = excluded.known,
                           calls = calls + excluded.calls, errors = errors + excluded.errors,
                           first_seen = min(first_seen, excluded.first_seen),
                           last_seen = max(last_seen, excluded.last_seen),
                           synced_until = excluded.synced_until""",
                    values)
            conn.execute(
                """INSERT INTO caller_scans (account_id, region, account_name, window_start, synced_until,
                       scanned_at, events, skipped) VALUES (?,?,?,?,?,?,?,?)
                   ON CONFLICT (account_id, region) DO UPDATE SET account_name = excluded.account_name,
                       window_start = min(window_start, excluded.window_start),
                       synced_until = max(synced_until, excluded.synced_until),
                       scanned_at = excluded.scanned_at, events = excluded.events, skipped = excluded.skipped""",
                [account_id, region, account_name, _iso(window_start), until, _iso(scanned_at), events, skipped])
        return RecordedCallers(new, updated)

    def caller_scan_end(self, account_id: str, region: str) -> dt.datetime | None:
        """Where the next scan of this account and Region starts (None: never scanned)."""
        rows = self._rows("SELECT synced_until FROM caller_scans WHERE account_id = ? AND region = ?",
                          [account_id, region])
        return _stamp(rows[0]["synced_until"]) if rows else None

    def caller_scans(self) -> list[CallerScanRow]:
        return [CallerScanRow(r["account_id"], r["account_name"], r["region"], _stamp(r["window_start"]),
                              _stamp(r["synced_until"]), _stamp(r["scanned_at"]), r["events"], r["skipped"])
                for r in self._rows("SELECT * FROM caller_scans ORDER BY account_id, region")]

    def callers(self, model_id: str | None = None) -> list[CallerRow]:
        """Stored callers (of one model: its base model, or as written), the most calls first."""
        where, params = ("", []) if model_id is None else (
            "WHERE model_id = ? OR model_written = ? OR profile_id = ?", [model_id] * 3)
        return [_caller(r) for r in self._rows(
            f"SELECT * FROM callers {where} ORDER BY model_id, calls DESC, account_id, region, principal_arn",
            params)]

    def triage_callers(self) -> list[CallerRow]:
        """Callers for `discovered`: not accepted into an application and not dismissed."""
        return [_caller(r) for r in self._rows(
            """SELECT * FROM callers WHERE app_id IS NULL AND dismissed = 0
               ORDER BY model_id, calls DESC, account_id, region, principal_arn""")]

    def caller(self, caller_id: int) -> CallerRow | None:
        rows = self._rows("SELECT * FROM callers WHERE id = ?", [caller_id])
        return _caller(rows[0]) if rows else None

    def set_caller_app(self, caller_id: int, app_id: int | None) -> None:
        with self._edit() as db:
            db.execute("UPDATE callers SET app_id = ? WHERE id = ?", [app_id, caller_id])

    def dismiss_caller(self, caller_id: int, dismissed: bool = True) -> None:
        with self._edit() as db:
            db.execute("UPDATE callers SET dismissed = ? WHERE id = ?", [int(dismissed), caller_id])

    def invocation_days(self, model_id: str, region: str, account_id: str = "") -> tuple[dt.date | None,
                                                                                           dt.date | None]:
        """(first day synced, newest day with calls) of CloudWatch `Invocations` for a model
        in a Region (over its inference profiles too; one account's when given): (None, None)
        when no series was synced."""
        account = " AND account_id = ?" if account_id else ""
        row = self.conn.execute(
            f"""SELECT min(day), max(CASE WHEN value > 0 THEN day END) FROM usage_daily
                WHERE metric = 'Invocations' AND region = ? AND (model_id = ? OR model_id LIKE ?){account}""",
            [region, model_id, f"%.{model_id}", *([account_id] if account_id else [])]).fetchone()
        first, newest = row if row else (None, None)
        return (dt.date.fromisoformat(first) if first else None, dt.date.fromisoformat(newest) if newest else None)
