"""The plan workspace's panels. Each owns the keys that act on it, so a key acts on the
panel that has the focus: Delete in the stages table removes a stage, never a checklist item."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding

from ...domain.models import ChecklistItem
from ...services.commands import checklist, workspace
from ..plan_forms import item_check, item_fields, item_warnings
from .table import Table

if TYPE_CHECKING:
    from ..screens.plan import PlanScreen


class PlanPanel(Table):
    """A table of the plan workspace; its keys act on its highlighted row."""

    @property
    def plan_screen(self) -> PlanScreen:
        return self.screen  # type: ignore[return-value]

    def highlighted(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A key that would act on nothing, or edit what cannot be edited, is not offered.
        if action in self.EDITS and not self.plan_screen.editable:
            return False
        if action in self.ROW_ACTIONS:
            return self.highlighted() is not None
        return True

    ROW_ACTIONS: frozenset[str] = frozenset()
    EDITS: frozenset[str] = frozenset({"remove"})


class ChecklistTable(PlanPanel):
    BINDINGS = [
        Binding("space", "toggle", "Done", id="plan.toggle", tooltip="Tick or untick the item"),
        Binding("n", "new_item", "New item", id="plan.new"),
        Binding("e", "edit_item", "Edit", id="plan.edit", tooltip="Edit title, owner, due date, evidence"),
        Binding("delete,x", "delete_item", "Delete", id="plan.delete"),
        Binding("shift+up", "move(-1)", "Move up", show=False, id="plan.up"),
        Binding("shift+down", "move(1)", "Move down", show=False, id="plan.down"),
    ]
    ROW_ACTIONS = frozenset({"toggle", "edit_item", "delete_item", "move"})
    EDITS = frozenset({"toggle", "new_item", "edit_item", "delete_item", "move"})

    def selected_item(self) -> ChecklistItem | None:
        key = self.highlighted()
        view = self.plan_screen.view
        if key is None or view is None:
            return None
        return next((i for i in view.row.plan.items if i.id == int(key)), None)

    def action_toggle(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.app.apply(checklist.toggle_item, self.app.store, item.id)

    def action_new_item(self) -> None:
        screen, phase = self.plan_screen, self.plan_screen.viewing
        from ..dialogs import FormDialog

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                from ..plan_forms import date_or_none

                self.app.apply(checklist.add_item, self.app.store, screen.plan_id, phase, values["title"],
                               owner=values["owner"], due_date=date_or_none(values["due_date"]),
                               notes=values["notes"], today=self.app.today)

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
                self.app.apply(checklist.edit_item, self.app.store, edited, self.app.today)

        view = self.plan_screen.view
        self.app.push_screen(FormDialog("Edit item", item_fields(item), item_check,
                                        warn=item_warnings(view.eol if view else None)), done)

    def action_delete_item(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        from ..dialogs import ConfirmDialog

        def done(confirmed: bool | None) -> None:
            if confirmed and self.app.apply(checklist.delete_item, self.app.store, item.id):
                self.app.notify(f"Deleted '{item.title}'. Ctrl+Z to undo.")

        self.app.push_screen(ConfirmDialog(f"Delete the item '{item.title}'?", "Delete"), done)

    def action_move(self, offset: int) -> None:
        item = self.selected_item()
        if item is not None and self.app.apply(checklist.move_item, self.app.store, item.id, offset):
            self.plan_screen.follow_item = item.id


class CandidatesTable(PlanPanel):
    BINDINGS = [Binding("enter", "screen.choose", "Choose", id="plan.candidates.choose")]
    ROW_ACTIONS = frozenset({"screen.choose"})
    EDITS = frozenset({"screen.choose"})


class RecordsTable(PlanPanel):
    """A table of one kind of the phase's records; Delete removes the highlighted one (asks first)."""

    ROW_ACTIONS = frozenset({"remove"})

    def records(self) -> list:
        raise NotImplementedError

    def question(self, record) -> str:  # noqa: ANN001
        raise NotImplementedError

    def remove(self, record) -> None:  # noqa: ANN001
        raise NotImplementedError

    def action_remove(self) -> None:
        key = self.highlighted()
        record = next((r for r in self.records() if str(r.id) == key), None) if self.plan_screen.view else None
        if record is None:
            return
        from ..dialogs import ConfirmDialog

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self.remove(record)

        self.app.push_screen(ConfirmDialog(self.question(record), "Remove"), done)


class ResultsTable(RecordsTable):
    BINDINGS = [Binding("delete,x", "remove", "Remove result", id="plan.results.remove")]

    def records(self) -> list:
        return self.plan_screen.view.results

    def question(self, record) -> str:  # noqa: ANN001
        return f"Remove the test result '{record.metric}'?"

    def remove(self, record) -> None:  # noqa: ANN001
        self.app.apply(workspace.remove_test_result, self.app.store, record)


class StagesTable(RecordsTable):
    BINDINGS = [Binding("delete,x", "remove", "Remove stage", id="plan.stages.remove")]

    def records(self) -> list:
        return self.plan_screen.view.stages

    def question(self, record) -> str:  # noqa: ANN001
        return f"Remove the {record.traffic_percent}% rollout stage?"

    def remove(self, record) -> None:  # noqa: ANN001
        self.app.apply(workspace.remove_stage, self.app.store, record, self.app.today)


class DecisionsTable(RecordsTable):
    BINDINGS = [Binding("delete,x", "remove", "Remove decision", id="plan.decisions.remove")]

    def records(self) -> list:
        return self.plan_screen.view.decisions

    def question(self, record) -> str:  # noqa: ANN001
        return f"Remove the '{record.decision.value}' decision of {record.decided_on}?"

    def remove(self, record) -> None:  # noqa: ANN001
        self.app.apply(workspace.remove_decision, self.app.store, record)


def item_detail(item: ChecklistItem | None, phase_due: object) -> Text:
    """The highlighted item in full: its title may be cut in the table."""
    if item is None:
        return Text("No items in this phase: n adds one.", style="dim")
    text = Text(("✓ " if item.done else "☐ ") + item.title, style="bold")
    parts = [f"owner {item.owner}" if item.owner else "no owner",
             f"due {item.due_date}" if item.due_date else f"due with the phase ({phase_due})"]
    if item.notes:
        parts.append(item.notes)
    text.append("\n" + " · ".join(parts), style="dim")
    return text
