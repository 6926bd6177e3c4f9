"""The registry of migrations: named, ordered, applied by sqlite-utils.

The registry is a plain list so that opening an up-to-date project needs no sqlite-utils
import (a third of a second of start-up).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "planner-tui"
MIGRATIONS: list[tuple[str, Callable[[Database], None]]] = []


def migrations(name: str) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
    def register(fn: Callable[[Database], None]) -> Callable[[Database], None]:
        MIGRATIONS.append((name, fn))
        return fn

    return register


def known_migrations() -> set[str]:
    """Names of every migration this release knows."""
    return {name for name, _ in MIGRATIONS}


def apply_migrations(db: Database) -> None:
    """Apply, in order, every migration the database has not had (sqlite-utils records them)."""
    from sqlite_utils import Migrations

    registry = Migrations(MIGRATION_SET)
    for name, fn in MIGRATIONS:
        registry(name=name)(fn)
    registry.apply(db)
