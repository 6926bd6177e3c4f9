"""Where projects live. Paths are computed when asked for, never at import time."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "planner-tui"
DB_ENV = "PLANNER_TUI_DB"


def default_db_path() -> Path:
    """`PLANNER_TUI_DB` if set, else `project.db` in the platform's user data folder."""
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "project.db"


def default_folder_is_ours() -> bool:
    """The default project is in the platform's user data folder (made when needed), not at a
    path `PLANNER_TUI_DB` names (whose folder must exist, as for any path a user names)."""
    return not os.environ.get(DB_ENV)
