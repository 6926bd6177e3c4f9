"""Copies of a project through SQLite's online backup (safe while the project is in use).

A copy is written to a temporary file beside the target, checked (SQLite's integrity check
and the foreign keys: a damaged project gives a damaged copy, which is refused), then renamed
into place. The temporary file is removed however the backup ends: an error, Ctrl+C, or a
SIGTERM/SIGHUP (turned into an exit that runs the clean-up). One left by a backup killed
outright (SIGKILL, a power cut) is removed by the next backup into that folder: its name says
which host and process made it.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import ProjectFileError, UserInputError
from .integrity import problems
from .store import ProjectStore

TEMP_PREFIX = ".planner-tui-backup."
STEP_PAGES = 1024  # pages copied between two chances to stop (Ctrl+C, SIGTERM)
STALE_SECONDS = 24 * 3600  # a temporary file this old is stale whoever made it


def host_label() -> str:
    """This machine's name as it goes into a temporary file's name (no dots)."""
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def _progress(status: int, remaining: int, total: int) -> None:
    """Called between steps of the copy: Python code, so a pending Ctrl+C or SIGTERM is
    raised here and stops the copy."""


def backup_project(store: ProjectStore, target: Path) -> int:
    """Write a consistent, checked copy to `target` (atomically, owner-only). Returns its size
    in bytes."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UserInputError(f"cannot write {target}: folder {folder} does not exist.")
    if store.path and os.path.realpath(target) == os.path.realpath(store.path):
        raise UserInputError(f"refusing to write {target}: it is the open project; name another file.")
    remove_stale_temporaries(folder)
    with _terminate_raises():
        try:
            fd, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{host_label()}.{os.getpid()}.",
                                        suffix=".tmp", dir=folder)  # owner-only
        except OSError as error:
            raise UserInputError(f"cannot write {target}: {error.strerror}.") from None
        os.close(fd)
        temp = Path(name)
        try:
            _copy(store, temp, target)
            with open(temp, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except (OSError, sqlite3.Error) as error:
            raise UserInputError(f"backup to {target} failed: {error}; nothing was written.") from None
        finally:
            _remove(temp)
    return target.stat().st_size


def _copy(store: ProjectStore, temp: Path, target: Path) -> None:
    destination = sqlite3.connect(temp)
    try:
        with store.snapshot() as source:  # one consistent state, however long the copy takes
            source.backup(destination, pages=STEP_PAGES, progress=_progress)
        destination.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        found = problems(destination)
    finally:
        destination.close()
    if found:
        more = f" and {len(found) - 1} more" if len(found) > 1 else ""
        raise ProjectFileError(
            f"backup refused: the project is damaged ({found[0]}{more}); nothing was written to "
            f"{target}. 'planner-tui check' lists every problem.")


def _remove(temp: Path) -> None:
    for leftover in (temp, *(Path(f"{temp}{suffix}") for suffix in ("-journal", "-wal", "-shm"))):
        with contextlib.suppress(OSError):
            leftover.unlink()


def remove_stale_temporaries(folder: Path) -> list[str]:
    """Remove the temporary files of earlier backups into `folder` that were killed outright:
    made on this host by a process that is gone, or older than a day whoever made them.
    Returns their names."""
    removed: list[str] = []
    mine, now = host_label(), time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        host, _, rest = entry.name[len(TEMP_PREFIX):].partition(".")
        pid = rest.partition(".")[0]
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        gone = host == mine and pid.isdigit() and not _alive(int(pid))
        if gone or age > STALE_SECONDS:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(entry.name)
    return removed


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill would end the process there: count on the age alone
        return True
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, someone else's
    return True


@contextlib.contextmanager
def _terminate_raises() -> Iterator[None]:
    """SIGTERM and SIGHUP end the process through SystemExit meanwhile, so that clean-up code
    runs (their default ends it on the spot). Only the main thread can set signal handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = [name for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = {name: signal.signal(getattr(signal, name), stop) for name in names}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), signal.SIG_DFL if handler is None else handler)
