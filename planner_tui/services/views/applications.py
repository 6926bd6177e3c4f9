"""The Applications screen's reads: the list with each application's worst risk, and one
application's dependencies and plans (with what its dependency form suggests)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from ...domain.ids import saved_id
from ...domain.models import Application, Dependency
from ...domain.schedule import Risk
from ...persistence.store import ProjectStore
from .. import overview


@dataclass(frozen=True)
class ApplicationLine:
    app: Application
    dependencies: int
    models: tuple[str, ...]  # the model IDs it uses, without their provider prefix, sorted
    plans: int  # its migration plans, closed ones too
    worst: Risk | None  # of its plans; None without a plan


@dataclass(frozen=True)
class ApplicationsView:
    lines: list[ApplicationLine]

    def named(self, name: str, *, besides: int | None = None) -> bool:
        """Whether another application (not `besides`) already has this name, in any case."""
        wanted = name.strip().lower()
        return any(line.app.name.lower() == wanted and line.app.id != besides for line in self.lines)

    def line(self, app_id: int) -> ApplicationLine | None:
        return next((line for line in self.lines if line.app.id == app_id), None)


def load_applications(store: ProjectStore, today: dt.date) -> ApplicationsView:
    deps: dict[int, list[Dependency]] = defaultdict(list)
    for dependency in store.dependencies():
        deps[dependency.app_id].append(dependency)
    worst: dict[int, Risk] = {}
    for line in overview.plan_lines(store, today):
        current = worst.get(line.app_id)
        if current is None or line.risk.rank < current.rank:
            worst[line.app_id] = line.risk
    plans = Counter(plan.app_id for plan in store.plans(with_items=False))
    lines = []
    for app in store.applications():
        app_id = saved_id(app)
        lines.append(ApplicationLine(
            app, len(deps[app_id]), tuple(sorted({d.model_id.split(".", 1)[-1] for d in deps[app_id]})),
            plans[app_id], worst.get(app_id)))
    return ApplicationsView(lines)


@dataclass(frozen=True)
class ApplicationDetail:
    app: Application
    dependencies: list[Dependency]
    plans: list[overview.PlanLine]
    suggestions: list[str]  # what the dependency form completes: model IDs, then inference profile IDs


def load_application_detail(store: ProjectStore, app_id: int, today: dt.date) -> ApplicationDetail | None:
    """None when the application no longer exists."""
    from ...catalog.bundled import load_catalog
    from ...errors import PlannerError

    try:
        app = store.application(app_id)
    except PlannerError:
        return None
    return ApplicationDetail(
        app, store.dependencies(app_id), overview.plan_lines(store, today, app_id=app_id),
        sorted(store.model_ids()) + sorted(p.profile_id for p in load_catalog().profiles))


def resolved_dependency(store: ProjectStore, dependency: Dependency) -> Dependency:
    """`dependency` checked against the catalog, an inference profile ID resolved to its
    model; a PlannerError says why the catalog refuses it (the dependency form's check)."""
    return store.resolve_dependency(dependency)
