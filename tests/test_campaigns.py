"""Issue 21: campaigns, one migration per retiring model across every application that uses it.
The domain's rules with real dates of the bundled catalog, and the use cases with their undo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planner_tui.catalog.bundled import load_catalog
from planner_tui.domain.campaigns import (
    Campaign,
    Choice,
    Decision,
    Member,
    PlanChoiceKind,
    TargetState,
    campaign_candidates,
    deadline_summary,
    deadlines_by_region,
    decide,
    derive_decision,
    effective_target,
    reconcile,
    target_warnings,
)
from planner_tui.domain.models import Application, Dependency, Phase
from planner_tui.domain.schedule import plan_deadline
from planner_tui.domain.settings import ScheduleSettings
from planner_tui.errors import ConflictError, NotFoundError, UserInputError
from planner_tui.persistence.store import ProjectStore
from planner_tui.services.campaign_view import campaign_rows, load_campaign_view
from planner_tui.services.commands import campaigns, plans, workspace
from planner_tui.services.project import open_project

from .conftest import TODAY

SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0"
OPUS_45 = "anthropic.claude-opus-4-5-20251101-v1:0"
NOVA_PRO = "amazon.nova-pro-v1:0"
HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0"
JAMBA = "ai21.jamba-1-5-large-v1:0"
SONNET_35 = "anthropic.claude-3-5-sonnet-20240620-v1:0"
SONNET_35_DAY = dt.date(2026, 1, 10)  # eu-central-2 is in PEA already, ap-northeast-1 not yet


def _member(plan_id: int, target: str | None, overridden: bool = False, completed: bool = False,
            reason: str = "own") -> Member:
    return Member(plan_id, plan_id, f"app {plan_id}", TargetState(target, reason if target else "", overridden),
                  completed)


# -- domain rules ----------------------------------------------------------------------------


def test_a_plan_follows_its_campaign_unless_it_overrides_it() -> None:
    campaign = Campaign(1, SONNET_45, HAIKU_45, "cheaper", TODAY)
    assert effective_target(campaign, TargetState(HAIKU_45, "cheaper", False)) == (HAIKU_45, "cheaper")
    assert effective_target(campaign, TargetState(OPUS_45, "reasoning", True)) == (OPUS_45, "reasoning")
    assert effective_target(Campaign(1, SONNET_45), TargetState(None, "", False)) == (None, "")


def test_a_decision_reaches_every_follower_and_no_override() -> None:
    members = [_member(1, None), _member(2, HAIKU_45, reason="cheaper"), _member(3, OPUS_45, overridden=True),
               _member(4, NOVA_PRO, completed=True)]
    changed = decide(members, OPUS_45, "evals", TODAY)
    assert changed[1] == changed[2] == TargetState(OPUS_45, "evals", False)
    assert 3 not in changed  # the override keeps its own target and reason
    assert changed[4] == TargetState(NOVA_PRO, "own", True)  # completed: keeps what it moved to


def test_plans_joining_with_their_own_choices_keep_the_differing_ones_as_overrides() -> None:
    members = [_member(1, None), _member(2, HAIKU_45, reason="mine"), _member(3, OPUS_45, reason="deeper")]
    changed = reconcile(members, Decision(HAIKU_45, "cheaper"))
    assert changed[1] == TargetState(HAIKU_45, "cheaper", False)
    assert changed[2] == TargetState(HAIKU_45, "cheaper", False)  # the same target: follows, with its reason
    assert changed[3] == TargetState(OPUS_45, "deeper", True)


def test_the_decision_made_from_plans_is_the_most_common_target_then_the_earliest() -> None:
    assert derive_decision([]) is None
    most = derive_decision([Choice(1, HAIKU_45, "a", "2026-10-01T00:00:00Z"), Choice(2, OPUS_45, "b"),
                            Choice(3, OPUS_45, "c", "2026-11-01T00:00:00Z")])
    assert (most.target_model_id, most.reason) == (OPUS_45, "c")  # the earliest decided of its plans
    tie = derive_decision([Choice(5, OPUS_45, "late", "2026-11-02T00:00:00Z"),
                           Choice(7, HAIKU_45, "early", "2026-11-01T00:00:00Z")])
    assert (tie.target_model_id, tie.reason) == (HAIKU_45, "early")
    undated = derive_decision([Choice(9, OPUS_45, "nine"), Choice(4, HAIKU_45, "four")])
    assert undated.target_model_id == HAIKU_45  # the lowest plan id


def test_the_campaign_deadline_per_region_is_the_earliest_of_its_applications() -> None:
    """Claude 3.5 Sonnet (June 2024) retires on different dates per Region group: on
    2026-01-10 eu-central-2 is past its PEA start (deadline EOL 2026-06-01 minus 14 days),
    ap-northeast-1 not yet (deadline its PEA start 2026-04-30)."""
    catalog = load_catalog()
    settings = ScheduleSettings()
    groups = {r: lc for lc in catalog.lifecycles if lc.model_id == SONNET_35 for r in lc.regions}

    def deadline(region: str, by_hand: dt.date | None = None) -> dt.date | None:
        found = plan_deadline([groups[region]], SONNET_35_DAY, settings, by_hand)
        return found.date if found else None

    applications = [("ap-northeast-1", deadline("ap-northeast-1")), ("eu-central-2", deadline("eu-central-2")),
                    ("eu-central-2", deadline("eu-central-2", dt.date(2026, 3, 1)))]
    found = deadlines_by_region(applications)
    assert found == {"ap-northeast-1": dt.date(2026, 4, 30), "eu-central-2": dt.date(2026, 3, 1)}
    assert deadline_summary(found) == "2026-03-01 (eu-central-2); 2026-04-30 (ap-northeast-1)"


def test_candidates_are_active_in_the_union_of_the_dependents_regions() -> None:
    catalog = load_catalog()
    legacy = next(m for m in catalog.models if m.model_id == SONNET_45)
    per_app = [("us-east-1",), ("eu-west-1", "us-west-2"), ("ap-southeast-5",)]

    def ids(regions: tuple[str, ...]) -> set[str]:
        return {c.model.model_id for c in campaign_candidates(legacy, regions, catalog.models, catalog.lifecycles,
                                                              TODAY)}

    union = ids(tuple(sorted({r for regions in per_app for r in regions})))
    assert union == set.intersection(*(ids(regions) for regions in per_app))
    assert union < ids(("us-east-1",))  # a model of us-east-1 only is no candidate for all


def test_a_target_not_active_everywhere_or_near_its_own_eol_is_named() -> None:
    catalog = load_catalog()
    model = {m.model_id: m for m in catalog.models}
    regions = ("eu-west-1", "us-east-1", "us-west-2")
    assert target_warnings(model[HAIKU_45], regions, catalog.lifecycles, TODAY) == []
    retired = target_warnings(model[HAIKU_3], regions, catalog.lifecycles, TODAY)
    assert retired == [f"{HAIKU_3} is EOL in eu-west-1, us-east-1, us-west-2"]
    assert target_warnings(model[JAMBA], regions, catalog.lifecycles, dt.date(2026, 3, 1)) == [
        f"{JAMBA} is not offered in eu-west-1, us-west-2"]
    near = target_warnings(model[SONNET_45], ("us-east-1",), catalog.lifecycles, dt.date(2026, 9, 1))
    assert near == [] and target_warnings(model[SONNET_45], ("us-east-1",), catalog.lifecycles,
                                          dt.date(2027, 2, 1)) == [
        f"{SONNET_45} is PEA in us-east-1", f"{SONNET_45} reaches its own EOL on 2027-04-08, within 90 days"]


# -- use cases on the example project ---------------------------------------------------------


def _states(store: ProjectStore, model_id: str = SONNET_45) -> dict[str, TargetState]:
    return {m.app_name: m.state for m in store.campaign_members(model_id)}


def test_the_demo_has_one_decision_for_sonnet_45_and_one_override(demo_store: ProjectStore) -> None:
    campaign = demo_store.campaign(SONNET_45)
    assert (campaign.target_model_id, campaign.decided_on) == (HAIKU_45, TODAY)
    states = _states(demo_store)
    assert states["Support Copilot"] == states["Sales Email Drafts"] == TargetState(
        HAIKU_45, campaign.decision_reason, False)
    assert states["Code Review Bot"].overridden and states["Code Review Bot"].target_model_id == OPUS_45
    assert "Haiku 4.5" in states["Code Review Bot"].reason


def test_choosing_once_applies_to_all_three_and_an_override_keeps_its_own(demo_store: ProjectStore) -> None:
    store = demo_store
    review = next(m for m in store.campaign_members(SONNET_45) if m.app_name == "Code Review Bot")
    campaigns.follow(store, review.plan_id, TODAY)
    change = campaigns.choose(store, SONNET_45, NOVA_PRO, "one model for every team", TODAY)
    assert set(_states(store).values()) == {TargetState(NOVA_PRO, "one model for every team", False)}
    assert change.note.startswith("Applied to 3 applications without an override.")
    assert change.result.applied == ("Code Review Bot", "Sales Email Drafts", "Support Copilot")
    # Every reader of a plan's target sees the decision.
    assert {p.target_model_id for p in store.plans(with_items=False) if p.model_id == SONNET_45} == {NOVA_PRO}

    campaigns.override(store, SONNET_45, "Code Review Bot", OPUS_45, "needs deeper reasoning", TODAY)
    again = campaigns.choose(store, SONNET_45, HAIKU_45, "half the price", TODAY)
    states = _states(store)
    assert states["Code Review Bot"] == TargetState(OPUS_45, "needs deeper reasoning", True)
    assert states["Support Copilot"] == states["Sales Email Drafts"] == TargetState(HAIKU_45, "half the price", False)
    assert "1 override(s) keep their own target: Code Review Bot" in again.note
    log = [e["event"] for e in store.plan_log(review.plan_id)]
    assert log[-3:] == ["override dropped", "target chosen", "target overridden"]
    history = [e.describe() for e in store.audit_trail(limit=20) if e.table_name == "campaigns"]
    assert any("target model" in line and HAIKU_45 in line for line in history)


def test_undo_of_a_decision_restores_every_plan_it_touched_and_redo_makes_it_again(
        demo_store: ProjectStore) -> None:
    store = demo_store
    before, campaign = _states(store), store.campaign(SONNET_45)
    change = campaigns.choose(store, SONNET_45, NOVA_PRO, "cheapest", TODAY + dt.timedelta(days=1))
    after = _states(store)
    redo = change.inverse()
    assert _states(store) == before
    assert store.campaign(SONNET_45).decision == campaign.decision
    redo.inverse()
    assert _states(store) == after and store.campaign(SONNET_45).target_model_id == NOVA_PRO


def test_undo_refuses_when_a_plan_changed_elsewhere_meanwhile(demo_store: ProjectStore) -> None:
    store = demo_store
    change = campaigns.choose(store, SONNET_45, NOVA_PRO, "cheapest", TODAY)
    campaigns.override(store, SONNET_45, "Sales Email Drafts", OPUS_45, "batch quality", TODAY)
    with pytest.raises(ConflictError, match="changed since"):
        change.inverse()
    assert _states(store)["Sales Email Drafts"].target_model_id == OPUS_45


def test_override_and_follow_are_undone_exactly(demo_store: ProjectStore) -> None:
    store = demo_store
    before = _states(store)
    override = campaigns.override(store, SONNET_45, "Sales Email Drafts", NOVA_PRO, "batch cost", TODAY)
    assert _states(store)["Sales Email Drafts"] == TargetState(NOVA_PRO, "batch cost", True)
    override.inverse()
    assert _states(store) == before
    follow = campaigns.follow_app(store, SONNET_45, "Code Review Bot", TODAY)
    assert _states(store)["Code Review Bot"] == _states(store)["Support Copilot"]
    follow.inverse()
    assert _states(store) == before


@pytest.mark.parametrize(("args", "error", "message"), [
    ((SONNET_45, "nope.model-v1:0", "r"), UserInputError, "unknown model ID"),
    ((SONNET_45, SONNET_45, "r"), UserInputError, "cannot replace itself"),
    ((SONNET_45, HAIKU_45, "  "), UserInputError, "say why"),
    ((NOVA_PRO, HAIKU_45, "r"), NotFoundError, "no application has a plan for amazon.nova-pro-v1:0"),
    (("nope.model-v1:0", HAIKU_45, "r"), UserInputError, "unknown model ID"),
])
def test_choose_refuses_and_changes_nothing(demo_store: ProjectStore, args, error, message) -> None:
    before = _states(demo_store)
    with pytest.raises(error, match=message):
        campaigns.choose(demo_store, *args, TODAY)
    assert _states(demo_store) == before


def test_refusals_of_override_and_follow(demo_store: ProjectStore) -> None:
    with pytest.raises(NotFoundError, match="no application named"):
        campaigns.override(demo_store, SONNET_45, "Nobody", OPUS_45, "r", TODAY)
    with pytest.raises(NotFoundError, match="Contract Review has no plan for"):
        campaigns.override(demo_store, SONNET_45, "Contract Review", OPUS_45, "r", TODAY)
    with pytest.raises(UserInputError, match="follows the campaign .* already"):
        campaigns.follow_app(demo_store, SONNET_45, "Support Copilot", TODAY)


def test_a_target_not_active_in_some_regions_is_chosen_with_a_warning(demo_store: ProjectStore) -> None:
    change = campaigns.choose(demo_store, SONNET_45, JAMBA, "long context", TODAY)
    assert f"{JAMBA} is not offered in eu-west-1, us-east-2, us-west-2" in change.note
    assert f"{JAMBA} reaches its own EOL on 2026-11-26" in change.note
    assert _states(demo_store)["Support Copilot"].target_model_id == JAMBA


def test_a_completed_plan_keeps_the_replacement_it_moved_to(demo_store: ProjectStore) -> None:
    store = demo_store
    tagging = store.campaign_members(HAIKU_3)[0]
    assert tagging.completed and tagging.state.target_model_id == HAIKU_45
    change = campaigns.choose(store, HAIKU_3, NOVA_PRO, "cheaper", TODAY)
    assert _states(store, HAIKU_3)["Image Tagging"] == TargetState(HAIKU_45, tagging.state.reason, True)
    assert change.result.pinned == (("Image Tagging", HAIKU_45),)
    change.inverse()
    assert _states(store, HAIKU_3)["Image Tagging"] == tagging.state


# -- choosing from a plan (the workspace's c, `plans choose`) ------------------------------


@pytest.fixture
def two_apps(db_path: Path):
    store = open_project(db_path)
    for name, region in (("Alpha", "us-east-1"), ("Beta", "eu-west-1")):
        store.add_application(Application(name=name), [Dependency(app_id=0, model_id=SONNET_45, region=region)],
                              today=TODAY)
    yield store
    store.close()


def _plan(store: ProjectStore, app: str) -> int:
    return next(m.plan_id for m in store.campaign_members(SONNET_45) if m.app_name == app)


def test_choosing_in_a_plan_without_a_decision_makes_the_campaigns(two_apps: ProjectStore) -> None:
    store = two_apps
    change = workspace.choose_replacement(store, _plan(store, "Alpha"), HAIKU_45, "half the price")
    assert change.result.kind is PlanChoiceKind.DECISION and change.result.others == ("Beta",)
    assert "now the decision of the campaign" in change.note and "(Beta)" in change.note
    assert set(_states(store).values()) == {TargetState(HAIKU_45, "half the price", False)}
    change.inverse()
    assert set(_states(store).values()) == {TargetState(None, "", False)}
    assert store.campaign(SONNET_45).decision is None


def test_choosing_the_decision_follows_it_and_another_target_overrides(two_apps: ProjectStore) -> None:
    store = two_apps
    alpha, beta = _plan(store, "Alpha"), _plan(store, "Beta")
    plans.choose(store, alpha, HAIKU_45, "half the price", TODAY)
    same = plans.choose(store, beta, HAIKU_45, "agreed", TODAY)
    assert same.result.kind is PlanChoiceKind.FOLLOWS and same.note == ""
    assert "agreed" in store.plan_log(beta)[-1]["detail"]  # the reason given is kept in the plan's log
    other = plans.choose(store, beta, OPUS_45, "EU latency", TODAY)
    assert other.result.kind is PlanChoiceKind.OVERRIDE
    assert "overrides it with" in other.note
    assert _states(store) == {"Alpha": TargetState(HAIKU_45, "half the price", False),
                              "Beta": TargetState(OPUS_45, "EU latency", True)}
    other.inverse()
    assert _states(store)["Beta"] == TargetState(HAIKU_45, "half the price", False)


def test_a_new_application_joins_the_campaign_and_follows_its_decision(two_apps: ProjectStore) -> None:
    store = two_apps
    campaigns.choose(store, SONNET_45, HAIKU_45, "half the price", TODAY)
    store.add_application(Application(name="Gamma"), [Dependency(app_id=0, model_id=SONNET_45,
                                                                 region="us-west-2")], today=TODAY)
    assert _states(store)["Gamma"] == TargetState(HAIKU_45, "half the price", False)
    gamma = _plan(store, "Gamma")
    assert store.plan(gamma).target_model_id == HAIKU_45
    assert store.plan_log(gamma)[-1]["event"] == "target chosen"


def test_plans_written_without_a_campaign_join_one_when_it_is_used(two_apps: ProjectStore) -> None:
    """Rows written by other means (a benchmark's bulk insert) are listed by their model, and
    join its campaign when it is first changed: their own choices make its decision (as an
    older project's do), which the change then replaces for every follower."""
    store = two_apps
    with store.batch() as db:
        db.execute("UPDATE plans SET campaign_id = NULL")
        db.execute("DELETE FROM campaigns")
        db.execute("UPDATE plans SET target_model_id = ?, decision_reason = 'own' WHERE id = ?",
                   [OPUS_45, _plan(store, "Beta")])
    assert [r.target_model_id for r in campaign_rows(store, TODAY)] == [None]
    change = campaigns.choose(store, SONNET_45, HAIKU_45, "half the price", TODAY)
    assert set(_states(store).values()) == {TargetState(HAIKU_45, "half the price", False)}
    change.inverse()
    assert store.campaign(SONNET_45).target_model_id == OPUS_45  # as the plans' own choices made it
    assert set(_states(store).values()) == {TargetState(OPUS_45, "own", False)}


# -- the read model ----------------------------------------------------------------------------


def test_the_campaign_view_has_regions_decision_candidates_and_a_row_per_application(
        demo_store: ProjectStore) -> None:
    view = load_campaign_view(demo_store, SONNET_45, TODAY)
    assert [line.region for line in view.regions] == ["eu-west-1", "us-east-1", "us-east-2", "us-west-2"]
    assert {line.deadline for line in view.regions} == {dt.date(2027, 1, 8)}  # PEA start, still ahead
    assert view.regions[1].applications == ("Code Review Bot", "Sales Email Drafts", "Support Copilot")
    assert view.campaign.target_model_id == HAIKU_45 and view.target_name == "Claude Haiku 4.5"
    assert HAIKU_45 in {c.model.model_id for c in view.candidates}
    rows = {row.app_name: row for row in view.rows}
    assert rows["Code Review Bot"].override_target == OPUS_45 and rows["Code Review Bot"].reason
    assert rows["Support Copilot"].follows and rows["Support Copilot"].phase is Phase.TEST
    # Test is shared: Code Review Bot finished its checklist for the campaign (it is in Update).
    assert rows["Support Copilot"].blockers == ()
    assert rows["Code Review Bot"].blockers[0] == "Update IAM policies with the new model and profile ARNs"
    assert rows["Sales Email Drafts"].regions == ("us-east-1", "us-east-2")
    assert load_campaign_view(demo_store, NOVA_PRO, TODAY) is None


def test_the_campaign_list_counts_from_stored_rows(demo_store: ProjectStore) -> None:
    rows = {row.model_id: row for row in campaign_rows(demo_store, TODAY)}
    sonnet = rows[SONNET_45]
    assert (sonnet.applications, sonnet.open_plans, sonnet.overrides) == (3, 3, 1)
    assert (sonnet.target_model_id, sonnet.earliest_eol, sonnet.deadline) == (
        HAIKU_45, dt.date(2027, 4, 8), dt.date(2027, 1, 8))
    assert sonnet.worst_risk is not None
    done = rows[HAIKU_3]
    assert (done.open_plans, done.deadlines) == (0, {})
    assert list(rows)[-2:] == sorted([HAIKU_3, "anthropic.claude-sonnet-4-20250514-v1:0"],
                                     key=lambda m: rows[m].model_name)  # ended campaigns last


def test_a_deadline_set_by_hand_moves_the_campaigns_deadline_in_that_region(demo_store: ProjectStore) -> None:
    store = demo_store
    plan_id = next(m.plan_id for m in store.campaign_members(SONNET_45) if m.app_name == "Sales Email Drafts")
    store.set_deadline_override(plan_id, dt.date(2026, 12, 20))
    view = load_campaign_view(store, SONNET_45, TODAY)
    deadlines = {line.region: line.deadline for line in view.regions}
    assert deadlines == {"eu-west-1": dt.date(2027, 1, 8), "us-east-1": dt.date(2026, 12, 20),
                         "us-east-2": dt.date(2026, 12, 20), "us-west-2": dt.date(2027, 1, 8)}
    row = next(r for r in campaign_rows(store, TODAY) if r.model_id == SONNET_45)
    assert row.deadline_summary == "2026-12-20 (us-east-1, us-east-2); 2027-01-08 (eu-west-1, us-west-2)"


def test_an_application_put_back_by_undo_follows_the_decision_as_it_is_now(demo_store: ProjectStore) -> None:
    from planner_tui.services.commands import portfolio

    store = demo_store
    removal = portfolio.remove_application(store, store.application("Sales Email Drafts").id)
    campaigns.choose(store, SONNET_45, NOVA_PRO, "chosen meanwhile, elsewhere", TODAY)
    removal.inverse()
    assert _states(store)["Sales Email Drafts"] == TargetState(NOVA_PRO, "chosen meanwhile, elsewhere", False)
