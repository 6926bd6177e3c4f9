"""Date arithmetic for charts and calendars that never overflows, whatever the project holds.

A stored date may be anywhere in 0001-01-01 … 9999-12-31 (an older project, a typo saved
before dates were checked, `--today 0001-01-01`). Stepping past either end raises
OverflowError; here it stops at the end instead, and a chart says what it could not draw.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

HORIZON_DAYS = 3653  # a chart reaches ten years past today at most; later dates are noted


def shifted(day: dt.date, days: int) -> dt.date:
    """`day` moved by `days`, stopping at the first or last representable day."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def next_day(day: dt.date) -> dt.date | None:
    """The day after `day`, or None after 9999-12-31."""
    return None if day == dt.date.max else day + dt.timedelta(days=1)


def month_starts(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """The first day of every month from `start`'s month up to `end`."""
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        yield month
        if (month.year, month.month) == (dt.MAXYEAR, 12):
            return
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


@dataclass(frozen=True)
class ChartSpan:
    start: dt.date
    end: dt.date
    limit: dt.date  # dates after this one are beyond the chart
    beyond: tuple[dt.date, ...]  # the dates left out, soonest first

    @property
    def days(self) -> int:
        return max(1, (self.end - self.start).days)


def chart_span(today: dt.date, dates: Iterable[dt.date], lead: int, ahead: int, tail: int,
               horizon: int = HORIZON_DAYS) -> ChartSpan:
    """From `lead` days before today to `tail` days after the latest date (at least `ahead`
    days after today), but no further than `horizon` days after today."""
    start = shifted(today, -lead)
    limit = shifted(today, horizon)
    shown, beyond = [], set()
    for day in dates:
        if day <= limit:
            shown.append(day)
        else:
            beyond.add(day)
    end = shifted(max([*shown, shifted(today, ahead)]), tail)
    if end <= start:
        end = shifted(start, 1)
        start = min(start, shifted(end, -1))
    return ChartSpan(start, end, limit, tuple(sorted(beyond)))


def beyond_note(limit: dt.date, rows: Iterable[tuple[str, Any, Iterable[dt.date]]]) -> str:
    """What a chart ending at `limit` leaves out, in words, or '' when nothing: per row (its
    label, its lifecycle, its marker dates) the Legacy, PEA and EOL dates and how many
    markers fall after it."""
    notes = []
    for label, lifecycle, markers in rows:
        parts = [f"{kind} {day}" for kind, day in (("Legacy", lifecycle.legacy_date), ("PEA", lifecycle.pea_date),
                                                    ("EOL", lifecycle.eol_date)) if day and day > limit]
        later = sum(day > limit for day in markers)
        if later:
            parts.append(f"{later} due date{'s' if later > 1 else ''}")
        if parts:
            notes.append(f"{label}: {', '.join(parts)}")
    return f"Not drawn, after {limit}: " + "; ".join(notes) + "." if notes else ""
