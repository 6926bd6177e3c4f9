"""Timeline chart: Active → Legacy → PEA → EOL bands per model, today, and phase due dates.

Each retiring model has a row: its lifecycle band with the due dates of every open plan on
it. Below it, a row per plan among those the dashboard lists (the most urgent, a few per
model), named by its application, with that plan's own due dates: plans on one model are
told apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from rich.cells import cell_len
from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from ...domain.chart_span import ChartSpan, beyond_note, chart_span, month_starts, shifted
from ...domain.inert import one_line
from ...domain.lifecycle import status_on
from ...domain.vocabulary import Status
from ...services.overview import PlanLine, TimelineMarker, TimelineRow

BAND_STYLE = {
    Status.ACTIVE: "on #1f5f3a",
    Status.LEGACY: "on #8a6d1a",
    Status.PEA: "on #a4501b",
    Status.EOL: "on #7a1f2b",
}
# A plan's row: the same lifecycle, darker, so its own diamonds stand out.
PLAN_BAND_STYLE = {
    Status.ACTIVE: "on #15402a",
    Status.LEGACY: "on #4a3b0e",
    Status.PEA: "on #57290e",
    Status.EOL: "on #421019",
}
MARKER_STYLE = {
    "past EOL": "bold #ff0000",
    "overdue": "bold #ff5f5f",
    "compressed": "bold #ff87ff",
    "at risk": "bold #ffd75f",
    "on track": "bold #afffaf",
}
MARKER_ORDER = tuple(MARKER_STYLE)  # most urgent first
MARKER_RANK = {risk: rank for rank, risk in enumerate(MARKER_ORDER)}
LABEL_WIDTH = 22  # the longest a label column gets on a mid-sized terminal
LEAD_DAYS = 45
TAIL_DAYS = 20
PLANS_PER_MODEL = 3  # plan rows under a model, and under all models together at most
PLAN_ROWS = 12  # (the model's row shows every plan's dates; the Plans screen lists them all)


@dataclass(frozen=True)
class ChartRow:
    """One line of the chart: a model (its band) or one of its plans (indented, darker)."""

    label: str
    row: TimelineRow
    markers: tuple[TimelineMarker, ...]
    plan: bool = False


def chart_rows(rows: Sequence[TimelineRow], plans: Sequence[PlanLine]) -> list[ChartRow]:
    """The model rows, each followed by rows for its open plans among `plans` (the most
    urgent first, as listed): up to PLANS_PER_MODEL a model and PLAN_ROWS in all, soonest
    EOL first, so a large project's chart stays a screenful."""
    by_model: dict[str, list[PlanLine]] = {}
    for plan in plans:
        if plan.completed_on is None and getattr(plan, "closed_kind", None) is None:
            by_model.setdefault(plan.model_id, []).append(plan)
    result, budget = [], PLAN_ROWS
    for row in rows:
        result.append(ChartRow(one_line(row.model_name), row, row.markers))  # names as data
        model_plans = by_model.get(row.lifecycle.model_id, [])
        for plan in model_plans[:min(PLANS_PER_MODEL, budget)]:
            markers = tuple(TimelineMarker(due, f"{plan.app_name}: {phase.title}", plan.risk.value)
                            for phase, due, done in plan.phase_dues() if not done)
            result.append(ChartRow("  " + one_line(plan.app_name), row, markers, plan=True))
            budget -= 1
    return result


class TimelineChart(Widget):
    DEFAULT_CSS = """
    TimelineChart { height: auto; min-height: 3; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[TimelineRow] = []
        self.lines: list[ChartRow] = []
        self.today = dt.date.today()
        self._drawn: tuple[int, Text] | None = None  # (width, chart): layout passes redraw often

    def set_data(self, rows: list[TimelineRow], today: dt.date, plans: Sequence[PlanLine] = ()) -> None:
        self.rows = rows
        self.lines = chart_rows(rows, plans)
        self.today = today
        self._drawn = None
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        if not self.rows:
            return 1
        return len(self.lines) + 1 + len(self._legend(width, self._label_width(width))) + bool(self._note())

    def _range(self) -> ChartSpan:
        """From LEAD_DAYS before today to TAIL_DAYS after the last EOL or due date, ten years
        ahead at most: any stored date (9999-12-31, or today 0001-01-01) is drawn or noted,
        never an overflow."""
        ends = [r.lifecycle.eol_date for r in self.rows if r.lifecycle.eol_date]
        ends += [m.date for line in self.lines for m in line.markers]
        return chart_span(self.today, ends, lead=LEAD_DAYS, ahead=90, tail=TAIL_DAYS)

    def _note(self) -> str:
        """What the chart leaves out, beyond its last day ('' when nothing)."""
        limit = self._range().limit
        return beyond_note(limit, ((line.label.strip(), line.row.lifecycle, [m.date for m in line.markers])
                                   for line in self.lines if not line.plan))

    def render(self) -> RenderableType:
        if not self.rows:
            return Text("No retiring models in use.", style="dim")
        width = max(self.size.width, 40)
        if self._drawn is None or self._drawn[0] != width:
            self._drawn = (width, self._draw(width))
        return self._drawn[1]

    def _label_width(self, width: int) -> int:
        """Room for the longest label, up to a share of the width that grows with the
        terminal (a fifth; on a narrow one up to a quarter); longer ones end in '…'."""
        longest = max((cell_len(line.label) for line in self.lines), default=0) + 1
        cap = max(min(LABEL_WIDTH, width // 4), width // 5)
        return max(8, min(longest, cap))

    def _draw(self, width: int) -> Text:
        label_width = self._label_width(width)
        chart = width - label_width - 1
        dates = self._range()
        start, end, span = dates.start, dates.end, dates.days

        def column(day: dt.date) -> int:
            return min(chart - 1, max(0, round((day - start).days * (chart - 1) / span)))

        def day_at(col: int) -> dt.date:
            return shifted(start, round(col * span / (chart - 1)))

        today_col = column(self.today)
        days = [day_at(c) for c in range(chart)]
        lines = [self._axis(label_width, chart, start, end, column)]
        bands: dict[tuple[int, bool], list[tuple[str, str]]] = {}  # per model row, drawn once
        for line in self.lines:
            label = Text(line.label, style="dim" if line.plan else "", overflow="ellipsis", no_wrap=True)
            label.truncate(label_width - 1, overflow="ellipsis", pad=True)
            label.append(" " * (label_width - label.cell_len + 1))
            key = (id(line.row), line.plan)
            if key not in bands:
                styles = PLAN_BAND_STYLE if line.plan else BAND_STYLE
                bands[key] = [(" ", styles[status_on(line.row.lifecycle, day)]) for day in days]
            cells = list(bands[key])
            # Many plans share a due date and many dates share a column: a cell shows the
            # most urgent of its markers.
            worst: dict[int, int] = {}
            for day, risk in {(m.date, m.risk) for m in line.markers}:
                col, rank = column(day), MARKER_RANK.get(risk, len(MARKER_RANK))
                worst[col] = min(rank, worst.get(col, rank))
            for col, rank in worst.items():
                style = MARKER_STYLE[MARKER_ORDER[rank]] if rank < len(MARKER_ORDER) else "bold"
                cells[col] = ("◆", style + " " + cells[col][1])
            cells[today_col] = ("│", "bold white " + cells[today_col][1])
            # One span per run of equal style: a span per cell makes rendering slow.
            for style, run in groupby(cells, key=lambda cell: cell[1]):
                label.append("".join(char for char, _ in run), style=style)
            lines.append(label)
        lines.extend(self._legend(width, label_width))
        note = self._note()
        if note:
            lines.append(Text("→ " + note, style="dim", overflow="ellipsis"))
        chart_text = Text("\n").join(lines)
        chart_text.no_wrap = True  # wrapping would eat the axis's leading blanks
        chart_text.overflow = "crop"
        return chart_text

    @staticmethod
    def _legend(width: int, label_width: int) -> list[Text]:
        """What the colours mean, under the chart: on one line when it fits, else two."""
        bands = []
        for status, label in ((Status.ACTIVE, "Active"), (Status.LEGACY, "Legacy"),
                              (Status.PEA, "PEA"), (Status.EOL, "EOL")):
            bands.append(Text.assemble(("  ", BAND_STYLE[status]), f" {label}"))
        bands.append(Text.assemble(("│", "bold"), " today"))
        markers = [Text("◆ phase due:")] + [Text("◆ " + risk, style=style) for risk, style in MARKER_STYLE.items()]
        indent = label_width + 1

        def length(pieces: list[Text]) -> int:
            return sum(p.cell_len + 2 for p in pieces) - 2

        if indent + length(bands + markers) <= width:
            groups = [bands + markers]
        else:  # the bands on one line and the markers on the next, rather than one marker alone
            groups = [bands, markers]
            if indent + max(length(bands), length(markers)) > width:
                indent = 0  # the legend starts at the left edge rather than being cut
        lines = []
        for group in groups:
            line = Text(" " * indent)
            for piece in group:
                if line.cell_len > indent and line.cell_len + 2 + piece.cell_len > width:
                    lines.append(line)
                    line = Text(" " * indent)
                if line.cell_len > indent:
                    line.append("  ")
                line.append_text(piece)
            lines.append(line)
        return lines

    @staticmethod
    def _axis(label_width: int, chart: int, start: dt.date, end: dt.date, column) -> Text:  # noqa: ANN001
        axis = [" "] * chart
        last_end = -1
        for month in month_starts(start, end):
            if month >= start:
                col = column(month)
                label = str(month.year) if month.month == 1 else month.strftime("%b")
                if col > last_end and col + len(label) <= chart:
                    axis[col : col + len(label)] = list(label)
                    last_end = col + len(label)
        return Text(" " * (label_width + 1) + "".join(axis), style="dim")
