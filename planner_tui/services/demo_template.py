"""The example project, built once per day and copied at every `--demo` start.

Building it (services/demo.py) takes seconds: a few hundred edits through the use cases,
each its own transaction. It depends only on `today`, the bundled catalog and this code,
so the built file is kept in the user's cache folder under a key of those, and each start
copies it (a millisecond or two) into its own temporary folder: the copy is as fresh as a
build. A new day, release or catalog builds it again, once. Light imports only: this runs
on the way to the first frame.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

_KEEP = 4  # templates kept (other days, other releases): the rest are removed


def _code_fingerprint() -> str:
    """Changes when any module of the package changes (its size or time), so a template is
    never one an older build of this code made."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for folder, _, names in sorted(os.walk(package)):
        for name in sorted(names):
            if name.endswith((".py", ".csv")):
                stat = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


def _cache_folder() -> Path | None:
    import platformdirs

    folder = Path(platformdirs.user_cache_dir("planner-tui", appauthor=False)) / "demo"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder


def copy_demo(target: Path, today: dt.date) -> None:
    """Put the example project for `today` at `target` (a path in a new private folder):
    a copy of the template, built first when there is none. Where no cache folder can be
    written, it is built in place."""
    folder = _cache_folder()
    if folder is None:
        _build(target, today)
        return
    template = folder / f"demo-{today.isoformat()}-{_code_fingerprint()}.db"
    if not template.exists():
        scratch = Path(tempfile.mkdtemp(prefix="building-", dir=folder))
        try:
            _build(scratch / "demo.db", today)
            os.replace(scratch / "demo.db", template)  # whole or not at all, also for a second start
        except OSError:
            _build(target, today)
            return
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        _prune(folder, keep=template)
    shutil.copyfile(template, target)
    os.chmod(target, 0o600)


def _build(path: Path, today: dt.date) -> None:
    from . import schedules
    from .demo import build_demo
    from .project import open_project

    store = open_project(path)
    try:
        build_demo(store, today)
        schedules.ensure_current(store)  # what a first read would store
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _prune(folder: Path, keep: Path) -> None:
    templates = sorted(folder.glob("demo-*.db"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in templates[_KEEP:]:
        if old != keep:
            with contextlib.suppress(OSError):
                old.unlink()
