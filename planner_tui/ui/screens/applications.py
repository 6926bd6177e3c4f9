"""Applications: the list with forms to add, edit and delete, and a dependency editor."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Label, Static

from ...domain.ids import saved_id
from ...domain.models import AccessPath, Application, Criticality, Dependency
from ...domain.validation import TextKind
from ...errors import PlannerError
from ...services.commands import portfolio
from ...services.views.applications import (
    ApplicationDetail,
    ApplicationLine,
    ApplicationsView,
    load_application_detail,
    load_applications,
    resolved_dependency,
)
from ..dialogs import ConfirmDialog, FormDialog, FormField
from ..formatting import risk_text
from ..plan_forms import model_errors
from ..widgets.footer import Footer
from ..widgets.inert import InertStatic
from ..widgets.table import Table
from .base import PlannerScreen, selected_key


def application_fields(app: Application | None = None) -> list[FormField]:
    return [
        FormField("name", "Name", app.name if app else "", required=True, text=TextKind.NAME),
        FormField("owner", "Owner", app.owner if app else "", placeholder="who drives the migration",
                  text=TextKind.NAME),
        FormField("team", "Team", app.team if app else "", text=TextKind.NAME),
        FormField("criticality", "Criticality", (app.criticality if app else Criticality.MEDIUM).value,
                  kind="select", required=True, options=[(c.value, c.value) for c in Criticality]),
        FormField("environments", "Environments", ", ".join(app.environments) if app else "prod",
                  placeholder="prod, staging, dr"),
        FormField("notes", "Notes", app.notes if app else ""),
    ]


def application_from(values: dict[str, str], app_id: int | None = None) -> Application:
    environments = tuple(e.strip() for e in values["environments"].split(",") if e.strip())
    return Application(
        id=app_id, name=values["name"], owner=values["owner"], team=values["team"],
        criticality=Criticality(values["criticality"]), environments=environments or ("prod",),
        notes=values["notes"],
    )


class ApplicationsScreen(PlannerScreen[ApplicationsView]):
    AUTO_FOCUS = "#apps"  # arrows move through the list, not a text field
    HELP_TITLE = "Applications"
    HELP_TEXT = (
        "Your applications with what they depend on and how their migrations stand. Add one "
        "with n, edit with e, delete with Delete (asks first; Ctrl+Z brings it back). Enter "
        "opens the application: its dependencies (add a model by ID or inference profile ID, "
        "with search) and its migration plans."
    )
    EDITS = frozenset({"new", "edit", "delete"})
    ROW_ACTIONS = {"edit": "apps", "delete": "apps", "open": "apps"}
    BINDINGS = [
        Binding("n", "new", "New", id="apps.new", tooltip="Add an application"),
        Binding("e", "edit", "Edit", id="apps.edit"),
        Binding("delete,x", "delete", "Delete", id="apps.delete"),
        Binding("enter", "open", "Open", show=False, id="apps.open"),
        Binding("u", "app.discovered", "Discovered", id="apps.discovered",
                tooltip="Resources found by the AWS sync"),
        Binding("s", "app.sync", "AWS sync", id="apps.sync"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Table(id="apps", cursor_type="row", zebra_stripes=True, classes="list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#apps", DataTable).add_columns(
            "Application", "Owner", "Team", "Criticality", "Uses", "Worst risk")
        self.query_one("#apps", DataTable).focus()

    data: ApplicationsView | None = None  # as last read

    def load(self) -> ApplicationsView:
        return load_applications(self.planner.store, self.planner.today)

    def show(self, data: ApplicationsView) -> None:
        self.data = data
        table = self.query_one("#apps", Table)
        with table.keeping_place():
            table.clear()
            for line in data.lines:
                app = line.app
                table.add_row(
                    app.name, app.owner, app.team, app.criticality.value,
                    f"{line.dependencies} dep · " + ", ".join(line.models)[:40],
                    risk_text(line.worst) if line.worst else Text("no plan", style="dim"),
                    key=str(app.id),
                )

    def _selected_id(self) -> int | None:
        key = selected_key(self.query_one("#apps", DataTable))
        return int(key) if key is not None else None

    def _taken(self, values: dict[str, str], app_id: int | None = None) -> dict[str, str]:
        """The form's checks: a name no other application has (as last read; the use case
        checks again), and what the input rules refuse."""
        if self.data is not None and self.data.named(values["name"], besides=app_id):
            return {"name": "An application with this name already exists."}
        return model_errors(Application, lambda: application_from(values, app_id).model_dump())

    def action_new(self) -> None:
        store = self.planner.store

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            change = self.planner.apply(portfolio.add_application, store, application_from(values), [],
                                        self.planner.today)
            if change:
                self.notify(f"Added {change.result.name}. Add its dependencies next.")
                self.app.push_screen(ApplicationDetailScreen(saved_id(change.result)))

        self.app.push_screen(FormDialog("New application", application_fields(), self._taken), done)

    def _selected_line(self) -> ApplicationLine | None:
        app_id = self._selected_id()
        return self.data.line(app_id) if self.data is not None and app_id is not None else None

    def action_edit(self) -> None:
        line = self._selected_line()
        if line is None:
            return
        current, app_id = line.app, saved_id(line.app)

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            # The version read: an edit made elsewhere meanwhile is refused, not overwritten.
            edited = application_from(values, app_id).model_copy(update={"version": current.version})
            self.planner.apply(portfolio.edit_application, self.planner.store, edited)

        self.app.push_screen(FormDialog(f"Edit {current.name}", application_fields(current),
                                        lambda values: self._taken(values, app_id)), done)

    def action_delete(self) -> None:
        line = self._selected_line()
        if line is None:
            return
        app, app_id = line.app, saved_id(line.app)

        def done(confirmed: bool | None) -> None:
            if not confirmed:
                return
            if self.planner.apply(portfolio.remove_application, self.planner.store, app_id):
                self.notify(f"Deleted {app.name}. Ctrl+Z to undo.")

        self.app.push_screen(ConfirmDialog(
            f"Delete {app.name} with its {line.dependencies} dependencies and "
            f"{line.plans} migration plan(s)?", "Delete"), done)

    @on(DataTable.RowSelected, "#apps")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.push_screen(ApplicationDetailScreen(int(event.row_key.value)))

    def action_open(self) -> None:
        app_id = self._selected_id()
        if app_id is not None:
            self.app.push_screen(ApplicationDetailScreen(app_id))


class ApplicationDetailScreen(PlannerScreen[ApplicationDetail | None]):
    AUTO_FOCUS = "#dependencies"
    HELP_TITLE = "Application"
    HELP_TEXT = (
        "What this application depends on, and its migration plans. Add a dependency with n: "
        "type a model ID or an inference profile ID (us., eu., apac., global. …; completion "
        "suggests IDs as you type) and the Region the application calls from. A dependency on a "
        "model with published retirement dates creates a migration plan with due dates. "
        "Delete removes the selected dependency (asks first). Enter on a plan opens it."
    )
    EDITS = frozenset({"new_dependency", "delete_dependency"})
    ROW_ACTIONS = {"delete_dependency": "dependencies"}
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="app-detail.back"),
        Binding("n", "new_dependency", "Add dependency", id="app-detail.new"),
        Binding("delete,x", "delete_dependency", "Remove dependency", id="app-detail.delete"),
    ]

    def __init__(self, app_id: int) -> None:
        super().__init__()
        self.app_id = app_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="detail"):
            yield InertStatic(id="app-summary")
            yield Label("Dependencies", classes="section-title")
            yield Table(id="dependencies", cursor_type="row")
            yield Label("Migration plans  (Enter opens)", classes="section-title")
            yield Table(id="app-plans", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#dependencies", DataTable).add_columns(
            "Model ID", "Region", "Access", "Profile / resource", "Env", "Monthly calls")
        self.query_one("#app-plans", DataTable).add_columns(
            "Model", "Phase", "Next due", "Deadline", "Risk")
        self.query_one("#dependencies", DataTable).focus()

    data: ApplicationDetail | None = None  # as last read

    def load(self) -> ApplicationDetail | None:
        return load_application_detail(self.planner.store, self.app_id, self.planner.today)

    def show(self, data: ApplicationDetail | None) -> None:
        if data is None:  # deleted meanwhile (an undo of its adding, another program)
            if self.is_current:
                self.app.pop_screen()
            return
        self.data, app = data, data.app
        self.set_sub_title(app.name)
        summary = Text()
        summary.append(app.name, style="bold")
        summary.append(f"  owner {app.owner or '–'} · team {app.team or '–'} · {app.criticality.value}"
                       f" · {', '.join(app.environments)}\n", style="dim")
        summary.append(app.notes or "")
        self.query_one("#app-summary", Static).update(summary)
        table = self.query_one("#dependencies", Table)
        with table.keeping_place():
            table.clear()
            for dependency in data.dependencies:
                table.add_row(dependency.model_id, dependency.region, dependency.access_path.value,
                              dependency.resource_id, dependency.environment,
                              f"{dependency.monthly_volume:,}", key=str(dependency.id))
        plans = self.query_one("#app-plans", Table)
        with plans.keeping_place():
            plans.clear()
            for line in data.plans:
                plans.add_row(line.model_name, line.phase_label, str(line.next_due or ""),
                              str(line.deadline or ""), risk_text(line.risk), key=str(line.plan_id))

    def action_new_dependency(self) -> None:
        store = self.planner.store
        suggestions = self.data.suggestions if self.data is not None else []
        fields = [
            FormField("model_id", "Model or inference profile ID", required=True,
                      suggestions=suggestions, placeholder="e.g. anthropic.claude-…", text=TextKind.ID),
            FormField("region", "Region the application calls from", required=True,
                      placeholder="us-east-1", text=TextKind.ID),
            FormField("access_path", "Access path", AccessPath.ON_DEMAND.value, kind="select",
                      required=True, options=[(a.value, a.value) for a in AccessPath]),
            FormField("resource_id", "Provisioned throughput / custom model ARN (optional)", text=TextKind.ID),
            FormField("environment", "Environment", "prod", text=TextKind.NAME),
            FormField("monthly_volume", "Calls per month", "0", kind="int"),
            FormField("notes", "Notes"),
        ]

        def build(values: dict[str, str]) -> Dependency:
            return Dependency(
                app_id=self.app_id, model_id=values["model_id"], region=values["region"],
                access_path=AccessPath(values["access_path"]), resource_id=values["resource_id"],
                environment=values["environment"] or "prod",
                monthly_volume=int((values["monthly_volume"] or "0").replace(",", "").replace("_", "")),
                notes=values["notes"],
            )

        def validate(values: dict[str, str]) -> dict[str, str]:
            refused = model_errors(Dependency, lambda: build(values).model_dump(), {"monthly_volume": "monthly_volume"})
            if refused:
                return refused
            try:
                resolved_dependency(store, build(values))
            except PlannerError as error:
                field = "region" if "Region" in str(error) or "offered" in str(error) else "model_id"
                return {field: str(error)}
            return {}

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            change = self.planner.apply(portfolio.add_dependency, store, build(values), self.planner.today)
            if change and change.result:
                self.notify(f"Migration plan open for {change.result[0].model_id}.", title="Retiring model")

        def warn(values: dict[str, str]) -> dict[str, str]:
            try:
                warnings = portfolio.past_eol_warnings(store, [build(values)], self.planner.today)
            except (PlannerError, ValueError):
                return {}
            return {"region": f"Warning: {warnings[0]}"} if warnings else {}

        # Both checks read the catalog and the lifecycles: the form runs them off the UI thread.
        self.app.push_screen(FormDialog("Add dependency", fields, validate, warn=warn, reads=True), done)

    def action_delete_dependency(self) -> None:
        key = selected_key(self.query_one("#dependencies", DataTable))
        dependencies = self.data.dependencies if self.data is not None else []
        dependency = next((d for d in dependencies if str(d.id) == key), None)
        if dependency is None:
            return
        dep_id = saved_id(dependency)
        others = [d for d in dependencies if d.model_id == dependency.model_id and d.id != dep_id]
        consequence = ("Its migration plan keeps the other Regions." if others else
                       "Its migration plan, if any, closes as no longer needed (kept in the history; "
                       "adding the model again reopens it).")

        def done(confirmed: bool | None) -> None:
            if confirmed:
                change = self.planner.apply(portfolio.remove_dependency, self.planner.store, dep_id,
                                            self.planner.today)
                if change and change.result:
                    self.notify("Its migration plan is closed: no longer needed. Ctrl+Z to undo.")

        self.app.push_screen(ConfirmDialog(
            f"Remove {dependency.model_id} in {dependency.region} from this application? {consequence}",
            "Remove"), done)

    @on(DataTable.RowSelected, "#app-plans")
    def _plan_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.planner.open_plan(int(event.row_key.value))
