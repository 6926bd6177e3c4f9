"""Resources found by a sync that call a model: assign each to an application or dismiss it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from ...services.commands import portfolio
from ...services.views.discovered import DiscoveredView, accounts_of, load_discovered
from ..dialogs import FormDialog, FormField
from ..widgets.footer import Footer
from ..widgets.inert import InertStatic
from ..widgets.table import Table
from .base import PlannerScreen, selected_key

EVERY = "*"  # the filter's choice of every account (no account ID is '*')


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
        "Region: calls to it fail now. A sync of several accounts (--profiles, --org) shows "
        "each resource's account; f shows one account only (or all again)."
    )
    EDITS = frozenset({"assign", "dismiss_row"})
    ROW_ACTIONS = {"assign": "discovered", "dismiss_row": "discovered"}
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="discovered.back"),
        Binding("a", "assign", "Assign to app", id="discovered.assign"),
        Binding("x", "dismiss_row", "Dismiss", id="discovered.dismiss"),
        Binding("f", "filter_account", "Account", id="discovered.account",
                tooltip="Show one account's resources only (or every account again)"),
    ]
    COLUMNS = ("Region", "Kind", "Model", "Flag", "Name", "Resource")
    account: str = ""  # the account shown alone ('' for every account)

    def compose(self) -> ComposeResult:
        yield Header()
        yield InertStatic(id="discovered-note", classes="detail")
        yield Table(id="discovered", cursor_type="row", zebra_stripes=True, classes="list",
                    keep=("Region", "Flag"), cut_first=("Resource",))
        yield InertStatic(id="discovered-detail", classes="detail")
        yield Footer()

    def on_mount(self) -> None:
        self._columns(self.COLUMNS)
        self.query_one("#discovered", DataTable).focus()

    def _columns(self, labels: tuple[str, ...]) -> None:
        table = self.query_one("#discovered", Table)
        if tuple(str(c.label) for c in table.ordered_columns) != labels:
            table.clear(columns=True)
            for label in labels:
                table.add_column(label, key=label.lower())

    data: DiscoveredView | None = None  # as last read

    def load(self) -> DiscoveredView:
        return load_discovered(self.planner.store, self.planner.today)

    def show(self, data: DiscoveredView) -> None:
        self.data = data
        accounts = dict(accounts_of(data.resources))
        if self.account not in accounts:
            self.account = ""
        rows = [row for row in data.rows if not self.account or row.resource.account_id == self.account]
        note = Text(self._note(len(data.resources), data.last_sync))
        if self.account:
            note.append(f"\nShowing account {accounts[self.account]} only ({len(rows)}); f shows every account.")
        broken = [row for row in rows if row.past_eol]
        if broken:
            note.append(f"\n{len(broken)} on a model past EOL: an outage, calls to "
                        f"{'them' if len(broken) > 1 else 'it'} fail already.", style="bold red")
        self.query_one("#discovered-note", Static).update(note)
        with_account = any(row.resource.account_id for row in data.rows)
        self._columns((("Account",) if with_account else ()) + self.COLUMNS)
        table = self.query_one("#discovered", Table)
        with table.keeping_place():
            table.clear()
            for row in rows:
                r = row.resource
                flag = Text(row.flag, style="bold red" if row.past_eol else "yellow", justify="left")
                cells = [r.region, r.kind.value, row.model_label, flag, r.name, r.resource_id]
                table.add_row(*([row.account] if with_account else []), *cells, key=str(r.id))
        self._show_detail()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "filter_account":  # only where there is more than one account to choose from
            return self.data is not None and len(accounts_of(self.data.resources)) > 1
        return super().check_action(action, parameters)

    def action_filter_account(self) -> None:
        if self.data is None:
            return
        choices = [("Every account", EVERY)] + [(label, account) for account, label in accounts_of(self.data.resources)]

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.account = "" if values["account"] == EVERY else values["account"]
                if self.data is not None:
                    self.show(self.data)

        self.app.push_screen(FormDialog("Show one account", [
            FormField("account", "Account", value=self.account or EVERY, kind="select", required=True,
                      options=choices)], submit_label="Show"), done)

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
        where = f"{r.region}, account {row.account}" if row.account else r.region
        text = Text(f"{r.name or r.resource_id}: {r.kind.value} in {where} on {row.model_label}.")
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
