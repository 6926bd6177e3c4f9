"""The project store: every read and write of a project goes through here.

`ProjectStore` is the one object everyone holds. It is the database core (db.py: connection,
lock, transactions) with one repository per aggregate mixed in (repos/, queries.py,
documents.py); each repository relies on the core only. Each public method that changes data
runs in its own transaction, so an edit is either fully on disk or not at all. The pydantic
models are imported in the methods that build them: opening a project and reading its
overviews then needs no pydantic (a third of a second of every start).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from .db import DatabaseCore, utc_now
from .documents import DocumentRepo
from .queries import OverviewQueries, PlanLineRow
from .repos.aws import AwsRepo
from .repos.calendar import CalendarRepo
from .repos.catalog import HAND_SOURCE, LIFECYCLE_DATE_FIELDS, CatalogRepo
from .repos.checklist import ChecklistRepo
from .repos.history import HistoryRepo
from .repos.meta import MetaRepo
from .repos.plans import PlansRepo
from .repos.portfolio import PortfolioRepo
from .repos.schedules import ScheduleRepo, StandingInput
from .repos.workspace import WorkspaceRepo

if TYPE_CHECKING:
    from .repos.plans import PlanRepository
    from .repos.portfolio import PortfolioRepository

__all__ = ["HAND_SOURCE", "LIFECYCLE_DATE_FIELDS", "PlanLineRow", "ProjectStore", "StandingInput", "utc_now"]


class ProjectStore(
    MetaRepo,
    CatalogRepo,
    PortfolioRepo,
    PlansRepo,
    ChecklistRepo,
    WorkspaceRepo,
    ScheduleRepo,
    OverviewQueries,
    AwsRepo,
    DocumentRepo,
    CalendarRepo,
    HistoryRepo,
    DatabaseCore,
):
    @cached_property
    def plan_records(self) -> PlanRepository:
        """Closing, reopening and stepping back plans; workspace records by id."""
        from .repos.plans import PlanRepository

        return PlanRepository(self)

    @cached_property
    def portfolio(self) -> PortfolioRepository:
        """Dependencies moved from one model to another."""
        from .repos.portfolio import PortfolioRepository

        return PortfolioRepository(self)
