"""The App: holds the open project, the evaluation date and the undo stack; routes screens."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.command import Provider
from textual.message import Message
from textual.screen import ModalScreen, Screen

from ..domain.inert import same_length_lines
from ..errors import ConflictError, PlannerError
from ..services.commands import Change
from ..services.dashboard import Preload
from ..services.undo import CannotUndo, UndoHistory
from .formatting import shown
from .screens.base import PlannerScreen
from .screens.dashboard import DashboardScreen

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore

# The first screen is the dashboard; the others load when first opened (quicker start-up).


def _models_screen() -> Screen:
    from .screens.models import ModelsScreen

    return ModelsScreen()


def _applications_screen() -> Screen:
    from .screens.applications import ApplicationsScreen

    return ApplicationsScreen()


def _plans_screen() -> Screen:
    from .screens.plans import PlansScreen

    return PlansScreen()


def _campaigns_screen() -> Screen:
    from .screens.campaigns import CampaignsScreen

    return CampaignsScreen()


def _planner_commands() -> type[Provider]:
    from .commands import PlannerCommands

    return PlannerCommands


class PlannerApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Bedrock migration planner"
    COMMANDS = App.COMMANDS | {_planner_commands}  # the palette loads it when opened
    MODES = {
        "dashboard": DashboardScreen,
        "models": _models_screen,
        "applications": _applications_screen,
        "plans": _plans_screen,
        "campaigns": _campaigns_screen,
    }
    DEFAULT_MODE = "dashboard"
    BINDINGS = [
        Binding("d", "switch_mode('dashboard')", "Dashboard", id="app.dashboard"),
        Binding("m", "switch_mode('models')", "Models", id="app.models"),
        Binding("a", "switch_mode('applications')", "Apps", id="app.applications"),
        Binding("p", "switch_mode('plans')", "Plans", id="app.plans"),
        Binding("g", "switch_mode('campaigns')", "Campaigns", id="app.campaigns",
                tooltip="One migration per retiring model"),
        Binding("ctrl+z", "undo", "Undo", id="app.undo", tooltip="Undo the last change"),
        Binding("ctrl+y", "redo", "Redo", id="app.redo", tooltip="Redo the change last undone"),
        Binding("ctrl+e", "export_calendar", "Export", id="app.export",
                tooltip="Export milestones and deadlines to a calendar file"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, store: ProjectStore, today: dt.date, *, label: str = "",
                 preload: Preload | None = None) -> None:
        super().__init__()
        self.store = store
        self.today = today
        self.preload = preload  # the dashboard's data, read while the app was starting
        self.history = UndoHistory()
        # Changes made through this app (edits, undo, redo, a sync): a screen whose data has
        # seen fewer reads the project again when next in view (ui/screens/base.py).
        self.generation = 0
        mode = "read-only · " if store.read_only else ""  # first: a narrow header cuts the end
        self.sub_title = shown(f"{mode}{label or store.path} · {today}")  # a path may hold anything

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        # Messages quote names and input ("no application named '[/x]'"): never Rich markup,
        # which would drop text or raise, and no control character (domain/inert.py): each
        # shown as U+FFFD. Screens' notify() comes here too.
        super().notify(same_length_lines(message), title=shown(title), severity=severity, timeout=timeout,
                       markup=False)

    def on_ready(self) -> None:
        self.call_after_refresh(self._started)

    def _started(self) -> None:
        # The collector was off while starting (ui/launch.py). What start-up built lives as
        # long as the app: frozen, later collections do not walk it again and again.
        gc.freeze()
        gc.enable()

    def on_unmount(self) -> None:
        gc.enable()  # however the app ended

    # -- editing ----------------------------------------------------------------------

    class ProjectChanged(Message):
        """An edit, undo or redo changed the project: the visible screen shows it."""

    def changed(self) -> None:
        """The project changed (or may have): counted now, so that any read started from
        here on is known to include it, and the visible screen reads it once."""
        self.generation += 1
        self.post_message(self.ProjectChanged())

    def apply(self, command: Callable[..., Change], *args: Any, **kwargs: Any) -> Change | None:
        """Run one use case; a refused edit is explained, never lost silently. The change
        joins the undo history and the screen reloads once."""
        try:
            change = command(*args, **kwargs)
        except ConflictError as error:
            self.notify(str(error), title="Changed elsewhere", severity="warning", timeout=10)
            self.changed()  # show what is saved now
            return None
        except PlannerError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=8)
            return None
        self.history.record(change)
        self.refresh_bindings()  # undo is on offer now
        if change.note:
            self.notify(change.note, title="Saved, but", severity="warning", timeout=12)
        self.changed()
        return change

    def action_undo(self) -> None:
        self._step(self.history.undo, "Undone")

    def action_redo(self) -> None:
        self._step(self.history.redo, "Redone")

    def _step(self, step: Callable[[], tuple[Change, Change]], verb: str) -> None:
        try:
            change, inverse = step()
        except CannotUndo as error:
            self.notify(str(error))
            return
        except PlannerError as error:
            self.notify(f"{error} The undo history ends here: older changes stay as they are.",
                        title=f"Could not {'undo' if verb == 'Undone' else 'redo'}", severity="error", timeout=12)
            self.changed()
            return
        # Undo names the change taken back; redo the change made again.
        self.notify(f"{verb}: {change.description if verb == 'Undone' else inverse.description}")
        self.refresh_bindings()
        self.changed()

    @on(ProjectChanged)
    def _project_changed(self) -> None:
        # The screen in view reads once; a dialog's screen does when the dialog closes.
        if isinstance(self.screen, PlannerScreen):
            self.screen.project_changed()

    # -- navigation ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("switch_mode", "undo", "redo", "export_calendar") and isinstance(self.screen, ModalScreen):
            return False  # a dialog is answered or closed first
        if action == "undo":
            return self.history.can_undo
        if action == "redo":
            return self.history.can_redo
        return True

    async def action_switch_mode(self, mode: str) -> None:
        """A mode's key on one of its own sub-screens (a plan opened from the dashboard, an
        application's detail) goes back to the mode's first screen."""
        if mode == self.current_mode:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        await super().action_switch_mode(mode)

    def open_plan(self, plan_id: int) -> None:
        from .screens.plan import PlanScreen

        self.push_screen(PlanScreen(plan_id))

    def action_export_calendar(self) -> None:
        from .export_dialog import ExportCalendarDialog  # icalendar loads only when needed

        def chosen(result: tuple[Path, Any] | None) -> None:
            if result is not None:
                self.write_calendar(*result)

        self.push_screen(ExportCalendarDialog(), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def write_calendar(self, path: Path, scope: Any) -> None:
        from ..integrations.calendar.ics import export_calendar

        try:
            result = export_calendar(self.store, path, self.today, scope)
        except PlannerError as error:
            self.notify(str(error), title="Export failed", severity="error", timeout=10)
            return
        note = f" Export history not updated: {result.unrecorded}." if result.unrecorded else ""
        self.notify(f"{result.events} events written to {path} ({result.updated} updated, "
                    f"{result.cancelled} cancelled).{note}", title="Calendar exported")

    def action_sync(self) -> None:
        def done(ran: bool | None) -> None:
            if ran:
                self.changed()

        from .sync_dialog import SyncDialog

        self.push_screen(SyncDialog(), done)

    def action_discovered(self) -> None:
        from .screens.discovered import DiscoveredScreen

        self.push_screen(DiscoveredScreen())

    def action_history(self) -> None:
        from .screens.history import HistoryScreen

        self.push_screen(HistoryScreen())

    def action_add_application(self) -> None:
        self.switch_mode("applications")
        self.call_after_refresh(lambda: self.screen.run_action("new"))
