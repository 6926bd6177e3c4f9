"""Models: the catalog with each model's status per Region group, and a detail view."""

from __future__ import annotations

from contextlib import nullcontext

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Header, Input, Label, Select, Static

from ...domain.validation import split_profile
from ...domain.vocabulary import Status
from ...services import overview
from ...services.views.callers import CallerLine
from ...services.views.models import ModelDetail, ModelsView, load_model_detail, load_models
from ..formatting import days_text, shown, status_text
from ..widgets.footer import Footer
from ..widgets.inert import InertStatic
from ..widgets.table import Table
from .base import PlannerScreen, selected_key


def search_words(query: str) -> list[str]:
    """The words to look for: a pasted inference profile ID ('us.anthropic.claude-…') or an
    ARN ('arn:aws:bedrock:…:inference-profile/eu.anthropic.…') finds the model it calls."""
    words = []
    for word in query.lower().split():
        if word.startswith("arn:") and "/" in word:
            word = word.rsplit("/", 1)[1]
        words.append(split_profile(word)[0])
    return words


class ModelsScreen(PlannerScreen[ModelsView]):
    AUTO_FOCUS = "#models"  # arrows move through the list, not a text field
    HELP_TITLE = "Models"
    HELP_TEXT = (
        "Every model in the project's catalog, one row per group of Regions that share the same "
        "lifecycle dates, with its status today. Type to search by ID (a pasted inference profile "
        "ID finds its model), name, provider or Region; "
        "Down goes to the list; filter by status or provider. Enter opens the model: lifecycle per Region, milestones "
        "and what they mean, policy warnings and the applications that depend on it."
    )
    BINDINGS = [
        Binding("slash", "search", "Search", id="models.search"),
        Binding("escape", "clear_search", "Clear", show=False, id="models.clear"),
        Binding("enter", "open", "Details", show=False, id="models.open"),
        Binding("down", "to_list", "To the list", show=False, id="models.to-list"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="toolbar"):
            yield Input(placeholder="Search models, providers, Regions… ( / )", id="search")
            yield Select([(s.value, s.value) for s in Status], prompt="Any status", id="status")
            yield Select([], prompt="Any provider", id="provider")
        yield Table(id="models", cursor_type="row", zebra_stripes=True, classes="list", keep=("Status", "EOL"))
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#models", DataTable)
        table.add_columns("Model", "Provider", "Status", "EOL", "Regions", "Model ID")
        table.focus()
        self.rows: list[overview.ModelRow] = []
        self._providers: list[str] = []

    def load(self) -> ModelsView:
        return load_models(self.planner.store, self.planner.today)

    def show(self, data: ModelsView) -> None:
        self.rows = data.rows
        if data.providers != self._providers:
            self._providers = data.providers
            provider = self.query_one("#provider", Select)
            chosen = provider.value
            # Provider names come from AWS: shown as data.
            provider.set_options((Text(shown(p)), p) for p in data.providers)
            if chosen in data.providers:
                provider.value = chosen
        self._filter_rows(keep_place=True)

    def _filter_rows(self, *, keep_place: bool = False) -> None:
        words = search_words(self.query_one("#search", Input).value)
        status = self.query_one("#status", Select).value
        provider = self.query_one("#provider", Select).value
        table = self.query_one("#models", Table)
        with table.keeping_place() if keep_place else nullcontext():
            table.clear()
            for index, row in enumerate(self.rows):
                haystack = " ".join([row.model.model_id, row.model.name, row.model.provider, *row.regions]).lower()
                if not all(word in haystack for word in words):
                    continue
                if status is not Select.NULL and row.status.value != status:
                    continue
                if provider is not Select.NULL and row.model.provider != provider:
                    continue
                table.add_row(
                    row.model.name,
                    row.model.provider,
                    status_text(row.status),
                    str(row.lifecycle.eol_date or "") if row.lifecycle else "",
                    overview.regions_label(row.regions, 1),
                    row.model.model_id,
                    key=f"{index}:{row.model.model_id}",
                )
        table.border_subtitle = f"{table.row_count} rows"

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    def _filters_changed(self) -> None:
        self._filter_rows()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#models", DataTable).focus()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_to_list(self) -> None:
        """Down in the search goes to the list (the table and the filters handle their own Down)."""
        self.query_one("#models", DataTable).focus()

    def action_clear_search(self) -> None:
        self.query_one("#search", Input).value = ""
        self.query_one("#models", DataTable).focus()

    @on(DataTable.RowSelected, "#models")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.push_screen(ModelDetailScreen(event.row_key.value.split(":", 1)[1]))

    def action_open(self) -> None:
        key = selected_key(self.query_one("#models", DataTable))
        if key is not None:
            self.app.push_screen(ModelDetailScreen(key.split(":", 1)[1]))


class ModelDetailScreen(PlannerScreen[ModelDetail | None]):
    HELP_TITLE = "Model details"
    HELP_TEXT = (
        "The model's lifecycle in each group of Regions, its milestones with their "
        "consequences, places where the published dates break the published policy, and the "
        "applications in this project that depend on it, and who calls it (CloudTrail, read by a "
        "sync; 'planner-tui callers accept' makes a caller a dependency). Escape goes back."
    )
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="model.back")]

    def __init__(self, model_id: str) -> None:
        super().__init__()
        self.model_id = model_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="detail"):
            yield InertStatic(id="model-summary")  # names and notes from AWS: as data
            yield Label("Lifecycle per Region", classes="section-title")
            yield Table(id="lifecycle", cursor_type="row", keep=("Status", "Legacy", "PEA", "EOL"))
            yield Label("Milestones and what they mean", classes="section-title")
            yield InertStatic(id="milestones")
            yield Label("Policy checks", classes="section-title")
            yield InertStatic(id="findings")
            yield Label("AWS Health", classes="section-title")
            yield InertStatic(id="health")
            yield Label("Applications that depend on it", classes="section-title")
            yield Table(id="dependents", cursor_type="row")
            yield Label("Who calls this model", classes="section-title")
            yield InertStatic(id="callers")  # principal ARNs from CloudTrail: as data
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#lifecycle", DataTable).add_columns(
            "Regions", "Status", "Legacy", "PEA", "EOL", "Source", "As of")
        self.query_one("#dependents", DataTable).add_columns(
            "Application", "Region", "Access", "Environment", "Monthly calls", "Idle")

    def load(self) -> ModelDetail | None:
        return load_model_detail(self.planner.store, self.model_id, self.planner.today)

    def show(self, data: ModelDetail | None) -> None:
        if data is None:
            self.query_one("#model-summary", Static).update(f"Unknown model {self.model_id}")
            return
        model, today = data.model, self.planner.today
        # The app's sub-title says ' · read-only'; a screen's own replaces it, so it says so too.
        self.set_sub_title(model.name)
        summary = Text()
        summary.append(f"{model.name}", style="bold")
        summary.append(f"  {model.provider}  ·  {model.model_id}\n", style="dim")
        summary.append(f"Input: {', '.join(model.input_modalities) or '–'}   "
                       f"Output: {', '.join(model.output_modalities) or '–'}   "
                       f"Streaming: {'yes' if model.streaming else 'no'}\n")
        summary.append(f"Launched: {model.launch_date or 'unknown'}   "
                       f"EOL no sooner than: {model.eol_no_sooner_than or '–'}\n")
        summary.append(f"Catalog: {model.source_url} (as of {model.as_of})", style="dim")
        self.query_one("#model-summary", Static).update(summary)

        table = self.query_one("#lifecycle", Table)
        with table.keeping_place():
            table.clear()
            for row in data.rows:
                lc = row.lifecycle
                table.add_row(
                    ", ".join(row.regions), status_text(row.status),
                    str(lc.legacy_date or "") if lc else "", str(lc.pea_date or "") if lc else "",
                    str(lc.eol_date or "") if lc else "",
                    (lc.source if lc else model.source_url).rsplit("/", 1)[-1], lc.as_of if lc else model.as_of,
                )

        text = Text()
        for milestone in data.milestones:
            text.append(f"{milestone.date}  ", style="bold")
            text.append_text(days_text(milestone.days_left(today)))
            text.append(f"  {milestone.kind.label} in {', '.join(milestone.regions[:4])}"
                        f"{' …' if len(milestone.regions) > 4 else ''}\n")
            for consequence in milestone.consequences:
                text.append(f"      • {consequence}\n", style="dim")
        self.query_one("#milestones", Static).update(text or Text("No published retirement dates.", style="dim"))

        warnings = Text()
        for finding in data.findings:
            style = "yellow" if finding.severity == "warning" else "dim"
            warnings.append(f"{'⚠' if finding.severity == 'warning' else 'ℹ'} {finding.message}"
                            f"  ({', '.join(finding.regions[:3])})\n", style=style)
        self.query_one("#findings", Static).update(
            warnings or Text("No conflicts with the published policy.", style="dim"))

        health = Text()
        for event in data.health:
            health.append(f"{event.start_time:%Y-%m-%d} " if event.start_time else "")
            health.append(f"{event.event_type_code} ({event.category}, {event.status})\n", style="bold")
            health.append(f"   {event.description[:300]}\n", style="dim")
        self.query_one("#health", Static).update(
            health or Text("No AWS Health events for this model (synced with 'aws: sync').", style="dim"))

        dependents = self.query_one("#dependents", Table)
        with dependents.keeping_place():
            dependents.clear()
            for app_name, dependency in data.dependents:
                flag = data.idle.get(dependency.id or 0, ("", ""))[0]
                dependents.add_row(app_name, dependency.region, dependency.access_path.value,
                                   dependency.environment, f"{dependency.monthly_volume:,}",
                                   Text(flag, style="bold yellow"))
        self.query_one("#callers", Static).update(callers_text(data.callers, data.idle))


def callers_text(lines: list[CallerLine], idle: dict[int, tuple[str, str]] | None = None) -> Text:
    """Two lines per caller: its ID, account, Region, calls, last call and flag; then who (the
    principal ARN) and through which inference profile."""
    text = Text()
    for line in lines:
        caller = line.caller
        text.append(f"#{caller.id} ", style="bold")
        text.append(f"{line.account} {caller.region}: {caller.calls:,} calls, last {caller.last_seen:%Y-%m-%d}")
        if line.flag:
            text.append(f" · {line.flag}", style="bold yellow" if line.idle else "yellow")
        if line.app_name:
            text.append(f" · → {line.app_name}", style="dim")
        text.append(f"\n   by {caller.principal_arn}", style="dim")
        if caller.profile_id:
            text.append(f" via {caller.profile_id}", style="dim")
        text.append("\n")
    if line_count := len(lines):
        text.append(f"{line_count} caller(s); 'planner-tui callers accept ID --app APP' makes one a dependency.",
                    style="dim")
    else:
        text.append("No caller recorded (a sync reads them from CloudTrail: cloudtrail:LookupEvents).", style="dim")
    for _, warning in (idle or {}).values():  # the dependencies marked idle above, and why
        text.append(f"\n{warning}", style="yellow")
    return text
