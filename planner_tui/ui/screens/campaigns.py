"""Campaigns: one migration per retiring model. The list (one row per model with plans), and
one campaign: its lifecycle and deadline per Region, the decision and who follows it, a row
per application, and the candidates; choose once for every follower, override for one
application, follow again."""

from __future__ import annotations

import dataclasses
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Label, Static

from ...domain.campaigns import MatrixRow
from ...domain.validation import TextKind
from ...services.campaign_view import (
    CampaignHeader,
    CampaignRow,
    CampaignView,
    SharedItemLine,
    campaign_rows,
    load_campaign_view,
)
from ...services.commands import Change, campaigns, checklist
from ..dialogs import FormDialog, FormField
from ..formatting import progress_bar, risk_text, status_text
from ..typed import planner_of
from ..widgets.footer import Footer
from ..widgets.inert import InertStatic
from ..widgets.table import Table
from .base import PlannerScreen, selected_key


def _date(value: Any) -> str:
    return str(value) if value else "–"


def campaign_header_cells(header: CampaignHeader, columns: int) -> list[Text | str]:
    """A campaign's heading in a list of plans grouped by campaign (Application, Model, Risk,
    then empty cells): its model, how many plans, its worst risk."""
    cells: list[Text | str] = [Text(f"▸ {header.model_name}", style="bold"),
                               Text(f"campaign · {header.plans} plan{'s' if header.plans != 1 else ''}",
                                    style="dim"),
                               risk_text(header.worst_risk)]
    return cells + [""] * (columns - len(cells))


class CampaignsScreen(PlannerScreen[list[CampaignRow]]):
    AUTO_FOCUS = "#campaigns"
    HELP_TITLE = "Campaigns"
    HELP_TEXT = (
        "One campaign per retiring model: every application with a plan for it. The list shows "
        "how many applications and open plans each has, the replacement chosen for all of them, "
        "how many applications override it, the model's earliest End-of-Life in the Regions "
        "used, and the worst risk. Enter opens the campaign."
    )
    ROW_ACTIONS = {"open": "campaigns"}
    BINDINGS = [
        Binding("enter", "open", "Open", show=False, id="campaigns.open"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Table(id="campaigns", cursor_type="row", zebra_stripes=True, classes="list",
                    keep=("Apps", "Open", "EOL", "Worst risk"))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#campaigns", DataTable).add_columns(
            "Model", "Apps", "Open", "Decision", "Overrides", "EOL", "Worst risk")
        self.query_one("#campaigns", DataTable).focus()

    def load(self) -> list[CampaignRow]:
        return campaign_rows(self.planner.store, self.planner.today)

    data: list[CampaignRow] = []  # as last read

    def show(self, data: list[CampaignRow]) -> None:
        self.data = data
        table = self.query_one("#campaigns", Table)
        with table.keeping_place():
            table.clear()
            for row in data:
                table.add_row(
                    row.model_name, str(row.applications), str(row.open_plans),
                    row.target_name or Text("not chosen", style="dim"), str(row.overrides or ""),
                    _date(row.earliest_eol),
                    risk_text(row.worst_risk) if row.worst_risk else Text("–", style="dim"),
                    key=row.model_id,
                )

    @on(DataTable.RowSelected, "#campaigns")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.push_screen(CampaignScreen(event.row_key.value))

    def action_open(self) -> None:
        model_id = selected_key(self.query_one("#campaigns", DataTable))
        if model_id is not None:
            self.app.push_screen(CampaignScreen(model_id))


class SharedChecklistTable(Table):
    """The campaign's shared Assess, Research and Test checklist: a change of an item is made
    in every open plan of the campaign."""

    BINDINGS = [
        Binding("space", "tick", "Tick for all", id="campaign.tick",
                tooltip="Tick (or untick) the highlighted shared item in every open plan"),
        Binding("a", "assign", "Assign owner", id="campaign.assign",
                tooltip="The highlighted shared item's owner, in every open plan"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Not offered on a read-only project, nor with no item highlighted.
        if action in ("tick", "assign"):
            return not planner_of(self).store.read_only and self._line() is not None
        return True

    def _line(self) -> SharedItemLine | None:
        screen = self.screen
        key = self.highlighted_key()
        if not isinstance(screen, CampaignScreen) or screen.data is None or key is None:
            return None
        return next((line for line in screen.data.shared if str(line.item_id) == key), None)

    def action_tick(self) -> None:
        line = self._line()
        if line is None or not isinstance(self.screen, CampaignScreen):
            return
        planner = self.screen.planner
        if planner.apply(checklist.toggle_item, planner.store, line.item_id):
            self.app.notify(f"'{line.title}' {'un' if line.done else ''}ticked for {line.copies} "
                            f"application{'s' if line.copies != 1 else ''}. Ctrl+Z to undo.")

    def action_assign(self) -> None:
        line = self._line()
        if line is None or not isinstance(self.screen, CampaignScreen):
            return
        planner = self.screen.planner

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            item = planner.store.item(line.item_id)
            if planner.apply(checklist.edit_item, planner.store, item.model_copy(update={"owner": values["owner"]}),
                             planner.today):
                self.app.notify(f"'{line.title}': owner {values['owner'] or 'none'} for {line.copies} "
                                "application(s). Ctrl+Z to undo.")

        self.app.push_screen(FormDialog(f"Owner of '{line.title}' for every application", [
            FormField("owner", "Owner (empty: none)", line.owner, text=TextKind.NAME)]), done)


def _choose(*args: Any) -> Change:
    """campaigns.choose, its summary shown by the screen's own toast (not as a warning)."""
    return dataclasses.replace(campaigns.choose(*args), note="")


class CampaignScreen(PlannerScreen[CampaignView | None]):
    AUTO_FOCUS = "#matrix"
    HELP_TITLE = "Campaign"
    HELP_TEXT = (
        "One retiring model's migration across every application that uses it. At the top, the "
        "model's lifecycle in each Region the applications use, with the campaign's deadline there "
        "(the earliest of its applications'). Then the decision and who follows it, a row per "
        "application (phase, progress, risk, next due date, its target, open items of its phase) "
        "and the candidates: models Active in every Region used. c chooses the highlighted "
        "candidate for every application without an override (asks why). o gives the highlighted "
        "application its own target, with a reason; f makes it follow the campaign again; A applies "
        "the decision to every application (drops every override). Enter on an application opens "
        "its plan. s shifts the due dates of every open application's current phase by some days. "
        "The shared checklist is Assess, Research and Test, done once for the campaign: "
        "Space ticks the highlighted item for every open application, a assigns its owner. The "
        "evaluations are recorded once per candidate ('campaigns evaluate'); each application "
        "passes or fails them against its own thresholds (Test column). Ctrl+Z undoes."
    )
    EDITS = frozenset({"choose", "override", "follow", "apply_all", "shift"})
    ROW_ACTIONS = {"choose": "campaign-candidates", "override": "matrix"}
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="campaign.back"),
        Binding("c", "choose", "Choose", id="campaign.choose",
                tooltip="The highlighted candidate, for every application without an override"),
        Binding("o", "override", "Override", id="campaign.override",
                tooltip="The highlighted application's own target, with a reason"),
        Binding("f", "follow", "Follow", id="campaign.follow",
                tooltip="The highlighted application follows the campaign's decision again"),
        Binding("A", "apply_all", "Apply to all", id="campaign.apply_all",
                tooltip="Every application takes the campaign's decision (drops every override)"),
        Binding("s", "shift", "Shift dates", id="campaign.shift",
                tooltip="Every open application's open items of its current phase due some days later"),
    ]

    def __init__(self, model_id: str) -> None:
        super().__init__()
        self.model_id = model_id

    data: CampaignView | None = None  # as last read

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="detail"):
            yield InertStatic(id="campaign-summary")
            yield Label("Lifecycle per Region", classes="section-title")
            yield Table(id="campaign-regions", cursor_type="none",
                        keep=("Region", "Status", "Legacy", "PEA", "EOL", "Deadline"))
            yield Label("Decision", classes="section-title")
            yield InertStatic(id="campaign-decision")
            yield Label("Applications  (Enter opens the plan)", classes="section-title")
            yield Table(id="matrix", cursor_type="row", zebra_stripes=True,
                        keep=("Progress", "Risk", "Next due", "Open"), cut_first=("Target", "Test"))
            yield Label("Shared checklist", id="campaign-checklist-title", classes="section-title")
            yield SharedChecklistTable(id="campaign-checklist", cursor_type="row", zebra_stripes=True,
                                       keep=("Phase", "Done"))
            yield Label("Evaluations  (once per candidate; each application against its own thresholds)",
                        classes="section-title")
            yield InertStatic(id="campaign-evaluations")
            yield Label("Candidates  (c chooses)", classes="section-title")
            yield Table(id="campaign-candidates", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#campaign-regions", DataTable).add_columns(
            "Region", "Status", "Legacy", "PEA", "EOL", "Deadline", "Applications")
        self.query_one("#matrix", DataTable).add_columns(
            "Application", "Phase", "Progress", "Risk", "Next due", "Target", "Test", "Open")
        self.query_one("#campaign-checklist", DataTable).add_columns(
            "Phase", "Done", "Item", "Owner", "Due", "Apps")
        self.query_one("#campaign-candidates", DataTable).add_columns(
            "Model", "Name", "Own EOL", "Named by AWS")
        self.query_one("#matrix", DataTable).focus()

    def load(self) -> CampaignView | None:
        return load_campaign_view(self.planner.store, self.model_id, self.planner.today)

    def show(self, data: CampaignView | None) -> None:
        if data is None:  # no plan left for the model (another program, an undo)
            if self.is_current:
                self.app.pop_screen()
            return
        self.data = data
        self.set_sub_title(f"campaign · {data.model_name}")
        summary = Text()
        summary.append(f"{data.model_name}", style="bold")
        summary.append(f"  {self.model_id}\n", style="dim")
        summary.append(f"{len(data.rows)} application(s), {len(data.open_rows)} open · deadline "
                       f"{_date(data.deadline)}")
        self.query_one("#campaign-summary", Static).update(summary)
        regions = self.query_one("#campaign-regions", Table)
        with regions.keeping_place():
            regions.clear()
            for line in data.regions:
                regions.add_row(line.region, status_text(line.status), _date(line.legacy_date),
                                _date(line.pea_date), _date(line.eol_date), _date(line.deadline),
                                ", ".join(line.applications), key=line.region)
        self.query_one("#campaign-decision", Static).update(self._decision_text(data))
        matrix = self.query_one("#matrix", Table)
        tests = data.test_summary
        with matrix.keeping_place():
            matrix.clear()
            for row in data.rows:
                test = tests.get(row.app_name, "")
                matrix.add_row(row.app_name, row.state_label, progress_bar(row.progress, 4), risk_text(row.risk),
                               _date(row.next_due), self._target_text(row),
                               Text(test or "–", style="red bold" if test.startswith("FAIL") else
                                    "green" if test == "pass" else "dim"),
                               str(len(row.blockers)) if row.blockers else "", key=str(row.plan_id))
        self._show_shared(data)
        self.query_one("#campaign-evaluations", Static).update(self._evaluations_text(data))
        candidates = self.query_one("#campaign-candidates", Table)
        with candidates.keeping_place():
            candidates.clear()
            for candidate in data.candidates:
                model = candidate.model
                candidates.add_row(model.model_id, model.name, _date(candidate.own_eol),
                                   "yes" if candidate.recommended else "", key=model.model_id)

    def _show_shared(self, data: CampaignView) -> None:
        copies = max((line.copies for line in data.shared), default=0)
        title = ("Shared checklist: Assess, Research, Test" + (f" · shared by {copies} open application(s)"
                                                              if copies else " · no open application")
                 + ("  (Space ticks for all, a assigns)" if data.shared else ""))
        self.query_one("#campaign-checklist-title", Label).update(title)
        table = self.query_one("#campaign-checklist", Table)
        with table.keeping_place():
            table.clear()
            for line in data.shared:
                done = Text("✓", style="green bold") if line.done else Text("☐", style="dim")
                apps = Text(f"{line.copies} ≠", style="yellow") if line.differences else str(line.copies)
                table.add_row(line.phase.title, done, Text(line.title, style="dim strike" if line.done else ""),
                              line.owner, _date(line.due_date), apps, key=str(line.item_id))

    @staticmethod
    def _evaluations_text(data: CampaignView) -> Text:
        if not data.evaluations:
            return Text("None yet: 'planner-tui campaigns evaluate MODEL CANDIDATE METRIC VALUE' records one "
                        "for every application.", style="dim")
        text = Text()
        for evaluation in data.evaluations:
            text.append(f"{evaluation.candidate_model_id} · {evaluation.metric} = {evaluation.value:g}",
                        style="bold")
            text.append(f" ({'higher' if evaluation.higher_is_better else 'lower'} is better)", style="dim")
            readings = [v for v in data.verdicts if v.evaluation.id == evaluation.id]
            if readings:
                text.append(": " + "; ".join(f"{v.app_name} {v.label}" for v in readings))
            text.append("\n")
        return text

    @staticmethod
    def _decision_text(data: CampaignView) -> Text:
        text = Text()
        campaign = data.campaign
        if campaign.target_model_id is None:
            text.append("none yet", style="dim")
        else:
            text.append(data.target_name or campaign.target_model_id)
            text.append(f"  {campaign.target_model_id}", style="dim")
            if campaign.decided_on:
                text.append(f" · {campaign.decided_on}", style="dim")
            if campaign.decision_reason:
                text.append(f"\n{campaign.decision_reason}")
        followers = [row.app_name for row in data.followers]
        text.append(f"\nFollowed by {len(followers)} of {len(data.rows)}", style="dim")
        if followers:
            text.append(f": {', '.join(followers)}", style="dim")
        return text

    @staticmethod
    def _target_text(row: MatrixRow) -> Text:
        if row.follows:
            return Text("campaign", style="dim")
        return Text(f"own: {row.target_model_id or 'none'}", style="bold")

    def _row(self) -> MatrixRow | None:
        key = selected_key(self.query_one("#matrix", DataTable))
        if self.data is None or key is None:
            return None
        return next((row for row in self.data.rows if str(row.plan_id) == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if action == "follow" and allowed:
            row = self._row()
            return row is not None and not row.follows
        if action == "shift" and allowed:
            return self.data is not None and bool(self.data.open_rows)
        if action == "apply_all" and allowed:
            return self.data is not None and self.data.campaign.decided and any(
                not row.follows and row.state_label != "complete" for row in self.data.rows)
        return allowed

    @on(DataTable.RowHighlighted, "#matrix")
    def _highlighted(self) -> None:
        self.refresh_bindings()  # follow is offered for an application with an override

    @on(DataTable.RowSelected, "#matrix")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.planner.open_plan(int(event.row_key.value))

    def action_choose(self) -> None:
        target = self.query_one("#campaign-candidates", Table).highlighted_key()
        if target is None:
            return

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            change = self.planner.apply(_choose, self.planner.store, self.model_id, target, values["reason"],
                                        self.planner.today)
            if change:
                result = change.result
                self.notify(campaigns.choose_note(result), title=f"Chose {target}",
                            severity="warning" if result.warnings else "information", timeout=10)

        self.app.push_screen(FormDialog(
            f"Choose {target} for every application without an override",
            [FormField("reason", "Why this model (recorded with the decision)", required=True)],
            submit_label="Choose"), done)

    def action_override(self) -> None:
        row = self._row()
        if row is None or self.data is None:
            return
        suggestions = [candidate.model.model_id for candidate in self.data.candidates]

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            change = self.planner.apply(campaigns.override, self.planner.store, self.model_id, row.app_id,
                                        values["target"], values["reason"], self.planner.today)
            if change:
                self.notify(f"{row.app_name} keeps its own target: {change.result.target_model_id}.")

        self.app.push_screen(FormDialog(f"Override the decision for {row.app_name}", [
            FormField("target", "Its own target model ID", row.override_target or "", required=True,
                      suggestions=suggestions, placeholder="e.g. anthropic.claude-…", text=TextKind.ID),
            FormField("reason", "Why (another Region, modality or cost)", row.reason, required=True),
        ]), done)

    def action_follow(self) -> None:
        row = self._row()
        if row is None or row.follows:
            return
        if self.planner.apply(campaigns.follow, self.planner.store, row.plan_id, self.planner.today):
            self.notify(f"{row.app_name} follows the campaign's decision again.")

    def action_apply_all(self) -> None:
        if self.data is None or not self.data.campaign.decided:
            return
        from ..dialogs import ConfirmDialog

        overrides = [row.app_name for row in self.data.overrides]
        target = self.data.target_name or self.data.campaign.target_model_id

        def done(confirmed: bool | None) -> None:
            if confirmed and self.planner.apply(campaigns.follow_all, self.planner.store, self.model_id,
                                                self.planner.today):
                self.notify(f"Every application follows the decision ({target}). Ctrl+Z to undo.")

        self.app.push_screen(ConfirmDialog(
            f"Apply {target} to every application? {', '.join(overrides)} will drop "
            f"{'its' if len(overrides) == 1 else 'their'} own target.", "Apply", danger=False), done)

    def action_shift(self) -> None:
        if self.data is None or not self.data.open_rows:
            return
        from ...services.commands.campaign_bulk import shift_due_dates

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                days = int(values["days"].strip())
            except ValueError:
                self.notify(f"{values['days']!r} is not a whole number of days (e.g. 7 or -7).", severity="error")
                return
            change = self.planner.apply(shift_due_dates, self.planner.store, self.model_id, days,
                                        self.planner.today)
            if change:
                result = change.result
                self.notify(f"{result.items} open item(s) of {', '.join(result.applications)} due "
                            f"{abs(result.days)} day(s) {'later' if result.days > 0 else 'earlier'}. "
                            "Ctrl+Z to undo.")

        self.app.push_screen(FormDialog(
            "Shift the due dates of every open application's current phase", [
                FormField("days", "Days later (negative: earlier)", "7", required=True, text=TextKind.ID)],
            submit_label="Shift"), done)
