"""Use cases: every edit of a project, the same from a key in the TUI and from the shell.

Each one validates its input, writes in one transaction of the store and returns a
`Change`: what it did, its result, and how to take it back. Taking a change back is itself
a use case and returns the change that redoes it, so undo and redo are one history of
inverses (services/undo.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")


@dataclass(frozen=True)
class Change:
    description: str  # "ticking 'Request quotas'": reads after "Undone: " and "Redone: "
    result: Any = None
    inverse: Callable[[], Change] | None = None  # None: this change cannot be taken back
    note: str = ""  # a warning worth showing once the change is saved ('' when none)


def checked(model: M) -> M:
    """`model` with the input rules of the domain applied (domain/fields.py): a use case
    checks what it is given, however it was built; the refusal names the field and the rule."""
    from ...domain.fields import checked as check
    from ...domain.validation import first_error
    from ...errors import UserInputError

    try:
        return check(model)
    except ValueError as error:
        raise UserInputError(first_error(error)) from None


def checked_text(text: str, field: str) -> str:
    """Free text a person typed (a reason): lines of at most validation.NOTES_MAX characters."""
    from ...domain.validation import TextKind, check_text

    return check_text(text, TextKind.NOTES, field)
