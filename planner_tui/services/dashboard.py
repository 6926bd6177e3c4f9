"""What the dashboard shows, read in one go; and reading it while the app starts."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from ..domain.vocabulary import Status
from ..persistence.store import ProjectStore
from . import overview

DASHBOARD_PLANS = 100
TIMELINE_ROWS = 12  # the most urgent; the Plans screen lists every one
DASHBOARD_MILESTONES = 40  # the soonest; the Models screen and `planner-tui milestones` list all


@dataclass(frozen=True)
class DashboardData:
    counts: dict[Status, int]
    milestones: list[overview.MilestoneRow]
    plans: list[overview.PlanLine]
    timeline: list[overview.TimelineRow]
    total_plans: int
    total_milestones: int


def load_dashboard(store: ProjectStore, today: dt.date) -> DashboardData:
    milestones, total_milestones = overview.soonest_milestone_rows(store, today, DASHBOARD_MILESTONES)
    return DashboardData(
        counts=dict(overview.dependency_status_counts(store, today)),
        milestones=milestones,
        total_milestones=total_milestones,
        plans=overview.plan_lines(store, today, limit=DASHBOARD_PLANS, with_closed=False),
        timeline=overview.timeline_rows(store, today, limit=TIMELINE_ROWS),
        total_plans=store.plan_count(),
    )


class Preload:
    """Loads the dashboard in a thread while the terminal UI starts (SQLite releases the
    interpreter while it reads, so the two overlap). The dashboard takes the result, or
    loads again if this failed or the project changed meanwhile."""

    def __init__(self, store: ProjectStore, today: dt.date) -> None:
        self.store, self.today = store, today
        self._data: DashboardData | None = None
        self._token: tuple[int, int] | None = None
        self._thread = threading.Thread(target=self._run, name="dashboard-preload", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            data = load_dashboard(self.store, self.today)
            self._token = self.store.change_token()
            self._data = data
        except Exception:  # noqa: BLE001 - the dashboard loads again and reports the error itself
            self._data = None

    def done(self, within: float) -> bool:
        """Wait up to `within` seconds; True when the load has finished."""
        self._thread.join(within)
        return not self._thread.is_alive()

    def result(self) -> DashboardData | None:
        self._thread.join()
        if self._data is None or self._token != self.store.change_token():
            return None
        return self._data
