"""Resources found by a sync that call a model, places in code a scan recorded for no
application (`scan PATH --record`) and principals CloudTrail saw calling a model: assign each
to an application or dismiss it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from ...services.commands import portfolio
from ...services.commands.callers import accept_caller, dismiss_caller
from ...services.commands.code_findings import accept_discovered_code, dismiss_code_finding
from ...services.views.callers import CALLER_KEY, CallerLine
from ...services.views.discovered import (
    AWS,
    CLOUDTRAIL,
    CODE,
    CODE_KEY,
    CodeRow,
    DiscoveredRow,
    DiscoveredView,
    accounts_of,
    load_discovered,
)
from ..dialogs import FormDialog, FormField
from ..widgets.footer import Footer
from ..widgets.inert import InertStatic
from ..widgets.table import Table
from .base import PlannerScreen, selected_key

EVERY = "*"  # the filter's choice of every account (no account ID is '*')
WIDE_ENOUGH = 100  # columns from which the Resource column is shown
SOURCE_NAMES = {AWS: "the AWS sync's resources", CODE: "places in code", CLOUDTRAIL: "CloudTrail's callers"}


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
        "each resource's account; f shows one account only (or all again). Places in code "
        "recorded by 'planner-tui scan PATH --record' are listed too (Source: code), with the file "
        "and line, the text matched, the model and its status: assigning one asks the Region the "
        "application calls it in (its ARN's, when it names one), makes the model a dependency "
        "and the place the application's evidence (its plan's Assess and Update panels list it). "
        "An unknown model cannot be assigned: fix the code or dismiss it. The principals CloudTrail "
        "saw calling a model (Source: cloudtrail; a sync reads them) are listed too, with their "
        "calls and last call: assigning one makes its model, in its Region and account (through "
        "the inference profile it called), a dependency of the application, in the environment "
        "you give; 'idle' flags one that last called a Legacy model more than 15 days ago. s "
        "shows one source only (or every one again)."
    )
    EDITS = frozenset({"assign", "dismiss_row"})
    ROW_ACTIONS = {"assign": "discovered", "dismiss_row": "discovered"}
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="discovered.back"),
        Binding("a", "assign", "Assign to app", id="discovered.assign"),
        Binding("x", "dismiss_row", "Dismiss", id="discovered.dismiss"),
        Binding("f", "filter_account", "Account", id="discovered.account",
                tooltip="Show one account's resources only (or every account again)"),
        Binding("s", "filter_source", "Source", id="discovered.source",
                tooltip="Show one source only: the AWS sync's resources, places in code, CloudTrail's callers"),
    ]
    COLUMNS = ("Region", "Kind", "Model", "Flag", "Name", "Resource")
    account: str = ""  # the account shown alone ('' for every account)
    _wide = True  # the Resource column shown (see show)
    source: str = ""  # the source shown alone ('' for every one)

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

    def _sources(self) -> list[str]:
        """The sources with something to show, in `s`'s order."""
        data = self.data
        if data is None:
            return []
        return [source for source, rows in ((AWS, data.rows), (CODE, data.code), (CLOUDTRAIL, data.callers)) if rows]

    def _accounts(self) -> list[tuple[str, str]]:
        if self.data is None:
            return []
        return accounts_of([*self.data.resources, *(line.caller for line in self.data.callers)])

    def show(self, data: DiscoveredView) -> None:
        self.data = data
        accounts = dict(self._accounts())
        if self.account not in accounts:
            self.account = ""
        if self.source not in self._sources() or len(self._sources()) < 2:
            self.source = ""
        rows = [row for row in data.rows if self.source in ("", AWS)
                and (not self.account or row.resource.account_id == self.account)]
        code = [] if self.account or self.source not in ("", CODE) else data.code
        callers = [line for line in data.callers if self.source in ("", CLOUDTRAIL)
                   and (not self.account or line.caller.account_id == self.account)]
        note = Text(self._note(len(data.resources), data.last_sync))
        if data.code:
            count = len(data.code)
            unknown = sum(not c.finding.reference.known for c in data.code)
            note.append(f"\n{count} place{'s' * (count != 1)} in code recorded by 'scan --record' wait"
                        f"{'s' * (count == 1)} for an application"
                        + (f" ({unknown} on an unknown model: fix or dismiss)" if unknown else "") + ".")
        if data.callers:
            count = len(data.callers)
            idle = sum(line.idle for line in data.callers)
            note.append(f"\n{count} caller{'s' * (count != 1)} CloudTrail saw wait{'s' * (count == 1)} for an "
                        "application" + (f" ({idle} idle on a Legacy model)" if idle else "") + ".")
        if self.account:
            note.append(f"\nShowing account {accounts[self.account]} only ({len(rows) + len(callers)}); "
                        "f shows every account.")
        if self.source:
            sources = self._sources()
            following = sources[sources.index(self.source) + 1] if self.source != sources[-1] else ""
            note.append(f"\nShowing {SOURCE_NAMES[self.source]} only ({len(rows) + len(code) + len(callers)}); "
                        f"s shows {SOURCE_NAMES[following] + ' only' if following else 'every source'}.")
        broken = [row for row in rows if row.past_eol]
        if broken:
            note.append(f"\n{len(broken)} on a model past EOL: an outage, calls to "
                        f"{'them' if len(broken) > 1 else 'it'} fail already.", style="bold red")
        self.query_one("#discovered-note", Static).update(note)
        with_account = len(accounts) > 1  # one account (or none known) needs no column
        with_source = bool(data.code) or bool(data.callers)
        # Narrow, the Resource column goes (the detail line under the list gives it in full):
        # cut to a few cells it showed the same ARN prefix on every row, and took Model's room.
        self._wide = self.size.width == 0 or self.size.width >= WIDE_ENOUGH
        shown = len(self.COLUMNS) if self._wide else len(self.COLUMNS) - 1
        self._columns((("Account",) if with_account else ()) + (("Source",) if with_source else ())
                      + self.COLUMNS[:shown])
        table = self.query_one("#discovered", Table)
        with table.keeping_place():
            table.clear()
            for row in rows:
                r = row.resource
                flag = Text(row.flag, style="bold red" if row.past_eol else "yellow", justify="left")
                cells = [r.region, r.kind.value, row.model_label, flag, r.name, r.resource_id]
                table.add_row(*([row.account] if with_account else []), *([AWS] if with_source else []), *cells[:shown],
                              key=str(r.id))
            for place in code:
                ref = place.finding.reference
                bad = ref.status == "EOL" or not ref.known
                flag = Text(place.flag, style="bold red" if bad else "yellow", justify="left")
                cells = [place.region, place.kind, place.model_label, flag, place.place, ref.matched]
                table.add_row(*([""] if with_account else []), CODE, *cells[:shown], key=place.key)
            for line in callers:
                c = line.caller
                label = line.triage_flag
                flag = Text(label, style="bold red" if label.startswith(("idle", "EOL")) or not c.known else "yellow",
                            justify="left")
                cells = [c.region, "caller", line.model_label, flag, line.principal_name, c.principal_arn]
                table.add_row(*([line.account if c.account_id else ""] if with_account else []), CLOUDTRAIL,
                              *cells[:shown], key=line.key)
        self._show_detail()
        self.refresh_bindings()

    def on_resize(self) -> None:
        if self.data is not None and (self.size.width >= WIDE_ENOUGH) != self._wide:
            self.show(self.data)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "filter_account":  # only where there is more than one account to choose from
            return len(self._accounts()) > 1
        if action == "filter_source":  # only where there are two sources to choose from
            return len(self._sources()) > 1
        return super().check_action(action, parameters)

    def action_filter_source(self) -> None:
        """Every source → each source with rows, one at a time → every source."""
        if self.data is None:
            return
        steps = ["", *self._sources()]
        self.source = steps[(steps.index(self.source) + 1) % len(steps)] if self.source in steps else ""
        self.show(self.data)

    def action_filter_account(self) -> None:
        if self.data is None:
            return
        choices = [("Every account", EVERY)] + [(label, account) for account, label in self._accounts()]

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
        """The highlighted row in full: a resource's model (cut to fit in the table), the
        variant, what an unknown one may have meant, and why an outage is one; a place in
        code with its folder, the text matched and the model's status as the scan judged it."""
        row = self._row()
        detail = self.query_one("#discovered-detail", Static)
        if row is None:
            detail.update("")
            return
        if isinstance(row, CodeRow):
            detail.update(self._code_detail(row))
            return
        if isinstance(row, CallerLine):
            detail.update(self._caller_detail(row))
            return
        r = row.resource
        where = f"{r.region}, account {row.account}" if row.account else r.region
        text = Text(f"{r.name or r.resource_id}: {r.kind.value} in {where} on {row.model_label}"
                    + (f" ({row.flag} there)." if row.flag and row.model.known and not row.past_eol else "."))
        if r.name and r.resource_id != r.name:  # the table cuts the ARN
            text.append(f" {r.resource_id}", style="dim")
        if row.past_eol:
            text.append(f" OUTAGE: the model is past its EOL in {r.region}; calls to it fail already.",
                        style="bold red")
        elif not row.model.known:
            text.append(" Not in the catalog: it stays here; a sync of a Region that lists it makes it "
                        "known.", style="yellow")
        detail.update(text)

    @staticmethod
    def _code_detail(row: CodeRow) -> Text:
        """`folder/file:line:column: matched → model; status when scanned (day).`"""
        f, ref = row.finding, row.finding.reference
        text = Text(f"{f.root.rstrip('/')}/{ref.file}:{ref.line}:{ref.column}: {ref.matched}")
        if row.model_label != ref.matched:
            text.append(f" → {row.model_label}")
        if ref.known:
            text.append(f"; {ref.status} when scanned ({f.last_seen}).")
        else:
            text.append(". Not in the catalog: it cannot be assigned; fix the code or dismiss it (x).",
                        style="yellow")
        return text

    @staticmethod
    def _caller_detail(line: CallerLine) -> Text:
        """`ARN called MODEL in REGION (account): N calls (E failed), first … last …`."""
        c = line.caller
        where = f"{c.region}, account {line.account}" if c.account_id else c.region
        failed = f" ({c.errors:,} failed)" if c.errors else ""
        written = f" (as {c.model_written})" if c.model_written not in (c.model_id, c.profile_id) else ""
        text = Text(f"{c.principal_arn} called {line.model_label}{written} in {where}: {c.calls:,} call"
                    f"{'s' * (c.calls != 1)}{failed}, first {c.first_seen:%Y-%m-%d}, last {c.last_seen:%Y-%m-%d}.")
        if line.idle:
            text.append(" Idle for more than 15 days on a Legacy model: an account inactive that long may lose "
                        "access to it.", style="bold red")
        elif not c.known:
            text.append(" Not in the catalog: it cannot be assigned yet; a sync of a Region that lists it makes "
                        "it known.", style="yellow")
        return text

    def _selected(self) -> str | None:
        return selected_key(self.query_one("#discovered", DataTable))

    def _row(self) -> DiscoveredRow | CodeRow | CallerLine | None:
        key = self._selected()
        if key is None or self.data is None:
            return None
        if key.startswith(CODE_KEY):
            return next((c for c in self.data.code if c.key == key), None)
        if key.startswith(CALLER_KEY):
            return next((line for line in self.data.callers if line.key == key), None)
        return next((r for r in self.data.rows if str(r.resource.id) == key), None)

    def action_assign(self) -> None:
        row = self._row()
        apps = self.data.applications if self.data is not None else []
        if row is None:
            return
        if not apps:
            self.notify("Add an application first (Applications, n).", severity="warning")
            return
        choose_app = FormField("app", "Application", kind="select", required=True,
                               options=[(a.name, str(a.id)) for a in apps])
        if isinstance(row, CodeRow):
            self._assign_code(row, choose_app)
            return
        if isinstance(row, CallerLine):
            self._assign_caller(row, choose_app)
            return
        resource = row.resource
        name = resource.name or resource.resource_id

        def done(values: dict[str, str] | None) -> None:
            if values and self.planner.apply(portfolio.accept_discovered, self.planner.store, resource.id,
                                             int(values["app"]), self.planner.today):
                self.notify(f"{self._app_name(values)} uses {row.model_label} in {resource.region} now, "
                            f"through {name}.")

        self.app.push_screen(FormDialog(f"Assign {name} to an application", [choose_app], submit_label="Assign"),
                             done)

    def _app_name(self, values: dict[str, str]) -> str:
        """The application chosen in an assign dialog, by name."""
        apps = self.data.applications if self.data is not None else []
        return next((a.name for a in apps if str(a.id) == values["app"]), "The application")

    def _assign_code(self, row: CodeRow, choose_app: FormField) -> None:
        finding_id = row.finding.id
        if not row.finding.reference.known:  # refused in one line, with what it may have meant
            self.planner.apply(accept_discovered_code, self.planner.store, finding_id, 0, None, self.planner.today)
            return
        regions = list(row.regions) or ([row.region] if row.region else [])
        if row.region and row.region not in regions:
            regions.insert(0, row.region)

        def done(values: dict[str, str] | None) -> None:
            change = values and self.planner.apply(accept_discovered_code, self.planner.store, finding_id,
                                                   int(values["app"]), values["region"], self.planner.today)
            if change and values:
                app = self._app_name(values)
                self.notify(f"{app} uses {row.model_label} in {values['region']} "
                            + ("now" if change.result.added else "already")
                            + f"; {row.place} is {app}'s evidence now.")

        self.app.push_screen(FormDialog(f"Assign {row.place} to an application", [
            choose_app,
            FormField("region", "Region it is called in", kind="select", required=True,
                      value=row.region or (regions[0] if regions else ""),
                      options=[(region, region) for region in regions])], submit_label="Assign"), done)

    def _assign_caller(self, line: CallerLine, choose_app: FormField) -> None:
        caller_id = line.caller.id
        if not line.caller.known:  # refused in one line, saying why
            self.planner.apply(accept_caller, self.planner.store, caller_id, 0, self.planner.today)
            return

        def done(values: dict[str, str] | None) -> None:
            change = values and self.planner.apply(accept_caller, self.planner.store, caller_id, int(values["app"]),
                                                   self.planner.today, values["environment"])
            if change and values:
                app = self._app_name(values)
                self.notify(f"{app} uses {line.model_label} in {line.caller.region} "
                            + ("now" if change.result is not None else "already")
                            + f", as {line.principal_name} calls it.")

        self.app.push_screen(FormDialog(f"Assign {line.principal_name} to an application", [
            choose_app,
            FormField("environment", "Environment", value="prod", required=True)], submit_label="Assign"), done)

    @on(DataTable.RowSelected, "#discovered")
    def _row_selected(self) -> None:
        self.action_assign()

    def action_dismiss_row(self) -> None:
        row = self._row()
        if isinstance(row, CodeRow):
            self.planner.apply(dismiss_code_finding, self.planner.store, row.finding.id)
        elif isinstance(row, CallerLine):
            self.planner.apply(dismiss_caller, self.planner.store, row.caller.id)
        elif row is not None:
            self.planner.apply(portfolio.dismiss_discovered, self.planner.store, row.resource.id)
