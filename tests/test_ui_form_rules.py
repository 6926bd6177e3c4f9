"""A form refuses what the input rules refuse, in the form, keeping what was typed: the use
case behind it would refuse it too, and the text would be lost with a 'Not saved' toast."""

from __future__ import annotations

from textual.widgets import Input

from planner_tui.domain.validation import NAME_MAX, TITLE_MAX
from planner_tui.domain.vocabulary import Phase
from planner_tui.ui.app import PlannerApp
from planner_tui.ui.dialogs import FormDialog

from .conftest import TODAY, settle


async def submit_refused(pilot, field: str, value: str) -> str:  # noqa: ANN001
    """Fill `field` of the open form, submit; the form must stay open with an error there."""
    dialog = pilot.app.screen
    assert isinstance(dialog, FormDialog)
    dialog.query_one(f"#field-{field}", Input).value = value
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert pilot.app.screen is dialog, "the form closed on input the use case refuses"
    assert dialog.query_one(f"#field-{field}", Input).value == value  # nothing typed is lost
    error = str(dialog.query_one(f"#error-{field}").render())
    assert error.strip(), f"no error shown beside {field}"
    return error


async def test_application_form_refuses_long_and_control_text(store) -> None:
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#field-name", Input).value = "Checkout"
        assert "at most 200" in await submit_refused(pilot, "owner", "o" * (NAME_MAX + 1))
        app.screen.query_one("#field-owner", Input).value = "ann"
        assert "control characters" in await submit_refused(pilot, "team", "ops\x1b]52;c;aGk=\x07")
        app.screen.query_one("#field-team", Input).value = "ops"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert [(a.name, a.owner, a.team) for a in store.applications()] == [("Checkout", "ann", "ops")]


async def test_item_and_test_result_forms_refuse_what_the_rules_refuse(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    plan = next(p for p in demo_store.plans(with_items=False) if p.is_open)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_plan(plan.id)
        await settle(pilot)
        await pilot.press("n")  # a new item in the phase in view
        await settle(pilot)
        assert "at most 500" in await submit_refused(pilot, "title", "t" * (TITLE_MAX + 1))
        await pilot.press("escape")
        await settle(pilot)
        testing = next(p for p in demo_store.plans(with_items=False) if p.current_phase is Phase.TEST and p.is_open)
        app.open_plan(testing.id)
        await settle(pilot)
        await pilot.press("t")  # add a test result
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-candidate", Input).value = "0.9"
        dialog.query_one("#field-threshold", Input).value = "0.8"
        assert "control characters" in await submit_refused(pilot, "metric", "acc\x9b2J")


async def test_dependency_form_refuses_a_volume_past_the_limit(demo_store) -> None:
    from planner_tui.domain.validation import VOLUME_MAX
    from planner_tui.ui.screens.applications import ApplicationDetailScreen

    app = PlannerApp(demo_store, TODAY)
    target = demo_store.applications()[0]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(ApplicationDetailScreen(target.id))
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#field-model_id", Input).value = "amazon.nova-pro-v1:0"
        dialog.query_one("#field-region", Input).value = "us-east-1"
        assert "1,000,000,000,000" in await submit_refused(pilot, "monthly_volume", str(VOLUME_MAX + 1))


async def test_assign_dialog_starts_with_no_application_picked(demo_store) -> None:
    from textual.widgets import Select

    from planner_tui.ui.screens.discovered import DiscoveredScreen

    app = PlannerApp(demo_store, TODAY)
    before = len(demo_store.discovered())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_discovered()
        await settle(pilot)
        assert isinstance(app.screen, DiscoveredScreen)
        await pilot.press("enter")  # assign the highlighted resource
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.query_one("#field-app", Select).value is Select.NULL
        await pilot.press("ctrl+s")  # saving at once assigns nothing
        await settle(pilot)
        assert app.screen is dialog
        assert "required" in str(dialog.query_one("#error-app").render())
    assert len(demo_store.discovered()) == before
