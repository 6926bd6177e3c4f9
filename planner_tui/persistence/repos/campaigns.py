"""Campaigns: one per model with plans, owning the replacement decision its plans follow.

A plan's `target_model_id` and `decision_reason` are its effective target: the campaign's
decision for a plan that follows it (`target_overridden` 0), its own otherwise. Every change
of a decision is written to the plans that follow it in the same transaction, each with an
entry in its log. The rules of who takes what are the domain's (domain/campaigns.py); each
write here reads, applies the rule and writes inside one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...domain.campaigns import (
    Campaign,
    CampaignState,
    Choice,
    Decision,
    Member,
    PlanChoiceKind,
    TargetState,
    choose_from_plan,
    day_of,
    decide,
    derive_decision,
    reconcile,
)
from ...domain.validation import check_model_id
from ...errors import ConflictError, NotFoundError
from ..db import _date, _inserted_id, _iso, utc_now
from .catalog import CatalogRepo
from .checklist import share_items
from .evaluations import EvaluationsRepo

if TYPE_CHECKING:
    from sqlite_utils import Database

# Given the campaign and its plans as they are: its decision afterwards and the plans that change.
Rule = Callable[[Campaign, list[Member]], tuple[Decision | None, dict[int, TargetState]]]

_CAMPAIGN_COLUMNS = "id, model_id, target_model_id, decision_reason, decided_on, created_on, version"


@dataclass(frozen=True)
class CampaignEdit:
    """What a change of a campaign found and left."""

    campaign: Campaign  # as it was
    members: list[Member]  # its plans as they were
    before: CampaignState
    after: CampaignState

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _campaign(row: tuple) -> Campaign:
    campaign_id, model_id, target, reason, decided_on, created_on, version = row
    return Campaign(campaign_id, model_id, target, reason, _date(decided_on), _date(created_on), version)


def _event(model_id: str, old: TargetState, new: TargetState) -> tuple[str, str]:
    """The plan log's entry for a plan whose target changed."""
    if new.overridden:
        return "target overridden", f"{new.target_model_id}: {new.reason}"
    if old.overridden:
        return "override dropped", f"follows the campaign for {model_id}: {new.target_model_id or 'no decision yet'}"
    if new.target_model_id is None:
        return "target cleared", f"the campaign for {model_id} has no decision"
    return "target chosen", f"{new.target_model_id}: {new.reason} (the campaign's decision)"


class CampaignsRepo(EvaluationsRepo, CatalogRepo):
    """Relies on CatalogRepo (the models a decision names) and, through it, the core."""

    # -- reads -----------------------------------------------------------------------------

    def campaigns(self) -> list[Campaign]:
        return [_campaign(row) for row in self.conn.execute(
            f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns ORDER BY model_id")]

    def campaign(self, model_id: str) -> Campaign | None:
        row = self.conn.execute(f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns WHERE model_id = ?",
                                [model_id]).fetchone()
        return None if row is None else _campaign(row)

    def campaign_members(self, model_id: str) -> list[Member]:
        """The plans of the model's campaign (every plan on the model), by application name."""
        return [
            Member(plan_id, app_id, name, TargetState(target, reason, bool(overridden)),
                   completed is not None, closed is not None)
            for plan_id, app_id, name, target, reason, overridden, completed, closed in self.conn.execute(
                """SELECT p.id, p.app_id, a.name, p.target_model_id, p.decision_reason, p.target_overridden,
                          p.completed_on, p.closed_on
                   FROM plans p JOIN applications a ON a.id = p.app_id
                   WHERE p.model_id = ? ORDER BY a.name""", [model_id])
        ]

    def plan_model(self, plan_id: int) -> str:
        row = self.conn.execute("SELECT model_id FROM plans WHERE id = ?", [plan_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no plan with id {plan_id}.")
        return row[0]

    def overridden_plans(self) -> set[int]:
        """The plans with a target of their own (an override of their campaign's decision)."""
        return {row[0] for row in self.conn.execute("SELECT id FROM plans WHERE target_overridden = 1")}

    def campaign_regions(self, model_id: str) -> dict[int, set[str]]:
        """Per application with a plan on the model, the Regions it uses the model in."""
        found: dict[int, set[str]] = defaultdict(set)
        for app_id, region in self.conn.execute(
                """SELECT d.app_id, d.region FROM dependencies d
                   JOIN plans p ON p.app_id = d.app_id AND p.model_id = d.model_id
                   WHERE d.model_id = ?""", [model_id]):
            found[app_id].add(region)
        return found

    def campaign_summaries(self) -> list[tuple]:
        """Per model with plans: (model_id, model name, plans, open plans, overrides, decision
        target, reason, decided_on). Counted by SQLite from stored rows (no checklist items);
        the worst risk on a day is OverviewQueries.worst_risk_by_model's."""
        return [tuple(row) for row in self._all_at_once(
            """SELECT json_array(p.model_id, coalesce(m.name, p.model_id), count(*),
                                 sum(p.completed_on IS NULL AND p.closed_on IS NULL), sum(p.target_overridden),
                                 c.target_model_id, coalesce(c.decision_reason, ''), c.decided_on) AS row
               FROM plans p LEFT JOIN campaigns c ON c.model_id = p.model_id
               LEFT JOIN models m ON m.model_id = p.model_id
               GROUP BY p.model_id ORDER BY p.model_id""")]

    def campaign_region_uses(self, model_id: str | None = None) -> list[tuple]:
        """Per model with plans (or this one) and Region its applications use it in: (model_id,
        Region, how many open plans there take their deadline from the lifecycle, the earliest
        deadline set by hand on an open plan there, names of the applications there as JSON)."""
        where, params = ("WHERE p.model_id = ?", [model_id]) if model_id else ("", [])
        return [tuple(row) for row in self._all_at_once(
            f"""SELECT json_array(p.model_id, d.region,
                                  sum(p.completed_on IS NULL AND p.closed_on IS NULL AND p.deadline_override IS NULL),
                                  min(CASE WHEN p.completed_on IS NULL AND p.closed_on IS NULL
                                           THEN p.deadline_override END),
                                  json_group_array(DISTINCT a.name)) AS row
                FROM plans p JOIN dependencies d ON d.app_id = p.app_id AND d.model_id = p.model_id
                JOIN applications a ON a.id = p.app_id {where}
                GROUP BY p.model_id, d.region ORDER BY p.model_id, d.region""", params)]

    # -- writes ----------------------------------------------------------------------------

    def change_campaign(self, model_id: str, today: dt.date | None, rule: Rule) -> CampaignEdit:
        """Apply `rule` to the model's campaign and its plans, and write what it decides, all in
        one transaction. The campaign is made first if the model has plans but none yet."""
        with self._edit() as db:
            campaign_id = self._campaign_id(db, model_id, today)
            campaign = _campaign(db.execute(f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns WHERE id = ?",
                                            [campaign_id]).fetchone())
            members = self.campaign_members(model_id)
            decision, states = rule(campaign, members)
            current = {m.plan_id: m.state for m in members}
            before = CampaignState(campaign.decision, {plan_id: current[plan_id] for plan_id in states})
            after = CampaignState(decision, dict(states))
            self._write_state(db, campaign_id, model_id, before, after)
        return CampaignEdit(campaign, members, before, after)

    def set_target(self, plan_id: int, target_model_id: str, reason: str,
                   today: dt.date | None = None) -> tuple[PlanChoiceKind, CampaignEdit]:
        """Choose a replacement from one plan (domain/campaigns.choose_from_plan): it becomes
        the campaign's decision when there is none, the plan follows the decision when it is
        the same, and otherwise it is the plan's override. The reason given is kept in the
        plan's log either way."""
        target = check_model_id(target_model_id, self.model_ids())
        reason = reason.strip()
        kinds: list[PlanChoiceKind] = []

        def rule(campaign: Campaign, members: list[Member]) -> tuple[Decision | None, dict[int, TargetState]]:
            kind, decision, states = choose_from_plan(campaign, members, plan_id, target, reason,
                                                      today or dt.date.fromisoformat(utc_now()[:10]))
            kinds.append(kind)
            return decision, states

        with self._edit() as db:
            edit = self.change_campaign(self.plan_model(plan_id), today, rule)
            if kinds[0] is PlanChoiceKind.FOLLOWS:
                db.execute("INSERT INTO plan_log (plan_id, at, event, detail) VALUES (?, ?, ?, ?)",
                           [plan_id, utc_now(), "target chosen", f"{target}: {reason} (the campaign's decision "
                            "already: the plan follows it)"])
        return kinds[0], edit

    def restore_campaign(self, model_id: str, expected: CampaignState, wanted: CampaignState) -> None:
        """Put a campaign back as `wanted` (undo, redo) if it still is as `expected` left it;
        otherwise it was changed elsewhere meanwhile and stays as it is (ConflictError)."""
        with self._edit() as db:
            campaign = self.campaign(model_id)
            current = {m.plan_id: m.state for m in self.campaign_members(model_id)}
            if (campaign is None or campaign.id is None or campaign.decision != expected.decision
                    or any(current.get(plan_id) != state for plan_id, state in expected.plans.items())):
                raise ConflictError(f"the campaign for {model_id} was changed since; it was left as it is.")
            self._write_state(db, campaign.id, model_id, CampaignState(expected.decision, current), wanted)

    def _write_state(self, db: Database, campaign_id: int, model_id: str, current: CampaignState,
                     wanted: CampaignState) -> None:
        """Inside an edit: the campaign's decision and its plans' targets as `wanted`, each
        plan that changes with an entry in its log."""
        if wanted.decision != current.decision:
            decision = wanted.decision
            db.execute("""UPDATE campaigns SET target_model_id = ?, decision_reason = ?, decided_on = ?,
                              version = version + 1 WHERE id = ?""",
                       [decision and decision.target_model_id, decision.reason if decision else "",
                        decision and _iso(decision.decided_on), campaign_id])
        self._write_targets(db, model_id, current.plans, wanted.plans)

    @staticmethod
    def _write_targets(db: Database, model_id: str, current: Mapping[int, TargetState],
                       wanted: Mapping[int, TargetState], events: Callable[..., tuple[str, str]] = _event) -> None:
        """The one write of plans' targets: one statement per table for all of them."""
        changed = [(plan_id, state) for plan_id, state in wanted.items() if current.get(plan_id) != state]
        db.conn.executemany(
            "UPDATE plans SET target_model_id = ?, decision_reason = ?, target_overridden = ? WHERE id = ?",
            [(s.target_model_id, s.reason, int(s.overridden), plan_id) for plan_id, s in changed])
        now = utc_now()
        db.conn.executemany(
            "INSERT INTO plan_log (plan_id, at, event, detail) VALUES (?, ?, ?, ?)",
            [(plan_id, now, *events(model_id, current[plan_id], state)) for plan_id, state in changed])

    # -- campaigns made and joined, inside edits ------------------------------------------

    def _campaign_id(self, db: Database, model_id: str, today: dt.date | None, *,
                     created_on: dt.date | None = None) -> int:
        """The model's campaign (made if there is none yet, when the model has plans); plans
        of the model that have not joined it yet join it (`_settle`)."""
        row = db.execute("SELECT id FROM campaigns WHERE model_id = ?", [model_id]).fetchone()
        if row is None:
            if not db.execute("SELECT 1 FROM plans WHERE model_id = ? LIMIT 1", [model_id]).fetchone():
                raise NotFoundError(f"no application has a plan for {model_id}: there is no campaign for it "
                                    "(see 'planner-tui campaigns list').")
            campaign_id = self._new_campaign(db, model_id, created_on or today)
        else:
            campaign_id = row[0]
        if db.execute("SELECT 1 FROM plans WHERE model_id = ? AND campaign_id IS NULL LIMIT 1",
                      [model_id]).fetchone():
            db.execute("UPDATE plans SET campaign_id = ? WHERE model_id = ? AND campaign_id IS NULL",
                       [campaign_id, model_id])
            self._settle(db, campaign_id)
        return campaign_id

    @staticmethod
    def _new_campaign(db: Database, model_id: str, created_on: dt.date | None) -> int:
        """The one write of a new `campaigns` row (no decision yet)."""
        created = created_on or dt.date.fromisoformat(utc_now()[:10])
        return _inserted_id(db.execute("INSERT INTO campaigns (model_id, created_on) VALUES (?, ?)",
                                       [model_id, created.isoformat()]))

    def _campaign_ids(self, db: Database, model_ids: Iterable[str], today: dt.date) -> dict[str, int]:
        """Inside an edit: the campaign of each model, made where there is none (plans about
        to be written join them)."""
        found = {}
        for model_id in sorted(set(model_ids)):
            row = db.execute("SELECT id FROM campaigns WHERE model_id = ?", [model_id]).fetchone()
            found[model_id] = row[0] if row else self._new_campaign(db, model_id, today)
        return found

    def _settle(self, db: Database, campaign_id: int, wanted: Decision | None = None) -> None:
        """Inside an edit, after plans joined a campaign with targets of their own (an import,
        rows written by other means): a campaign without a decision takes `wanted`, or else
        the one its plans' own choices make (domain/campaigns.derive_decision); then each plan
        that follows it and has another target keeps that as an override, and the others
        take the decision."""
        campaign = _campaign(db.execute(f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns WHERE id = ?",
                                        [campaign_id]).fetchone())
        members = self.campaign_members(campaign.model_id)
        decision = campaign.decision
        if decision is None:
            decision = wanted or self._derived(db, members)
        current = {m.plan_id: m.state for m in members}
        self._write_state(db, campaign_id, campaign.model_id, CampaignState(campaign.decision, current),
                          CampaignState(decision, reconcile(members, decision)))
        share_items(db, campaign_id)  # their Assess, Research and Test items join the shared ones

    def _follow_decisions(self, db: Database, plan_ids: list[int]) -> None:
        """Inside an edit: these plans (put back as they were by an undo) that follow their
        campaign take its decision as it is now."""
        for model_id in sorted({row[0] for row in db.execute(
                "SELECT model_id FROM plans WHERE id IN (SELECT value FROM json_each(?)) AND campaign_id IS NOT NULL",
                [f"[{','.join(map(str, plan_ids))}]"])}):
            campaign = self.campaign(model_id)
            if campaign is None or campaign.id is None:
                continue
            members = [m for m in self.campaign_members(model_id) if m.plan_id in plan_ids]
            decision = campaign.decision
            states = (decide(members, decision.target_model_id, decision.reason) if decision is not None
                      else reconcile(members, None))
            self._write_targets(db, model_id, {m.plan_id: m.state for m in members}, states)

    @staticmethod
    def _derived(db: Database, members: list[Member]) -> Decision | None:
        """The decision the plans' own choices make, dated by the choice it takes."""
        chosen = [m for m in members if m.follows and m.state.target_model_id]
        if not chosen:
            return None
        decided_at = dict(db.execute(
            """SELECT plan_id, max(at) FROM plan_log WHERE event = 'target chosen'
               AND plan_id IN (SELECT value FROM json_each(?)) GROUP BY plan_id""",
            [f"[{','.join(str(m.plan_id) for m in chosen)}]"]).fetchall())
        choice = derive_decision(Choice(m.plan_id, m.state.target_model_id or "", m.state.reason,
                                        decided_at.get(m.plan_id)) for m in chosen)
        assert choice is not None
        return Decision(choice.target_model_id, choice.reason, day_of(choice.decided_at))
