"""The App: holds the open project, the evaluation date and the undo stack; routes screens."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.command import Provider
from textual.screen import Screen

from ..errors import ConflictError, PlannerError
from ..persistence.store import ProjectStore
from ..services.dashboard import Preload
from .screens.dashboard import DashboardScreen
from .undo import UndoStack

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
    }
    DEFAULT_MODE = "dashboard"
    BINDINGS = [
        Binding("d", "switch_mode('dashboard')", "Dashboard", id="app.dashboard"),
        Binding("m", "switch_mode('models')", "Models", id="app.models"),
        Binding("a", "switch_mode('applications')", "Apps", id="app.applications"),
        Binding("p", "switch_mode('plans')", "Plans", id="app.plans"),
        Binding("ctrl+z", "undo", "Undo", id="app.undo", tooltip="Undo the last change"),
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
        self.undo_stack = UndoStack()
        mode = " · read-only" if store.read_only else ""
        self.sub_title = f"{label or store.path} · {today}{mode}"

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        # Messages quote names and input ("no application named '[/x]'"): never Rich markup,
        # which would drop text or raise. Screens' notify() comes here too.
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_ready(self) -> None:
        self.call_after_refresh(self._started)

    def _started(self) -> None:
        # The collector was off while starting (ui/launch.py). What start-up built lives as
        # long as the app: frozen, later collections do not walk it again and again.
        gc.freeze()
        gc.enable()

    def on_unmount(self) -> None:
        gc.enable()  # however the app ended

    # -- editing -------------------------------------------------------------------------

    def edit(self, fn: Callable[..., Any], *args: Any, undo: str = "",
             reverse: Callable[[Any], Callable[[], object]] | None = None, **kwargs: Any) -> Any:
        """Run one store edit on the UI thread; a refused edit is explained, never lost silently."""
        try:
            result = fn(*args, **kwargs)
        except ConflictError as error:
            self.notify(str(error), title="Changed elsewhere", severity="warning", timeout=10)
            refresh = getattr(self.screen, "refresh_data", None)
            if refresh:
                refresh()  # show what is saved now
            return None
        except PlannerError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=8)
            return None
        if undo and reverse is not None:
            self.undo_stack.push(undo, reverse(result))
        return result if result is not None else True

    def action_undo(self) -> None:
        entry = self.undo_stack.pop()
        if entry is None:
            self.notify("Nothing to undo.")
            return
        try:
            entry.reverse()
        except PlannerError as error:
            self.notify(str(error), title="Could not undo", severity="error")
            return
        self.notify(f"Undone: {entry.description}")
        refresh = getattr(self.screen, "refresh_data", None)
        if refresh:
            refresh()

    # -- navigation ----------------------------------------------------------------------

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
        from ..integrations.calendar_export import export_calendar

        try:
            result = export_calendar(self.store, path, self.today, scope)
        except PlannerError as error:
            self.notify(str(error), title="Export failed", severity="error", timeout=10)
            return
        self.notify(f"{result.events} events written to {path} ({result.updated} updated, "
                    f"{result.cancelled} cancelled).", title="Calendar exported")

    def action_sync(self) -> None:
        def done(ran: bool | None) -> None:
            if ran:
                refresh = getattr(self.screen, "refresh_data", None)
                if refresh:
                    refresh()

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
