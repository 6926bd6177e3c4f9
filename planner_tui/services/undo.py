"""One history of changes for undo and redo.

Undo takes back the most recent change, whatever its kind, and redo puts it back, always in
order. A change that cannot be taken back stops undo there; one whose inverse fails (the
row changed elsewhere meanwhile) ends the history rather than skip it and undo older
changes out of order.
"""

from __future__ import annotations

from .commands import Change

MAX_CHANGES = 200


class CannotUndo(Exception):
    """`str()` says which change stops the undo, and why."""


class UndoHistory:
    def __init__(self) -> None:
        self._done: list[Change] = []
        self._undone: list[Change] = []

    def record(self, change: Change) -> None:
        """A new change: what was undone can no longer be redone."""
        self._done.append(change)
        del self._done[:-MAX_CHANGES]
        self._undone.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    def undo(self) -> tuple[Change, Change]:
        """Take back the last change: returns (the change taken back, the change that did it).
        Raises CannotUndo, or the inverse's own error after ending the history."""
        return self._step(self._done, self._undone, "undo")

    def redo(self) -> tuple[Change, Change]:
        return self._step(self._undone, self._done, "redo")

    def _step(self, source: list[Change], target: list[Change], verb: str) -> tuple[Change, Change]:
        if not source:
            raise CannotUndo(f"Nothing to {verb}.")
        change = source[-1]
        if change.inverse is None:
            raise CannotUndo(f"{change.description[:1].upper()}{change.description[1:]} cannot be undone; "
                             "nothing before it can be either.")
        try:
            inverse = change.inverse()
        except Exception:
            # Its inverse no longer applies: going on would take changes back out of order.
            source.clear()
            target.clear()
            raise
        source.pop()
        target.append(inverse)
        return change, inverse

    def __len__(self) -> int:
        return len(self._done)
