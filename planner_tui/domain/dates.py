"""Calendar arithmetic shared by the lifecycle and scheduling rules."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day-of-month `months` later, clamped to the month's end (Jan 31 + 1 → Feb 28)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def stored_date(text: str | None) -> dt.date | None:
    """A date as a project stores it (ISO YYYY-MM-DD); None when there is none (NULL or "")."""
    return dt.date.fromisoformat(text) if text else None


def parse_date(text: str) -> dt.date:
    """Parse YYYY-MM-DD strictly, a date a person typed: it must lie within
    validation.FIRST_DAY … LAST_DAY. Raise ValueError with a readable message."""
    from .validation import day_problem

    try:
        day = dt.date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise ValueError(f"invalid date {text!r}: expected YYYY-MM-DD") from None
    problem = day_problem(day)
    if problem:
        raise ValueError(f"invalid date {text.strip()!r}: {problem}")
    return day
