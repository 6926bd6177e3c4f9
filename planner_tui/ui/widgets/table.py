"""Textual's DataTable, with text cells shown as written and columns that fit the width."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from ...compat import datatable_measure_now, refit_after_sizing
from ..formatting import inert_text

MIN_SHRUNK = 6  # a column cut to fit keeps at least this many cells, or half its width up to
MIN_WIDE = 16  # this many: a wide column (a name) stays readable when narrow ones are cut


def _as_written(cell: Any) -> Any:
    """A cell as written: a str is plain text, not markup; control characters (and line
    breaks: a row is one line) never reach the terminal (ui/formatting.inert_text)."""
    if isinstance(cell, str | Text):
        cell = inert_text(cell, one_line=True)
        if cell.overflow is None:
            cell.overflow = "ellipsis"  # a cell cut to fit its column ends in '…'
    return cell


def least_widths(natural: list[int], kept: list[bool], room: int) -> list[int]:
    """How narrow each column may be cut: half its width, at least MIN_SHRUNK and at most
    MIN_WIDE cells (kept ones: none). When even that does not fit, the others give way
    before the widest (what names the row), down to MIN_SHRUNK."""
    least = [width if keep else min(width, max(MIN_SHRUNK, min(width // 2, MIN_WIDE)))
             for width, keep in zip(natural, kept, strict=True)]
    widest = max(range(len(natural)), key=lambda i: natural[i], default=None)
    for group in ([i for i in range(len(least)) if i != widest], [widest]):
        while sum(least) > room:
            cuttable = [i for i in group if i is not None and not kept[i] and least[i] > MIN_SHRUNK]
            if not cuttable:
                break
            least[max(cuttable, key=lambda i: least[i])] -= 1
    return least


def fitted_widths(natural: list[int], minimum: list[int], room: int,
                  first: Collection[int] = ()) -> list[int]:
    """Content widths for columns in `room` cells: their natural widths when they fit; else
    the widest are cut first, down to a common cap and none below its minimum. Columns at
    the indexes in `first` are held to half the cap: they give way sooner."""
    if sum(natural) <= room:
        return list(natural)

    def capped(cap: int) -> list[int]:
        return [min(width, max(cap // 2 if i in first else cap, least))
                for i, (width, least) in enumerate(zip(natural, minimum, strict=True))]

    low, high = 0, 2 * max(natural, default=0)
    while low < high:  # the largest cap that fits
        cap = (low + high + 1) // 2
        if sum(capped(cap)) <= room:
            low = cap
        else:
            high = cap - 1
    widths = capped(low)
    # Cells the cap leaves over go back to the columns that were cut, widest first.
    spare = room - sum(widths)
    for index in sorted(range(len(widths)), key=lambda i: -natural[i]):
        if spare <= 0:
            break
        if widths[index] < natural[index]:
            widths[index] += 1
            spare -= 1
    return widths


@refit_after_sizing
class Table(DataTable):
    """DataTable reads a str cell as Rich markup: an application called "Billing [beta]" was
    listed as "Billing", and ":rocket:" became an emoji. Here a str cell is plain text (also
    quicker: no markup to parse for each of 20,000 rows). Cells given as Text keep their styles.
    Control characters in either are shown as U+FFFD, never sent to the terminal.

    Columns fit the table's width: each is as wide as its widest cell while they all fit (so
    they grow with the terminal up to that); on a narrow terminal the widest text columns are
    cut, ending in '…', rather than pushing the last columns out of sight. Columns named in
    `keep` (progress bars, dates) are never cut; those in `cut_first` are cut twice as hard
    as the others."""

    # DataTable's Home and End scroll sideways; in a list of rows they go to its first and
    # last row, as Ctrl+Home and Ctrl+End do (a table of cells keeps DataTable's meaning).
    BINDINGS = [
        Binding("home", "first_row", "First row", show=False),
        Binding("end", "last_row", "Last row", show=False),
    ]

    def __init__(self, *args: Any, keep: Iterable[str] = (), cut_first: Iterable[str] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keep = frozenset(keep)
        self.cut_first = frozenset(cut_first)
        self._fitted_for: tuple[int, tuple[int, ...]] | None = None
        self._fitting: set[ColumnKey] = set()  # columns whose width follows the room; set ones stay

    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None,
                label: Any = None) -> RowKey:
        return super().add_row(*(_as_written(cell) for cell in cells), height=height, key=key, label=label)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, *, update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, _as_written(value), update_width=update_width)

    def add_column(self, label: Any, *, width: int | None = None, key: str | None = None,
                   default: Any | None = None) -> ColumnKey:
        column_key = super().add_column(label, width=width, key=key, default=default)
        if width is None:
            self._fitting.add(column_key)
        self._fitted_for = None
        return column_key

    def clear(self, columns: bool = False) -> Table:
        """DataTable's clear keeps each column as wide as the widest cell it ever held: a table
        refilled with other rows (the checklist of another phase) kept the width of long notes
        it no longer shows, and cut its titles. Here a column starts again at its label."""
        super().clear(columns)
        for column in self.columns.values():
            column.content_width = column.label.cell_len  # as add_column measures it
        self._fitted_for = None
        return self

    def action_first_row(self) -> None:
        if self.cursor_type == "row":
            self.action_scroll_top()
        else:
            self.action_scroll_home()

    def action_last_row(self) -> None:
        if self.cursor_type == "row":
            self.action_scroll_bottom()
        else:
            self.action_scroll_end()

    def highlighted_key(self) -> str | None:
        """The key of the row under the cursor; None for an empty table."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    @contextmanager
    def keeping_place(self) -> Iterator[None]:
        """Rows replaced within (clear, then add): the cursor stays on the row it was on,
        found by its key, else at the same position, and the view stays where it was."""
        row, key, scrolled = self.cursor_row, self.highlighted_key(), self.scroll_y
        yield
        if not self.row_count:
            return
        index = self.get_row_index(key) if key is not None and key in self.rows else min(row, self.row_count - 1)
        self.measure_now()  # the rows' height, so that the view can go back where it was
        self.scroll_to(y=scrolled, animate=False, immediate=True)
        self.move_cursor(row=index)  # scrolls only if the row is out of view

    def measure_now(self) -> None:
        """Size the table for the rows added so far now rather than when it is next idle
        (DataTable's way), so the next layout is its final one: the dashboard's first frame
        is laid out and painted once, not again for each table a moment later. Columns are
        fitted each time DataTable sizes the table (see the class decorator)."""
        datatable_measure_now(self)

    def _on_resize(self, event: events.Resize) -> None:  # DataTable's own runs too (Textual calls each)
        self.fit_columns()

    def _room(self) -> int:
        """Cells across for the columns: the table's width less its scrollbar and row labels."""
        width = self.size.width
        # The scrollbar is shown once the rows outgrow the table, which is no resize: count it
        # in as soon as they do.
        if self.show_vertical_scrollbar or (self.styles.overflow_y != "hidden"
                                            and self.virtual_size.height > self.size.height > 0):
            width -= self.styles.scrollbar_size_vertical
        return width - self._row_label_column_width

    def refit(self) -> None:
        """Fit the columns again for the room the table has now: a fit made while the screen
        was still being laid out (a table a few cells wide) is not kept."""
        self._fitted_for = None
        self.fit_columns()

    def fit_columns(self) -> None:
        """Give the columns their natural widths, or cut the widest to fit the table's width."""
        room = self._room()
        columns = [c for c in self.ordered_columns if c.key in self._fitting]
        if room <= 0 or not columns:
            return
        natural = [c.content_width for c in columns]
        state = (room, tuple(natural))
        if state == self._fitted_for:
            return
        self._fitted_for = state
        padding = 2 * self.cell_padding
        fixed = sum(c.get_render_width(self) for c in self.ordered_columns if c.key not in self._fitting)
        kept = [str(c.label) in self.keep for c in columns]
        minimum = least_widths(natural, kept, room - fixed - padding * len(columns))
        first = [i for i, c in enumerate(columns) if str(c.label) in self.cut_first]
        widths = fitted_widths(natural, minimum, room - fixed - padding * len(columns), first)
        changed = False
        for column, width, natural_width in zip(columns, widths, natural, strict=True):
            auto = width >= natural_width
            if column.auto_width != auto or (not auto and column.width != width):
                column.auto_width, column.width = auto, width
                changed = True
        if changed:
            total = sum(c.get_render_width(self) for c in self.ordered_columns) + self._row_label_column_width
            self.virtual_size = Size(total, self.virtual_size.height)
            self._clear_caches()
            self.refresh()
