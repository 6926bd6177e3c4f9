"""Opening projects: the user's own, a given path, or a fresh copy of the example."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
import tempfile
from pathlib import Path

from ..catalog.digest import catalog_digest
from ..errors import ProjectFileError
from ..persistence.database import UnwritableProjectError
from ..persistence.locations import default_db_path, default_folder_is_ours
from ..persistence.store import ProjectStore


def open_project(path: Path | None = None, read_only: bool = False, *, create: bool = True,
                 adopt_empty: bool = False, any_schema: bool = False) -> ProjectStore:
    """Open a project (None: the default one); a new one gets the bundled catalog, an existing
    one the catalog of a newer release (merged: dates typed by hand are kept, every change is
    logged).

    A missing project is made only with `create`, in an existing folder (the default
    location's folder is made too); an empty file is made a project only with `adopt_empty`
    (`store.opened_as` then says "adopted"). Otherwise ProjectFileError, nothing written.
    `any_schema` opens a read-only project of an older schema too, for checks of the file."""
    make_folders = path is None and default_folder_is_ours()
    where = path or default_db_path()
    try:
        store = ProjectStore.open(where, read_only=read_only, create=create, make_folders=make_folders,
                                  adopt_empty=adopt_empty, any_schema=any_schema)
    except UnwritableProjectError as error:
        # A read never needs to write: the project is read as with --read-only, and an edit
        # is refused with the reason it cannot be saved.
        try:
            store = ProjectStore.open(where, read_only=True)
        except ProjectFileError:
            raise error from None
        store.read_only_reason = str(error).replace(f"cannot open {where}", f"{where} cannot be written now", 1)
        return store
    try:
        if not read_only and store.catalog_version() != catalog_digest():
            _merge_catalog(store)
    except BaseException:
        store.close()
        raise
    return store


def _merge_catalog(store: ProjectStore) -> None:
    """The bundled catalog into a new project, or this release's into an older one. A new
    project waits for it (it has no catalog yet); an older one only when the project can be
    written at once: while another program edits it (or the disk is full), this run works
    with the catalog it has, and a later one merges."""
    from ..catalog.bundled import load_catalog  # only when this release's data is new to it

    def merge() -> None:
        store.load_catalog(load_catalog(), source_label=f"bundled catalog {catalog_digest()}")
        store.set_catalog_version(catalog_digest())

    if store.catalog_version() is None:
        with store.batch():
            merge()
    else:
        store.write_if_free(merge)


def close_project(store: ProjectStore, failed: bool = False) -> None:
    """Close a project. One this run created for a command that then `failed` is removed when
    nothing was saved in it: a first command that was refused leaves no empty project behind
    (to be taken later for one with nothing to report)."""
    path = store.path
    unused = False
    if failed and store.opened_as == "created" and path is not None:
        try:
            unused = not store.conn.execute(
                "SELECT EXISTS (SELECT 1 FROM applications) OR EXISTS (SELECT 1 FROM audit_log)").fetchone()[0]
        except sqlite3.Error:
            unused = False
    store.close()
    if unused and path is not None:
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()


class DemoProject:
    """A fresh example project in a private temporary folder, removed on close."""

    def __init__(self, today: dt.date, read_only: bool = False):
        from .demo_template import copy_demo

        self.folder = Path(tempfile.mkdtemp(prefix="planner-tui-demo-"))
        path = self.folder / "demo.db"
        copy_demo(path, today)  # built once per day, then copied (services/demo_template.py)
        store = open_project(path)
        if read_only:
            store.close()
            store = ProjectStore.open(path, read_only=True)
        self.store = store

    def close(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)
