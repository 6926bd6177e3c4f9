"""Plan workspace: one application × one retiring model, through the five phases."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Label, Sparkline, Static, Tab, Tabs

from ...catalog.bundled import load_catalog
from ...domain.candidates import find_candidates
from ...domain.dates import parse_date
from ...domain.models import PHASES, ChecklistItem, Phase
from ...domain.workspace import (
    PHASE_FIELDS,
    Decision,
    RolloutDecision,
    RolloutStage,
    TestResult,
    check_field,
)
from ...errors import PlannerError
from ...services import overview
from ..dialogs import ConfirmDialog, FormDialog, FormField
from ..formatting import days_text, progress_bar, risk_text
from ..widgets.footer import Footer
from ..widgets.table import Table
from .base import PlannerScreen, selected_key
from .history import HistoryScreen

PHASE_ACTIONS = {"choose": Phase.RESEARCH, "add_test": Phase.TEST,
                 "add_stage": Phase.ROLLOUT, "record_decision": Phase.ROLLOUT}


def _date_or_none(text: str) -> dt.date | None:
    return parse_date(text) if text else None


def _number(text: str) -> float | None:
    return float(text) if text else None


class PlanScreen(PlannerScreen):
    AUTO_FOCUS = "#checklist"  # arrows move through the list, not a text field
    HELP_TITLE = "Migration plan"
    HELP_TEXT = (
        "One application's migration off one retiring model. The tabs are the five phases "
        "(✓ done, ▶ current) with their due dates, worked back from the deadline. Each phase "
        "has a checklist: Space ticks an item, n adds one, e edits title, owner, due date and "
        "evidence, Delete removes it, Shift+↑/↓ reorders; Ctrl+Z undoes the last change. "
        "f edits the phase form (baseline, differences, A/B notes, update details, guardrails). "
        "Research lists Active replacements for every Region the application uses (c records "
        "the choice and its reason); Test records results with pass/fail (t); Rollout records "
        "traffic stages (s) and advance / hold / roll back decisions (o). p moves the plan to "
        "the next phase; with items still open it asks first and logs that. h shows the plan's "
        "history: every change, by whom and when."
    )
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="plan.back"),
        Binding("space", "toggle", "Done", id="plan.toggle"),
        Binding("n", "new_item", "New item", id="plan.new"),
        Binding("e", "edit_item", "Edit", id="plan.edit"),
        Binding("delete,x", "delete_item", "Delete", id="plan.delete"),
        Binding("shift+up", "move(-1)", "Move up", show=False, id="plan.up"),
        Binding("shift+down", "move(1)", "Move down", show=False, id="plan.down"),
        Binding("f", "phase_form", "Phase form", id="plan.form"),
        Binding("c", "choose", "Choose", id="plan.choose"),
        Binding("t", "add_test", "Add result", id="plan.test"),
        Binding("s", "add_stage", "Add stage", id="plan.stage"),
        Binding("o", "record_decision", "Decision", id="plan.decision"),
        Binding("p", "advance", "Next phase", id="plan.advance"),
        Binding("h", "show_log", "History", show=False, id="plan.history"),
        Binding("left_square_bracket", "view(-1)", "Prev phase", show=False, id="plan.prev"),
        Binding("right_square_bracket", "view(1)", "Next tab", show=False, id="plan.next"),
    ]

    def __init__(self, plan_id: int) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.viewing: Phase | None = None
        self.row: overview.PlanRow | None = None
        self.candidates_table: DataTable | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="plan-title")
        yield Static(id="plan-meta")
        yield Tabs(*(Tab(p.title, id=f"tab-{p.value}") for p in PHASES), id="phases")
        yield Label("", id="checklist-title", classes="section-title")
        yield Table(id="checklist", cursor_type="row", zebra_stripes=True)
        yield VerticalScroll(id="phase-panel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#checklist", DataTable).add_columns("", "Item", "Owner", "Due", "Evidence / notes")
        self.query_one("#checklist", DataTable).focus()

    # -- loading -------------------------------------------------------------------------

    def _load_row(self) -> overview.PlanRow | None:
        rows = overview.plan_rows(self.planner.store, self.planner.today, with_items=True,
                                  plan_id=self.plan_id)
        return rows[0] if rows else None

    def refresh_data(self) -> None:
        row = self._load_row()
        if row is None:
            self.notify("This plan no longer exists.", severity="warning")
            self.app.pop_screen()
            return
        self.row = row
        if self.viewing is None:
            self.viewing = row.plan.current_phase
        plan, schedule = row.plan, row.schedule
        self.sub_title = f"{row.app.name} × {row.model_name}"
        title = Text.assemble((row.app.name, "bold"), "  ×  ", (row.model_name, "bold"),
                              (f"   {plan.model_id}", "dim"))
        self.query_one("#plan-title", Static).update(title)
        meta = Text()
        if schedule.deadline:
            meta.append(f"Deadline {schedule.deadline.date} ")
            meta.append_text(days_text((schedule.deadline.date - self.planner.today).days))
            meta.append(f" · {schedule.deadline.basis}\n", style="dim")
        meta.append("Risk ")
        meta.append_text(risk_text(schedule.risk))
        if schedule.compressed:
            meta.append(" (window shorter than the phases need)", style="magenta")
        meta.append("  ·  ")
        meta.append_text(progress_bar(plan.progress, 8))
        target = plan.target_model_id or "not chosen yet"
        meta.append(f"  ·  Target: {target}")
        if plan.completed_on:
            meta.append(f"  ·  Completed {plan.completed_on}", style="green")
        self.query_one("#plan-meta", Static).update(meta)
        tabs = self.query_one("#phases", Tabs)
        for window in schedule.phases:
            if plan.completed_on or window.done:
                mark = "✓ "
            elif window.phase is plan.current_phase:
                mark = "▶ "
            else:
                mark = ""
            tabs.query_one(f"#tab-{window.phase.value}", Tab).label = (
                f"{mark}{window.phase.title} {window.due:%m-%d}" if schedule.deadline else
                f"{mark}{window.phase.title}")
        if tabs.active != f"tab-{self.viewing.value}":
            tabs.active = f"tab-{self.viewing.value}"
        self._fill_checklist()
        self._fill_panel()

    def _fill_checklist(self) -> None:
        assert self.row and self.viewing
        window = self.row.schedule.window(self.viewing)
        items = self.row.plan.items_in(self.viewing)
        done = sum(i.done for i in items)
        self.query_one("#checklist-title", Label).update(
            f"{self.viewing.title} checklist · {done}/{len(items)} done · phase due {window.due}")
        table = self.query_one("#checklist", DataTable)
        cursor = table.cursor_row
        table.clear()
        # Keep the row within the screen: long titles are cut here, shown whole in the editor.
        room = max(24, self.size.width - 52)
        for item in items:
            due = Text(str(item.due_date)) if item.due_date else Text(str(window.due), style="dim")
            title = item.title if len(item.title) <= room else item.title[: room - 1] + "…"
            table.add_row(
                Text("✓", style="green bold") if item.done else Text("☐", style="dim"),
                Text(title, style="dim strike" if item.done else ""),
                item.owner[:16], due, item.notes[:40], key=str(item.id),
            )
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    def _fill_panel(self) -> None:
        self._rebuild_panel()

    @work(exclusive=True, group="phase-panel")
    async def _rebuild_panel(self) -> None:
        assert self.row and self.viewing
        panel = self.query_one("#phase-panel", VerticalScroll)
        await panel.remove_children()
        self.candidates_table = None
        widgets = [Static(self._fields_text(), classes="phase-fields")]
        builder = {
            Phase.ASSESS: self._assess_widgets,
            Phase.RESEARCH: self._research_widgets,
            Phase.TEST: self._test_widgets,
            Phase.ROLLOUT: self._rollout_widgets,
        }.get(self.viewing)
        if builder:
            widgets.extend(builder())
        await panel.mount_all(widgets)

    def _fields_text(self) -> Text:
        assert self.viewing
        values = self.planner.store.plan_fields(self.plan_id)
        text = Text()
        for spec in PHASE_FIELDS[self.viewing]:
            text.append(f"{spec.label}: ", style="bold")
            text.append(values.get(spec.key, "–") + "\n")
        text.append("f edits these fields", style="dim")
        return text

    def _assess_widgets(self) -> list:
        store = self.planner.store
        text = Text("Usage of this model\n", style="bold")
        regions = set()
        for dependency in store.dependencies(self.row.app.id):
            if dependency.model_id == self.row.plan.model_id:
                regions.add(dependency.region)
                text.append(f"  {dependency.region} · {dependency.access_path.value}"
                            f"{' ' + dependency.resource_id if dependency.resource_id else ''}"
                            f" · {dependency.environment} · {dependency.monthly_volume:,} calls/month\n")
        daily = store.usage(self.row.plan.model_id, regions or None)
        legacy = store.usage(self.row.plan.model_id, regions or None, "LegacyModelInvocations")
        widgets: list = [Static(text)]
        if daily:
            widgets.append(Static(
                f"CloudWatch, last {len(daily)} days: {sum(daily.values()):,.0f} invocations, "
                f"{sum(legacy.values()):,.0f} counted as Legacy (daily, oldest first):",
                classes="muted"))
            widgets.append(Sparkline(list(daily.values()), summary_function=max, id="usage-sparkline"))
        else:
            widgets.append(Static("No CloudWatch usage yet: 'aws: sync' reads 30 days of invocations.",
                                  classes="muted"))
        return widgets

    def _research_widgets(self) -> list:
        candidates = self._candidates()
        table = Table(id="candidates", cursor_type="row")
        self.candidates_table = table
        table.add_columns("", "Candidate", "Provider", "Input", "Output", "Stream",
                          "Via profile in", "Own EOL")
        for candidate in candidates:
            model = candidate.model
            table.add_row(
                Text("★", style="yellow") if candidate.recommended else "",
                Text(model.name, style="bold green" if model.model_id == self.row.plan.target_model_id else ""),
                model.provider, ", ".join(model.input_modalities), ", ".join(model.output_modalities),
                "yes" if model.streaming else "no", ", ".join(candidate.via_profile_only) or "–",
                str(candidate.own_eol or "–"), key=model.model_id,
            )
        decision = Text()
        if self.row.plan.target_model_id:
            decision.append(f"Chosen: {self.row.plan.target_model_id}\n", style="bold green")
            decision.append(f"Reason: {self.row.plan.decision_reason}\n")
        decision.append(f"{len(candidates)} candidates Active in every Region this application uses, "
                        "with the modalities and streaming it needs, not within 90 days of their own "
                        "EOL (★ named by AWS). c chooses the selected one.", style="dim")
        return [Static(decision), table]

    def _candidates(self):
        store = self.planner.store
        legacy = store.model(self.row.plan.model_id)
        regions = sorted({d.region for d in store.dependencies(self.row.app.id)
                          if d.model_id == self.row.plan.model_id}) or sorted(
            {r for lc in self.row.lifecycles for r in lc.regions})
        recommended = [rid for rep in load_catalog().replacements
                       if rep.legacy_model_id == self.row.plan.model_id for rid in rep.recommended_model_ids]
        return find_candidates(legacy, regions, store.models(), store.lifecycles(), self.planner.today,
                               recommended) if legacy else []

    def _test_widgets(self) -> list:
        results = self.planner.store.test_results(self.plan_id)
        table = Table(id="results", cursor_type="row")
        table.add_columns("Metric", "Baseline", "Candidate", "Threshold", "Better", "Result")
        for result in results:
            table.add_row(
                result.metric, "–" if result.baseline is None else f"{result.baseline:g}",
                f"{result.candidate:g}", f"{result.threshold:g}",
                "higher" if result.higher_is_better else "lower",
                Text("pass", style="green bold") if result.passed else Text("FAIL", style="red bold"),
                key=str(result.id),
            )
        passed = sum(r.passed for r in results)
        summary = Text(f"{passed}/{len(results)} metrics pass. t adds a result.", style="dim")
        return [Static(summary), table]

    def _rollout_widgets(self) -> list:
        store = self.planner.store
        stages = Table(id="stages", cursor_type="row")
        stages.add_columns("Traffic", "From", "To", "Notes")
        for stage in store.rollout_stages(self.plan_id):
            stages.add_row(f"{stage.traffic_percent}%", str(stage.start_date or "–"),
                           str(stage.end_date or "–"), stage.notes, key=str(stage.id))
        decisions = Table(id="decisions", cursor_type="row")
        decisions.add_columns("Date", "Decision", "Traffic", "Note")
        style = {Decision.ADVANCE: "green", Decision.HOLD: "yellow", Decision.ROLL_BACK: "red bold"}
        for decision in store.rollout_decisions(self.plan_id):
            decisions.add_row(str(decision.decided_on), Text(decision.decision.value, style=style[decision.decision]),
                              "–" if decision.traffic_percent is None else f"{decision.traffic_percent}%",
                              decision.note)
        return [Label("Stages (s adds; e.g. 5% → 25% → 100%)", classes="muted"), stages,
                Label("Decision log (o records advance / hold / roll back)", classes="muted"), decisions]

    # -- phase tabs ----------------------------------------------------------------------

    @on(Tabs.TabActivated, "#phases")
    def _tab(self, event: Tabs.TabActivated) -> None:
        phase = Phase(event.tab.id.removeprefix("tab-"))
        if phase is not self.viewing:
            self.viewing = phase
            if self.row:
                self._fill_checklist()
                self._fill_panel()
            self.refresh_bindings()

    def action_view(self, step: int) -> None:
        assert self.viewing
        index = min(max(self.viewing.index + step, 0), len(PHASES) - 1)
        self.query_one("#phases", Tabs).active = f"tab-{PHASES[index].value}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PHASE_ACTIONS:
            return self.viewing is PHASE_ACTIONS[action]
        return super().check_action(action, parameters)

    # -- checklist -----------------------------------------------------------------------

    def _selected_item(self) -> ChecklistItem | None:
        key = selected_key(self.query_one("#checklist", DataTable))
        if key is None or self.row is None:
            return None
        item_id = int(key)
        return next((i for i in self.row.plan.items if i.id == item_id), None)

    def action_toggle(self) -> None:
        item = self._selected_item()
        if item is None:
            return
        store = self.planner.store
        verb = "unticking" if item.done else "ticking"
        if self.edit(store.toggle_item, item.id, undo=f"{verb} '{item.title}'",
                     reverse=lambda _: lambda: store.toggle_item(item.id)):
            self.refresh_data()

    def _item_fields(self, item: ChecklistItem | None) -> list[FormField]:
        return [
            FormField("title", "Item", item.title if item else "", required=True),
            FormField("owner", "Owner", item.owner if item else ""),
            FormField("due_date", "Due date (empty: the phase's)",
                      str(item.due_date) if item and item.due_date else "", kind="date"),
            FormField("notes", "Evidence / notes", item.notes if item else "",
                      placeholder="link, ticket, measurement…"),
        ]

    def action_new_item(self) -> None:
        store, phase = self.planner.store, self.viewing

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            added = self.edit(store.add_item, self.plan_id, phase, values["title"],
                              owner=values["owner"], due_date=_date_or_none(values["due_date"]),
                              notes=values["notes"], undo=f"adding '{values['title']}'",
                              reverse=lambda item: lambda: store.delete_item(item.id))
            if added:
                self.refresh_data()

        self.app.push_screen(FormDialog(f"New {phase.title} item", self._item_fields(None)), done)

    def action_edit_item(self) -> None:
        item = self._selected_item()
        if item is None:
            return
        store = self.planner.store

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            updated = item.model_copy(update={
                "title": values["title"], "owner": values["owner"],
                "due_date": _date_or_none(values["due_date"]), "notes": values["notes"]})
            if self.edit(store.update_item, updated, undo=f"edit of '{item.title}'",
                         reverse=lambda saved: lambda: store.update_item(
                             item.model_copy(update={"version": saved.version}))):
                self.refresh_data()

        self.app.push_screen(FormDialog("Edit item", self._item_fields(item)), done)

    def action_delete_item(self) -> None:
        item = self._selected_item()
        if item is None:
            return
        store = self.planner.store

        def done(confirmed: bool | None) -> None:
            if confirmed and self.edit(store.delete_item, item.id, undo=f"delete of '{item.title}'",
                                       reverse=lambda deleted: lambda: store.restore_item(deleted)):
                self.notify(f"Deleted '{item.title}'. Ctrl+Z to undo.")
                self.refresh_data()

        self.app.push_screen(ConfirmDialog(f"Delete the item '{item.title}'?", "Delete"), done)

    def action_move(self, offset: int) -> None:
        item = self._selected_item()
        if item is None:
            return
        store = self.planner.store
        if self.edit(store.move_item, item.id, offset, undo=f"move of '{item.title}'",
                     reverse=lambda _: lambda: store.move_item(item.id, -offset)):
            self.refresh_data()
            table = self.query_one("#checklist", DataTable)
            table.move_cursor(row=table.get_row_index(str(item.id)))

    # -- phase forms ---------------------------------------------------------------------

    def action_phase_form(self) -> None:
        store, phase = self.planner.store, self.viewing
        values = store.plan_fields(self.plan_id)
        suggestions = sorted(store.model_ids())
        specs = PHASE_FIELDS[phase]
        fields = [
            FormField(spec.key, spec.label, values.get(spec.key, ""),
                      kind={"int": "int", "float": "number", "percent": "number"}.get(spec.kind, "text"),
                      suggestions=suggestions if spec.kind == "model" else ())
            for spec in specs
        ]
        known = store.model_ids()

        def validate(form: dict[str, str]) -> dict[str, str]:
            errors = {}
            for spec in specs:
                try:
                    check_field(spec, form[spec.key], known)
                except (ValueError, PlannerError) as error:
                    errors[spec.key] = str(error)
            return errors

        def done(form: dict[str, str] | None) -> None:
            if form is None:
                return
            cleaned = {spec.key: check_field(spec, form[spec.key], known) for spec in specs}
            if self.edit(store.set_plan_fields, self.plan_id, cleaned, undo=f"{phase.title} form",
                         reverse=lambda _: lambda: store.set_plan_fields(
                             self.plan_id, {s.key: values.get(s.key, "") for s in specs})):
                self.refresh_data()

        self.app.push_screen(FormDialog(f"{phase.title}: details", fields, validate), done)

    def action_choose(self) -> None:
        model_id = selected_key(self.candidates_table) if self.candidates_table else None
        if model_id is None:
            self.notify("No candidate to choose: none is Active in every Region this app uses.",
                        severity="warning")
            return
        store, plan = self.planner.store, self.row.plan

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            previous = (plan.target_model_id, plan.decision_reason)
            if self.edit(store.set_target, self.plan_id, model_id, values["reason"],
                         undo="choice of replacement",
                         reverse=lambda _: lambda: store.set_target(self.plan_id, *previous)
                         if previous[0] else store.clear_target(self.plan_id)):
                self.notify(f"Replacement chosen: {model_id}")
                self.refresh_data()

        self.app.push_screen(FormDialog(
            f"Choose {model_id}",
            [FormField("reason", "Why this model (recorded with the decision)", required=True)]), done)

    def action_add_test(self) -> None:
        store = self.planner.store
        fields = [
            FormField("metric", "Metric", required=True, placeholder="e.g. answer accuracy, p95 latency ms"),
            FormField("baseline", "Baseline (legacy model)", kind="number"),
            FormField("candidate", "Candidate", kind="number", required=True),
            FormField("threshold", "Threshold to meet", kind="number", required=True),
            FormField("direction", "Better is", "higher", kind="select", required=True,
                      options=[("higher", "higher"), ("lower", "lower")]),
            FormField("notes", "Notes"),
        ]

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            result = TestResult(
                plan_id=self.plan_id, metric=values["metric"], baseline=_number(values["baseline"]),
                candidate=float(values["candidate"]), threshold=float(values["threshold"]),
                higher_is_better=values["direction"] == "higher", notes=values["notes"])
            if self.edit(store.add_test_result, result):
                self.notify(f"{result.metric}: {'pass' if result.passed else 'FAIL'}",
                            severity="information" if result.passed else "warning")
                self.refresh_data()

        self.app.push_screen(FormDialog("Add test result", fields), done)

    def action_add_stage(self) -> None:
        store = self.planner.store
        existing = [s.traffic_percent for s in store.rollout_stages(self.plan_id)]
        suggested = next((str(p) for p in (5, 25, 100) if p not in existing), "")
        fields = [
            FormField("traffic", "Traffic share (%)", suggested, kind="int", required=True),
            FormField("start", "From", kind="date"),
            FormField("end", "To", kind="date"),
            FormField("notes", "Notes"),
        ]

        def validate(values: dict[str, str]) -> dict[str, str]:
            if not 0 <= int(values["traffic"]) <= 100:
                return {"traffic": "must be between 0 and 100"}
            start, end = _date_or_none(values["start"]), _date_or_none(values["end"])
            if start and end and end < start:
                return {"end": "ends before it starts"}
            return {}

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            stage = RolloutStage(plan_id=self.plan_id, traffic_percent=int(values["traffic"]),
                                 start_date=_date_or_none(values["start"]),
                                 end_date=_date_or_none(values["end"]), notes=values["notes"])
            if self.edit(store.add_rollout_stage, stage):
                self.refresh_data()

        self.app.push_screen(FormDialog("Add rollout stage", fields, validate), done)

    def action_record_decision(self) -> None:
        store = self.planner.store
        fields = [
            FormField("decision", "Decision", Decision.ADVANCE.value, kind="select", required=True,
                      options=[(d.value, d.value) for d in Decision]),
            FormField("traffic", "Traffic share now (%)", kind="int"),
            FormField("date", "Date", str(self.planner.today), kind="date", required=True),
            FormField("note", "Why", required=True),
        ]

        def validate(values: dict[str, str]) -> dict[str, str]:
            if values["traffic"] and not 0 <= int(values["traffic"]) <= 100:
                return {"traffic": "must be between 0 and 100"}
            return {}

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            decision = RolloutDecision(
                plan_id=self.plan_id, decided_on=parse_date(values["date"]),
                decision=Decision(values["decision"]),
                traffic_percent=int(values["traffic"]) if values["traffic"] else None,
                note=values["note"])
            if self.edit(store.record_decision, decision):
                self.refresh_data()

        self.app.push_screen(FormDialog("Record rollout decision", fields, validate), done)

    # -- moving on -----------------------------------------------------------------------

    def action_advance(self) -> None:
        if self.row is None:
            return
        plan = self.row.plan
        if plan.completed_on:
            self.notify("This plan is complete.")
            return
        store = self.planner.store
        open_items = [i for i in plan.items_in(plan.current_phase) if not i.done]
        last = plan.current_phase is PHASES[-1]
        following = "complete the plan" if last else f"move to {PHASES[plan.current_phase.index + 1].title}"

        def advance(confirmed: bool | None = True) -> None:
            if not confirmed:
                return
            note = f"{len(open_items)} open item(s) accepted" if open_items else ""
            if self.edit(store.advance_phase, self.plan_id, self.planner.today, note) is not None:
                refreshed = store.plan(self.plan_id)
                self.viewing = refreshed.current_phase
                self.notify("Plan complete." if refreshed.completed_on else
                            f"Now in {refreshed.current_phase.title}.")
                self.refresh_data()

        if open_items:
            self.app.push_screen(ConfirmDialog(
                f"{len(open_items)} item(s) of {plan.current_phase.title} are still open. "
                f"{following.capitalize()} anyway? This is recorded in the plan's log.",
                following.capitalize(), danger=False), advance)
        elif last:
            self.app.push_screen(ConfirmDialog("Every item is done. Complete the plan?",
                                               "Complete", danger=False), advance)
        else:
            advance()

    def action_show_log(self) -> None:
        self.app.push_screen(HistoryScreen(self.plan_id))
