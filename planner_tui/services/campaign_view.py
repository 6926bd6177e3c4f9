"""What campaigns show, for the CLI and the TUI: the list (one campaign per model with plans)
and one campaign in full: the lifecycle per Region with the campaign's deadline there, the
decision, the candidates, and a row per application (phase, progress, risk, blockers,
override).

The list is counted by SQLite from stored rows (no plan's checklist is read), so it stays
quick on projects of thousands of plans; one campaign reads only its own plans."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..domain.campaigns import (
    Campaign,
    MatrixRow,
    deadline_summary,
    deadlines_by_region,
    matrix_row,
    union_regions,
)
from ..domain.dates import stored_date
from ..domain.evaluations import Evaluation, Verdict, verdicts
from ..domain.evaluations import summary as evaluation_summary
from ..domain.lifecycle import index_by_region, status_on
from ..domain.schedule import Risk, plan_deadline
from ..domain.vocabulary import Phase, Status
from . import overview, schedules

if TYPE_CHECKING:
    from ..domain.candidates import Candidate
    from ..domain.models import RegionalLifecycle
    from ..domain.settings import ScheduleSettings
    from ..persistence.store import ProjectStore

_RISKS = tuple(Risk)  # by rank


@dataclass(frozen=True)
class CampaignRow:
    """One campaign in the list."""

    model_id: str
    model_name: str
    applications: int
    open_plans: int
    overrides: int
    target_model_id: str | None
    target_name: str
    decision_reason: str
    decided_on: dt.date | None
    earliest_eol: dt.date | None  # of the model in the Regions its applications use
    deadlines: dict[str, dt.date]  # the campaign's deadline per Region (its open plans')
    worst_risk: Risk | None

    @property
    def deadline(self) -> dt.date | None:
        return min(self.deadlines.values(), default=None)

    @property
    def deadline_summary(self) -> str:
        return deadline_summary(self.deadlines)


class _Deadlines:
    """Each Region's lifecycle deadline and EOL, worked out once per lifecycle group."""

    def __init__(self, lifecycles: Iterable[RegionalLifecycle], today: dt.date, settings: ScheduleSettings):
        self.by_region = index_by_region(lifecycles)
        self.today, self.settings = today, settings
        self._found: dict[int, dt.date | None] = {}

    def lifecycle(self, model_id: str, region: str) -> RegionalLifecycle | None:
        return self.by_region.get((model_id, region))

    def of(self, model_id: str, region: str, following: int, by_hand: str | None) -> dt.date | None:
        """The campaign's deadline in a Region: the earliest of its open plans' there (each the
        lifecycle's deadline, or the one set by hand on the plan)."""
        found: list[dt.date] = []
        lifecycle = self.by_region.get((model_id, region))
        if following and lifecycle is not None:
            if id(lifecycle) not in self._found:
                deadline = plan_deadline([lifecycle], self.today, self.settings)
                self._found[id(lifecycle)] = deadline.date if deadline else None
            if (computed := self._found[id(lifecycle)]) is not None:
                found.append(computed)
        if by_hand:
            found.append(dt.date.fromisoformat(by_hand))
        return min(found, default=None)

    def eol(self, model_id: str, region: str) -> dt.date | None:
        from ..domain.schedule import earliest_eol

        lifecycle = self.by_region.get((model_id, region))
        return earliest_eol([lifecycle]) if lifecycle is not None else None


@dataclass(frozen=True)
class CampaignRegion:
    """A campaign in one Region its applications use the model in."""

    model_id: str
    region: str
    deadline: dt.date | None  # the earliest of its open plans' there; None when none has one
    eol: dt.date | None
    lifecycle: RegionalLifecycle | None
    applications: tuple[str, ...]  # every application with a plan using the model there


def campaign_regions(store: ProjectStore, today: dt.date, model_id: str | None = None) -> list[CampaignRegion]:
    """Every campaign (or this model's) per Region, counted by SQLite from stored rows."""
    dates = _Deadlines(store.lifecycles(model_id), today, store.schedule_settings())
    return [CampaignRegion(model, region, dates.of(model, region, following, by_hand), dates.eol(model, region),
                           dates.lifecycle(model, region),
                           tuple(sorted(json.loads(apps) if isinstance(apps, str) else apps)))
            for model, region, following, by_hand, apps in store.campaign_region_uses(model_id)]


def campaign_rows(store: ProjectStore, today: dt.date) -> list[CampaignRow]:
    """Every campaign with plans: those with open plans first, soonest deadline first."""
    schedules.ensure_current(store)
    worst = store.worst_risk_by_model(today)
    names = store.model_names()
    per_region: dict[str, list[tuple[str, dt.date | None]]] = defaultdict(list)
    eols: dict[str, list[dt.date]] = defaultdict(list)
    for line in campaign_regions(store, today):
        per_region[line.model_id].append((line.region, line.deadline))
        if line.eol is not None:
            eols[line.model_id].append(line.eol)
    rows = [
        CampaignRow(model_id, name, plans, open_plans, overrides, target, names.get(target, target) if target else "",
                    reason, stored_date(decided_on), min(eols[model_id], default=None),
                    deadlines_by_region(per_region[model_id]),
                    None if (rank := worst.get(model_id)) is None else _RISKS[rank])
        for model_id, name, plans, open_plans, overrides, target, reason, decided_on
        in store.campaign_summaries()
    ]
    return sorted(rows, key=lambda r: (not r.open_plans, r.deadline or dt.date.max, r.model_name, r.model_id))


@dataclass(frozen=True)
class RegionLine:
    """The model in one Region its applications use: its lifecycle and the campaign's deadline."""

    region: str
    status: Status
    legacy_date: dt.date | None
    pea_date: dt.date | None
    eol_date: dt.date | None
    deadline: dt.date | None
    applications: tuple[str, ...]


@dataclass(frozen=True)
class SharedItemLine:
    """An item of the campaign's shared checklist (Assess, Research, Test), as its first open
    plan's copy holds it: a change of it is made in every open plan."""

    item_id: int
    plan_id: int  # the plan whose copy this is
    phase: Phase
    title: str
    done: bool
    owner: str
    due_date: dt.date | None
    notes: str
    copies: int  # open plans holding it
    differences: tuple[str, ...]  # what the copies record differently ('' when alike)


def shared_lines(store: ProjectStore, plan_ids: Iterable[int]) -> tuple[SharedItemLine, ...]:
    """The campaign's shared checklist, read from its first open plan among `plan_ids`."""
    from ..domain.checklists import SHARED_PHASES, differences

    for plan_id in sorted(plan_ids):
        shared = store.shared_checklist(plan_id)
        if not shared.applications:
            continue
        plan = store.plan(plan_id)
        return tuple(
            SharedItemLine(item.id, plan_id, phase, item.title, item.done, item.owner, item.due_date, item.notes,
                           len(shared.copies[item.id]), tuple(differences(shared.copies[item.id])))
            for phase in SHARED_PHASES for item in plan.items_in(phase)
            if item.id is not None and item.id in shared.copies)
    return ()


@dataclass(frozen=True)
class CampaignView:
    campaign: Campaign
    model_name: str
    target_name: str  # the decision's model name ('' when none)
    regions: tuple[RegionLine, ...]
    rows: tuple[MatrixRow, ...]  # one per application, most urgent first
    candidates: tuple[Candidate, ...] = field(default=())
    evaluations: tuple[Evaluation, ...] = field(default=())  # once per candidate and metric
    verdicts: tuple[Verdict, ...] = field(default=())  # each application's, against its own thresholds
    shared: tuple[SharedItemLine, ...] = field(default=())  # the shared Assess, Research and Test checklist

    @property
    def test_summary(self) -> dict[str, str]:
        """Application → 'pass', 'FAIL (metric, …)' or 'no threshold' on its replacement's evaluations."""
        return evaluation_summary(self.verdicts)

    @property
    def deadlines(self) -> dict[str, dt.date]:
        return {line.region: line.deadline for line in self.regions if line.deadline is not None}

    @property
    def deadline(self) -> dt.date | None:
        return min(self.deadlines.values(), default=None)

    @property
    def overrides(self) -> tuple[MatrixRow, ...]:
        return tuple(row for row in self.rows if not row.follows)

    @property
    def followers(self) -> tuple[MatrixRow, ...]:
        return tuple(row for row in self.rows if row.follows)

    @property
    def open_rows(self) -> tuple[MatrixRow, ...]:
        return tuple(row for row in self.rows if row.is_open)

    @property
    def worst_risk(self) -> Risk | None:
        return min((row.risk for row in self.rows), key=lambda risk: risk.rank, default=None)


def load_campaign_view(store: ProjectStore, model_id: str, today: dt.date,
                       with_candidates: bool = True) -> CampaignView | None:
    """One campaign in full; None when no application has a plan for the model."""
    members = {m.plan_id: m for m in store.campaign_members(model_id)}
    if not members:
        return None
    campaign = store.campaign(model_id) or Campaign(None, model_id)
    names = store.model_names()
    lines = overview.plan_lines(store, today, model_ids=[model_id])
    used = store.campaign_regions(model_id)
    open_items = store.open_item_titles(members)
    rows = tuple(
        matrix_row(members[line.plan_id], used.get(line.app_id, ()), line.phase, line.phase_label, line.is_open,
                   line.progress, line.risk, line.next_due, line.deadline,
                   open_items.get((line.plan_id, line.phase), []))
        for line in lines if line.plan_id in members
    )
    regions = [RegionLine(line.region, status_on(lifecycle, today) if lifecycle else Status.ACTIVE,
                          lifecycle.legacy_date if lifecycle else None, lifecycle.pea_date if lifecycle else None,
                          lifecycle.eol_date if lifecycle else None, line.deadline, line.applications)
               for line in campaign_regions(store, today, model_id) for lifecycle in (line.lifecycle,)]
    target = campaign.target_model_id
    evaluations = tuple(store.evaluations(model_id))
    found = verdicts(evaluations, {m.app_name: m.state.target_model_id for m in members.values()},
                     store.thresholds(model_id)) if evaluations else []
    return CampaignView(
        evaluations=evaluations, verdicts=tuple(found),
        shared=shared_lines(store, [row.plan_id for row in rows if row.is_open]),
        campaign=campaign, model_name=names.get(model_id, model_id),
        target_name=names.get(target, target) if target else "", regions=tuple(regions), rows=rows,
        candidates=tuple(_candidates(store, model_id, union_regions(used.values()), today))
        if with_candidates else (),
    )


def _candidates(store: ProjectStore, model_id: str, regions: tuple[str, ...], today: dt.date) -> list[Candidate]:
    from ..catalog.bundled import load_catalog
    from ..domain.campaigns import campaign_candidates

    legacy = store.model(model_id)
    if legacy is None or not regions:
        return []
    recommended = [rid for rep in load_catalog().replacements
                   if rep.legacy_model_id == model_id for rid in rep.recommended_model_ids]
    return campaign_candidates(legacy, regions, store.models(), store.lifecycles(), today, recommended)


# -- overviews grouped by campaign -----------------------------------------------------------


@dataclass(frozen=True)
class CampaignHeader:
    """The head of a campaign's plans in a list grouped by campaign."""

    model_id: str
    model_name: str
    plans: int
    worst_risk: Risk


def group_by_campaign(lines: Iterable[overview.PlanLine]) -> list[overview.PlanLine | CampaignHeader]:
    """Plans (most urgent first) grouped by campaign, each group under its header: campaigns
    in the order of their most urgent plan, plans in theirs within it."""
    groups: dict[str, list[overview.PlanLine]] = {}
    for line in lines:
        groups.setdefault(line.model_id, []).append(line)
    grouped: list[overview.PlanLine | CampaignHeader] = []
    for model_id, plans in groups.items():
        grouped.append(CampaignHeader(model_id, plans[0].model_name, len(plans),
                                      min((p.risk for p in plans), key=lambda risk: risk.rank)))
        grouped.extend(plans)
    return grouped
