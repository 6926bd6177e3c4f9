"""The five-phase walk as a person drives it: the defects found in a real terminal, each
pressed here the way it was found."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input, Static, Tabs

from planner_tui.domain.models import Application, Dependency
from planner_tui.domain.vocabulary import Phase
from planner_tui.services.project import open_project
from planner_tui.ui.app import PlannerApp
from planner_tui.ui.dialogs import ConfirmDialog, FormDialog
from planner_tui.ui.screens.applications import ApplicationDetailScreen, ApplicationsScreen
from planner_tui.ui.screens.dashboard import DashboardScreen
from planner_tui.ui.screens.plan import PlanScreen
from planner_tui.ui.widgets.footer import Footer

from .conftest import TODAY, settle
from .test_ui_flows import fill

OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
OPUS_45 = "anthropic.claude-opus-4-5-20251101-v1:0"


def footer_keys(app) -> set[str]:  # noqa: ANN001
    return {k.key for k in app.screen.query_one(Footer).shown_keys}


def notes(app) -> list[str]:  # noqa: ANN001
    return [str(n.message) for n in app._notifications]


async def new_plan(pilot, tmp_path) -> PlanScreen:  # noqa: ANN001
    store = pilot.app.store
    store.add_application(Application(name="Checkout", owner="ann"),
                          [Dependency(app_id=0, model_id=OPUS_41, region="us-east-1")], today=TODAY)
    (plan,) = store.plans()
    pilot.app.open_plan(plan.id)
    await settle(pilot)
    return pilot.app.screen


async def test_the_phase_form_of_every_phase_opens_and_saves(tmp_path) -> None:
    app = PlannerApp(open_project(tmp_path / "p.db"), TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await new_plan(pilot, tmp_path)
        for phase, field, value in [(Phase.ASSESS, "baseline_monthly_requests", "120000"),
                                    (Phase.RESEARCH, "research_differences", "no prefill"),
                                    (Phase.TEST, "test_ab_notes", "B wins"),
                                    (Phase.UPDATE, "update_model_or_profile_id", OPUS_45),
                                    (Phase.ROLLOUT, "rollout_guardrails", "error rate < 1%")]:
            screen.query_one("#phases", Tabs).active = f"tab-{phase.value}"
            await settle(pilot)
            await pilot.press("f")
            await settle(pilot)
            assert isinstance(app.screen, FormDialog), phase
            await fill(pilot, **{field: value})
            assert app.screen is screen
        fields = app.store.plan_fields(screen.plan_id)
        assert fields["baseline.monthly_requests"] == "120000"
        assert fields["rollout.guardrails"] == "error rate < 1%"


async def test_undo_takes_back_the_decision_then_the_stage_and_redo_restores(tmp_path) -> None:
    app = PlannerApp(open_project(tmp_path / "p.db"), TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await new_plan(pilot, tmp_path)
        await pilot.press("space")  # an older change, in Assess
        await settle(pilot)
        screen.query_one("#phases", Tabs).active = "tab-rollout"
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await fill(pilot, traffic="5")
        await pilot.press("o")
        await settle(pilot)
        await fill(pilot, decision="hold", note="error rate up")
        store = app.store
        assert len(store.rollout_stages(screen.plan_id)) == 1
        assert len(store.rollout_decisions(screen.plan_id)) == 1
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert notes(app)[-1] == "Undone: decision 'hold'"
        assert store.rollout_decisions(screen.plan_id) == []
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert notes(app)[-1] == "Undone: rollout stage 5%"
        assert store.rollout_stages(screen.plan_id) == []
        await pilot.press("ctrl+y", "ctrl+y")
        await settle(pilot)
        assert len(store.rollout_decisions(screen.plan_id)) == 1
        assert screen.query_one("#decisions", DataTable).row_count == 1


async def test_keys_belong_to_the_focused_panel_and_the_phase_in_view(tmp_path) -> None:
    app = PlannerApp(open_project(tmp_path / "p.db"), TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await new_plan(pilot, tmp_path)
        screen.query_one("#phases", Tabs).active = "tab-test"
        await settle(pilot)
        keys = footer_keys(app)
        assert "t" in keys and "c" not in keys and "s" not in keys
        screen.query_one("#phases", Tabs).active = "tab-update"
        await settle(pilot)
        keys = footer_keys(app)
        assert "t" not in keys and "o" not in keys
        screen.query_one("#phases", Tabs).active = "tab-rollout"
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await fill(pilot, traffic="5")
        screen.query_one("#stages", DataTable).focus()
        await settle(pilot)
        assert "e" not in footer_keys(app) and "space" not in footer_keys(app)
        items_before = len(app.store.plan(screen.plan_id).items)
        await pilot.press("e")
        await settle(pilot)
        assert app.screen is screen  # e does nothing here, and is not offered
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog) and "rollout stage" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert app.store.rollout_stages(screen.plan_id) == []
        assert len(app.store.plan(screen.plan_id).items) == items_before
        screen.query_one("#phases", Tabs).focus()
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert not any(i.done for i in app.store.plan(screen.plan_id).items)


async def test_mode_keys_on_a_sub_screen_go_back_to_the_modes_first_screen(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # a plan, opened from the dashboard
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("a", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ApplicationDetailScreen)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ApplicationsScreen)


async def test_removing_the_last_dependency_closes_the_plan_and_undo_reopens_it(tmp_path) -> None:
    store = open_project(tmp_path / "p.db")
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_plan(pilot, tmp_path)
        (plan,) = store.plans()
        app.pop_screen()
        app.push_screen(ApplicationDetailScreen(plan.app_id))
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        assert "closes as no longer needed" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert store.plan(plan.id).closed_kind.value == "no longer needed"
        rows = app.screen.query_one("#app-plans", DataTable)
        assert "no longer needed" in [str(c) for c in rows.get_row_at(0)]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert store.plan(plan.id).is_open and len(store.dependencies()) == 1


async def test_completing_with_open_items_says_how_many_and_offers_the_switch(tmp_path) -> None:
    store = open_project(tmp_path / "p.db")
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await new_plan(pilot, tmp_path)
        store.set_target(screen.plan_id, OPUS_45, "passed the evals")
        for _ in range(4):
            await pilot.press("p")
            await settle(pilot)
            await fill(pilot, reason="moving on")
        plan = store.plan(screen.plan_id)
        assert plan.current_phase is Phase.ROLLOUT
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        open_count = len(plan.items_in(Phase.ROLLOUT))
        assert f"{open_count} of {open_count} item(s) of Rollout are still open" in dialog.form_title
        await fill(pilot, reason="traffic is on the new model; docs follow")
        assert isinstance(app.screen, ConfirmDialog) and OPUS_45 in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert {d.model_id for d in store.dependencies()} == {OPUS_45}
        meta = str(screen.query_one("#plan-meta", Static).render())
        assert "0%" in meta and "items open" in meta.replace("item(s) open", "items open")
        assert "Every item is done" not in meta


async def test_dates_after_eol_are_flagged_in_the_form_and_the_header(tmp_path) -> None:
    app = PlannerApp(open_project(tmp_path / "p.db"), TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await new_plan(pilot, tmp_path)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#field-due_date", Input).value = "2027-01-20"
        await settle(pilot)
        assert "EOL 2027-01-08" in str(dialog.query_one("#error-due_date", Static).render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        warnings = str(screen.query_one("#plan-warnings", Static).render())
        assert "on or after the model's EOL 2027-01-08" in warnings


async def test_the_highlighted_items_full_text_is_readable_at_80x24(tmp_path) -> None:
    app = PlannerApp(open_project(tmp_path / "p.db"), TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await new_plan(pilot, tmp_path)
        item = screen.query_one("#checklist").selected_item()
        detail = screen.query_one("#item-detail", Static)
        assert item.title in str(detail.render())
        assert detail.region.height >= 1 and detail.region.y < 24


async def test_a_plan_past_eol_is_rated_so_in_the_workspace(tmp_path) -> None:
    store = open_project(tmp_path / "p.db")
    day = dt.date(2026, 12, 1)
    store.add_application(Application(name="Old", owner="ann"),
                          [Dependency(app_id=0, model_id="anthropic.claude-3-haiku-20240307-v1:0",
                                      region="us-east-1")], today=day)
    app = PlannerApp(store, day)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        (plan,) = store.plans()
        app.open_plan(plan.id)
        await settle(pilot)
        assert "past EOL" in str(app.screen.query_one("#plan-meta", Static).render())


async def test_reopen_is_offered_only_where_the_plan_can_reopen(tmp_path) -> None:
    """A cancelled plan offers r; a plan closed because the application stopped using the model
    does not (reopening would refuse: there is nothing to migrate)."""
    from planner_tui.services.commands import plans, portfolio

    store = open_project(tmp_path / "p.db")
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await new_plan(pilot, tmp_path)
        assert "r" not in footer_keys(app)  # open
        plans.cancel(store, screen.plan_id, "moving the feature elsewhere", TODAY)
        app.pop_screen()
        app.open_plan(screen.plan_id)
        await settle(pilot)
        assert "r" in footer_keys(app)
        await pilot.press("r")
        await settle(pilot)
        assert store.plan(screen.plan_id).is_open
        (dependency,) = store.dependencies()
        portfolio.remove_dependency(store, dependency.id, TODAY)
        assert not store.plan(screen.plan_id).is_open
        app.pop_screen()
        app.open_plan(screen.plan_id)
        await settle(pilot)
        assert "r" not in footer_keys(app)
        await pilot.press("r")  # not bound here: nothing happens, nothing breaks
        await settle(pilot)
        assert not store.plan(screen.plan_id).is_open
