"""Dialogs as a person meets them: the first field has the focus, Ctrl+S submits, the buttons
stay in sight on a small terminal, Tab never stops on nothing, help names keys as the footer."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import ScrollableContainer
from textual.widgets import Button, Checkbox, Input, ProgressBar, Select, Static

from planner_tui.ui.app import PlannerApp
from planner_tui.ui.dialogs import FormDialog, HelpScreen
from planner_tui.ui.widgets.footer import Footer

from .conftest import TODAY, settle


async def open_plan(pilot, app_name: str, model_part: str) -> None:
    plan = next(p for p in pilot.app.store.plans(with_items=False)
                if p.app_name == app_name and model_part in p.model_id)
    pilot.app.open_plan(plan.id)
    await settle(pilot)


def on_screen(pilot, widget) -> bool:  # noqa: ANN001
    """The widget is drawn where it is, not clipped away: the screen finds it at its centre."""
    region = widget.region
    if not region.area:
        return False
    found, _ = pilot.app.screen.get_widget_at(region.x + region.width // 2, region.y + region.height // 2)
    return found is widget or widget in found.ancestors


# -- defect 9: focus and Ctrl+S ------------------------------------------------------------


async def test_new_application_form_takes_what_is_typed_at_once(store) -> None:
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("n", *"Checkout")  # typed straight after opening: nothing is lost
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.focused is dialog.query_one("#field-name", Input)
        assert dialog.query_one("#field-name", Input).value == "Checkout"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert [a.name for a in store.applications()] == ["Checkout"]


async def test_every_form_of_a_plan_opens_on_its_first_field(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_plan(pilot, "Legal Summaries", "jamba")  # Rollout
        for key in ("n", "f", "s", "o"):  # new item, phase form, stage, decision
            await pilot.press(key)
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, FormDialog), key
            first = dialog.query(".form-fields Input, .form-fields Select").first()
            assert dialog.focused is first, key
            assert dialog.query_one(".form-fields", ScrollableContainer).scroll_y == 0, key
            await pilot.press("escape")
            await settle(pilot)


async def test_export_dialog_opens_on_its_file_and_ctrl_s_exports(demo_store, tmp_path: Path) -> None:
    from planner_tui.ui.export_dialog import ExportCalendarDialog

    target = tmp_path / "plans.ics"
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportCalendarDialog)
        path = dialog.query_one("#path", Input)
        assert dialog.focused is path
        path.value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ExportCalendarDialog)
    assert target.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


async def test_export_dialog_names_the_projects_own_applications(store) -> None:
    from planner_tui.domain.models import Application

    async def placeholder() -> str:
        app = PlannerApp(store, TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+e")
            await settle(pilot)
            return app.screen.query_one("#apps", Input).placeholder

    assert "Support Copilot" not in await placeholder()  # a new project: not the demo's names
    store.add_application(Application(name="Billing Bot"), today=TODAY)
    assert await placeholder() == "Billing Bot"


async def test_sync_dialog_focus_tab_order_and_ctrl_s(store) -> None:
    from planner_tui.ui.sync_dialog import SyncDialog

    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_sync()
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SyncDialog)
        assert dialog.focused is dialog.query_one("#profile", Input)
        dialog.query_one("#callers", Checkbox).focus()
        await settle(pilot)
        await pilot.press("tab")  # straight from Callers, the last box, to Start: no stop on an empty box
        await settle(pilot)
        assert dialog.focused is dialog.query_one("#start", Button)
        await pilot.press("ctrl+s")  # starts; no credentials in tests, so it fails at once
        await settle(pilot)
        for _ in range(50):
            if not dialog.running:
                break
            await pilot.pause(0.1)
        await settle(pilot)
        assert "Sync failed" in str(dialog.query_one("#sync-summary", Static).render())


async def test_sync_dialog_bars_say_failed_after_a_failure(store) -> None:
    from planner_tui.ui.sync_dialog import SyncDialog

    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_sync()
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SyncDialog)
        dialog.query_one("#regions", Input).value = "us-east-1,eu-west-1"
        await pilot.click("#start")
        await settle(pilot)
        for _ in range(50):
            if not dialog.running:
                break
            await pilot.pause(0.1)
        await settle(pilot)
        for region in ("us-east-1", "eu-west-1"):
            assert str(dialog.query_one(f"#state-{region}", Static).render()) == "failed"
            assert dialog.query_one(f"#bar-{region}", ProgressBar).progress == 100
        summary = dialog.query_one("#sync-summary", Static)
        assert "Sync failed" in str(summary.render())
        assert summary.region.bottom <= dialog.query_one(".dialog-buttons").region.y  # in sight
        await pilot.press("escape")  # closes: nothing is left running
        await settle(pilot)
        assert not isinstance(app.screen, SyncDialog)


# -- defect 12: dialogs fit the terminal -------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_new_application_buttons_stay_in_sight_and_fields_scroll(store, size) -> None:
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert on_screen(pilot, dialog.query_one("#submit", Button))
        assert on_screen(pilot, dialog.query_one("#cancel", Button))
        assert dialog.query_one(".dialog").region.bottom <= size[1]
        # The last field is reached by Tab and scrolled into view; the buttons stay.
        for _ in range(len(dialog.fields) - 1):
            await pilot.press("tab")
        await settle(pilot)
        notes = dialog.query_one("#field-notes", Input)
        assert dialog.focused is notes
        await pilot.pause(0.5)  # the scroll is animated
        assert on_screen(pilot, notes)
        assert on_screen(pilot, dialog.query_one("#submit", Button))
        # Whole, border and all: the fields end where the buttons' row begins.
        assert notes.region.bottom <= dialog.query_one(".dialog-buttons").region.y


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_add_test_result_buttons_stay_in_sight(demo_store, size) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_plan(pilot, "Support Copilot", "sonnet-4-5")  # in Test
        await pilot.press("t")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert on_screen(pilot, dialog.query_one("#submit", Button))
        assert dialog.query_one(".dialog").region.bottom <= size[1]


async def test_a_short_form_is_short(demo_store) -> None:
    from planner_tui.ui.screens.discovered import DiscoveredScreen

    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(DiscoveredScreen())
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog) and dialog.focused is dialog.query_one("#field-app", Select)
        assert dialog.query_one(".dialog").region.height < 20  # one field: not the whole height


async def test_export_and_sync_buttons_stay_in_sight_at_80x24(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert on_screen(pilot, app.screen.query_one("#export", Button))
        await pilot.press("escape")
        await settle(pilot)
        app.action_sync()
        await settle(pilot)
        assert on_screen(pilot, app.screen.query_one("#start", Button))


async def test_the_sync_dialogs_four_parts_fit_one_line_at_80x24(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_sync()
        await settle(pilot)
        app.screen.query_one("#callers", Checkbox).focus()  # scrolled into view
        await settle(pilot)
        parts = app.screen.query_one("#parts")
        boxes = [app.screen.query_one(f"#{part}", Checkbox) for part in ("discovery", "usage", "health", "callers")]
        assert {box.region.y for box in boxes} == {parts.region.y}
        assert boxes[-1].region.right <= parts.region.right
        assert str(boxes[-1].label) == "Callers (CloudTrail)" and all(on_screen(pilot, box) for box in boxes)


# -- help names the keys as the footer does ------------------------------------------------


@pytest.mark.parametrize("keys", [(), ("m",), ("p",), ("a",)], ids=["dashboard", "models", "plans", "apps"])
async def test_help_lists_the_footers_keys_by_the_footers_names(demo_store, keys) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        shown = [(k.display, k.description) for k in app.screen.query_one(Footer).shown_keys]
        await pilot.press("f1")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.keys[:len(shown)] == shown
        listed = dict((description, key) for key, description in help_screen.keys)
        assert listed["Quit"] == "q"  # not Textual's hidden ^q
        assert len(listed) == len(help_screen.keys)  # one key per thing it does
