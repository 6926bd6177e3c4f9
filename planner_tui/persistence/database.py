"""Open a project file safely.

Before anything is written, the file is inspected through a read-only connection: a file
that is not a planner database, or one written by a newer release, is refused and left
byte-for-byte untouched. A read-only review also leaves the folder as it found it (see
`ReviewConnection`).
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from pathlib import Path

from ..errors import ProjectFileError
from .schema import MIGRATION_SET, apply_migrations, known_migrations

SQLITE_HEADER = b"SQLite format 3\x00"
APP_MARKER = "planner-tui"
BUSY_TIMEOUT_SECONDS = 10.0
ACTOR_ENV = "PLANNER_TUI_USER"


def current_actor() -> str:
    """Who edits: PLANNER_TUI_USER if set, else the operating-system user."""
    configured = os.environ.get(ACTOR_ENV, "").strip()
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _sidecars(path: Path) -> tuple[Path, Path]:
    """The write-ahead log and shared-memory files SQLite keeps beside a WAL database."""
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def _tidy_sidecars(path: Path) -> None:
    """Remove the -wal and -shm files a read-only look at `path` left behind.

    Even a read-only connection makes them (a WAL database is read through them), and it
    cannot delete them when it closes: only a connection that may write does, when it is the
    last one open. So one is opened for a moment, reads, and closes: SQLite then removes both
    files unless another program still has the project open (its files, left alone). Only
    when the log is empty, so that closing checkpoints nothing and the project file keeps
    every byte; a log with frames holds another program's edits, also left alone.
    """
    wal, _ = _sidecars(path)
    try:
        if not wal.is_file() or wal.stat().st_size:
            return
        conn = sqlite3.connect(str(path), timeout=0)
        try:
            conn.execute("PRAGMA query_only = ON")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        pass  # best effort: a busy or unwritable folder keeps them


class ReviewConnection(sqlite3.Connection):
    """A read-only connection that leaves the folder as it found it: when it closes, the
    -wal/-shm files that were not there when it opened are tidied away (`_tidy_sidecars`)."""

    tidy_path: Path | None = None

    def close(self) -> None:
        super().close()
        path, self.tidy_path = self.tidy_path, None
        if path is not None:
            _tidy_sidecars(path)


def _connect(path: Path, read_only: bool,
             factory: type[sqlite3.Connection] = sqlite3.Connection) -> sqlite3.Connection:
    if read_only:
        uri = path.resolve().as_uri()
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS,
                               check_same_thread=False, factory=factory)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            # Read-only media: SQLite cannot create the shared-memory file a WAL database
            # wants; read the file as immutable instead (nothing can be writing it there).
            conn.close()
            conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True,
                                   timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False,
                                   factory=factory)
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)
    # Audit triggers record who made each change.
    conn.create_function("planner_actor", 0, current_actor, deterministic=False)
    return conn


def describe_operational_error(error: sqlite3.OperationalError, doing: str) -> str:
    """One sentence for the SQLite failures users meet: locks, full disks, read-only media."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return f"{doing}: the project is busy in another program; try again."
    if "full" in text:
        return f"{doing}: the disk is full; free some space and try again. Nothing was lost."
    if "readonly" in text or "read-only" in text:
        return (f"{doing}: the file or its folder is read-only; open it with --read-only "
                "to review it.")
    if "unable to open" in text:
        return f"{doing}: the file or its folder cannot be opened ({text})."
    return f"{doing}: {text}."


def _inspect(path: Path) -> set[str] | None:
    """The migrations applied to a planner project; None for an empty file. Anything else
    (not SQLite, not ours, from a newer release) raises ProjectFileError."""
    if path.stat().st_size == 0:
        return None
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise ProjectFileError(f"{path} is not a planner project (not an SQLite database).")
    conn = _connect(path, read_only=True)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return None
        if "planner_meta" not in tables or "_sqlite_migrations" not in tables:
            raise ProjectFileError(f"{path} is an SQLite database but not a planner project.")
        marker = conn.execute("SELECT value FROM planner_meta WHERE key = 'app'").fetchone()
        if not marker or marker[0] != APP_MARKER:
            raise ProjectFileError(f"{path} is an SQLite database but not a planner project.")
        applied = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
            )
        }
    except sqlite3.DatabaseError as error:
        raise ProjectFileError(f"{path} cannot be read: {error} (corrupt or not a database).") from None
    finally:
        conn.close()
    unknown = applied - known_migrations()
    if unknown:
        raise ProjectFileError(
            f"{path} was written by a newer planner-tui (schema {max(unknown)}); upgrade to open it."
        )
    return applied


def _create_private_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as error:
        raise ProjectFileError(f"cannot create {path}: {error.strerror}.") from None
    os.close(fd)


def _open_for_review(path: Path) -> sqlite3.Connection:
    """Open a project read-only: never writing it, and leaving no file beside it that was
    not there before (also when it is refused)."""
    if not path.exists():
        raise ProjectFileError(f"no project at {path} (nothing to open read-only).")
    if path.is_dir():
        raise ProjectFileError(f"{path} is a folder, not a project file.")
    found_clean = not any(sidecar.exists() for sidecar in _sidecars(path))
    try:
        applied = _inspect(path)
        if applied is None:
            raise ProjectFileError(f"{path} is an empty file, not a planner project.")
        if known_migrations() - applied:
            raise ProjectFileError(
                f"{path} uses an older schema; open it once without --read-only to upgrade it."
            )
        conn = _connect(path, read_only=True, factory=ReviewConnection)
        conn.execute("PRAGMA query_only = ON")
    except BaseException:
        if found_clean:
            _tidy_sidecars(path)
        raise
    conn.tidy_path = path if found_clean else None
    return conn


def open_database(path: Path, read_only: bool = False) -> sqlite3.Connection:
    """Open (creating if needed) and migrate a project; or open it read-only, never writing."""
    path = Path(path)
    if read_only:
        return _open_for_review(path)
    if not path.exists():
        _create_private_file(path)
    if path.is_dir():
        raise ProjectFileError(f"{path} is a folder, not a project file.")
    applied = _inspect(path)
    pending = known_migrations() - (applied or set())

    conn = _connect(path, read_only=False)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        # Triggers fire for the rows a REPLACE deletes too (the audit log relies on it).
        conn.execute("PRAGMA recursive_triggers = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed edit survives power loss too, not only a killed process.
        conn.execute("PRAGMA synchronous = FULL")
        if pending:
            from sqlite_utils import Database

            apply_migrations(Database(conn, execute_plugins=False, recursive_triggers=False))
    except sqlite3.OperationalError as error:
        conn.close()
        raise ProjectFileError(describe_operational_error(error, f"cannot open {path}")) from None
    except sqlite3.DatabaseError as error:
        conn.close()
        raise ProjectFileError(f"{path} cannot be read: {error} (corrupt or not a database).") from None
    return conn
