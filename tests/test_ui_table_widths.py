"""A table refilled with other rows is as wide as what it shows now, not as what it once held:
the plan's checklist, shown for one phase after another, kept the width of notes of a phase
no longer in view and cut the titles of the one that was (a snapshot differed run to run)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from planner_tui.ui.widgets.table import Table


class OneTable(App):
    def compose(self) -> ComposeResult:
        yield Table(id="t")


async def test_clearing_rows_forgets_the_widths_they_had() -> None:
    app = OneTable()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(Table)
        table.add_columns("Item", "Evidence / notes")
        table.add_row("short", "n" * 90)  # a phase with long evidence
        await pilot.pause()
        table.clear()
        table.add_row("a title of forty characters, give or ta", "")
        await pilot.pause()
        item, notes = table.ordered_columns
        assert notes.content_width == len("Evidence / notes")
        assert item.content_width == 39
