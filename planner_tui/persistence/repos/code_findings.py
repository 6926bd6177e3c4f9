"""Model references found in an application's code: each scan of a folder, and every place
it found, kept across scans (resolved when a later scan of the folder no longer finds it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..db import DatabaseCore, _date

_FINDING_COLUMNS = ("app_id", "root", "fingerprint", "file", "line", "column_no", "matched", "model_id",
                    "profile_id", "known", "status", "severity", "language", "via", "first_seen", "last_seen",
                    "resolved_on")
_SCAN_COLUMNS = ("app_id", "root", "scanned_on", "files_read", "source")


@dataclass(frozen=True)
class FoundReference:
    """One place a scan found a model reference, as recorded for an application."""

    fingerprint: str  # stable while lines move (integrations/scan/scanner.py)
    file: str  # relative to the scanned folder
    line: int
    column: int
    matched: str
    model_id: str  # the catalog's model (a profile's base model), or as written when unknown
    profile_id: str | None
    known: bool
    status: str  # Active, Legacy, PEA, EOL, 'not offered' or 'unknown', as the scan judged it
    severity: str
    language: str = ""
    via: str | None = None


@dataclass(frozen=True)
class CodeFindingRow:
    id: int
    app_id: int
    root: str  # the folder (or file) scanned, absolute
    reference: FoundReference
    first_seen: dt.date
    last_seen: dt.date
    resolved_on: dt.date | None  # a later scan of `root` no longer found it

    @property
    def resolved(self) -> bool:
        return self.resolved_on is not None


@dataclass(frozen=True)
class CodeScanRow:
    id: int
    app_id: int
    root: str
    scanned_on: dt.date
    files_read: int
    source: str  # where the lifecycle dates came from


@dataclass(frozen=True)
class RecordedScan:
    """What recording a scan changed."""

    new: int  # places not seen before
    seen: int  # places seen before, still there
    reopened: int  # places marked resolved before, found again
    resolved: int  # places found before, gone now


@dataclass(frozen=True)
class ScanState:
    """An application's records of one folder, as they stood (to take a recording back)."""

    scan: dict[str, Any] | None
    findings: list[dict[str, Any]]


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _finding(row: dict[str, Any]) -> CodeFindingRow:
    reference = FoundReference(row["fingerprint"], row["file"], row["line"], row["column_no"], row["matched"],
                               row["model_id"], row["profile_id"], bool(row["known"]), row["status"],
                               row["severity"], row["language"], row["via"])
    return CodeFindingRow(row["id"], row["app_id"], row["root"], reference, _day(row["first_seen"]),
                          _day(row["last_seen"]), _date(row["resolved_on"]))


class CodeFindingsRepo(DatabaseCore):
    def code_findings(self, app_id: int | None = None, model_id: str | None = None) -> list[CodeFindingRow]:
        """Recorded places, open first, then by folder, file and line."""
        where: list[str] = []
        params: list[Any] = []
        if app_id is not None:
            where.append("app_id = ?")
            params.append(app_id)
        if model_id is not None:
            where.append("model_id = ?")
            params.append(model_id)
        sql = ("SELECT * FROM code_findings" + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY resolved_on IS NOT NULL, root, file, line, column_no, id")
        return [_finding(row) for row in self._rows(sql, params)]

    def code_scans(self, app_id: int | None = None) -> list[CodeScanRow]:
        sql = "SELECT * FROM code_scans" + (" WHERE app_id = ?" if app_id is not None else "") + " ORDER BY root"
        return [CodeScanRow(r["id"], r["app_id"], r["root"], _day(r["scanned_on"]), r["files_read"], r["source"])
                for r in self._rows(sql, [] if app_id is None else [app_id])]

    def record_code_scan(self, app_id: int, root: str, scanned_on: dt.date, files_read: int, source: str,
                         found: list[FoundReference]) -> RecordedScan:
        """Record what a scan of `root` found for the application, in one transaction: new
        places added, known ones updated (a resolved one opened again), places no longer
        found marked resolved on `scanned_on`."""
        day = scanned_on.isoformat()
        new = seen = reopened = resolved = 0
        with self._edit() as db:
            conn = db.conn
            before = {fingerprint: (row_id, resolved_on) for row_id, fingerprint, resolved_on in conn.execute(
                "SELECT id, fingerprint, resolved_on FROM code_findings WHERE app_id = ? AND root = ?",
                [app_id, root])}
            found_now: set[str] = set()
            for ref in found:
                if ref.fingerprint in found_now:
                    continue
                found_now.add(ref.fingerprint)
                values = [ref.file, ref.line, ref.column, ref.matched, ref.model_id, ref.profile_id, int(ref.known),
                          ref.status, ref.severity, ref.language, ref.via]
                if ref.fingerprint in before:
                    row_id, was_resolved = before[ref.fingerprint]
                    reopened += was_resolved is not None
                    seen += was_resolved is None
                    conn.execute(
                        """UPDATE code_findings SET file = ?, line = ?, column_no = ?, matched = ?, model_id = ?,
                               profile_id = ?, known = ?, status = ?, severity = ?, language = ?, via = ?,
                               last_seen = ?, resolved_on = NULL WHERE id = ?""", [*values, day, row_id])
                else:
                    new += 1
                    conn.execute(
                        f"INSERT INTO code_findings ({', '.join(_FINDING_COLUMNS)}) "
                        f"VALUES ({', '.join('?' * len(_FINDING_COLUMNS))})",
                        [app_id, root, ref.fingerprint, *values, day, day, None])
            gone = [row_id for fingerprint, (row_id, resolved_on) in before.items()
                    if fingerprint not in found_now and resolved_on is None]
            resolved = len(gone)
            conn.executemany("UPDATE code_findings SET resolved_on = ? WHERE id = ?", [(day, i) for i in gone])
            conn.execute(
                """INSERT INTO code_scans (app_id, root, scanned_on, files_read, source) VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (app_id, root) DO UPDATE SET scanned_on = excluded.scanned_on,
                       files_read = excluded.files_read, source = excluded.source""",
                [app_id, root, day, files_read, source])
        return RecordedScan(new, seen, reopened, resolved)

    def code_scan_state(self, app_id: int, root: str) -> ScanState:
        scans = self._rows("SELECT * FROM code_scans WHERE app_id = ? AND root = ?", [app_id, root])
        findings = self._rows("SELECT * FROM code_findings WHERE app_id = ? AND root = ? ORDER BY id", [app_id, root])
        return ScanState(scans[0] if scans else None, findings)

    def restore_code_scan_state(self, app_id: int, root: str, state: ScanState) -> None:
        """The application's records of `root` as `state` holds them (nothing else touched)."""
        with self._edit() as db:
            conn = db.conn
            conn.execute("DELETE FROM code_findings WHERE app_id = ? AND root = ?", [app_id, root])
            conn.execute("DELETE FROM code_scans WHERE app_id = ? AND root = ?", [app_id, root])
            if state.scan is not None:
                conn.execute(f"INSERT INTO code_scans (id, {', '.join(_SCAN_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
                             [state.scan["id"], *(state.scan[c] for c in _SCAN_COLUMNS)])
            conn.executemany(
                f"INSERT INTO code_findings (id, {', '.join(_FINDING_COLUMNS)}) "
                f"VALUES (?, {', '.join('?' * len(_FINDING_COLUMNS))})",
                [[row["id"], *(row[c] for c in _FINDING_COLUMNS)] for row in state.findings])
