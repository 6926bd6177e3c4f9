"""The App: holds the open project and the evaluation date, and shows the dashboard."""

from __future__ import annotations

import argparse
import datetime as dt

from textual.app import App

from ..persistence.locations import default_db_path
from ..persistence.store import ProjectStore
from ..services.project import DemoProject, open_project
from .screens.dashboard import DashboardScreen


class PlannerApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Bedrock migration planner"

    def __init__(self, store: ProjectStore, today: dt.date, *, label: str = "") -> None:
        super().__init__()
        self.store = store
        self.today = today
        mode = " · read-only" if store.read_only else ""
        self.sub_title = f"{label or store.path} · {today}{mode}"

    def on_mount(self) -> None:
        self.push_screen(DashboardScreen())


def run_tui(args: argparse.Namespace, today: dt.date) -> int:
    read_only = getattr(args, "read_only", False)
    if getattr(args, "demo", False):
        demo = DemoProject(today, read_only=read_only)
        try:
            PlannerApp(demo.store, today, label="example project (demo)").run()
        finally:
            demo.close()
        return 0
    store = open_project(getattr(args, "db", None) or default_db_path(), read_only=read_only)
    try:
        PlannerApp(store, today).run()
    finally:
        store.close()
    return 0
