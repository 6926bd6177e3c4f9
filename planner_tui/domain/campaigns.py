"""Campaigns: one migration per retiring model, across every application that uses it.

A campaign owns the replacement decision, made once. Each application's plan follows it
unless the plan overrides it with its own target and reason (another Region, modality or
cost). A plan's stored target is always its *effective* target: a decision is written to
every plan that follows it, so every reader of a plan's target keeps working.

Pure rules on plain records: no I/O, no clock, no pydantic (the campaign list is read on
paths that load none).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from .vocabulary import Phase, Status

if TYPE_CHECKING:
    from .candidates import Candidate
    from .models import FoundationModel, RegionalLifecycle
    from .schedule import Risk


@dataclass(frozen=True, slots=True)
class Campaign:
    """The migration off one model (its ID, across all its Regions and access paths)."""

    id: int | None
    model_id: str
    target_model_id: str | None = None
    decision_reason: str = ""
    decided_on: dt.date | None = None
    created_on: dt.date | None = None
    version: int = 0  # bumped by every saved change of the decision

    @property
    def decided(self) -> bool:
        return self.target_model_id is not None

    @property
    def decision(self) -> Decision | None:
        if self.target_model_id is None:
            return None
        return Decision(self.target_model_id, self.decision_reason, self.decided_on)


@dataclass(frozen=True, slots=True)
class Decision:
    """A campaign's choice of replacement, with why and when."""

    target_model_id: str
    reason: str
    decided_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class TargetState:
    """What a plan holds of its replacement: its effective target and reason, and whether
    they are its own (an override) rather than its campaign's."""

    target_model_id: str | None
    reason: str
    overridden: bool


@dataclass(frozen=True, slots=True)
class Member:
    """A plan as its campaign sees it."""

    plan_id: int
    app_id: int
    app_name: str
    state: TargetState
    completed: bool = False
    closed: bool = False

    @property
    def follows(self) -> bool:
        return not self.state.overridden


def following(decision: Decision | None) -> TargetState:
    """The state of a plan that follows a campaign with this decision (none: no target)."""
    if decision is None:
        return TargetState(None, "", False)
    return TargetState(decision.target_model_id, decision.reason, False)


def effective_target(campaign: Campaign, state: TargetState) -> tuple[str | None, str]:
    """(target, reason) of a plan: its own with an override, else its campaign's decision."""
    if state.overridden:
        return state.target_model_id, state.reason
    return campaign.target_model_id, campaign.decision_reason if campaign.decided else ""


def decide(members: Iterable[Member], target_model_id: str, reason: str,
           decided_on: dt.date | None = None) -> dict[int, TargetState]:
    """The plans' new states when the campaign decides on `target_model_id`: every plan
    without an override takes it, except a completed one that migrated to another
    replacement, which keeps it as an override (what it moved to is history). Only the
    plans that change are returned."""
    decision = Decision(target_model_id, reason, decided_on)
    changed = {}
    for member in members:
        if member.state.overridden:
            continue
        own = member.state.target_model_id
        if member.completed and own is not None and own != target_model_id:
            wanted = TargetState(own, member.state.reason, True)
        else:
            wanted = following(decision)
        if wanted != member.state:
            changed[member.plan_id] = wanted
    return changed


def reconcile(members: Iterable[Member], decision: Decision | None) -> dict[int, TargetState]:
    """Plans joining a campaign with the targets they already had (an older project, a
    version 1 document): one whose target differs from the decision keeps it as an
    override, with its reason; one with no target, or the decision's, follows the decision.
    Only the plans that change are returned."""
    changed = {}
    for member in members:
        if member.state.overridden:
            continue
        own = member.state.target_model_id
        if own is None or (decision is not None and own == decision.target_model_id):
            wanted = following(decision)
        else:
            wanted = TargetState(own, member.state.reason, True)
        if wanted != member.state:
            changed[member.plan_id] = wanted
    return changed


@dataclass(frozen=True, slots=True)
class Choice:
    """A plan's own choice of replacement, as an older project or document holds it."""

    plan_id: int
    target_model_id: str
    reason: str
    decided_at: str | None = None  # when it was chosen (ISO timestamp), when known


def derive_decision(choices: Iterable[Choice]) -> Choice | None:
    """The campaign's decision made from the plans' own choices: the most common target;
    between targets chosen as often, the one decided first (then the lowest plan id). The
    reason is that of the plan that decided it first."""
    choices = list(choices)
    if not choices:
        return None
    counts = Counter(c.target_model_id for c in choices)

    def first(choice: Choice) -> tuple[bool, str, int]:
        return choice.decided_at is None, choice.decided_at or "", choice.plan_id

    earliest: dict[str, Choice] = {}
    for choice in sorted(choices, key=first):
        earliest.setdefault(choice.target_model_id, choice)
    return min(earliest.values(), key=lambda c: (-counts[c.target_model_id], *first(c)))


def day_of(moment: str | None) -> dt.date | None:
    """The day of a logged moment ('2026-11-02T09:15:00+00:00'); None when there is none
    or it reads as no date (an imported log may hold any text)."""
    try:
        return dt.date.fromisoformat(moment[:10]) if moment else None
    except ValueError:
        return None


class PlanChoiceKind(StrEnum):
    """What choosing a replacement from one plan does to its campaign."""

    DECISION = "campaign decision"  # the campaign had none: this becomes it, for every follower
    FOLLOWS = "follows"  # the campaign's decision already: the plan follows it
    OVERRIDE = "override"  # another target than the campaign's: the plan's own


def plan_choice_kind(campaign: Campaign, target_model_id: str) -> PlanChoiceKind:
    if not campaign.decided:
        return PlanChoiceKind.DECISION
    if campaign.target_model_id == target_model_id:
        return PlanChoiceKind.FOLLOWS
    return PlanChoiceKind.OVERRIDE


def choose_from_plan(campaign: Campaign, members: Sequence[Member], plan_id: int, target_model_id: str,
                     reason: str, decided_on: dt.date | None) -> tuple[PlanChoiceKind, Decision | None,
                                                                     dict[int, TargetState]]:
    """Choosing a replacement in one plan (the plan workspace's `c`, `plans choose`): with no
    decision yet it becomes the campaign's, for every plan that follows; the campaign's own
    choice makes the plan follow it; another one is the plan's override. Returns what it
    is, the campaign's decision after it, and the plans that change."""
    member = next((m for m in members if m.plan_id == plan_id), None)
    if member is None:
        raise ValueError(f"plan {plan_id} is not one of the campaign's")
    kind = plan_choice_kind(campaign, target_model_id)
    decision = campaign.decision
    if kind is PlanChoiceKind.DECISION:
        decision = Decision(target_model_id, reason, decided_on)
        changed = decide((m for m in members if m.plan_id != plan_id), target_model_id, reason, decided_on)
        wanted = following(decision)
    elif kind is PlanChoiceKind.FOLLOWS:
        changed, wanted = {}, following(decision)
    else:
        changed, wanted = {}, TargetState(target_model_id, reason, True)
    if wanted != member.state:
        changed[plan_id] = wanted
    return kind, decision, changed


@dataclass(frozen=True, slots=True)
class CampaignState:
    """A campaign's decision and some of its plans' targets, as they are at one moment:
    what a change found and what it left (undo puts one back once the other still holds)."""

    decision: Decision | None
    plans: Mapping[int, TargetState]


# -- what a campaign's overview shows ------------------------------------------------------


def deadlines_by_region(entries: Iterable[tuple[str, dt.date | None]]) -> dict[str, dt.date]:
    """The campaign's deadline per Region: the earliest of its applications' deadlines there
    (`entries`: (Region, an application's deadline in it)). Regions without one are left out."""
    found: dict[str, dt.date] = {}
    for region, deadline in entries:
        if deadline is not None and (region not in found or deadline < found[region]):
            found[region] = deadline
    return found


def deadline_summary(deadlines: Mapping[str, dt.date], limit: int = 3) -> str:
    """'2026-12-01 (eu-west-1); 2027-01-08 (us-east-1, us-east-2 +3)': Regions grouped by
    deadline, earliest first."""
    by_date: dict[dt.date, list[str]] = {}
    for region, deadline in deadlines.items():
        by_date.setdefault(deadline, []).append(region)
    parts = []
    for deadline in sorted(by_date):
        regions = sorted(by_date[deadline])
        shown = ", ".join(regions[:limit]) + (f" +{len(regions) - limit}" if len(regions) > limit else "")
        parts.append(f"{deadline} ({shown})")
    return "; ".join(parts)


def union_regions(regions_per_application: Iterable[Iterable[str]]) -> tuple[str, ...]:
    """Every Region any dependent application uses the model in, sorted."""
    return tuple(sorted({region for regions in regions_per_application for region in regions}))


def campaign_candidates(legacy: FoundationModel, regions: Sequence[str], models: Iterable[FoundationModel],
                        lifecycles: Iterable[RegionalLifecycle], today: dt.date,
                        recommended_ids: Iterable[str] = ()) -> list[Candidate]:
    """Candidates Active in the union of the dependents' Regions (domain/candidates.py's
    rules: modalities, streaming, not near their own EOL)."""
    from .candidates import find_candidates

    return find_candidates(legacy, regions, models, lifecycles, today, recommended_ids)


def target_warnings(target: FoundationModel, regions: Sequence[str], lifecycles: Iterable[RegionalLifecycle],
                    today: dt.date, min_days: int | None = None) -> list[str]:
    """Why `target` may not serve every application: Regions where it is not offered or not
    Active, and an EOL of its own within `min_days` (the candidates' rule). A warning, not a
    refusal: an application may reach it another way."""
    from .candidates import MIN_DAYS_BEFORE_OWN_EOL
    from .lifecycle import index_by_region, status_on

    min_days = MIN_DAYS_BEFORE_OWN_EOL if min_days is None else min_days
    by_region = index_by_region(lifecycles)
    offered = set(target.regions) | set(target.cross_region_regions)
    missing = [r for r in regions if r not in offered and (target.model_id, r) not in by_region]
    inactive: dict[Status, list[str]] = {}
    eols = []
    for region in regions:
        lifecycle = by_region.get((target.model_id, region))
        if lifecycle is None:
            continue
        status = status_on(lifecycle, today)
        if status is not Status.ACTIVE:
            inactive.setdefault(status, []).append(region)
        if lifecycle.eol_date:
            eols.append(lifecycle.eol_date)
    warnings = []
    if missing:
        warnings.append(f"{target.model_id} is not offered in {', '.join(missing)}")
    for status, where in inactive.items():
        warnings.append(f"{target.model_id} is {status.value} in {', '.join(where)}")
    own_eol = min(eols, default=None)
    # An EOL already passed shows as a Region where it is not Active.
    if own_eol is not None and today < own_eol and (own_eol - today).days < min_days:
        warnings.append(f"{target.model_id} reaches its own EOL on {own_eol}, within {min_days} days")
    return warnings


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One application of a campaign: where its part of the migration stands."""

    plan_id: int
    app_id: int
    app_name: str
    regions: tuple[str, ...]
    phase: Phase
    state_label: str  # the current phase, or 'complete', 'no longer needed', "won't migrate"
    is_open: bool
    progress: float
    risk: Risk
    next_due: dt.date | None
    deadline: dt.date | None
    blockers: tuple[str, ...]  # the open items of its current phase
    target_model_id: str | None  # effective
    follows: bool
    reason: str  # the override's reason ('' when it follows)

    @property
    def override_target(self) -> str | None:
        return None if self.follows else self.target_model_id


def blockers(is_open: bool, open_items_of_current_phase: Sequence[str]) -> tuple[str, ...]:
    """What holds an application back: the open items of its current phase (none once its
    plan has ended)."""
    return tuple(open_items_of_current_phase) if is_open else ()


def matrix_row(member: Member, regions: Iterable[str], phase: Phase, state_label: str, is_open: bool,
               progress: float, risk: Risk, next_due: dt.date | None, deadline: dt.date | None,
               open_items_of_current_phase: Sequence[str]) -> MatrixRow:
    return MatrixRow(
        plan_id=member.plan_id, app_id=member.app_id, app_name=member.app_name, regions=tuple(sorted(regions)),
        phase=phase, state_label=state_label, is_open=is_open, progress=progress, risk=risk,
        next_due=next_due, deadline=deadline, blockers=blockers(is_open, open_items_of_current_phase),
        target_model_id=member.state.target_model_id, follows=member.follows,
        reason=member.state.reason if member.state.overridden else "")
