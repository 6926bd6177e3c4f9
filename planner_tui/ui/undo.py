"""The last edits, each with a way to reverse it (checklist toggles, deletes, edits)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MAX_UNDO = 50


@dataclass(frozen=True)
class UndoEntry:
    description: str
    reverse: Callable[[], object]


class UndoStack:
    def __init__(self) -> None:
        self._entries: list[UndoEntry] = []

    def push(self, description: str, reverse: Callable[[], object]) -> None:
        self._entries.append(UndoEntry(description, reverse))
        del self._entries[:-MAX_UNDO]

    def pop(self) -> UndoEntry | None:
        return self._entries.pop() if self._entries else None

    def __len__(self) -> int:
        return len(self._entries)
