"""Plan workspace: one application × one retiring model, through the five phases.

The checklist and the phase's tables own the keys that act on their rows
(ui/widgets/plan_panels.py); the screen owns the keys of the plan and of the phase in view.
Every edit is a use case (services/commands) run through the App, which keeps the undo
history and reloads the screen once.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Label, Static, Tab, Tabs

from ...domain.vocabulary import PHASES, Phase
from ...services.commands import plans, workspace
from ...services.plan_view import PlanView, load_plan_view
from ..dialogs import FormField, Validator
from ..plan_forms import (
    decision_check,
    decision_fields,
    decision_from,
    phase_form_check,
    phase_form_fields,
    stage_check,
    stage_fields,
    stage_from,
    stage_warnings,
    test_result_check,
    test_result_fields,
    test_result_from,
)
from ..plan_header import meta_text, tab_labels, title_text, warnings_text
from ..widgets.footer import Footer
from ..widgets.inert import InertStatic
from ..widgets.phase_panel import phase_widgets
from ..widgets.plan_panels import CandidatesTable, ChecklistTable, item_detail, shared_item_note
from .base import PlannerScreen
from .history import HistoryScreen

# Keys of one phase: shown and working only while that phase is in view.
PHASE_ACTIONS = {"choose": Phase.RESEARCH, "add_test": Phase.TEST,
                 "add_stage": Phase.ROLLOUT, "record_decision": Phase.ROLLOUT}
# Keys that move an open plan on.
OPEN_PLAN_ACTIONS = frozenset({"advance", "cancel_plan"})
# Keys that change the plan: offered only while it is open and the project writable.
EDITS = frozenset({"phase_form", "choose", "add_test", "add_stage", "record_decision", "advance", "cancel_plan"})


class PlanScreen(PlannerScreen[PlanView | None]):
    AUTO_FOCUS = "#checklist"  # arrows move through the list, not a text field
    HELP_TITLE = "Migration plan"
    HELP_TEXT = (
        "One application's migration off one retiring model. The tabs are the five phases "
        "(✓ done, ▶ current) with their due dates, worked back from the deadline. Each phase "
        "has a checklist: with the checklist focused, Space ticks an item, n adds one, e edits "
        "title, owner, due date and evidence, Delete removes it, Shift+↑/↓ reorders; the line "
        "under the list shows the highlighted item in full. f edits the phase form (baseline, "
        "differences, A/B notes, update details, guardrails). Research lists Active replacements "
        "for every Region the application uses (c chooses the highlighted one); Test records "
        "results with pass/fail (t); Rollout records traffic stages (s) and advance / hold / roll "
        "back decisions (o); Delete in those tables removes the highlighted row. p moves the plan "
        "to the next phase or completes it (with open items it asks why and logs it); w cancels "
        "the plan (won't migrate) and r reopens a completed or closed one. Tab moves between "
        "the panels; Ctrl+Z undoes and Ctrl+Y redoes any change, in order. h shows the plan's "
        "history: every change, by whom and when."
    )
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="plan.back"),
        Binding("f", "phase_form", "Phase form", id="plan.form"),
        Binding("c", "choose", "Choose", id="plan.choose", tooltip="Choose the highlighted candidate"),
        Binding("t", "add_test", "Add result", id="plan.test"),
        Binding("s", "add_stage", "Add stage", id="plan.stage"),
        Binding("o", "record_decision", "Decision", id="plan.decision"),
        Binding("p", "advance", "Next phase", id="plan.advance"),
        Binding("w", "cancel_plan", "Won't migrate", id="plan.cancel", tooltip="Cancel the plan, with a reason"),
        Binding("r", "reopen", "Reopen", id="plan.reopen"),
        Binding("h", "show_log", "History", show=False, id="plan.history"),
        Binding("left_square_bracket", "view(-1)", "Prev phase", show=False, id="plan.prev"),
        Binding("right_square_bracket", "view(1)", "Next tab", show=False, id="plan.next"),
    ]
    DEFAULT_CSS = """
    PlanScreen #item-detail { height: auto; max-height: 3; padding: 0 1; }
    PlanScreen #plan-warnings { color: $warning; height: auto; max-height: 4; display: none; }
    PlanScreen #plan-warnings.-shown { display: block; }
    """

    def __init__(self, plan_id: int) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.viewing: Phase | None = None
        self.view: PlanView | None = None
        self.follow_item: int | None = None  # the row the cursor follows after a move
        self._same_phase = False  # a reload of the same phase keeps the tables' cursors
        self._tabs_follow = False  # the tabs switch the phase in view (once it is known)

    def compose(self) -> ComposeResult:
        yield Header()
        # What shows the plan's names, notes and fields: as data (ui/widgets/inert.py).
        yield InertStatic(id="plan-title")
        yield InertStatic(id="plan-meta")
        yield InertStatic(id="plan-warnings")
        yield Tabs(*(Tab(p.title, id=f"tab-{p.value}") for p in PHASES), id="phases")
        yield Label("", id="checklist-title", classes="section-title")
        yield ChecklistTable(id="checklist", cursor_type="row", zebra_stripes=True)
        yield InertStatic(id="item-detail")
        yield VerticalScroll(id="phase-panel", can_focus=False)  # its tables take the focus
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ChecklistTable).add_columns("", "Item", "Owner", "Due", "Evidence / notes")

    @property
    def plan_open(self) -> bool:
        return self.view is not None and self.view.row.plan.is_open

    @property
    def editable(self) -> bool:
        """Edits are offered on an open plan of a project open for writing."""
        return self.plan_open and not self.planner.store.read_only

    # -- reading --------------------------------------------------------------------------

    def load(self) -> PlanView | None:
        return load_plan_view(self.planner.store, self.plan_id, self.planner.today)

    def show(self, data: PlanView | None) -> None:
        if data is None:
            self.notify("This plan no longer exists.", severity="warning")
            if self.is_current:
                self.app.pop_screen()
            return
        self.view = view = data
        if self.viewing is None:
            self.viewing = view.row.plan.current_phase
        self.set_sub_title(f"{view.row.app.name} × {view.row.model_name}")
        self._fill_header(view)
        if self.query_one("#phases", Tabs).active != f"tab-{self.viewing.value}":
            # Once the tabs' new labels are laid out: the tab bar scrolls the active tab into
            # view by their widths.
            self.call_after_refresh(self._activate_tab)
        else:
            self._tabs_follow = True
        self._fill_checklist()
        self._fill_panel()

    def _activate_tab(self) -> None:
        if self.viewing is not None:
            self.query_one("#phases", Tabs).active = f"tab-{self.viewing.value}"
            self._tabs_follow = True

    def _fill_header(self, view: PlanView) -> None:
        self.query_one("#plan-title", Static).update(title_text(view, self.size.width))
        self.query_one("#plan-meta", Static).update(meta_text(view, self.planner.today))
        warnings = self.query_one("#plan-warnings", Static)
        warnings.update(warnings_text(view))
        warnings.set_class(bool(view.warnings), "-shown")
        tabs = self.query_one("#phases", Tabs)
        for phase, label in tab_labels(view).items():
            tabs.query_one(f"#tab-{phase.value}", Tab).label = label

    def _fill_checklist(self) -> None:
        if self.view is None or self.viewing is None:
            return
        view, phase = self.view, self.viewing
        window = view.row.schedule.window(phase)
        items = view.row.plan.items_in(phase)
        done = sum(i.done for i in items)
        shared = view.shared_note(phase)
        self.query_one("#checklist-title", Label).update(
            f"{phase.title} checklist · {done}/{len(items)} done · phase due {window.due}"
            + (f" · {shared}" if shared else ""))
        table = self.query_one(ChecklistTable)
        cursor = table.cursor_row
        table.clear()
        for item in items:
            due = Text(str(item.due_date)) if item.due_date else Text(str(window.due), style="dim")
            if item.due_date and view.eol and item.due_date >= view.eol and not item.done:
                due = Text(f"{item.due_date} ⚠", style="bold yellow")
            table.add_row(
                Text("✓", style="green bold") if item.done else Text("☐", style="dim"),
                Text(item.title, style="dim strike" if item.done else ""),
                item.owner, due, item.notes, key=str(item.id),
            )
        if table.row_count:
            if self.follow_item is not None and str(self.follow_item) in {str(i.id) for i in items}:
                cursor = table.get_row_index(str(self.follow_item))
            table.move_cursor(row=min(cursor, table.row_count - 1))
        self.follow_item = None
        self._show_item()

    @on(DataTable.RowHighlighted, "#checklist")
    def _show_item(self) -> None:
        if self.view is None or self.viewing is None:
            return
        item = self.query_one(ChecklistTable).selected_item()
        self.query_one("#item-detail", Static).update(
            item_detail(item, self.view.row.schedule.window(self.viewing).due,
                        shared_item_note(self.view, item)))

    def _fill_panel(self) -> None:
        self._rebuild_panel()

    @work(exclusive=True, group="phase-panel")
    async def _rebuild_panel(self) -> None:
        if self.view is None or self.viewing is None:
            return
        panel = self.query_one("#phase-panel", VerticalScroll)
        focused = self.focused.id if self.focused is not None and self.focused.parent is panel else None
        cursors = {table.id: table.cursor_row for table in panel.query(DataTable)} if self._same_phase else {}
        self._same_phase = True
        await panel.remove_children()
        await panel.mount_all(phase_widgets(self.view, self.viewing))
        for table in panel.query(DataTable):
            if table.row_count and cursors.get(table.id):
                table.move_cursor(row=min(cursors[table.id], table.row_count - 1))
        if focused:  # the table that had the focus keeps it through a reload
            for widget in panel.query(f"#{focused}"):
                widget.focus()
        # Laid out anew: the checklist's columns fit the room it has now.
        self.call_after_refresh(self.query_one(ChecklistTable).refit)
        self.refresh_bindings()

    # -- phase tabs ----------------------------------------------------------------------

    @on(Tabs.TabActivated, "#phases")
    def _tab(self, event: Tabs.TabActivated) -> None:
        if not self._tabs_follow or event.tab.id is None or event.tab.id != event.tabs.active:
            return  # the first tab, active before the plan's phase is known; or a tab since left
        phase = Phase(event.tab.id.removeprefix("tab-"))
        if phase is not self.viewing:
            self.viewing = phase
            self._same_phase = False
            self.query_one(ChecklistTable).move_cursor(row=0)
            self._fill_checklist()
            self._fill_panel()
            self.refresh_bindings()

    def action_view(self, step: int) -> None:
        if self.viewing is None:
            return
        index = min(max(self.viewing.index + step, 0), len(PHASES) - 1)
        self.query_one("#phases", Tabs).active = f"tab-{PHASES[index].value}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PHASE_ACTIONS and self.viewing is not PHASE_ACTIONS[action]:
            return False
        if action in EDITS and not self.editable:
            return False
        if action == "choose":
            return bool(self.view and self.view.candidates)
        if action in OPEN_PLAN_ACTIONS:
            return self.plan_open
        if action == "reopen":
            # (reopening a plan whose application no longer uses the model is refused)
            return (self.view is not None and not self.plan_open and bool(self.view.dependencies)
                    and not self.planner.store.read_only)
        if action == "view":
            step = parameters[0] if parameters else 0
            return (self.viewing is not None and isinstance(step, int)
                    and 0 <= self.viewing.index + step < len(PHASES))
        return super().check_action(action, parameters)

    # -- the phase's records -------------------------------------------------------------

    def _form(self, title: str, fields: list[FormField], done: Callable[[dict[str, str] | None], None],
              validate: Validator | None = None, warn: Validator | None = None, submit_label: str = "Save") -> None:
        from ..dialogs import FormDialog

        self.app.push_screen(FormDialog(title, fields, validate, submit_label, warn=warn), done)

    def action_phase_form(self) -> None:
        if self.view is None or self.viewing is None:
            return
        phase, model_ids = self.viewing, self.view.model_ids

        def done(form: dict[str, str] | None) -> None:
            if form is not None:
                self.planner.apply(workspace.set_phase_fields, self.planner.store, self.plan_id, phase, form)

        self._form(f"{phase.title}: details", phase_form_fields(phase, self.view.fields, model_ids), done,
                   phase_form_check(phase, model_ids))

    def action_choose(self) -> None:
        tables = self.query(CandidatesTable)
        model_id = tables.first().highlighted_key() if tables else None
        if model_id is None:
            return

        def done(values: dict[str, str] | None) -> None:
            if values is not None and self.planner.apply(workspace.choose_replacement, self.planner.store,
                                                         self.plan_id, model_id, values["reason"]):
                self.notify(f"Replacement chosen: {model_id}")

        self._form(f"Choose {model_id}",
                   [FormField("reason", "Why this model (recorded with the decision)", required=True)], done,
                   submit_label="Choose")

    def action_add_test(self) -> None:
        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            change = self.planner.apply(workspace.add_test_result, self.planner.store,
                                        test_result_from(self.plan_id, values))
            if change:
                result = change.result
                self.notify(f"{result.metric}: {'pass' if result.passed else 'FAIL'}",
                            severity="information" if result.passed else "warning")

        self._form("Add test result", test_result_fields(), done, test_result_check)

    def action_add_stage(self) -> None:
        if self.view is None:
            return

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.planner.apply(workspace.add_stage, self.planner.store, stage_from(self.plan_id, values),
                                   self.planner.today)

        self._form("Add rollout stage", stage_fields([s.traffic_percent for s in self.view.stages]), done,
                   stage_check, stage_warnings(self.view.eol))

    def action_record_decision(self) -> None:
        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.planner.apply(workspace.record_decision, self.planner.store,
                                   decision_from(self.plan_id, values))

        self._form("Record rollout decision", decision_fields(self.planner.today), done, decision_check)

    # -- the plan's course ---------------------------------------------------------------

    def action_advance(self) -> None:
        if self.view is None or not self.plan_open:
            return
        from ..dialogs import ConfirmDialog

        view, plan = self.view, self.view.row.plan
        open_items = plan.open_items(plan.current_phase)
        last = plan.current_phase is PHASES[-1]
        following = "Complete the plan" if last else f"Move to {PHASES[plan.current_phase.index + 1].title}"
        failing = [r.metric for r in view.results if not r.passed]
        caveat = (f" {len(failing)} test result(s) fail ({', '.join(failing)})."
                  if failing and plan.current_phase.index >= Phase.TEST.index else "")

        def advance(reason: str = "") -> None:
            change = self.planner.apply(plans.advance, self.planner.store, self.plan_id, self.planner.today, reason)
            if change is None:
                return
            if change.result is None:
                self.viewing = PHASES[-1]
                self.notify("Plan complete." + (f" {len(open_items)} item(s) were open: recorded with "
                                                 "your reason." if open_items else ""))
                self._offer_switch(view)
            else:
                self.viewing = change.result
                self._same_phase = False
                self.query_one(ChecklistTable).move_cursor(row=0)
                self.notify(f"Now in {change.result.title}.")
            self.query_one(ChecklistTable).focus()

        if open_items:
            def with_reason(values: dict[str, str] | None) -> None:
                if values is not None:
                    advance(values["reason"])

            self._form(f"{len(open_items)} of {len(plan.items_in(plan.current_phase))} item(s) of "
                       f"{plan.current_phase.title} are still open.{caveat} {following} anyway?",
                       [FormField("reason", "Why (kept in the plan's log)", required=True)], with_reason,
                       submit_label=following.split()[0])
        elif last or caveat:
            total = len(plan.items)
            done_count = total - len(plan.open_items())
            question = (f"{done_count} of {total} items are done.{caveat} {following}?"
                        if last else f"{caveat.strip()} {following} anyway?")
            self.app.push_screen(ConfirmDialog(question, following.split()[0], danger=False),
                                 lambda ok: advance() if ok else None)
        else:
            advance()

    def _offer_switch(self, view: PlanView) -> None:
        """On completion: move the application's dependencies to the chosen replacement?"""
        plan = view.row.plan
        if not plan.target_model_id or not view.dependencies:
            return
        from ..dialogs import ConfirmDialog

        def switch(confirmed: bool | None) -> None:
            if confirmed and self.planner.apply(plans.switch_to_replacement, self.planner.store, self.plan_id,
                                                self.planner.today):
                self.notify(f"{plan.app_name} now depends on {plan.target_model_id}.")

        self.app.push_screen(ConfirmDialog(
            f"Switch {plan.app_name}'s {len(view.dependencies)} dependency(ies) from {plan.model_id} to "
            f"{plan.target_model_id}? It then stops counting toward {plan.model_id}'s milestones.",
            "Switch", danger=False), switch)

    def action_cancel_plan(self) -> None:
        def done(values: dict[str, str] | None) -> None:
            if values is not None and self.planner.apply(plans.cancel, self.planner.store, self.plan_id,
                                                         values["reason"], self.planner.today):
                self.notify("Plan cancelled: out of status, dashboard and calendar. r reopens it.")

        from ..dialogs import FormDialog

        self.app.push_screen(FormDialog("The application won't migrate: close this plan",
                                        [FormField("reason", "Why (kept with the plan)", required=True)],
                                        submit_label="Won't migrate"), done)

    def action_reopen(self) -> None:
        if self.planner.apply(plans.reopen, self.planner.store, self.plan_id):
            self.viewing = None  # back to its current phase

    def action_show_log(self) -> None:
        self.app.push_screen(HistoryScreen(self.plan_id))
