"""The HTML report's timeline: lifecycle bands per model, today, and phase due dates, as SVG.

Bands are drawn from the dates where a model's state changes, never day by day, and the
chart reaches ten years past today at most: a date stored as 9999-12-31 (or a report made
`--today 0001-01-01`) neither overflows nor draws thousands of years; what falls beyond the
chart is named under it.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import TYPE_CHECKING, Any

from ..domain.chart_span import beyond_note, chart_span, month_starts
from ..domain.inert import lines
from ..domain.lifecycle import status_on
from ..domain.models import Status

if TYPE_CHECKING:
    from .reports import ReportData

BAND_COLOURS = {Status.ACTIVE: "#3c8d5a", Status.LEGACY: "#c9a227", Status.PEA: "#d0702a", Status.EOL: "#b03a48"}
RISK_COLOURS = {"past EOL": "#7a0f1e", "overdue": "#b03a48", "compressed": "#9b3fb0", "at risk": "#b8860b",
                "on track": "#2e7d4f", "done": "#777", "closed": "#999"}
MARKER_RANK = {risk: rank for rank, risk in enumerate(RISK_COLOURS)}  # most urgent first


def text(value: Any) -> str:
    """User or AWS text for HTML: escaped, and no control character in it (domain/inert)."""
    return escape(lines(value))


def _changes(lifecycle: Any, start: dt.date, end: dt.date) -> list[dt.date]:
    """The days within the chart where the model's state may change."""
    dates = (lifecycle.legacy_date, lifecycle.pea_date, lifecycle.eol_date)
    return sorted({d for d in dates if d is not None and start < d < end})


def timeline_svg(data: ReportData, width: int = 900) -> str:
    if not data.timeline:
        return "<p class='muted'>No retiring models in use.</p>"
    label_w, row_h, top = 200, 26, 24
    dates = [r.lifecycle.eol_date for r in data.timeline if r.lifecycle.eol_date]
    dates += [m.date for r in data.timeline for m in r.markers]
    span = chart_span(data.today, dates, lead=45, ahead=90, tail=20)
    start, end = span.start, span.end
    chart_w = width - label_w - 10

    def x(day: dt.date) -> float:
        return label_w + max(0, min(span.days, (day - start).days)) * chart_w / span.days

    height = top + row_h * len(data.timeline) + 48
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Lifecycle timeline" class="timeline">']
    for month in month_starts(start, end):
        if month >= start:
            label = str(month.year) if month.month == 1 else month.strftime("%b")
            parts.append(f'<line x1="{x(month):.1f}" y1="{top - 4}" x2="{x(month):.1f}" '
                         f'y2="{height - 48}" class="grid"/><text x="{x(month) + 2:.1f}" y="{top - 8}" '
                         f'class="axis">{label}</text>')
    for index, row in enumerate(data.timeline):
        y = top + index * row_h
        parts.append(f'<text x="0" y="{y + 17}" class="label">{text(row.model_name)}</text>')
        bounds = [start, *_changes(row.lifecycle, start, end), end]
        for begin, until in zip(bounds, bounds[1:], strict=False):
            current = status_on(row.lifecycle, begin)
            parts.append(f'<rect x="{x(begin):.1f}" y="{y + 4}" width="{x(until) - x(begin):.1f}" '
                         f'height="{row_h - 8}" fill="{BAND_COLOURS[current]}"><title>{current.value} '
                         f'from {begin}</title></rect>')
        # Most urgent last, so it is drawn on top where due dates meet.
        for marker in sorted(row.markers, key=lambda m: MARKER_RANK.get(m.risk, len(MARKER_RANK)), reverse=True):
            cx = x(marker.date)
            parts.append(f'<path d="M{cx:.1f} {y + 6} l5 7 l-5 7 l-5 -7 z" fill="#fff" stroke='
                         f'"{RISK_COLOURS.get(marker.risk, "#000")}" stroke-width="2"><title>'
                         f'{text(marker.label)}: {marker.date}</title></path>')
    parts.append(f'<line x1="{x(data.today):.1f}" y1="{top - 4}" x2="{x(data.today):.1f}" '
                 f'y2="{height - 44}" class="today"/><text x="{x(data.today) + 3:.1f}" y="{height - 32}" '
                 f'class="axis">today {data.today}</text>')
    legend_x = label_w
    for status in Status:
        parts.append(f'<rect x="{legend_x}" y="{height - 24}" width="12" height="12" '
                     f'fill="{BAND_COLOURS[status]}"/><text x="{legend_x + 16}" y="{height - 14}" '
                     f'class="axis">{status.value}</text>')
        legend_x += 80
    parts.append("</svg>")
    note = beyond_note(span.limit, ((r.model_name, r.lifecycle, [m.date for m in r.markers]) for r in data.timeline))
    if note:
        parts.append(f"<p class='muted'>{text(note)}</p>")
    return "".join(parts)
