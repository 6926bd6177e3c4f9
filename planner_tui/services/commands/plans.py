"""A plan's course: choose its replacement (through its campaign), advance through the
phases, complete, cancel, reopen; and on completion, move the application's dependencies to
the chosen replacement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...domain.campaigns import PlanChoiceKind
from ...domain.eol_checks import past_test_with_failures
from ...domain.schedule import earliest_eol
from ...domain.vocabulary import PHASE_BY_VALUE, PHASES, Closure, Phase
from ...errors import UserInputError
from . import Change, checked_text

if TYPE_CHECKING:
    from ...persistence.store import ProjectStore


def plan_eol(store: ProjectStore, plan_id: int, today: dt.date) -> dt.date | None:
    """The earliest EOL over the Regions the plan covers (None when none is published)."""
    from .. import schedules

    plan = store.plan(plan_id)
    return earliest_eol(schedules.relevant_lifecycles(store, [plan])[plan_id])


@dataclass(frozen=True)
class PlanChoice:
    """What choosing a replacement in one plan did."""

    kind: PlanChoiceKind  # the campaign's decision now, the plan follows it, or its override
    target_model_id: str
    model_id: str  # the plan's (and its campaign's) model
    campaign_target: str | None  # the campaign's decision afterwards
    others: tuple[str, ...] = ()  # other applications that took the target with it (a new decision)


def choose(store: ProjectStore, plan_id: int, model_id: str, reason: str, today: dt.date | None = None, *,
           check: bool = True) -> Change:
    """Choose the plan's replacement, with why, through its campaign: with no decision yet it
    becomes the campaign's, for every application that follows it (the note says so); the
    campaign's own choice makes the plan follow it; another one is this application's
    override, with the reason (the note says so). Undo puts back every plan it touched."""
    from .campaigns import checked_reason, checked_target, restore

    reason = checked_reason(reason) if check else reason.strip()
    if not reason:
        raise UserInputError("say why this model: the reason is recorded with the decision.")
    legacy = store.plan_model(plan_id)
    target = checked_target(store, legacy, model_id)
    kind, edit = store.set_target(plan_id, target, reason, today)
    names = {m.plan_id: m.app_name for m in edit.members}
    others = tuple(sorted(names[p] for p, state in edit.after.plans.items()
                          if p != plan_id and state.target_model_id == target and not state.overridden))
    decision = edit.after.decision
    result = PlanChoice(kind, target, legacy, decision.target_model_id if decision else None, others)
    note = ""
    if kind is PlanChoiceKind.DECISION and len(edit.members) > 1:
        kept = [m for m in edit.members if m.plan_id != plan_id and edit.after.plans.get(m.plan_id, m.state).overridden]
        note = (f"{target} is now the decision of the campaign for {legacy}: "
                + (f"{len(others)} other application(s) take it too ({', '.join(others)})" if others
                   else "no other application takes it")
                + (f"; {len(kept)} keep their own target" if kept else "") + ".")
    elif kind is PlanChoiceKind.OVERRIDE:
        note = (f"The campaign for {legacy} chose {edit.campaign.target_model_id}: {names[plan_id]} overrides it "
                f"with {target} and this reason.")
    return Change(f"choosing {target}", result,
                  lambda: restore(store, legacy, edit.after, edit.before, f"restoring the choice of {names[plan_id]}"),
                  note)


def advance(store: ProjectStore, plan_id: int, today: dt.date, reason: str = "") -> Change:
    """Close the current phase and move to the next, or complete the plan after Rollout.
    With items still open a reason is required; it is kept in the plan's log."""
    checked_text(reason, "reason")
    plan = store.plan(plan_id)
    if plan.closed_on:
        raise UserInputError(f"this plan is closed ({plan.state_label}); reopen it first.")
    if plan.completed_on:
        raise UserInputError("this plan is already complete.")
    open_items = plan.open_items(plan.current_phase)
    if open_items and not reason.strip():
        raise UserInputError(f"{len(open_items)} item(s) of {plan.current_phase.title} are still open: "
                             "give a reason to move on anyway.")
    following = store.advance_phase(plan_id, today, reason)
    verb = f"moving to {following.title}" if following else "completing the plan"
    note = ""
    if following is None or following.index > Phase.TEST.index:
        warning = past_test_with_failures(following or PHASES[-1], following is None,
                                          store.test_results(plan_id))
        note = f"The plan {warning}." if warning else ""
    return Change(verb, following, lambda: step_back(store, plan_id, plan.current_phase, today, reason), note)


def step_back(store: ProjectStore, plan_id: int, phase: Phase, today: dt.date, reason: str = "") -> Change:
    """Return the plan to `phase` (reopening it if it was complete)."""
    store.plan_records.step_back(plan_id, phase)
    return Change(f"returning to {phase.title}", phase, lambda: advance(store, plan_id, today, reason))


def cancel(store: ProjectStore, plan_id: int, reason: str, today: dt.date) -> Change:
    """The application won't migrate: the plan leaves status, dashboard and calendar, with
    the reason kept."""
    checked_text(reason, "reason")
    store.plan_records.close(plan_id, Closure.WONT_MIGRATE, reason, today)
    return Change("cancelling the plan", None, lambda: reopen(store, plan_id))


def reopen(store: ProjectStore, plan_id: int) -> Change:
    """Open a completed, cancelled or closed plan again where it stood."""
    phase, completed_on, closed_on, reason, kind = store.plan_records.state(plan_id)
    plan = store.plan(plan_id)
    if not any(d.model_id == plan.model_id for d in store.dependencies(plan.app_id)):
        raise UserInputError(f"{plan.app_name} no longer uses {plan.model_id}: there is nothing to migrate. "
                             "Add the dependency again to reopen the plan.")
    store.plan_records.reopen(plan_id, "by hand")

    def close_again() -> Change:
        # The plan was closed (always with its kind) or completed: reopen refuses an open one.
        if closed_on:
            assert kind is not None
            store.plan_records.restore_closure(plan_id, closed_on, kind, reason)
        else:
            assert completed_on is not None
            store.plan_records.restore_completion(plan_id, completed_on)
        return Change(f"closing the plan again ({kind or 'complete'})", None, lambda: reopen(store, plan_id))

    return Change(f"reopening the plan in {PHASE_BY_VALUE[phase].title}", None, close_again)


def switch_to_replacement(store: ProjectStore, plan_id: int, today: dt.date) -> Change:
    """Move the application's dependencies on the plan's model to its chosen replacement,
    so it stops counting toward the old model's milestones."""
    plan = store.plan(plan_id)
    if not plan.target_model_id:
        raise UserInputError("no replacement is chosen for this plan (Research: c).")
    before = store.portfolio.switch_model(plan.app_id, plan.model_id, plan.target_model_id, today)
    target = plan.target_model_id
    description = f"switching {plan.app_name} to {target}"

    def switch_back() -> Change:
        store.portfolio.restore(plan.app_id, before, target, today)
        return Change(f"switching {plan.app_name} back to {plan.model_id}", None,
                      lambda: switch_to_replacement(store, plan_id, today))

    return Change(description, len(before), switch_back)
