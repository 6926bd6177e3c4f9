"""What each screen of the TUI shows, read in one go: one loader per screen, returning a
plain, immutable data object. The TUI calls them in worker threads (never on its UI thread)
and draws what they return; none of them imports Textual.

The plan workspace's and the dashboard's reads live beside this package, as
services/plan_view.py and services/dashboard.py (the CLI shares them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...persistence.store import ProjectStore


def project_version(store: ProjectStore) -> tuple[int, int]:
    """Changes whenever the project does, here or in another program: whether what a screen
    shows is still current, at the cost of one pragma."""
    return store.change_token()
