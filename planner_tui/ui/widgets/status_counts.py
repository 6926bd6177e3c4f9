"""A row of counters: how many dependencies sit on Active / Legacy / PEA / EOL models."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from ...domain.vocabulary import Status

LABELS = {
    Status.ACTIVE: "Active",
    Status.LEGACY: "Legacy",
    Status.PEA: "Extended access",
    Status.EOL: "End-of-Life",
}


class StatusCounts(Horizontal):
    DEFAULT_CSS = """
    StatusCounts { height: 3; }
    StatusCounts > Static {
        width: 1fr; height: 3; content-align: center middle; border: round $panel-lighten-2;
    }
    StatusCounts > .status-active { color: $success; }
    StatusCounts > .status-legacy { color: $warning; }
    StatusCounts > .status-pea { color: $warning-lighten-1; }
    StatusCounts > .status-eol { color: $error; }
    """

    def compose(self) -> ComposeResult:
        for status in Status:
            yield Static(f"– {LABELS[status]}", id=f"count-{status.name.lower()}",
                         classes=f"status-{status.name.lower()}")

    def update_counts(self, counts: Mapping[Status, int]) -> None:
        for status in Status:
            label = Text.assemble((str(counts.get(status, 0)), "bold"), " ", LABELS[status])
            self.query_one(f"#count-{status.name.lower()}", Static).update(label)
