"""The project store: every read and write of a project goes through here.

`ProjectStore` is the one object everyone holds. It is the database core (db.py: connection,
lock, transactions) with one repository per aggregate mixed in (repos/, queries.py,
documents.py). A repository that relies on another's methods inherits from it, so what it
uses is declared and type-checked: CatalogRepo on MetaRepo; CampaignsRepo on CatalogRepo;
PlansRepo on CampaignsRepo, CatalogRepo, ChecklistRepo and WorkspaceRepo; PortfolioRepo on
PlansRepo; AwsRepo and DocumentRepo on PortfolioRepo. The others rely on the core only.
Each public method that changes data runs in its own transaction, so an edit is either fully
on disk or not at all. The pydantic
models are imported in the methods that build them: opening a project and reading its
overviews then needs no pydantic (a third of a second of every start).
"""

from __future__ import annotations

from .db import DatabaseCore, utc_now
from .documents import DocumentRepo
from .queries import OverviewQueries, PlanLineRow
from .repos.aws import AwsRepo
from .repos.calendar import CalendarRepo
from .repos.callers import CallersRepo
from .repos.campaigns import CampaignEdit, CampaignsRepo
from .repos.catalog import HAND_SOURCE, LIFECYCLE_DATE_FIELDS, CatalogRepo
from .repos.checklist import ChecklistRepo
from .repos.code_findings import CodeFindingsRepo
from .repos.history import HistoryRepo
from .repos.meta import MetaRepo
from .repos.plans import PlansRepo
from .repos.portfolio import PortfolioRepo
from .repos.schedules import PlanKey, ScheduleRepo
from .repos.workspace import WorkspaceRepo

__all__ = ["HAND_SOURCE", "LIFECYCLE_DATE_FIELDS", "CampaignEdit", "PlanLineRow", "PlanKey", "ProjectStore",
           "utc_now"]


class ProjectStore(
    # Every repository, the ones relied on after those relying on them (no two define the
    # same name, so the order decides nothing else).
    DocumentRepo,
    AwsRepo,
    PortfolioRepo,
    PlansRepo,
    CampaignsRepo,
    CatalogRepo,
    MetaRepo,
    ChecklistRepo,
    WorkspaceRepo,
    ScheduleRepo,
    OverviewQueries,
    CalendarRepo,
    HistoryRepo,
    CodeFindingsRepo,
    CallersRepo,
    DatabaseCore,
):
    """The project: `plan_records` (repos/plans.py) and `portfolio` (repos/portfolio.py)
    are its repositories of operations by id."""
