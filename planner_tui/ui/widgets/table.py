"""Textual's DataTable, with text cells shown as written."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


def _as_written(cell: Any) -> Any:
    return Text(cell) if isinstance(cell, str) else cell


class Table(DataTable):
    """DataTable reads a str cell as Rich markup: an application called "Billing [beta]" was
    listed as "Billing", and ":rocket:" became an emoji. Here a str cell is plain text (also
    quicker: no markup to parse for each of 20,000 rows). Cells given as Text keep their styles."""

    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None,
                label: Any = None) -> RowKey:
        return super().add_row(*(_as_written(cell) for cell in cells), height=height, key=key, label=label)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, *, update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, _as_written(value), update_width=update_width)

    def measure_now(self) -> None:
        """Size the table for the rows added so far now rather than when it is next idle
        (DataTable's way), so the next layout is its final one: the dashboard's first frame
        is laid out and painted once, not again for each table a moment later."""
        if self._require_update_dimensions:
            self._require_update_dimensions = False
            new_rows = self._new_rows.copy()
            self._new_rows.clear()
            self._update_dimensions(new_rows)
