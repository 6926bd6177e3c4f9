"""Use cases: every edit of a project, the same from a key in the TUI and from the shell.

Each one validates its input, writes in one transaction of the store and returns a
`Change`: what it did, its result, and how to take it back. Taking a change back is itself
a use case and returns the change that redoes it, so undo and redo are one history of
inverses (services/undo.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    description: str  # "ticking 'Request quotas'": reads after "Undone: " and "Redone: "
    result: Any = None
    inverse: Callable[[], Change] | None = None  # None: this change cannot be taken back
    note: str = ""  # a warning worth showing once the change is saved ('' when none)
