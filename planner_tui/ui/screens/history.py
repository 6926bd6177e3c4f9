"""The audit trail: every change, by whom and when; for one plan or the whole project."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from ..widgets.footer import Footer
from ..widgets.table import Table
from .base import PlannerScreen

PAGE = 2000


class HistoryScreen(PlannerScreen):
    AUTO_FOCUS = "#history"  # arrows move through the list, not a text field
    HELP_TITLE = "History"
    HELP_TEXT = (
        "Every change to applications, dependencies, plans, checklists, phase forms, test results "
        "and rollout records, newest first: when (UTC), who (PLANNER_TUI_USER or your login) and "
        "what changed from what to what. The project-wide view also lists changes of vendor "
        "dates from the catalog, a sync, or typed by hand."
    )
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="history.back")]

    def __init__(self, plan_id: int | None = None) -> None:
        super().__init__()
        self.plan_id = plan_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="history-title", classes="detail")
        yield Table(id="history", cursor_type="row", zebra_stripes=True, classes="list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#history", DataTable).add_columns("When (UTC)", "Who", "What")
        self.query_one("#history", DataTable).focus()

    def refresh_data(self) -> None:
        store = self.planner.store
        rows: list[tuple[str, str, Text]] = []
        for entry in store.audit_trail(plan_id=self.plan_id, limit=PAGE):
            rows.append((entry.at, entry.actor, Text(entry.describe())))
        if self.plan_id is None:
            for change in store.vendor_changes(limit=PAGE):
                rows.append((change["changed_at"], change["source"], Text(
                    f"{change['field'].replace('_', ' ')} of {change['model_id']} in {change['region']}: "
                    f"{change['old_value'] or '–'} → {change['new_value'] or '–'}", style="yellow")))
            title = "Project history"
        else:
            plan = store.plan(self.plan_id)
            title = f"History of {plan.app_name} × {plan.model_id}"
            for event in store.plan_log(self.plan_id):
                rows.append((event["at"], "", Text(f"{event['event']}: {event['detail']}", style="cyan")))
        rows.sort(key=lambda r: r[0].replace("+00:00", "Z"), reverse=True)
        self.query_one("#history-title", Static).update(Text(f"{title} · {len(rows)} entries"))  # names as written
        table = self.query_one("#history", DataTable)
        table.clear()
        for when, who, what in rows:
            table.add_row(when.replace("T", " ")[:19], who, what)
