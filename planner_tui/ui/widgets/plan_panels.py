"""The plan workspace's panels. Each owns the keys that act on it, so a key acts on the
panel that has the focus: Delete in the stages table removes a stage, never a checklist item."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from rich.text import Text
from textual.binding import Binding

from ...domain.ids import saved_id
from ...domain.models import ChecklistItem
from ...domain.workspace import RolloutDecision, RolloutStage, TestResult
from ...services.commands import checklist, workspace
from ...services.plan_view import PlanView
from ..plan_forms import item_check, item_fields, item_warnings
from ..typed import planner_of
from .table import Table

if TYPE_CHECKING:
    from ..app import PlannerApp
    from ..screens.plan import PlanScreen

RecordT = TypeVar("RecordT", TestResult, RolloutStage, RolloutDecision)


class PlanPanel(Table):
    """A table of the plan workspace; its keys act on its highlighted row."""

    @property
    def plan_screen(self) -> PlanScreen:
        return cast("PlanScreen", self.screen)  # where every plan panel lives

    @property
    def planner(self) -> PlannerApp:
        return planner_of(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A key that would act on nothing, or edit what cannot be edited, is not offered.
        if action in self.EDITS and not self.plan_screen.editable:
            return False
        if action in self.ROW_ACTIONS:
            return self.highlighted_key() is not None
        return True

    ROW_ACTIONS: frozenset[str] = frozenset()
    EDITS: frozenset[str] = frozenset({"remove"})


class ChecklistTable(PlanPanel):
    BINDINGS = [
        Binding("space", "tick", "Done", id="plan.toggle", tooltip="Tick or untick the item"),
        Binding("n", "new_item", "New item", id="plan.new"),
        Binding("e", "edit_item", "Edit", id="plan.edit", tooltip="Edit title, owner, due date, evidence"),
        Binding("delete,x", "delete_item", "Delete", id="plan.delete"),
        Binding("shift+up", "move(-1)", "Move up", show=False, id="plan.up"),
        Binding("shift+down", "move(1)", "Move down", show=False, id="plan.down"),
    ]
    ROW_ACTIONS = frozenset({"tick", "edit_item", "delete_item", "move"})
    EDITS = frozenset({"tick", "new_item", "edit_item", "delete_item", "move"})

    def selected_item(self) -> ChecklistItem | None:
        key = self.highlighted_key()
        view = self.plan_screen.view
        if key is None or view is None:
            return None
        return next((i for i in view.row.plan.items if i.id == int(key)), None)

    def action_tick(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.planner.apply(checklist.toggle_item, self.planner.store, saved_id(item))

    def action_new_item(self) -> None:
        screen, phase = self.plan_screen, self.plan_screen.viewing
        if phase is None:
            return
        from ..dialogs import FormDialog

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                from ..plan_forms import date_or_none

                self.planner.apply(checklist.add_item, self.planner.store, screen.plan_id, phase, values["title"],
                                   owner=values["owner"], due_date=date_or_none(values["due_date"]),
                                   notes=values["notes"], today=self.planner.today)

        self.app.push_screen(FormDialog(f"New {phase.title} item", item_fields(None), item_check,
                                        warn=item_warnings(screen.view.eol if screen.view else None)), done)

    def action_edit_item(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        from ..dialogs import FormDialog
        from ..plan_forms import date_or_none

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                edited = item.model_copy(update={
                    "title": values["title"], "owner": values["owner"],
                    "due_date": date_or_none(values["due_date"]), "notes": values["notes"]})
                self.planner.apply(checklist.edit_item, self.planner.store, edited, self.planner.today)

        view = self.plan_screen.view
        self.app.push_screen(FormDialog("Edit item", item_fields(item), item_check,
                                        warn=item_warnings(view.eol if view else None)), done)

    def action_delete_item(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        from ..dialogs import ConfirmDialog

        def done(confirmed: bool | None) -> None:
            if confirmed and self.planner.apply(checklist.delete_item, self.planner.store, saved_id(item)):
                self.app.notify(f"Deleted '{item.title}'. Ctrl+Z to undo.")

        view = self.plan_screen.view
        shared = (view is not None and item.id in view.shared and view.shared_by > 1)
        where = f" It is shared: it goes from all {view.shared_by} applications' checklists." \
            if shared and view is not None else ""
        self.app.push_screen(ConfirmDialog(f"Delete the item '{item.title}'?{where}", "Delete"), done)

    def action_move(self, offset: int) -> None:
        item = self.selected_item()
        if item is not None and self.planner.apply(checklist.move_item, self.planner.store, saved_id(item), offset):
            self.plan_screen.follow_item = item.id


class CandidatesTable(PlanPanel):
    BINDINGS = [Binding("enter", "screen.choose", "Choose", id="plan.candidates.choose")]
    ROW_ACTIONS = frozenset({"screen.choose"})
    EDITS = frozenset({"screen.choose"})


class RecordsTable(PlanPanel, Generic[RecordT]):
    """A table of one kind of the phase's records; Delete removes the highlighted one (asks first)."""

    ROW_ACTIONS = frozenset({"remove"})

    def records(self, view: PlanView) -> list[RecordT]:
        raise NotImplementedError

    def question(self, record: RecordT) -> str:
        raise NotImplementedError

    def remove_record(self, record: RecordT) -> None:
        raise NotImplementedError

    def action_remove(self) -> None:
        key, view = self.highlighted_key(), self.plan_screen.view
        record = next((r for r in self.records(view) if str(r.id) == key), None) if view else None
        if record is None:
            return
        from ..dialogs import ConfirmDialog

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self.remove_record(record)

        self.app.push_screen(ConfirmDialog(self.question(record), "Remove"), done)


class ResultsTable(RecordsTable[TestResult]):
    BINDINGS = [Binding("delete,x", "remove", "Remove result", id="plan.results.remove")]

    def records(self, view: PlanView) -> list[TestResult]:
        return view.results

    def question(self, record: TestResult) -> str:
        return f"Remove the test result '{record.metric}'?"

    def remove_record(self, record: TestResult) -> None:
        self.planner.apply(workspace.remove_test_result, self.planner.store, record)


class StagesTable(RecordsTable[RolloutStage]):
    BINDINGS = [Binding("delete,x", "remove", "Remove stage", id="plan.stages.remove")]

    def records(self, view: PlanView) -> list[RolloutStage]:
        return view.stages

    def question(self, record: RolloutStage) -> str:
        return f"Remove the {record.traffic_percent}% rollout stage?"

    def remove_record(self, record: RolloutStage) -> None:
        self.planner.apply(workspace.remove_stage, self.planner.store, record, self.planner.today)


class DecisionsTable(RecordsTable[RolloutDecision]):
    BINDINGS = [Binding("delete,x", "remove", "Remove decision", id="plan.decisions.remove")]

    def records(self, view: PlanView) -> list[RolloutDecision]:
        return view.decisions

    def question(self, record: RolloutDecision) -> str:
        return f"Remove the '{record.decision.value}' decision of {record.decided_on}?"

    def remove_record(self, record: RolloutDecision) -> None:
        self.planner.apply(workspace.remove_decision, self.planner.store, record)


def item_detail(item: ChecklistItem | None, phase_due: dt.date, shared: str = "") -> Text:
    """The highlighted item in full: its title may be cut in the table; then whether the
    campaign shares it (and what its copies record differently)."""
    if item is None:
        return Text("No items in this phase: n adds one.", style="dim")
    text = Text(("✓ " if item.done else "☐ ") + item.title, style="bold")
    parts = [f"owner {item.owner}" if item.owner else "no owner",
             f"due {item.due_date}" if item.due_date else f"due with the phase ({phase_due})"]
    if item.notes:
        parts.append(item.notes)
    text.append("\n" + " · ".join(parts), style="dim")
    if shared:
        text.append("\n" + shared, style="yellow" if shared.startswith("Differs") else "dim")
    return text


def shared_item_note(view: PlanView, item: ChecklistItem | None) -> str:
    """'Shared by 3 applications: …' for an item of a checklist the campaign shares; its
    application's own item says so."""
    if item is None or item.id is None or view.shared_by <= 1 or not view.shared_note(item.phase):
        return ""
    if item.id not in view.shared:
        return "This application's own item (the campaign's other applications do not have it)."
    differs = view.shared[item.id]
    if not differs:
        return f"Shared by {view.shared_by} applications: a change here is made in all."
    return f"Differs: {' · '.join(differs)} (a change here sets them alike)"
