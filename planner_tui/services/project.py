"""Opening projects: the user's own, a given path, or a fresh copy of the example."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from ..catalog.digest import catalog_digest
from ..persistence.locations import default_db_path
from ..persistence.store import ProjectStore


def open_project(path: Path | None = None, read_only: bool = False) -> ProjectStore:
    """Open a project; a new one gets the bundled catalog, an existing one the catalog of a
    newer release (merged: dates typed by hand are kept, every change is logged)."""
    store = ProjectStore.open(path or default_db_path(), read_only=read_only)
    if not read_only and store.catalog_version() != catalog_digest():
        from ..catalog.bundled import load_catalog  # only when this release's data is new to it

        store.load_catalog(load_catalog(), source_label=f"bundled catalog {catalog_digest()}")
        store.set_catalog_version(catalog_digest())
    return store


class DemoProject:
    """A fresh example project in a private temporary folder, removed on close."""

    def __init__(self, today: dt.date, read_only: bool = False):
        from .demo import build_demo

        self.folder = Path(tempfile.mkdtemp(prefix="planner-tui-demo-"))
        path = self.folder / "demo.db"
        store = open_project(path)
        build_demo(store, today)
        if read_only:
            store.close()
            store = ProjectStore.open(path, read_only=True)
        self.store = store

    def close(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)
