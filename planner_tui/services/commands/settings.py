"""Project settings changed by hand: the calendar's reminders and refresh interval."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import UserInputError
from . import Change

if TYPE_CHECKING:
    from ...persistence.store import ProjectStore


def set_calendar_settings(store: ProjectStore, **given: Any) -> Change:
    """Change some of the calendar settings (alarm_days, eol_alarm_days, refresh_hours), all
    or none; the next `export ics` / `export feeds` follows them. Taking it back restores
    the former ones."""
    from pydantic import ValidationError

    from ...domain.settings import CalendarSettings
    from ...domain.validation import first_error

    before = store.calendar_settings()
    unknown = sorted(set(given) - set(CalendarSettings.model_fields))
    if unknown:
        raise UserInputError(f"unknown calendar setting {unknown[0]!r}.")
    try:
        after = CalendarSettings.model_validate({**before.model_dump(), **given})
    except ValidationError as error:
        raise UserInputError(first_error(error)) from None
    store.save_calendar_settings(after)
    return Change("changing the calendar settings", after,
                  lambda: set_calendar_settings(store, **before.model_dump()))
