"""The field types of what a person enters, for the domain's pydantic models.

Each applies a rule of domain/validation.py (control characters, length limits, the date
range, the volume bound), so every model built from input refuses the same things in the
same words, whichever way the input came in (CLI, TUI form, CSV, JSON). Catalog and AWS rows
(FoundationModel, RegionalLifecycle, aws_records) are not typed by a person and keep plain
types.

Input is checked where it comes in: `Model.model_validate(values)` (the CLI's `validated`,
the JSON import, the TUI's form checks) and the use cases, which check every model they are
given again (`checked`), so a model built any other way cannot slip past them. Calling the
constructor checks types but not these rules: the persistence layer builds its models from
the rows it reads, and a project written before the rules existed (or by an older release)
must still open, show and export what it holds, whatever that is.
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from .validation import VOLUME_MAX, TextKind, day_problem, text_problem

# Whether the input rules apply to what is being validated: within `model_validate` (and
# `model_validate_json`) of an InputModel, yes; a plain constructor call, no.
_CHECKING: ContextVar[bool] = ContextVar("input_rules", default=False)
M = TypeVar("M", bound=BaseModel)


class InputModel(BaseModel):
    """A model whose fields a person fills in: `model_validate` applies the input rules; the
    constructor (rows read back from the project) does not."""

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> Any:
        token = _CHECKING.set(True)
        try:
            return super().model_validate(obj, **options)
        finally:
            _CHECKING.reset(token)

    @classmethod
    def model_validate_json(cls, json_data: Any, **options: Any) -> Any:
        token = _CHECKING.set(True)
        try:
            return super().model_validate_json(json_data, **options)
        finally:
            _CHECKING.reset(token)


def checking() -> bool:
    """Whether the input rules apply to the model being validated now (for a model's own
    validators: a row read back is taken as it was saved)."""
    return _CHECKING.get()


def checked(model: M) -> M:
    """`model` again with the input rules applied: ValidationError (a ValueError) when it
    breaks one. For use cases, given models that may have been built by a constructor or
    copied with an update (neither applies the rules)."""
    return type(model).model_validate(model.model_dump())


def _text(kind: TextKind) -> AfterValidator:
    def check(value: str) -> str:
        problem = text_problem(value, kind) if _CHECKING.get() else None
        if problem:
            # A custom error: its message is shown as it is (no "Value error, " before it).
            raise PydanticCustomError("text_rule", problem)
        return value

    return AfterValidator(check)


def _windows_line_ends(value: Any) -> Any:
    return value.replace("\r\n", "\n") if isinstance(value, str) and _CHECKING.get() else value


def _day(value: dt.date) -> dt.date:
    problem = day_problem(value) if _CHECKING.get() else None
    if problem:
        raise PydanticCustomError("date_range", problem)
    return value


def _volume(value: int) -> int:
    if value > VOLUME_MAX and _CHECKING.get():
        raise PydanticCustomError("volume_limit", f"must be at most {VOLUME_MAX:,} requests per month")
    return value


Name = Annotated[str, _text(TextKind.NAME)]
"""One line of at most NAME_MAX characters: a name, an owner, a team, an environment."""
Title = Annotated[str, _text(TextKind.TITLE)]
"""One line of at most TITLE_MAX characters: a checklist item's title."""
Ident = Annotated[str, _text(TextKind.ID)]
"""One line of at most ID_MAX characters: a model or profile ID, a Region, an ARN."""
Notes = Annotated[str, BeforeValidator(_windows_line_ends), _text(TextKind.NOTES)]
"""Text of at most NOTES_MAX characters that may span lines (line breaks and tabs only)."""
Day = Annotated[dt.date, AfterValidator(_day)]
"""A date within FIRST_DAY … LAST_DAY."""
Moment = Annotated[dt.datetime, AfterValidator(_day)]
"""A time on a day within FIRST_DAY … LAST_DAY."""
Volume = Annotated[int, Field(ge=0), AfterValidator(_volume)]
"""Requests per month: zero up to VOLUME_MAX."""
