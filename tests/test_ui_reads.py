"""How the TUI reads the project: off the UI thread, once per change, keeping its place.

Every screen reads through a loader of services/ in a worker thread and shows the result on
the UI thread; an edit, undo or redo makes the screen in view read once (not once for the
change and again as a dialog closes); a failed read is one line of notification and what
was shown stays.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import DataTable, Input

from planner_tui.domain.vocabulary import Phase
from planner_tui.ui.app import PlannerApp
from planner_tui.ui.dialogs import FormDialog
from planner_tui.ui.screens.plan import PlanScreen

from .conftest import TODAY, settle


class WatchedConnection:
    """The store's connection, noting each statement run on the UI (main) thread."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.on_ui_thread: list[str] = []
        self.seen = 0

    def _note(self, sql: str) -> None:
        self.seen += 1
        if threading.current_thread() is threading.main_thread():
            self.on_ui_thread.append(" ".join(sql.split())[:120])

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._note(sql)
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._note(sql)
        return self._conn.executemany(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


class Counted:
    """A loader wrapped to count its calls and note the thread of each."""

    def __init__(self, loader: Callable[..., Any]) -> None:
        self.loader = loader
        self.threads: list[threading.Thread] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.threads.append(threading.current_thread())
        return self.loader(*args, **kwargs)

    @property
    def calls(self) -> int:
        return len(self.threads)


def counted(monkeypatch: pytest.MonkeyPatch, module: str, name: str) -> Counted:
    import importlib

    target = importlib.import_module(module)
    wrapper = Counted(getattr(target, name))
    monkeypatch.setattr(target, name, wrapper)
    return wrapper


def plan_id_of(store, app_name: str, model_part: str) -> int:  # noqa: ANN001
    return next(p.id for p in store.plans(with_items=False) if p.app_name == app_name and model_part in p.model_id)


async def test_no_screen_or_dialog_reads_the_project_on_the_ui_thread(demo_store) -> None:
    watched = WatchedConnection(demo_store.conn)
    demo_store.conn = watched  # type: ignore[assignment]  # a stand-in that notes the thread
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        for keys in (["d"], ["m"], ["enter"], ["escape"], ["a"], ["enter"], ["escape"], ["u"], ["escape"],
                     ["p"], ["enter"], ["right_square_bracket"], ["h"], ["escape"], ["escape"], ["ctrl+e"],
                     ["escape"], ["ctrl+p"], list("plan"), ["escape"], ["f1"], ["escape"], ["d"], ["r"]):
            for key in keys:
                await pilot.press(key)
            await settle(pilot)
        assert app.current_mode == "dashboard"
    assert watched.seen > 100  # it did watch: every screen read
    assert watched.on_ui_thread == []


async def test_the_dependency_form_checks_the_catalog_off_the_ui_thread(store) -> None:
    from planner_tui.domain.models import Application
    from planner_tui.ui.screens.applications import ApplicationDetailScreen

    bot = store.add_application(Application(name="Bot"), today=TODAY)
    watched = WatchedConnection(store.conn)
    store.conn = watched  # type: ignore[assignment]
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ApplicationDetailScreen(bot.id))
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#field-model_id", Input).value = "anthropic.claude-opus-4-1-20250805-v1:0"
        form.query_one("#field-region", Input).value = "eu-west-1"  # where it is not offered
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # refused, with what was typed
        assert "not offered in eu-west-1" in str(form.query_one("#error-region").render())
        await pilot.press("escape")
        await settle(pilot)
    assert watched.on_ui_thread == []
    assert store.dependencies() == []


@pytest.mark.parametrize("module, loader, keys", [
    ("planner_tui.ui.screens.dashboard", "load_dashboard", ()),
    ("planner_tui.ui.screens.models", "load_models", ("m",)),
    ("planner_tui.ui.screens.models", "load_model_detail", ("m", "enter")),
    ("planner_tui.ui.screens.applications", "load_applications", ("a",)),
    ("planner_tui.ui.screens.applications", "load_application_detail", ("a", "enter")),
    ("planner_tui.ui.screens.discovered", "load_discovered", ("a", "u")),
    ("planner_tui.ui.screens.plans", "load_plans", ("p",)),
    ("planner_tui.ui.screens.plan", "load_plan_view", ("p", "enter")),
    ("planner_tui.ui.screens.history", "load_history", ("p", "enter", "h")),
    ("planner_tui.ui.export_dialog", "all_events", ("ctrl+e",)),
    ("planner_tui.ui.export_dialog", "load_export_choices", ("ctrl+e",)),
])
async def test_each_screen_reads_through_its_loader_in_a_worker_thread(demo_store, monkeypatch, module, loader,
                                                                       keys) -> None:
    load = counted(monkeypatch, module, loader)
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
    assert load.calls >= 1
    assert all(thread is not threading.main_thread() for thread in load.threads)


async def test_an_edit_undo_or_redo_reads_the_plan_once(demo_store, monkeypatch) -> None:
    load = counted(monkeypatch, "planner_tui.ui.screens.plan", "load_plan_view")
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_plan(plan_id_of(demo_store, "Support Copilot", "sonnet-4-5"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen) and load.calls == 1

        async def reads(*keys: str) -> int:
            before = load.calls
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            return load.calls - before

        first = screen.view.row.plan.items_in(Phase.TEST)[0]
        assert await reads("space") == 1  # a key that edits
        assert await reads("ctrl+z") == 1  # undo
        assert await reads("ctrl+y") == 1  # redo
        assert screen.query_one("#checklist", DataTable).get_row_at(0)[0].plain == ("☐" if first.done else "✓")
        # Through a dialog: the change and the dialog closing over the screen read once together.
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#field-title", Input).value = "Compare costs per 1,000 requests"
        assert await reads("ctrl+s") == 1
        assert "Compare costs per 1,000 requests" in [i.title for i in screen.view.row.plan.items_in(Phase.TEST)]
        # A dialog closed without a change reads nothing; neither does help.
        await pilot.press("n")
        await settle(pilot)
        assert await reads("escape") == 0
        assert await reads("f1", "escape") == 0
    assert all(thread is not threading.main_thread() for thread in load.threads)


async def test_a_change_elsewhere_is_read_when_the_screen_comes_back_and_only_then(demo_store, monkeypatch) -> None:
    from planner_tui.domain.models import Application

    load = counted(monkeypatch, "planner_tui.ui.screens.applications", "load_applications")
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert load.calls == 1  # back with nothing changed: the list as read
        await pilot.press("d")
        await settle(pilot)
        demo_store.add_application(Application(name="Added by the CLI"), today=TODAY)  # another program
        await pilot.press("a")
        await settle(pilot)
        assert load.calls == 2
        names = [str(row[0]) for row in map(app.screen.query_one("#apps", DataTable).get_row_at,
                                            range(app.screen.query_one("#apps", DataTable).row_count))]
        assert "Added by the CLI" in names


async def test_the_cursor_stays_on_its_row_through_a_reload(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        table = app.screen.query_one("#apps", DataTable)
        table.move_cursor(row=3)
        await settle(pilot)
        chosen = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#field-team", Input).value = "Renamed team"
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = app.screen.query_one("#apps", DataTable)
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == chosen
        assert str(table.get_row_at(table.cursor_row)[2]) == "Renamed team"


async def test_a_failed_read_is_one_line_and_keeps_what_is_shown(demo_store, monkeypatch) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        plans = app.screen.query_one("#plans", DataTable)
        shown = plans.row_count
        assert shown

        def broken(*_: Any, **__: Any) -> Any:
            raise sqlite3.OperationalError("disk I/O error\nwhile reading page 7")

        monkeypatch.setattr("planner_tui.ui.screens.dashboard.load_dashboard", broken)
        await pilot.press("r")
        await settle(pilot)
        assert app.is_running and plans.row_count == shown
        messages = [n.message for n in app._notifications]
        assert messages[-1] == "disk I/O error while reading page 7"


async def test_keys_follow_the_data_once_it_arrives(store) -> None:
    from planner_tui.domain.models import Application

    store.add_application(Application(name="Only one"), today=TODAY)
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert app.screen.check_action("edit", ()) is True
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.query_one("#apps", DataTable).row_count == 0
        assert app.screen.check_action("edit", ()) is False  # nothing left to edit
        footer_keys = [key.description for key in app.screen.query_one("Footer").shown_keys]
        assert "Edit" not in footer_keys and "New" in footer_keys
