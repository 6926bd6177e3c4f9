"""The audit trail: every change, by whom and when; for one plan or the whole project."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from ...services.views.history import HistoryView, Kind, load_history
from ..widgets.footer import Footer
from ..widgets.inert import InertStatic
from ..widgets.table import Table
from .base import PlannerScreen

KIND_STYLE: dict[Kind, str] = {"change": "", "plan-log": "cyan", "vendor": "yellow"}


class HistoryScreen(PlannerScreen[HistoryView]):
    AUTO_FOCUS = "#history"  # arrows move through the list, not a text field
    HELP_TITLE = "History"
    HELP_TEXT = (
        "Every change to applications, dependencies, plans, checklists, phase forms, test results "
        "and rollout records, newest first: when (UTC), who (PLANNER_TUI_USER or your login) and "
        "what changed from what to what. The project-wide view says which application or plan "
        "each change belongs to, and also lists changes of vendor dates from the catalog, a "
        "sync, or typed by hand."
    )
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="history.back")]

    def __init__(self, plan_id: int | None = None) -> None:
        super().__init__()
        self.plan_id = plan_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield InertStatic(id="history-title", classes="detail")
        yield Table(id="history", cursor_type="row", zebra_stripes=True, classes="list",
                    keep=("When (UTC)",), cut_first=("Application / plan",))
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#history", DataTable)
        if self.plan_id is None:
            table.add_columns("When (UTC)", "Who", "Application / plan", "What")
        else:
            table.add_columns("When (UTC)", "Who", "What")
        table.focus()

    def load(self) -> HistoryView:
        return load_history(self.planner.store, self.plan_id)

    def show(self, data: HistoryView) -> None:
        # Names as written, never markup.
        self.query_one("#history-title", Static).update(Text(f"{data.title} · {len(data.lines)} entries"))
        table = self.query_one("#history", Table)
        with table.keeping_place():
            table.clear()
            for line in data.lines:
                what = Text(line.what, style=KIND_STYLE[line.kind])
                if self.plan_id is None:
                    table.add_row(line.at.replace("T", " ")[:19], line.who, line.place, what)
                else:
                    table.add_row(line.at.replace("T", " ")[:19], line.who, what)
