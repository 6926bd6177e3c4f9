"""What every planner screen shares: help, and reading what it shows off the UI thread.

A screen says what it reads (`load`: in a worker thread, through a read model of services/,
touching no widget) and how it shows that (`show`: on the UI thread). It reads the project
once per change: when the App says the project changed while the screen is in view, or when
the screen comes back into view after such a change. Back in view with no change made here
meanwhile, it reads again only if another program changed the project. A newer read cancels
an older one; what is on screen stays until the new data arrives (no flicker); the keys on
offer follow the data; a failed read is one line of notification.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from textual import on, work
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input
from textual.worker import Worker, WorkerState

from ...services.views import project_version
from ..formatting import read_error, shown
from ..typed import planner_of

if TYPE_CHECKING:
    from ..app import PlannerApp

ViewT = TypeVar("ViewT")
READ_GROUP = "screen-read"


def selected_key(table: DataTable) -> str | None:
    """Row key under the table's cursor, or None for an empty table."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


@dataclass(frozen=True)
class _Read(Generic[ViewT]):
    version: tuple[int, int]  # the project's, as it was read
    data: ViewT


class PlannerScreen(Screen, Generic[ViewT]):
    HELP_TITLE = "Planner"
    HELP_TEXT = ""

    BINDINGS = [
        Binding("f1", "help", "Help", id="screen.help", tooltip="Help for this screen"),
        Binding("question_mark", "help", "Help", show=False, id="screen.help-key"),
    ]

    # Actions whose keys a focused text field types instead ('?' here).
    TEXT_FIELD_KEEPS: frozenset[str] = frozenset({"help"})

    # Actions that edit the project: not offered on a project open read-only.
    EDITS: frozenset[str] = frozenset()
    # Actions on the highlighted row of a table (by id): not offered while it is empty.
    ROW_ACTIONS: dict[str, str] = {}

    _generation: int | None = None  # the App's count of changes the shown (or coming) data has seen
    _version: tuple[int, int] | None = None  # the project's version the shown data was read at
    _reading: Worker[_Read[ViewT] | None] | None = None  # the read under way

    @property
    def planner(self) -> PlannerApp:
        return planner_of(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.TEXT_FIELD_KEEPS and isinstance(self.focused, Input):
            return False
        if action in self.EDITS and self.planner.store.read_only:
            return False
        if action in self.ROW_ACTIONS:
            tables = self.query(f"#{self.ROW_ACTIONS[action]}").results(DataTable)
            return any(table.row_count > 0 for table in tables)
        return True

    def action_help(self) -> None:
        from ..dialogs import HelpScreen  # dialogs load when first needed: a quicker start

        self.app.push_screen(HelpScreen(self.HELP_TITLE, self.HELP_TEXT))

    def set_sub_title(self, text: str) -> None:
        """The screen's sub-title, still saying when the project is open read-only."""
        # First, so that a narrow terminal's header cuts the name, never the marker.
        self.sub_title = ("read-only · " if self.planner.store.read_only else "") + shown(text)

    # -- reading ---------------------------------------------------------------------------

    def load(self) -> ViewT:
        """What the screen shows, read from the project through services/. Runs in a worker
        thread: it must not touch a widget."""
        raise NotImplementedError

    def show(self, data: ViewT) -> None:
        """Show what `load` read (on the UI thread)."""

    def refresh_data(self) -> None:
        """Read the project again, now."""
        self._generation = self.planner.generation
        self._reading = self._read(None)

    def project_changed(self) -> None:
        """The App changed the project while this screen is in view."""
        if self._generation != self.planner.generation:
            self.refresh_data()

    def on_screen_resume(self) -> None:
        if self._generation != self.planner.generation:
            self.refresh_data()  # first shown, or changed here since
        elif self._reading is None:
            self._reading = self._read(self._version)  # changed by another program meanwhile?
        self.refresh_bindings()  # keys on offer follow what is shown

    @work(thread=True, exclusive=True, exit_on_error=False, group=READ_GROUP)
    def _read(self, known: tuple[int, int] | None) -> _Read[ViewT] | None:
        """The screen's data; None when the project is still at version `known`."""
        store = self.planner.store
        if known is not None and project_version(store) == known:
            return None
        data = self.load()
        # Taken after the read: one that brought derived data up to date (stored schedules)
        # counts that write as seen.
        return _Read(project_version(store), data)

    @on(Worker.StateChanged)
    def _read_done(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != READ_GROUP or worker is not self._reading or not worker.is_finished:
            return  # another worker's news, or a read a newer one replaced
        self._reading = None
        if event.state is WorkerState.SUCCESS:
            read = worker.result
            if read is not None:
                self._version = read.version
                self.show(read.data)
                self.refresh_bindings()
            return
        self._generation = None  # what is shown is not what is saved: read again when next in view
        if event.state is WorkerState.ERROR:
            self.notify(read_error(worker.error), title="Could not read the project", severity="error",
                        timeout=10)

