"""Model references found in an application's code: each scan of a folder, and every place
it found, kept across scans (resolved when a later scan of the folder no longer finds it).
A scan recorded for no application (`scan PATH --record`) keeps its places unassigned
(`app_id` NULL) for triage in `discovered`: accepted into an application, or dismissed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ...errors import UserInputError
from ..db import DatabaseCore, _date

_FINDING_COLUMNS = ("app_id", "root", "fingerprint", "file", "line", "column_no", "matched", "model_id",
                    "profile_id", "known", "status", "severity", "language", "via", "first_seen", "last_seen",
                    "resolved_on")
_SCAN_COLUMNS = ("app_id", "root", "scanned_on", "files_read", "source")
_ARN_REGION = re.compile(r"arn:aws[a-z-]*:bedrock:([a-z]{2}(?:-[a-z]+)+-\d):")


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

    @property
    def arn_region(self) -> str | None:
        """The Region a matched ARN names (`arn:aws:bedrock:us-east-1:…`); None otherwise."""
        match = _ARN_REGION.search(self.matched)
        return match.group(1) if match else None


@dataclass(frozen=True)
class CodeFindingRow:
    id: int
    app_id: int | None  # None: recorded for triage, not yet accepted into an application
    root: str  # the folder (or file) scanned, absolute
    reference: FoundReference
    first_seen: dt.date
    last_seen: dt.date
    resolved_on: dt.date | None  # a later scan of `root` no longer found it
    dismissed: bool = False  # an unassigned place hidden from `discovered` (kept across re-scans)

    @property
    def resolved(self) -> bool:
        return self.resolved_on is not None


@dataclass(frozen=True)
class CodeScanRow:
    id: int
    app_id: int | None
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
    elsewhere: int = 0  # unassigned scan: places already recorded for an application (left to it)
    elsewhere_apps: tuple[int, ...] = ()  # those applications' IDs


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
                          _day(row["last_seen"]), _date(row["resolved_on"]), bool(row.get("dismissed", 0)))


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

    def triage_code_findings(self, include_handled: bool = False) -> list[CodeFindingRow]:
        """Places for `discovered`: the unassigned ones still in the code and not dismissed;
        with `include_handled` every place, the applications' and the dismissed too."""
        sql = ("SELECT * FROM code_findings" + ("" if include_handled else
               " WHERE app_id IS NULL AND dismissed = 0 AND resolved_on IS NULL")
               + " ORDER BY resolved_on IS NOT NULL, root, file, line, column_no, id")
        return [_finding(row) for row in self._rows(sql, [])]

    def code_finding(self, finding_id: int) -> CodeFindingRow:
        rows = self._rows("SELECT * FROM code_findings WHERE id = ?", [finding_id])
        if not rows:
            raise UserInputError(f"no code finding with id c{finding_id}.")
        return _finding(rows[0])

    def code_scans(self, app_id: int | None = None) -> list[CodeScanRow]:
        sql = "SELECT * FROM code_scans" + (" WHERE app_id = ?" if app_id is not None else "") + " ORDER BY root"
        return [CodeScanRow(r["id"], r["app_id"], r["root"], _day(r["scanned_on"]), r["files_read"], r["source"])
                for r in self._rows(sql, [] if app_id is None else [app_id])]

    def record_code_scan(self, app_id: int | None, root: str, scanned_on: dt.date, files_read: int, source: str,
                         found: list[FoundReference]) -> RecordedScan:
        """Record what a scan of `root` found for the application, in one transaction: new
        places added, known ones updated (a resolved one opened again), places no longer
        found marked resolved on `scanned_on`. For no application (`app_id` None) a place
        an application already has in `root` is left to it (counted as `elsewhere`); for an
        application, an unassigned record of a place it has now is dropped (it is its)."""
        day = scanned_on.isoformat()
        new = seen = reopened = resolved = elsewhere = 0
        with self._edit() as db:
            conn = db.conn
            before = {fingerprint: (row_id, resolved_on) for row_id, fingerprint, resolved_on in conn.execute(
                "SELECT id, fingerprint, resolved_on FROM code_findings WHERE app_id IS ? AND root = ?",
                [app_id, root])}
            owned: dict[str, int] = {} if app_id is not None else dict(conn.execute(
                "SELECT fingerprint, app_id FROM code_findings WHERE app_id IS NOT NULL AND root = ?", [root]))
            owners: set[int] = set()
            found_now: set[str] = set()
            for ref in found:
                if ref.fingerprint in found_now:
                    continue
                if ref.fingerprint in owned:
                    elsewhere += 1
                    owners.add(owned[ref.fingerprint])
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
            if app_id is not None:  # the application's now: no longer waiting unassigned
                conn.executemany("DELETE FROM code_findings WHERE app_id IS NULL AND root = ? AND fingerprint = ?",
                                 [(root, fingerprint) for fingerprint in found_now])
            _note_scan(conn, app_id, root, day, files_read, source)
        return RecordedScan(new, seen, reopened, resolved, elsewhere, tuple(sorted(owners)))

    def code_scan_state(self, app_id: int | None, root: str) -> ScanState:
        scans = self._rows("SELECT * FROM code_scans WHERE app_id IS ? AND root = ?", [app_id, root])
        findings = self._rows("SELECT * FROM code_findings WHERE app_id IS ? AND root = ? ORDER BY id",
                              [app_id, root])
        return ScanState(scans[0] if scans else None, findings)

    def restore_code_scan_state(self, app_id: int | None, root: str, state: ScanState) -> None:
        """The records of `root` for the application (or the unassigned ones) as `state`
        holds them (nothing else touched)."""
        with self._edit() as db:
            conn = db.conn
            conn.execute("DELETE FROM code_findings WHERE app_id IS ? AND root = ?", [app_id, root])
            conn.execute("DELETE FROM code_scans WHERE app_id IS ? AND root = ?", [app_id, root])
            if state.scan is not None:
                conn.execute(f"INSERT INTO code_scans (id, {', '.join(_SCAN_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
                             [state.scan["id"], *(state.scan[c] for c in _SCAN_COLUMNS)])
            conn.executemany(
                f"INSERT INTO code_findings (id, {', '.join(_FINDING_COLUMNS)}, dismissed) "
                f"VALUES (?, {', '.join('?' * len(_FINDING_COLUMNS))}, ?)",
                [[row["id"], *(row[c] for c in _FINDING_COLUMNS), row.get("dismissed", 0)]
                 for row in state.findings])

    def assign_code_finding(self, finding_id: int, app_id: int) -> None:
        """An unassigned place becomes the application's evidence: moved to it (dropped when
        the application has the same place already), with the folder's scan noted for it
        as the unassigned scan recorded it (when it has none of its own)."""
        with self._edit() as db:
            conn = db.conn
            row = conn.execute("SELECT root, fingerprint FROM code_findings WHERE id = ? AND app_id IS NULL",
                               [finding_id]).fetchone()
            if row is None:
                raise UserInputError(f"code finding c{finding_id} is not unassigned.")
            root, fingerprint = row
            if conn.execute("SELECT 1 FROM code_findings WHERE app_id = ? AND root = ? AND fingerprint = ?",
                            [app_id, root, fingerprint]).fetchone():
                conn.execute("DELETE FROM code_findings WHERE id = ?", [finding_id])
            else:
                conn.execute("UPDATE code_findings SET app_id = ?, dismissed = 0 WHERE id = ?", [app_id, finding_id])
            if not conn.execute("SELECT 1 FROM code_scans WHERE app_id = ? AND root = ?", [app_id, root]).fetchone():
                scan = conn.execute("SELECT scanned_on, files_read, source FROM code_scans "
                                    "WHERE app_id IS NULL AND root = ?", [root]).fetchone()
                if scan is not None:
                    _note_scan(conn, app_id, root, *scan)

    def dismiss_code_finding(self, finding_id: int, dismissed: bool = True) -> None:
        with self._edit() as db:
            db.conn.execute("UPDATE code_findings SET dismissed = ? WHERE id = ?", [int(dismissed), finding_id])


def _note_scan(conn: Any, app_id: int | None, root: str, day: str, files_read: int, source: str) -> None:
    """The folder's scan for the application (or none): added, or updated to this one."""
    updated = conn.execute("UPDATE code_scans SET scanned_on = ?, files_read = ?, source = ? "
                           "WHERE app_id IS ? AND root = ?", [day, files_read, source, app_id, root])
    if updated.rowcount == 0:
        conn.execute("INSERT INTO code_scans (app_id, root, scanned_on, files_read, source) VALUES (?, ?, ?, ?, ?)",
                     [app_id, root, day, files_read, source])
