"""Campaign decisions: choose a replacement once for every application that uses a model,
override it for one application (with its own target and reason), follow it again.

Each use case checks its input, changes the campaign and its plans in one transaction
(repos/campaigns.py, by the rules of domain/campaigns.py) and returns a `Change` whose
inverse puts back the decision and every plan it touched, as they were (refused, and left
as they are, when one of them was changed elsewhere meanwhile).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...domain.campaigns import (
    Campaign,
    CampaignState,
    Decision,
    Member,
    TargetState,
    decide,
    following,
    target_warnings,
)
from ...domain.validation import check_model_id, split_profile
from ...errors import NotFoundError, UserInputError
from . import Change, checked_text

if TYPE_CHECKING:
    from ...persistence.store import CampaignEdit, ProjectStore


@dataclass(frozen=True)
class CampaignChange:
    """What a campaign use case did, for whoever shows it."""

    model_id: str
    target_model_id: str | None  # the target it set (the campaign's, or the override's)
    applied: tuple[str, ...] = ()  # applications whose plan now has this target
    overrides: tuple[tuple[str, str | None], ...] = ()  # (application, its own target) left as they are
    pinned: tuple[tuple[str, str | None], ...] = ()  # completed plans that keep what they moved to
    warnings: tuple[str, ...] = field(default=())
    changed: bool = True  # False: it was so already, nothing was written


def campaign_model(store: ProjectStore, model_or_profile_id: str) -> str:
    """The model of a campaign named by its model ID (or an inference profile ID of it);
    refused when no application has a plan for it."""
    model_id, _ = split_profile(model_or_profile_id.strip())
    if store.campaign(model_id) is None and not store.campaign_members(model_id):
        known = store.model_ids()
        if model_id not in known:
            check_model_id(model_id, known)  # says which model was meant
        raise NotFoundError(f"no application has a plan for {model_id}: there is no campaign for it "
                            "(see 'planner-tui campaigns list').")
    return model_id


def checked_target(store: ProjectStore, model_id: str, target_id: str) -> str:
    """A known model other than the campaign's own."""
    target, _ = split_profile(target_id.strip())
    target = check_model_id(target, store.model_ids())
    if target == model_id:
        raise UserInputError(f"{model_id} cannot replace itself: choose another model.")
    return target


def checked_reason(reason: str) -> str:
    reason = checked_text(reason, "reason").strip()
    if not reason:
        raise UserInputError("say why this model: the reason is recorded with the decision.")
    return reason


def regions_warnings(store: ProjectStore, target_id: str, regions: Sequence[str], today: dt.date) -> list[str]:
    """Where the target is not offered or not Active among `regions`, and its own EOL when
    it is near (domain/campaigns.target_warnings)."""
    target = store.model(target_id)
    if target is None or not regions:
        return []
    return target_warnings(target, regions, store.lifecycles(target_id), today)


def restore(store: ProjectStore, model_id: str, expected: CampaignState, wanted: CampaignState,
            description: str) -> Change:
    """Put the campaign back as `wanted` (the inverse of every change here); its own
    inverse puts `expected` back."""
    store.restore_campaign(model_id, expected, wanted)
    return Change(description, None, lambda: restore(store, model_id, wanted, expected, description))


def _inverse(store: ProjectStore, model_id: str, edit: CampaignEdit):  # noqa: ANN202
    return lambda: restore(store, model_id, edit.after, edit.before, f"restoring the campaign for {model_id}")


def _names(edit: CampaignEdit, plan_ids: Iterable[int]) -> tuple[str, ...]:
    by_id = {m.plan_id: m.app_name for m in edit.members}
    return tuple(sorted(by_id[plan_id] for plan_id in plan_ids))


def choose(store: ProjectStore, model_id: str, target_id: str, reason: str, today: dt.date) -> Change:
    """The campaign's replacement, for every application without an override: each plan that
    follows takes it (a completed one that moved to another model keeps that, as an
    override). A target not Active in some of the applications' Regions, or near its own
    EOL, is taken with a warning."""
    model_id = campaign_model(store, model_id)
    target = checked_target(store, model_id, target_id)
    reason = checked_reason(reason)

    def rule(campaign: Campaign, members: list[Member]) -> tuple[Decision | None, dict[int, TargetState]]:
        decision = campaign.decision
        if decision is None or (decision.target_model_id, decision.reason) != (target, reason):
            decision = Decision(target, reason, today)
        return decision, decide(members, target, reason, today)

    edit = store.change_campaign(model_id, today, rule)
    applied = [m.plan_id for m in edit.members if m.follows and edit.after.plans.get(m.plan_id, m.state)
               == TargetState(target, reason, False)]
    pinned = [(m.app_name, m.state.target_model_id) for m in edit.members
              if edit.after.plans.get(m.plan_id, m.state).overridden and m.follows]
    overrides = [(m.app_name, m.state.target_model_id) for m in edit.members if m.state.overridden]
    regions = sorted({r for regions in store.campaign_regions(model_id).values() for r in regions})
    result = CampaignChange(model_id, target, _names(edit, applied), tuple(overrides), tuple(pinned),
                            tuple(regions_warnings(store, target, regions, today)), edit.changed)
    return Change(f"choosing {target} for the campaign on {model_id}", result, _inverse(store, model_id, edit),
                  choose_note(result))


def choose_note(result: CampaignChange) -> str:
    """How many applications take the decision, which keep their own target, and warnings."""
    if not result.changed:
        parts = [f"{result.target_model_id} is already the campaign's decision; nothing was changed."]
    else:
        count = len(result.applied)
        parts = [f"Applied to {count} application{'s' if count != 1 else ''} without an override."]
    if result.overrides:
        parts.append(f"{len(result.overrides)} override(s) keep their own target: {_pairs(result.overrides)}.")
    if result.pinned:
        parts.append(f"Completed, keeping the replacement they moved to: {_pairs(result.pinned)}.")
    parts += [f"{warning}." for warning in result.warnings]
    return " ".join(parts)


def _pairs(pairs: Sequence[tuple[str, str | None]], limit: int = 5) -> str:
    """'A (x), B (y) and 3 more'."""
    shown = ", ".join(f"{app} ({target or 'none'})" for app, target in pairs[:limit])
    return shown + (f" and {len(pairs) - limit} more" if len(pairs) > limit else "")


def _member(store: ProjectStore, model_id: str, app: str | int) -> Member:
    application = store.application(app)
    member = next((m for m in store.campaign_members(model_id) if m.app_id == application.id), None)
    if member is None:
        raise NotFoundError(f"{application.name} has no plan for {model_id}.")
    return member


def override(store: ProjectStore, model_id: str, app: str | int, target_id: str, reason: str,
             today: dt.date) -> Change:
    """One application's own replacement, with why (another Region, modality or cost): the
    campaign's later decisions leave it as it is until it follows again."""
    model_id = campaign_model(store, model_id)
    target = checked_target(store, model_id, target_id)
    reason = checked_reason(reason)
    member = _member(store, model_id, app)
    wanted = TargetState(target, reason, True)

    def rule(campaign: Campaign, members: list[Member]) -> tuple[Decision | None, dict[int, TargetState]]:
        current = next((m for m in members if m.plan_id == member.plan_id), None)
        if current is None:
            raise NotFoundError(f"{member.app_name} no longer has a plan for {model_id}.")
        return campaign.decision, {} if current.state == wanted else {member.plan_id: wanted}

    edit = store.change_campaign(model_id, today, rule)
    regions = sorted(store.campaign_regions(model_id).get(member.app_id, ()))
    warnings = regions_warnings(store, target, regions, today)
    notes = [f"{warning}." for warning in warnings]
    if edit.campaign.target_model_id == target:
        notes.insert(0, f"{target} is the campaign's decision too; {member.app_name} keeps it as its own, so a "
                        "later decision leaves it as it is.")
    result = CampaignChange(model_id, target, (member.app_name,), warnings=tuple(warnings), changed=edit.changed)
    return Change(f"overriding the campaign's decision for {member.app_name}", result,
                  _inverse(store, model_id, edit), " ".join(notes))


def follow(store: ProjectStore, plan_id: int, today: dt.date | None = None) -> Change:
    """Drop a plan's override: it takes its campaign's decision (none yet: no target)."""
    model_id = store.plan_model(plan_id)
    member = next(m for m in store.campaign_members(model_id) if m.plan_id == plan_id)
    if member.follows:
        raise UserInputError(f"{member.app_name} follows the campaign for {model_id} already.")

    def rule(campaign: Campaign, members: list[Member]) -> tuple[Decision | None, dict[int, TargetState]]:
        return campaign.decision, {plan_id: following(campaign.decision)}

    edit = store.change_campaign(model_id, today, rule)
    decision = edit.after.decision
    result = CampaignChange(model_id, decision.target_model_id if decision else None, (member.app_name,))
    return Change(f"{member.app_name} following the campaign for {model_id}", result,
                  _inverse(store, model_id, edit))


def follow_app(store: ProjectStore, model_id: str, app: str | int, today: dt.date | None = None) -> Change:
    """`follow`, for an application named with the campaign's model."""
    model_id = campaign_model(store, model_id)
    return follow(store, _member(store, model_id, app).plan_id, today)


def follow_all(store: ProjectStore, model_id: str, today: dt.date | None = None) -> Change:
    """Apply the campaign's decision to every application: each override is dropped (its
    plan takes the decision), in one change that undo takes back with every reason kept."""
    model_id = campaign_model(store, model_id)
    campaign = store.campaign(model_id)
    if campaign is None or not campaign.decided:
        raise UserInputError(f"the campaign for {model_id} has no decision yet: choose one first "
                             "('planner-tui campaigns choose').")
    overridden = [m for m in store.campaign_members(model_id) if m.state.overridden and not m.completed]
    if not overridden:
        raise UserInputError(f"every application follows the campaign for {model_id} already.")

    def rule(campaign: Campaign, members: list[Member]) -> tuple[Decision | None, dict[int, TargetState]]:
        return campaign.decision, {m.plan_id: following(campaign.decision) for m in members
                                   if m.state.overridden and not m.completed}

    edit = store.change_campaign(model_id, today, rule)
    decision = edit.after.decision
    result = CampaignChange(model_id, decision.target_model_id if decision else None,
                            _names(edit, [m.plan_id for m in overridden]), changed=edit.changed)
    return Change(f"applying the campaign's decision for {model_id} to every application", result,
                  _inverse(store, model_id, edit))
