"""Resources found by a sync that call a model: assign each to an application or dismiss it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from ...services.commands import portfolio
from ...services.views.discovered import DiscoveredView, load_discovered
from ..dialogs import FormDialog, FormField
from ..widgets.footer import Footer
from ..widgets.inert import InertStatic
from ..widgets.table import Table
from .base import PlannerScreen, selected_key


class DiscoveredScreen(PlannerScreen[DiscoveredView]):
    AUTO_FOCUS = "#discovered"  # arrows move through the list, not a text field
    HELP_TITLE = "Discovered resources"
    HELP_TEXT = (
        "What the last AWS sync found in your account that calls a foundation model: inference "
        "profiles, provisioned throughput, custom models and their deployments, batch jobs and "
        "prompt routers. Assign one to an application (Enter) to make it a dependency — a "
        "migration plan follows when the model is retiring — or dismiss it (x). Unassigned ones "
        "stay here. A model shows as its base model with its variant ('200k context'); one the "
        "catalog does not know is flagged 'unknown model' with the ID AWS gave and the closest "
        "known one. 'OUTAGE: past EOL' marks a resource whose model is already retired in its "
        "Region: calls to it fail now."
    )
    EDITS = frozenset({"assign", "dismiss_row"})
    ROW_ACTIONS = {"assign": "discovered", "dismiss_row": "discovered"}
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="discovered.back"),
        Binding("a", "assign", "Assign to app", id="discovered.assign"),
        Binding("x", "dismiss_row", "Dismiss", id="discovered.dismiss"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield InertStatic(id="discovered-note", classes="detail")
        yield Table(id="discovered", cursor_type="row", zebra_stripes=True, classes="list",
                    keep=("Region", "Flag"), cut_first=("Resource",))
        yield InertStatic(id="discovered-detail", classes="detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#discovered", DataTable)
        for label in ("Region", "Kind", "Model", "Flag", "Name", "Resource"):
            table.add_column(label, key=label.lower())
        self.query_one("#discovered", DataTable).focus()

    data: DiscoveredView | None = None  # as last read

    def load(self) -> DiscoveredView:
        return load_discovered(self.planner.store, self.planner.today)

    def show(self, data: DiscoveredView) -> None:
        self.data = data
        note = Text(self._note(len(data.resources), data.last_sync))
        broken = [row for row in data.rows if row.past_eol]
        if broken:
            note.append(f"\n{len(broken)} on a model past EOL: an outage, calls to "
                        f"{'them' if len(broken) > 1 else 'it'} fail already.", style="bold red")
        self.query_one("#discovered-note", Static).update(note)
        table = self.query_one("#discovered", Table)
        with table.keeping_place():
            table.clear()
            for row in data.rows:
                r = row.resource
                flag = Text(row.flag, style="bold red" if row.past_eol else "yellow", justify="left")
                table.add_row(r.region, r.kind.value, row.model_label, flag, r.name, r.resource_id,
                              key=str(r.id))
        self._show_detail()

    @staticmethod
    def _note(unassigned: int, last: dict[str, Any] | None) -> str:
        """What the list is, truthfully: resources can be on record (an imported or example
        project) without a sync having run from this project."""
        count = (f"{unassigned} unassigned resource{'s' if unassigned != 1 else ''}" if unassigned
                 else "Nothing unassigned")
        if last:
            return f"{count}. Last sync: {last['finished_at']} ({last['outcome']})."
        if unassigned:
            return (f"{count}, on record in this project; no sync has run from it yet: 'aws: sync' "
                    "from the command palette or 'planner-tui sync' refreshes them.")
        return "No sync yet: run 'aws: sync' from the command palette or 'planner-tui sync'."

    @on(DataTable.RowHighlighted, "#discovered")
    def _show_detail(self) -> None:
        """The highlighted resource in full: its model (cut to fit in the table), the variant,
        what an unknown one may have meant, and why an outage is one."""
        selected = self._selected()
        row = next((r for r in self.data.rows if r.resource.id == selected), None) if self.data else None
        detail = self.query_one("#discovered-detail", Static)
        if row is None:
            detail.update("")
            return
        r = row.resource
        text = Text(f"{r.name or r.resource_id}: {r.kind.value} in {r.region} on {row.model_label}.")
        if row.past_eol:
            text.append(f" OUTAGE: the model is past its EOL in {r.region}; calls to it fail already.",
                        style="bold red")
        elif not row.model.known:
            text.append(" Not in the catalog: it stays here; a sync of a Region that lists it makes it "
                        "known.", style="yellow")
        detail.update(text)

    def _selected(self) -> int | None:
        key = selected_key(self.query_one("#discovered", DataTable))
        return int(key) if key is not None else None

    def action_assign(self) -> None:
        selected = self._selected()
        apps = self.data.applications if self.data is not None else []
        if selected is None:
            return
        if not apps:
            self.notify("Add an application first (Applications, n).", severity="warning")
            return

        def done(values: dict[str, str] | None) -> None:
            if values and self.planner.apply(portfolio.accept_discovered, self.planner.store, selected,
                                             int(values["app"]), self.planner.today):
                self.notify("Added as a dependency.")

        self.app.push_screen(FormDialog("Assign to application", [
            FormField("app", "Application", kind="select", required=True,
                      options=[(a.name, str(a.id)) for a in apps])]), done)

    @on(DataTable.RowSelected, "#discovered")
    def _row_selected(self) -> None:
        self.action_assign()

    def action_dismiss_row(self) -> None:
        selected = self._selected()
        if selected is not None:
            self.planner.apply(portfolio.dismiss_discovered, self.planner.store, selected)
