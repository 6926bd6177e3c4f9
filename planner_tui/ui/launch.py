"""Starting the terminal UI. Textual is imported here only after the dashboard's data has
started loading in the background, so the two overlap."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
from typing import TYPE_CHECKING

from ..services.dashboard import Preload
from ..services.project import DemoProject, open_project

if TYPE_CHECKING:
    from ..persistence.store import ProjectStore
    from .app import PlannerApp


def start_app(store: ProjectStore, today: dt.date, label: str = "") -> PlannerApp:
    # Start-up makes tens of thousands of long-lived objects (Textual's modules, the screen);
    # the cycle collector would walk them all several times for nothing. The app turns it
    # back on once its first frame is out (PlannerApp.on_ready).
    gc.disable()
    preload = Preload(store, today)
    from .app import PlannerApp

    return PlannerApp(store, today, label=label, preload=preload)


def run_tui(args: argparse.Namespace, today: dt.date) -> int:
    read_only = getattr(args, "read_only", False)
    if getattr(args, "demo", False):
        demo = DemoProject(today, read_only=read_only)
        try:
            start_app(demo.store, today, label="example project (demo)").run()
        finally:
            demo.close()
        return 0
    store = open_project(getattr(args, "db", None), read_only=read_only)  # None: the default path
    try:
        start_app(store, today).run()
    finally:
        store.close()
    return 0
