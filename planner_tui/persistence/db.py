"""The database core every repository works on: one connection, one lock, transactions.

Each public method that changes data runs in its own transaction (`_edit`), so an edit is
either fully on disk or not at all; `batch` makes several edits one transaction. The
repositories (persistence/repos/) are mixins on this core: they rely on `conn`, `_edit`,
`_rows`, `_memo` and the helpers here, and on the repositories they inherit from (store.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from ..domain.dates import stored_date
from ..errors import ConflictError, NotFoundError, ProjectFileError, ReadOnlyError
from .database import BUSY_TIMEOUT_SECONDS, current_actor, describe_operational_error, open_database

if TYPE_CHECKING:
    from sqlite_utils import Database


def utc_now() -> str:
    """The moment of a write, for logs (the caller's `today` is used for every date)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _real(quoted: str) -> float | None:
    """A REAL as SQLite's quote() writes it (exactly), back to a float."""
    return None if quoted == "NULL" else float(quoted)


_date = stored_date  # ISO text (or NULL) as stored, to a date (or None)


def _inserted_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row a single INSERT just wrote (`lastrowid` is None only for other
    statements)."""
    row_id = cursor.lastrowid
    if row_id is None:
        raise RuntimeError("not the cursor of an INSERT: no row id")
    return row_id


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _stamp(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


# The table a read works out in memory when it cannot save it (see `in_memory`): a temporary
# table of this connection shadows the stored one (repos/schedules.py).
SHADOWED_TABLE = "plan_schedules"


class DatabaseCore:
    def __init__(self, conn: sqlite3.Connection, *, read_only: bool = False, path: Path | None = None):
        self.conn = conn
        self._read_only = read_only
        self.path = path
        # Why an edit is refused when the project could only be opened for reading.
        self.read_only_reason: str | None = None
        # One connection serves the UI thread and workers: one transaction at a time.
        self._lock = threading.RLock()
        self._local = threading.local()

    @classmethod
    def open(cls, path: Path, read_only: bool = False, *, create: bool = True, make_folders: bool = False,
             adopt_empty: bool = False, any_schema: bool = False) -> Self:
        conn = open_database(path, read_only=read_only, create=create, make_folders=make_folders,
                             adopt_empty=adopt_empty, any_schema=any_schema)
        return cls(conn, read_only=read_only, path=Path(path))

    @property
    def read_only(self) -> bool:
        """Opened with --read-only; or, in the thread working out a read's answer in memory
        (`in_memory`), nothing of it is to be saved."""
        return self._read_only or getattr(self._local, "in_memory", False)

    @property
    def opened_as(self) -> str:
        """"existing", "created" (a new project made by this open) or "adopted" (an empty
        file made a project)."""
        return getattr(self.conn, "opened", "existing")

    def close(self) -> None:
        self.conn.close()

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

    @contextmanager
    def _edit(self) -> Iterator[Database]:
        """One user edit = one transaction. Refused in read-only mode.

        BEGIN IMMEDIATE takes the write lock up front, so a second program editing the same
        project waits its turn (busy timeout) instead of failing halfway with "locked".
        """
        if self.read_only:
            raise ReadOnlyError(self.read_only_reason
                                or "this project is open read-only (--read-only); nothing was changed.")
        with self._lock:
            conn = self.conn
            try:
                if conn.in_transaction:  # an edit inside an edit: a savepoint
                    with self.db.atomic():
                        yield self.db
                    return
                if "_shadow_version" in self.__dict__:
                    # Schedules worked out in memory are outdated by this edit: the next read
                    # drops them (no data_version is -1) and works them out afresh.
                    self._shadow_version = -1
                conn.execute("BEGIN IMMEDIATE")
                try:
                    # Who makes this edit, for the audit triggers (schema.ACTOR_SQL).
                    conn.execute("INSERT OR REPLACE INTO planner_meta (key, value) VALUES ('actor', ?)",
                                 [current_actor()])
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

    def write_if_free(self, work: Callable[[], object]) -> bool:
        """Run `work` as one transaction if the project can be written now, for writes a read
        can do without (its derived data brought up to date): never waiting for another
        program's write lock, and giving up (rolled back, False) when the project is busy, the
        disk full or the file read-only. The caller then works its answer out `in_memory`."""
        if self.read_only:
            return False
        with self._lock:
            conn = self.conn
            if conn.in_transaction:  # part of an edit in progress (saved, or kept in memory, with it)
                work()
                return True
            try:
                self._discard_shadow()
                conn.execute("PRAGMA busy_timeout = 0")
                try:
                    conn.execute("BEGIN IMMEDIATE")
                finally:
                    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            except sqlite3.OperationalError:
                return False
            try:
                conn.execute("INSERT OR REPLACE INTO planner_meta (key, value) VALUES ('actor', ?)",
                             [current_actor()])
                work()
                conn.execute("COMMIT")
            except (sqlite3.OperationalError, ProjectFileError):  # busy, full, read-only (also nested)
                if conn.in_transaction:
                    conn.rollback()
                return False
            except BaseException:
                if conn.in_transaction:
                    conn.rollback()
                raise
            return True

    @contextmanager
    def in_memory(self) -> Iterator[None]:
        """Within this block, in this thread, the store counts as read-only: derived data is
        kept for this session only (a temporary table), never saved. Other threads still see
        a store that may write (their edits wait for the block to end)."""
        with self._lock:
            # The temporary copy is made from the stored table's definition, whose references
            # name tables of the project file: a temporary table cannot see them.
            checks = not self._read_only and self.conn.execute("PRAGMA foreign_keys").fetchone()[0]
            if checks:
                self.conn.execute("PRAGMA foreign_keys = OFF")
            self._local.in_memory = True
            try:
                yield
            finally:
                self._local.in_memory = False
                if checks:
                    self.conn.execute("PRAGMA foreign_keys = ON")

    def _shadowed(self) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT name FROM temp.sqlite_master WHERE type = 'table'")}

    def _discard_shadow(self) -> None:
        """Drop the session's in-memory copy of the stored schedules (outside a transaction:
        a rollback would bring it back), so that what is read and saved next is the stored one."""
        if SHADOWED_TABLE in self._shadowed():
            self.conn.execute(f"DROP TABLE temp.{SHADOWED_TABLE}")
        for key in ("_shadow_version", "_schedules_fresh", "_lists"):
            self.__dict__.pop(key, None)

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """The project as it is now, unchanged however long this lasts (one read transaction,
        which never blocks another program's edits)."""
        with self._lock:
            if self.conn.in_transaction:
                yield self.conn
                return
            self.conn.execute("BEGIN")
            try:
                self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                yield self.conn
            finally:
                if self.conn.in_transaction:
                    self.conn.rollback()

    def batch(self) -> contextlib.AbstractContextManager[Database]:
        """Several edits as one transaction (one commit, one disk flush)."""
        return self._edit()

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

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

    @contextmanager
    def _temp_writes(self) -> Iterator[sqlite3.Connection]:
        """Writes to the `temp` schema of a read-only connection; the file itself stays
        read-only (mode=ro or immutable), only query_only is lifted meanwhile (and put back as
        it was: a connection that may write keeps writing)."""
        (was,) = self.conn.execute("PRAGMA query_only").fetchone()
        self.conn.execute("PRAGMA query_only = OFF")
        try:
            yield self.conn
        finally:
            if was:
                self.conn.execute("PRAGMA query_only = ON")

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
