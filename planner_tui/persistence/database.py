"""Open a project file safely.

Before anything is written, the file is inspected through a read-only connection: a file
that is not a planner database, or one written by a newer release, is refused and left
byte-for-byte untouched. Nothing is silently made a project: a missing file is created only
when the caller says so (`create`), whole (migrated in a private file, then linked into
place), and an empty file only when the caller says so (`adopt_empty`). A read-only review
also leaves the folder as it found it (see `ReviewConnection`), and shows every committed
edit, also on read-only media (see `_private_copy`).
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import os
import shutil
import sqlite3
import tempfile
import unicodedata
from pathlib import Path
from typing import TypeVar

from ..errors import ProjectFileError
from .schema import MIGRATION_SET, apply_migrations, known_migrations

SQLITE_HEADER = b"SQLite format 3\x00"
APP_MARKER = "planner-tui"
BUSY_TIMEOUT_SECONDS = 10.0
ACTOR_ENV = "PLANNER_TUI_USER"
MAX_ACTOR = 100


def current_actor() -> str:
    """Who edits: PLANNER_TUI_USER if set, else the operating-system user; one printable line
    of at most MAX_ACTOR characters. Never raises: the audit triggers call it for every row
    they log, and a failure there would refuse the edit."""
    try:
        configured = os.environ.get(ACTOR_ENV, "")
    except Exception:  # noqa: BLE001 - whatever the environment holds, an edit goes on
        configured = ""
    return _actor(configured[: MAX_ACTOR * 8])  # a name of megabytes is cut before it is looked at


@functools.lru_cache(maxsize=4)
def _actor(configured: str) -> str:
    name = _printable(configured)
    if not name:
        try:
            name = _printable(getpass.getuser())
        except Exception:  # noqa: BLE001 - no user name from the system (containers, Windows services)
            name = ""
    return name or "unknown"


def _printable(text: str) -> str:
    """Control, format and unpaired surrogate characters dropped, any run of white space one
    space, cut to MAX_ACTOR characters."""
    kept = []
    for char in text[: MAX_ACTOR * 8]:
        category = unicodedata.category(char)
        if char.isspace() or category.startswith("Z"):
            kept.append(" ")
        elif not category.startswith("C"):
            kept.append(char)
    return " ".join("".join(kept).split())[:MAX_ACTOR].strip()


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


class ProjectConnection(sqlite3.Connection):
    """A connection to a project that may be written; `opened` says how the file came to be:
    "existing", "created" (made whole by this open) or "adopted" (an empty file made a project)."""

    opened = "existing"


class ReviewConnection(sqlite3.Connection):
    """A read-only connection that leaves the folder as it found it: when it closes, the
    -wal/-shm files that were not there when it opened are tidied away (`_tidy_sidecars`),
    and the private copy it may have read (`_private_copy`) is removed."""

    tidy_path: Path | None = None
    scratch: Path | None = None
    opened = "existing"

    def close(self) -> None:
        super().close()
        path, self.tidy_path = self.tidy_path, None
        if path is not None:
            _tidy_sidecars(path)
        scratch, self.scratch = self.scratch, None
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


_Connection = TypeVar("_Connection", bound=sqlite3.Connection)


def _connect(path: Path, read_only: bool, factory: type[_Connection]) -> _Connection:
    if read_only:
        uri = path.resolve().as_uri()
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS,
                               check_same_thread=False, factory=factory)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            # Read-only media: SQLite cannot create the shared-memory file a WAL database
            # wants; read the file as immutable instead (nothing can be writing it there).
            # A write-ahead log with edits in it is read from a private copy instead
            # (`_open_for_review`): immutable would leave them out.
            conn.close()
            conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True,
                                   timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False,
                                   factory=factory)
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False,
                               factory=factory)
    # Temporary tables (a read's schedules worked out in memory) never need the disk.
    conn.execute("PRAGMA temp_store = MEMORY")
    # Audit triggers record who made each change.
    conn.create_function("planner_actor", 0, current_actor, deterministic=False)
    return conn


class UnwritableProjectError(ProjectFileError):
    """The project is there and sound, but cannot be opened for writing now (busy, a full
    disk, read-only media or folder): it can still be read (`open_project` falls back)."""


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


def project_kind(path: Path) -> str | None:
    """What a file is, for a caller about to replace it: "a planner project", "an SQLite
    database" or None (anything else, or no file). Read through an immutable connection, which
    leaves nothing beside the file; a database that cannot be read counts as one."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError:  # missing, a folder, unreadable: nothing a planner could open either
        return None
    if header != SQLITE_HEADER:
        return None
    try:
        uri = Path(path).resolve().as_uri()
        with contextlib.closing(sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)) as conn:
            marker = conn.execute("SELECT value FROM planner_meta WHERE key = 'app'").fetchone()
    except sqlite3.Error:
        return "an SQLite database"
    return "a planner project" if marker and marker[0] == APP_MARKER else "an SQLite database"


def _open_failure(error: sqlite3.OperationalError, path: Path) -> str:
    """Why a project could not be opened for writing. Making its shared-memory file on a full
    disk or read-only media fails with SQLite's vaguest words: the folder says which it is."""
    text, folder = str(error), path.parent
    if "unable to open" in text or "disk i/o" in text.lower():
        with contextlib.suppress(OSError):
            if not os.access(folder, os.W_OK):
                text = "attempt to write a readonly database"
            elif hasattr(os, "statvfs") and os.statvfs(folder).f_bavail == 0:
                text = "database or disk is full"
    return describe_operational_error(sqlite3.OperationalError(text), f"cannot open {path}")


def _inspect(path: Path, shown: Path | None = None) -> set[str] | None:
    """The migrations applied to a planner project; None for an empty file or an empty SQLite
    database. Anything else (not SQLite, not ours, from a newer release) raises
    ProjectFileError naming `shown` (the path the user gave; `path` may be a private copy)."""
    shown = shown or path
    if path.stat().st_size == 0:
        return None
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise ProjectFileError(f"{shown} is not a planner project (not an SQLite database).")
    conn = _connect(path, read_only=True, factory=sqlite3.Connection)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return None
        if "planner_meta" not in tables or "_sqlite_migrations" not in tables:
            raise ProjectFileError(f"{shown} is an SQLite database but not a planner project.")
        marker = conn.execute("SELECT value FROM planner_meta WHERE key = 'app'").fetchone()
        if not marker or marker[0] != APP_MARKER:
            raise ProjectFileError(f"{shown} is an SQLite database but not a planner project.")
        applied = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
            )
        }
    except sqlite3.DatabaseError as error:
        raise ProjectFileError(f"{shown} cannot be read: {error} (corrupt or not a database).") from None
    finally:
        conn.close()
    unknown = applied - known_migrations()
    if unknown:
        raise ProjectFileError(
            f"{shown} was written by a newer planner-tui (schema {max(unknown)}); upgrade to open it."
        )
    return applied


def _empty_refusal(path: Path) -> ProjectFileError:
    what = "an empty file" if path.stat().st_size == 0 else "an empty SQLite database"
    return ProjectFileError(f"{path} is {what}, not a planner project; nothing was changed.")


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every system can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _create_project(path: Path, make_folders: bool) -> None:
    """Make a new, migrated project at `path`, whole or not at all: it is built in a private
    file beside it and linked into place, so no program ever sees it half made (and a crash
    leaves no empty file to be mistaken for someone else's). A project that appeared there
    meanwhile (another program made it) is left as it is."""
    folder = path.parent
    if make_folders:
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            raise ProjectFileError(f"cannot create {path}: {error.strerror}.") from None
    elif not folder.is_dir():
        raise ProjectFileError(f"cannot create {path}: folder {folder} does not exist.")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=folder)  # 0600
    except OSError as error:
        raise ProjectFileError(f"cannot create {path}: {error.strerror}.") from None
    os.close(fd)
    temp = Path(name)
    try:
        conn = _connect(temp, read_only=False, factory=sqlite3.Connection)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA recursive_triggers = ON")
            from sqlite_utils import Database

            apply_migrations(Database(conn, execute_plugins=False, recursive_triggers=False))
        finally:
            conn.close()
        with temp.open("rb") as handle:
            os.fsync(handle.fileno())
        _link_into_place(temp, path)
        _fsync_folder(folder)
    except sqlite3.OperationalError as error:
        raise ProjectFileError(describe_operational_error(error, f"cannot create {path}")) from None
    except sqlite3.DatabaseError as error:
        raise ProjectFileError(f"cannot create {path}: {error}.") from None
    except OSError as error:
        raise ProjectFileError(f"cannot create {path}: {error.strerror}.") from None
    finally:
        for leftover in (temp, Path(f"{temp}-journal")):
            leftover.unlink(missing_ok=True)


def _link_into_place(temp: Path, path: Path) -> None:
    """`temp` becomes `path` unless something is there already (then it stays as it is)."""
    try:
        os.link(temp, path)
        return
    except FileExistsError:
        return
    except OSError:
        pass  # a file system without hard links: claim the name, then move the project over it
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return
    os.replace(temp, path)


def _needs_private_copy(path: Path) -> bool:
    """A write-ahead log with edits in it, beside a project SQLite cannot open in place
    read-only (read-only media: no shared-memory file can be made)."""
    wal, _ = _sidecars(path)
    try:
        if not wal.is_file() or not wal.stat().st_size:
            return False
    except OSError:
        return False
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        return True
    except sqlite3.DatabaseError:
        return False  # damaged: _inspect says so
    return False


def _private_copy(path: Path) -> tuple[Path, Path]:
    """The project and its write-ahead log copied into a private temporary folder, where SQLite
    can read the log (read-only media keep it from doing so in place, and reading the file as
    immutable would leave out every edit still in the log). Returns (folder, copy)."""
    scratch = Path(tempfile.mkdtemp(prefix="planner-tui-review-"))
    copy = scratch / path.name
    try:
        shutil.copyfile(path, copy)
        shutil.copyfile(_sidecars(path)[0], _sidecars(copy)[0])
    except OSError as error:
        shutil.rmtree(scratch, ignore_errors=True)
        raise ProjectFileError(
            f"cannot read the edits in {_sidecars(path)[0]}: copying them to a temporary folder "
            f"failed ({error.strerror}); nothing was shown.") from None
    return scratch, copy


def _open_for_review(path: Path, any_schema: bool = False) -> sqlite3.Connection:
    """Open a project read-only: never writing it, and leaving no file beside it that was
    not there before (also when it is refused). Only a project of this release's schema,
    unless `any_schema` (for checks of the file itself, which read no table of ours)."""
    if not path.exists():
        raise ProjectFileError(f"no project at {path} (nothing to open read-only).")
    if path.is_dir():
        raise ProjectFileError(f"{path} is a folder, not a project file.")
    found_clean = not any(sidecar.exists() for sidecar in _sidecars(path))
    scratch = None
    try:
        source = path
        if _needs_private_copy(path):
            scratch, source = _private_copy(path)
        applied = _inspect(source, shown=path)
        if applied is None:
            raise _empty_refusal(path)
        if known_migrations() - applied and not any_schema:
            raise ProjectFileError(
                f"{path} uses an older schema; open it once without --read-only to upgrade it."
            )
        conn = _connect(source, read_only=True, factory=ReviewConnection)
        conn.execute("PRAGMA query_only = ON")
    except BaseException:
        if found_clean:
            _tidy_sidecars(path)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        raise
    conn.tidy_path = path if found_clean and scratch is None else None
    conn.scratch = scratch
    return conn


def open_database(path: Path, read_only: bool = False, *, create: bool = True, make_folders: bool = False,
                  adopt_empty: bool = False, any_schema: bool = False) -> sqlite3.Connection:
    """Open and migrate a project; or open it read-only, never writing.

    A missing file is made a new project only with `create` (its folder too with
    `make_folders`); an empty file (no bytes, or an SQLite database without tables) only with
    `adopt_empty`. Otherwise both are refused and nothing is written. The connection's
    `opened` says which happened. `any_schema`: see `_open_for_review`."""
    path = Path(path)
    if read_only:
        return _open_for_review(path, any_schema)
    opened = "existing"
    if not path.exists():
        if path.is_symlink():
            raise ProjectFileError(f"{path} is a link to a file that does not exist.")
        if not create:
            raise ProjectFileError(f"no project at {path}; nothing was created (only a command that "
                                   "adds something, such as 'apps add', creates a project).")
        _create_project(path, make_folders)
        opened = "created"
    if path.is_dir():
        raise ProjectFileError(f"{path} is a folder, not a project file.")
    applied = _inspect(path)
    if applied is None:
        if not adopt_empty:
            raise _empty_refusal(path)
        opened = "adopted"
    pending = known_migrations() - (applied or set())

    conn = _connect(path, read_only=False, factory=ProjectConnection)
    conn.opened = opened
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
        raise UnwritableProjectError(_open_failure(error, path)) from None
    except sqlite3.DatabaseError as error:
        conn.close()
        raise ProjectFileError(f"{path} cannot be read: {error} (corrupt or not a database).") from None
    return conn
