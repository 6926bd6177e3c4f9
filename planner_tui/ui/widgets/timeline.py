"""Timeline chart: Active → Legacy → PEA → EOL bands per model, today, and phase due dates."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from ...domain.lifecycle import status_on
from ...domain.vocabulary import Status
from ...services.overview import TimelineRow

BAND_STYLE = {
    Status.ACTIVE: "on #1f5f3a",
    Status.LEGACY: "on #8a6d1a",
    Status.PEA: "on #a4501b",
    Status.EOL: "on #7a1f2b",
}
MARKER_STYLE = {
    "overdue": "bold #ff5f5f",
    "compressed": "bold #ff87ff",
    "at risk": "bold #ffd75f",
    "on track": "bold #afffaf",
}
MARKER_ORDER = tuple(MARKER_STYLE)  # most urgent first
MARKER_RANK = {risk: rank for rank, risk in enumerate(MARKER_ORDER)}
LABEL_WIDTH = 22
LEAD_DAYS = 45
TAIL_DAYS = 20


class TimelineChart(Widget):
    DEFAULT_CSS = """
    TimelineChart { height: auto; min-height: 3; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[TimelineRow] = []
        self.today = dt.date.today()
        self._drawn: tuple[int, Text] | None = None  # (width, chart): layout passes redraw often

    def set_data(self, rows: list[TimelineRow], today: dt.date) -> None:
        self.rows = rows
        self.today = today
        self._drawn = None
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        return len(self.rows) + 2 if self.rows else 1

    def _range(self) -> tuple[dt.date, dt.date]:
        start = self.today - dt.timedelta(days=LEAD_DAYS)
        ends = [r.lifecycle.eol_date for r in self.rows if r.lifecycle.eol_date]
        ends += [m.date for r in self.rows for m in r.markers]
        end = max([*ends, self.today + dt.timedelta(days=90)]) + dt.timedelta(days=TAIL_DAYS)
        return start, end

    def render(self) -> RenderableType:
        if not self.rows:
            return Text("No retiring models in use.", style="dim")
        width = max(self.size.width, 40)
        if self._drawn is None or self._drawn[0] != width:
            self._drawn = (width, self._draw(width))
        return self._drawn[1]

    def _draw(self, width: int) -> Text:
        label_width = min(LABEL_WIDTH, width // 4)
        chart = width - label_width - 1
        start, end = self._range()
        span = (end - start).days

        def column(day: dt.date) -> int:
            return min(chart - 1, max(0, round((day - start).days * (chart - 1) / span)))

        def day_at(col: int) -> dt.date:
            return start + dt.timedelta(days=round(col * span / (chart - 1)))

        today_col = column(self.today)
        days = [day_at(c) for c in range(chart)]
        lines = [self._axis(label_width, chart, start, end, column)]
        for row in self.rows:
            line = Text(row.model_name[: label_width - 1].ljust(label_width) + " ")
            cells = [(" ", BAND_STYLE[status_on(row.lifecycle, day)]) for day in days]
            # Many plans share a due date and many dates share a column: a cell shows the
            # most urgent of its markers.
            worst: dict[int, int] = {}
            for day, risk in {(m.date, m.risk) for m in row.markers}:
                col, rank = column(day), MARKER_RANK.get(risk, len(MARKER_RANK))
                worst[col] = min(rank, worst.get(col, rank))
            for col, rank in worst.items():
                style = MARKER_STYLE[MARKER_ORDER[rank]] if rank < len(MARKER_ORDER) else "bold"
                cells[col] = ("◆", style + " " + cells[col][1])
            cells[today_col] = ("│", "bold white " + cells[today_col][1])
            # One span per run of equal style: a span per cell makes rendering slow.
            for style, run in groupby(cells, key=lambda cell: cell[1]):
                line.append("".join(char for char, _ in run), style=style)
            lines.append(line)
        legend = Text(" " * (label_width + 1))
        for status, label in ((Status.ACTIVE, "Active"), (Status.LEGACY, "Legacy"),
                              (Status.PEA, "PEA"), (Status.EOL, "EOL")):
            legend.append("  ", style=BAND_STYLE[status])
            legend.append(f" {label}  ")
        legend.append("│", style="bold")
        legend.append(" today  ")
        legend.append("◆", style="bold")
        legend.append(" phase due")
        lines.append(legend)
        chart_text = Text("\n").join(lines)
        chart_text.no_wrap = True  # wrapping would eat the axis's leading blanks
        chart_text.overflow = "crop"
        return chart_text

    @staticmethod
    def _axis(label_width: int, chart: int, start: dt.date, end: dt.date, column) -> Text:  # noqa: ANN001
        axis = [" "] * chart
        month = dt.date(start.year, start.month, 1)
        last_end = -1
        while month <= end:
            if month >= start:
                col = column(month)
                label = str(month.year) if month.month == 1 else month.strftime("%b")
                if col > last_end and col + len(label) <= chart:
                    axis[col : col + len(label)] = list(label)
                    last_end = col + len(label)
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return Text(" " * (label_width + 1) + "".join(axis), style="dim")
