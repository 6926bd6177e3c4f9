"""Export dialog: choose the scope, see how many events it gives, then write the file."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static
from textual.worker import Worker, WorkerState

from ..domain.settings import CalendarSettings
from ..errors import PlannerError
from ..integrations.calendar.events import CalendarEvent, ExportScope, all_events, in_scope, parse_alarms
from ..integrations.files import safe_output_target
from ..services.views.export import ExportChoices, load_export_choices
from .dialogs import FieldsScroll, focus_first_field
from .formatting import read_error
from .typed import planner_of

DEFAULT_FILE = "bedrock-migrations.ics"


class ExportCalendarDialog(ModalScreen[tuple[Path, ExportScope] | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("ctrl+s", "export", "Export", id="export.save"),
    ]
    AUTO_FOCUS = ""  # the first field, in on_mount

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label("Export to calendar (iCalendar)", classes="dialog-title")
            with FieldsScroll(classes="form-fields"):
                yield Label("File", classes="field-label")
                yield Input(DEFAULT_FILE, id="path")  # in the folder the planner was started from
                yield Label("Applications (comma-separated; empty: all)", classes="field-label")
                yield Input(id="apps")  # its example: the project's own applications, once read
                yield Label("Owners (comma-separated; empty: any)", classes="field-label")
                yield Input(id="owners")
                yield Label("Teams (comma-separated; empty: any)", classes="field-label")
                yield Input(id="teams")
                yield Label("Models (comma-separated IDs; empty: those the project uses)",
                            classes="field-label")
                yield Input(id="models")
                with Horizontal(classes="toolbar"):
                    yield Checkbox("Vendor milestones", True, id="vendor")
                    yield Checkbox("Plan deadlines", True, id="plan")
                yield Label("Reminders, days before", classes="field-label")
                yield Input("30,7,1", id="alarms")  # the project's calendar settings, once read
                yield Label("Reminders before EOL, days", classes="field-label")
                yield Input("90,30,7", id="eol-alarms")
            with Horizontal(classes="dialog-buttons"):
                # What the scope gives, beside the button it is for: in sight however far
                # the fields are scrolled.
                yield Static("", id="count", classes="dialog-status")
                yield Button("Export", id="export", variant="primary")
                yield Button("Cancel", id="cancel")

    # Every event, so counts follow the scope live, and what the scope may name: read in a
    # worker, off the UI thread, as the dialog opens.
    events: list[CalendarEvent] | None = None
    choices: ExportChoices | None = None

    def on_mount(self) -> None:
        self.query_one("#export", Button).disabled = True  # until the count says what it writes
        self._read()
        focus_first_field(self)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export-read")
    def _read(self) -> tuple[list[CalendarEvent], ExportChoices, CalendarSettings]:
        planner = planner_of(self)
        return (all_events(planner.store, planner.today), load_export_choices(planner.store),
                planner.store.calendar_settings())

    @on(Worker.StateChanged)
    def _read_done(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "export-read":
            return
        if event.state is WorkerState.SUCCESS and event.worker.result is not None:
            self.events, self.choices, settings = event.worker.result
            with self.prevent(Input.Changed):
                self.query_one("#alarms", Input).value = ",".join(map(str, settings.alarm_days))
                self.query_one("#eol-alarms", Input).value = ",".join(map(str, settings.eol_alarm_days))
            # The project's own applications as the example (a new project has none to name).
            self.query_one("#apps", Input).placeholder = ", ".join(self.choices.app_names[:2])
            for what in ("owner", "team"):
                given = dict.fromkeys(v.strip() for a in self.choices.applications if (v := getattr(a, what)).strip())
                self.query_one(f"#{what}s", Input).placeholder = ", ".join(list(given)[:2])
            self._update_count()
        elif event.state is WorkerState.ERROR:
            self.query_one("#count", Static).update(Text(read_error(event.worker.error), style="red"))

    def scope(self) -> ExportScope:
        def split(widget_id: str) -> tuple[str, ...]:
            return tuple(p.strip() for p in self.query_one(widget_id, Input).value.split(",") if p.strip())

        kinds = frozenset(k for k in ("vendor", "plan") if self.query_one(f"#{k}", Checkbox).value)
        return ExportScope(apps=split("#apps"), owners=split("#owners"), teams=split("#teams"),
                           models=split("#models"), kinds=kinds,
                           alarms=parse_alarms(self.query_one("#alarms", Input).value),
                           eol_alarms=parse_alarms(self.query_one("#eol-alarms", Input).value, "EOL reminders"))

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _update_count(self) -> None:
        if self.events is None or self.choices is None:
            return  # still reading: counted when the events arrive
        count = self.query_one("#count", Static)
        button = self.query_one("#export", Button)
        try:
            scope = self.scope()
            self.choices.check(scope.apps, scope.models, scope.owners, scope.teams)
            if not scope.kinds:
                raise PlannerError("choose vendor milestones, plan deadlines or both.")
            scope = scope.resolved(self.choices.applications)  # owners and teams: their applications
        except PlannerError as error:
            count.update(Text(str(error), style="red"))  # may quote what was typed
            button.disabled = True
            return
        total = sum(in_scope(e.kind, e.model_id, e.app_names, scope) for e in self.events)
        reminders = len(scope.alarms or ())
        count.update(f"{total} event{'s' if total != 1 else ''} will be written"
                     f"{', with ' + str(reminders) + ' reminders each' if reminders else ''}.")
        button.disabled = False

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        if self.query_one("#export", Button).disabled:
            return  # the count line says why
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        count = self.query_one("#count", Static)
        if not path.name or path.is_dir():
            count.update(Text("Enter a file name.", style="red"))
            return
        try:  # never over the open project, its side files or another project
            safe_output_target(path, planner_of(self).store.path)
        except PlannerError as error:
            count.update(Text(str(error), style="red"))  # one line; may quote what was typed
            return
        self.dismiss((path, self.scope()))

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "eol-alarms":
            self.action_export()
        else:
            self.focus_next()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
