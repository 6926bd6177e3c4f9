"""Copies of a project through SQLite's online backup (safe while the project is in use)."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from ..errors import UserInputError
from .store import ProjectStore


def backup_project(store: ProjectStore, target: Path) -> int:
    """Write a consistent copy to `target` (atomically, owner-only). Returns its size in bytes."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UserInputError(f"cannot write {target}: folder {folder} does not exist.")
    if store.path and target.resolve() == Path(store.path).resolve():
        raise UserInputError("the backup cannot overwrite the project itself.")
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    os.chmod(temp, 0o600)
    try:
        destination = sqlite3.connect(temp)
        try:
            store.conn.backup(destination)
            destination.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        finally:
            destination.close()
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except (OSError, sqlite3.Error) as error:
        Path(temp).unlink(missing_ok=True)
        raise UserInputError(f"backup to {target} failed: {error}; nothing was written.") from None
    return target.stat().st_size
