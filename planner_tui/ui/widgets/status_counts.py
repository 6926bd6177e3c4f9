"""A row of counters: how many dependencies sit on Active / Legacy / PEA / EOL models."""

from __future__ import annotations

from collections.abc import Mapping

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from ...domain.vocabulary import Status

LABELS = {
    Status.ACTIVE: "Active",
    Status.LEGACY: "Legacy",
    Status.PEA: "Extended access",
    Status.EOL: "End-of-Life",
}


class StatusCounts(Widget):
    """Four counters side by side, each in a rounded box. One widget draws all four: a
    bordered Static each meant four more widgets to style, lay out and paint while the
    dashboard opens. Colours come from the theme through the component classes."""

    COMPONENT_CLASSES = {"status-counts--border", *(f"status-counts--{s.name.lower()}" for s in Status)}
    DEFAULT_CSS = """
    StatusCounts { height: 3; }
    StatusCounts > .status-counts--border { color: $panel-lighten-2; }
    StatusCounts > .status-counts--active { color: $success; }
    StatusCounts > .status-counts--legacy { color: $warning; }
    StatusCounts > .status-counts--pea { color: $warning-lighten-1; }
    StatusCounts > .status-counts--eol { color: $error; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: dict[Status, int] | None = None  # None until the project is read

    def update_counts(self, counts: Mapping[Status, int]) -> None:
        self.counts = {status: counts.get(status, 0) for status in Status}
        self.refresh()

    def label(self, status: Status) -> Text:
        """What a counter says: "7 Extended access" ("– …" before the project is read)."""
        count = "–" if self.counts is None else str(self.counts[status])
        return Text.assemble((count, "bold"), " ", LABELS[status])

    def render(self) -> Text:
        width = self.size.width
        border = self.get_component_rich_style("status-counts--border")
        top, middle, bottom = Text(), Text(), Text()
        # Box edges at the same columns as four `1fr` boxes would have.
        edges = [width * i // len(Status) for i in range(len(Status) + 1)]
        for status, left, right in zip(Status, edges[:-1], edges[1:], strict=True):
            inside = max(0, right - left - 2)
            label = self.label(status)
            label.truncate(inside, overflow="ellipsis")  # a narrow terminal: "7 Extended a…"
            label.style = self.get_component_rich_style(f"status-counts--{status.name.lower()}")
            before = (inside - label.cell_len) // 2
            # Corners as segments of their own, as Textual draws borders: SVG screenshots
            # stretch a run of box characters to fit and the corners drift.
            for part in ("╭", "─" * inside, "╮"):
                top.append(part, border + Style(meta={"part": part[0]}))
            middle.append("│", border)
            middle.append(" " * before)
            middle.append_text(label)
            middle.append(" " * (inside - label.cell_len - before))
            middle.append("│", border)
            for part in ("╰", "─" * inside, "╯"):
                bottom.append(part, border + Style(meta={"part": part[0]}))
        return Text("\n").join([top, middle, bottom])
