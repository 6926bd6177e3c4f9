"""What every planner screen shares: help and reloading after changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input

from ..formatting import shown

if TYPE_CHECKING:
    from ..app import PlannerApp


def selected_key(table: DataTable) -> str | None:
    """Row key under the table's cursor, or None for an empty table."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


class PlannerScreen(Screen):
    HELP_TITLE = "Planner"
    HELP_TEXT = ""

    BINDINGS = [
        Binding("f1", "help", "Help", id="screen.help", tooltip="Help for this screen"),
        Binding("question_mark", "help", "Help", show=False, id="screen.help-key"),
    ]

    @property
    def planner(self) -> PlannerApp:
        return self.app  # type: ignore[return-value]

    # Actions whose keys a focused text field types instead ('?' here).
    TEXT_FIELD_KEEPS: frozenset[str] = frozenset({"help"})

    # Actions that edit the project: not offered on a project open read-only.
    EDITS: frozenset[str] = frozenset()
    # Actions on the highlighted row of a table (by id): not offered while it is empty.
    ROW_ACTIONS: dict[str, str] = {}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.TEXT_FIELD_KEEPS and isinstance(self.focused, Input):
            return False
        if action in self.EDITS and self.planner.store.read_only:
            return False
        if action in self.ROW_ACTIONS:
            tables = self.query(f"#{self.ROW_ACTIONS[action]}")
            return bool(tables) and tables.first().row_count > 0
        return True

    def action_help(self) -> None:
        from ..dialogs import HelpScreen  # dialogs load when first needed: a quicker start

        self.app.push_screen(HelpScreen(self.HELP_TITLE, self.HELP_TEXT))

    def set_sub_title(self, text: str) -> None:
        """The screen's sub-title, still saying when the project is open read-only."""
        # First, so that a narrow terminal's header cuts the name, never the marker.
        self.sub_title = ("read-only · " if self.planner.store.read_only else "") + shown(text)

    def refresh_data(self) -> None:
        """Reload what the screen shows from the project."""

    def on_screen_resume(self) -> None:
        self.refresh_data()
        self.refresh_bindings()  # keys on offer follow what is shown
