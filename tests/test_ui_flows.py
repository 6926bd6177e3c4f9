"""Every main flow of the TUI, driven through Textual's pilot."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Select, Static

from planner_tui.domain.models import Application, Dependency, Phase
from planner_tui.services.project import open_project
from planner_tui.ui.app import PlannerApp
from planner_tui.ui.dialogs import ConfirmDialog, FormDialog
from planner_tui.ui.screens.applications import ApplicationDetailScreen
from planner_tui.ui.screens.plan import PlanScreen
from planner_tui.ui.widgets.footer import Footer

from .conftest import TODAY, settle

OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"


async def fill(pilot, **values: str) -> None:
    dialog = pilot.app.screen
    assert isinstance(dialog, FormDialog)
    for name, value in values.items():
        widget = dialog.query_one(f"#field-{name}")
        if isinstance(widget, Select):
            widget.value = value
        else:
            widget.value = value
    await pilot.press("ctrl+s")
    await settle(pilot)


async def open_plan(pilot, app_name: str, model_id: str) -> PlanScreen:
    plan = next(p for p in pilot.app.store.plans() if p.app_name == app_name and p.model_id == model_id)
    pilot.app.open_plan(plan.id)
    await settle(pilot)
    assert isinstance(pilot.app.screen, PlanScreen)
    return pilot.app.screen


async def test_add_application_and_legacy_dependency_creates_a_plan(store) -> None:
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await fill(pilot, name="Checkout Assistant", owner="ann", team="Payments")
        assert isinstance(app.screen, ApplicationDetailScreen)

        # An unknown model ID is refused inline and nothing is lost from the form.
        await pilot.press("n")
        await settle(pilot)
        await fill(pilot, model_id="anthropic.claude-opus-4-1", region="us-east-1")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert "did you mean" in str(dialog.query_one("#error-model_id", Static).render())
        assert dialog.query_one("#field-region", Input).value == "us-east-1"

        await fill(pilot, model_id=OPUS_41)
        assert isinstance(app.screen, ApplicationDetailScreen)
        plans = app.screen.query_one("#app-plans", DataTable)
        assert plans.row_count == 1
        cells = [str(c) for c in plans.get_row_at(0)]
        assert cells[:4] == ["Claude Opus 4.1", "Assess", "2026-11-27", "2026-12-25"]
    (plan,) = store.plans()
    assert plan.app_name == "Checkout Assistant"


async def test_region_where_the_model_is_not_offered_is_refused_inline(store) -> None:
    store_app = store.add_application(Application(name="Bot"), today=TODAY)
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ApplicationDetailScreen(store_app.id))
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await fill(pilot, model_id=OPUS_41, region="eu-west-1", monthly_volume="lots")
        dialog = app.screen
        assert "whole number" in str(dialog.query_one("#error-monthly_volume", Static).render())
        await fill(pilot, monthly_volume="1000")
        assert "not offered in eu-west-1" in str(dialog.query_one("#error-region", Static).render())
        await pilot.press("escape")
        await settle(pilot)
    assert store.dependencies() == []


async def test_complete_an_item_and_undo_it(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # Ops Chatbot joined the Opus 4.1 campaign late: its Assess is still open (Sales Email
        # Drafts shares the Assess Support Copilot finished).
        screen = await open_plan(pilot, "Ops Chatbot", OPUS_41)
        first = screen.view.row.plan.items_in(Phase.ASSESS)[0]
        assert not first.done
        await pilot.press("space")
        await settle(pilot)
        assert demo_store.item(first.id).done
        assert "1/7 done" in str(screen.query_one("#checklist-title").render())
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not demo_store.item(first.id).done


async def test_delete_an_item_with_confirmation_and_undo(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_plan(pilot, "Sales Email Drafts", "anthropic.claude-sonnet-4-5-20250929-v1:0")
        first = screen.view.row.plan.items_in(Phase.ASSESS)[0]
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # cancel keeps it
        await settle(pilot)
        assert demo_store.item(first.id)
        await pilot.press("delete")
        await settle(pilot)
        await pilot.click("#yes")
        await settle(pilot)
        assert all(i.id != first.id for i in demo_store.plan(screen.plan_id).items)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert demo_store.item(first.id).title == first.title


async def test_advancing_with_open_items_asks_and_records(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_plan(pilot, "Ops Chatbot", OPUS_41)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        assert "7 of 7 item(s) of Assess are still open" in app.screen.form_title
        await fill(pilot, reason="baseline comes from the old dashboards")
        plan = demo_store.plan(screen.plan_id)
        assert plan.current_phase is Phase.RESEARCH
        detail = demo_store.plan_log(plan.id)[-1]["detail"]
        assert "7 open item(s), confirmed: baseline comes from the old dashboards" in detail
        assert screen.viewing is Phase.RESEARCH


async def test_choose_a_replacement(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_plan(pilot, "Ops Chatbot", OPUS_41)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.viewing is Phase.RESEARCH
        table = screen.query_one("#candidates", DataTable)
        ids = [table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(table.row_count)]
        assert "anthropic.claude-opus-4-5-20251101-v1:0" in ids
        assert "anthropic.claude-sonnet-4-5-20250929-v1:0" not in ids  # Legacy itself
        table.move_cursor(row=ids.index("anthropic.claude-opus-4-5-20251101-v1:0"))
        await pilot.press("c")
        await settle(pilot)
        await fill(pilot, reason="Active in us-east-2 and us-west-2; runbook answers 49/50")
        plan = demo_store.plan(screen.plan_id)
        assert plan.target_model_id == "anthropic.claude-opus-4-5-20251101-v1:0"
        # The Opus 4.1 campaign had chosen Opus 4.5 already (Contract Review): the plan follows
        # the campaign's decision, and the reason typed goes into the plan's log.
        assert plan.decision_reason == next(
            p for p in demo_store.plans(with_items=False) if p.app_name == "Contract Review" and p.model_id == OPUS_41
        ).decision_reason
        assert "Active in us-east-2" in demo_store.plan_log(plan.id)[-1]["detail"]


async def test_record_a_test_result_and_rollout_steps(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_plan(pilot, "Support Copilot", "anthropic.claude-sonnet-4-5-20250929-v1:0")
        assert screen.viewing is Phase.TEST
        await pilot.press("t")
        await settle(pilot)
        await fill(pilot, metric="p95 latency ms", baseline="1800", candidate="1500",
                   threshold="2000", direction="lower")
        (result,) = demo_store.test_results(screen.plan_id)
        assert result.passed

        for _ in range(2):
            await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.viewing is Phase.ROLLOUT
        await pilot.press("s")
        await settle(pilot)
        assert app.screen.query_one("#field-traffic", Input).value == "5"
        await fill(pilot, start="2026-12-20", end="2026-12-10")
        assert "ends before it starts" in str(app.screen.query_one("#error-end", Static).render())
        await fill(pilot, end="2026-12-27")
        await pilot.press("o")
        await settle(pilot)
        await fill(pilot, decision="hold", traffic="5", note="error rate 0.4% above guardrail")
        (stage,) = demo_store.rollout_stages(screen.plan_id)
        (decision,) = demo_store.rollout_decisions(screen.plan_id)
        assert stage.traffic_percent == 5 and decision.decision.value == "hold"


async def test_delete_application_with_confirmation_and_undo(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    before = len(demo_store.plans())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        table = app.screen.query_one("#apps", DataTable)
        name = str(table.get_row_at(0)[0])
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog) and name in app.screen.question
        await pilot.click("#yes")
        await settle(pilot)
        assert name not in {a.name for a in demo_store.applications()}
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert name in {a.name for a in demo_store.applications()}
        assert len(demo_store.plans()) == before


async def test_read_only_shows_everything_and_refuses_edits(db_path, tmp_path) -> None:
    from planner_tui.services.demo import build_demo

    writable = open_project(db_path)
    build_demo(writable, TODAY)
    writable.close()
    before = db_path.read_bytes()
    store = open_project(db_path, read_only=True)
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "read-only" in app.sub_title
        assert app.screen.query_one("#plans", DataTable).row_count == 10
        screen = await open_plan(pilot, "Ops Chatbot", OPUS_41)
        assert screen.sub_title.startswith("read-only · ")
        # Edits are not offered (no form to fill in and lose), and pressing one changes nothing.
        shown = {k.key for k in screen.query_one(Footer).shown_keys}
        assert not shown & {"space", "n", "e", "delete", "f", "w"}  # p: the app's Plans again
        await pilot.press("space", "n", "f")
        await settle(pilot)
        assert app.screen is screen
        assert not store.plan(screen.plan_id).items_in(Phase.ASSESS)[0].done
    store.close()
    assert db_path.read_bytes() == before


async def test_help_and_palette(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert "Dashboard" in str(app.screen.query_one("Markdown").source)
        await pilot.press("escape")
        await settle(pilot)
        from planner_tui.ui.commands import PlannerCommands

        provider = PlannerCommands(app.screen)
        await provider.startup()  # reads the plans' names, as the palette opens
        titles = [t for t, _, _ in provider._commands()]
        assert "go: models" in titles
        assert any(t.startswith("plan: open Support Copilot") for t in titles)


async def test_sync_dialog_shows_progress_per_region(db_path, monkeypatch) -> None:
    from planner_tui.ui.sync_dialog import SyncDialog

    from .fake_bedrock import FakeBedrock
    from .test_aws_sync import model_summary

    store = open_project(db_path)
    listings = {"us-east-1": [model_summary(OPUS_41, "LEGACY", endOfLifeTime="2027-02-01T00:00:00Z")]}
    with FakeBedrock({"us-west-2": "error"}, listings) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK", server.url)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAPILOTTEST")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "pilot-secret")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
        app = PlannerApp(store, TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            app.action_sync()
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, SyncDialog)
            dialog.query_one("#regions", Input).value = "us-east-1,us-west-2"
            dialog.query_one("#usage").value = False
            dialog.query_one("#health").value = False
            await pilot.click("#start")
            await settle(pilot)
            for _ in range(50):
                if not dialog.running:
                    break
                await pilot.pause(0.1)
            await settle(pilot)
            from textual.widgets import ProgressBar

            assert dialog.query_one("#bar-us-east-1", ProgressBar).progress == 100
            summary = str(dialog.query_one("#sync-summary", Static).render())
            assert "Sync partial: 1 of 2" in summary and "us-west-2" in summary
    eol = store._rows("SELECT eol_date FROM lifecycle WHERE model_id = ? AND region = 'us-east-1'", [OPUS_41])
    assert eol[0]["eol_date"] == "2027-02-01"
    store.close()


async def test_assign_a_discovered_resource(demo_store) -> None:
    from planner_tui.ui.screens.discovered import DiscoveredScreen

    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_discovered()
        await settle(pilot)
        assert isinstance(app.screen, DiscoveredScreen)
        table = app.screen.query_one("#discovered", DataTable)
        # Three resources, then the three callers no application has accepted.
        assert table.row_count == 6
        await pilot.press("enter")
        await settle(pilot)
        from textual.widgets import Button
        assert str(app.screen.query_one("#submit", Button).label) == "Assign"  # what it does, not 'Save'
        app_id = str(demo_store.application("Ops Chatbot").id)
        await fill(pilot, app=app_id)
        assert table.row_count == 5
    assert any(d.resource_id.endswith("qa-bot") for d in demo_store.dependencies(int(app_id)))


async def test_export_dialog_counts_events_before_writing(demo_store, tmp_path) -> None:
    from textual.widgets import Checkbox

    from planner_tui.ui.export_dialog import ExportCalendarDialog

    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportCalendarDialog)
        everything = str(dialog.query_one("#count", Static).render())
        dialog.query_one("#apps", Input).value = "Support Copilot"
        dialog.query_one("#plan", Checkbox).value = False
        await settle(pilot)
        scoped = str(dialog.query_one("#count", Static).render())
        assert scoped.startswith("3 events will be written") and scoped != everything
        dialog.query_one("#apps", Input).value = "Nobody"
        await settle(pilot)
        assert "no application named 'Nobody'" in str(dialog.query_one("#count", Static).render())
        assert dialog.query_one("#export").disabled
        dialog.query_one("#apps", Input).value = "[/x]"  # quoted back as typed, not read as markup
        await settle(pilot)
        assert "no application named '[/x]'" in str(dialog.query_one("#count", Static).render())
        dialog.query_one("#apps", Input).value = "Support Copilot"
        target = tmp_path / "team.ics"
        dialog.query_one("#path", Input).value = str(target)
        await settle(pilot)
        await pilot.click("#export")
        await settle(pilot)
    assert target.read_bytes().count(b"BEGIN:VEVENT") == 3


async def test_plans_screen_filters_and_opens_a_plan(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        table = app.screen.query_one("#all-plans", DataTable)
        assert table.row_count == 10 and app.focused is table
        await pilot.press("slash", *"overdue")
        await settle(pilot)
        assert table.row_count == 2
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.view.row.schedule.risk.value == "overdue"


async def test_footer_follows_the_keys_in_force_and_keeps_them_across_focus_moves(demo_store) -> None:
    def keys() -> list[tuple[str, str]]:
        return [(k.key, k.description) for k in pilot.app.screen.query_one(Footer).shown_keys]

    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert ("r", "Refresh") in keys() and ("f1", "Help") in keys()
        footer = app.screen.query_one(Footer)
        assert " r Refresh " in footer.render_line(0).text and "▏^p palette" in footer.render_line(0).text
        built = footer.shown_keys
        app.screen.query_one("#milestones", DataTable).focus()  # its own keys are hidden
        await settle(pilot)
        assert footer.shown_keys is built  # same keys: not redrawn

        await pilot.press("p")
        await settle(pilot)
        assert ("slash", "Filter") in keys() and ("r", "Refresh") not in keys()
        await pilot.press("slash")  # into the filter: '?' must type, so Help leaves the footer
        await settle(pilot)
        assert ("f1", "Help") not in keys()
        await pilot.press("escape")
        app.screen.query_one("#all-plans", DataTable).focus()
        await settle(pilot)
        assert ("f1", "Help") in keys()


@pytest.mark.parametrize("name", ["Billing [beta] [/]", "Ops :rocket: bot"])
async def test_names_with_markup_or_emoji_codes_are_shown_as_written(store, name) -> None:
    # DataTable would read "[beta]" as Rich markup and drop it, and ":rocket:" as an emoji.
    store.add_application(Application(name=name), [Dependency(
        app_id=0, model_id=OPUS_41, region="us-east-1")], today=TODAY)
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key, table_id in (("d", "#plans"), ("p", "#all-plans"), ("a", "#apps")):
            await pilot.press(key)
            await settle(pilot)
            table = app.screen.query_one(table_id, DataTable)
            first_row = table.render_line(1).text  # line 0 is the header
            assert name in first_row, (table_id, first_row)


async def test_plans_list_takes_its_rows_a_page_at_a_time(demo_store, monkeypatch) -> None:
    from planner_tui.ui.screens import plans

    monkeypatch.setattr(plans, "PAGE", 5)  # the demo's 10 plans: two pages
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p")
        await settle(pilot)
        table = app.screen.query_one("#all-plans", DataTable)
        assert table.row_count == 5
        assert "10 of 10 plans" in str(app.screen.query_one("#plans-count", Static).render())
        for _ in range(4):  # the cursor nears the end of the first page: the next one comes
            await pilot.press("down")
        await settle(pilot)
        assert table.row_count == 10
        await pilot.press("slash", "c", "l", "a", "u", "d", "e")  # a filter starts again from its first page
        await settle(pilot)
        assert 0 < table.row_count <= 5
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+end")  # the last plan, however many pages away
        await settle(pilot)
        assert table.row_count == 10 and table.cursor_row == 9
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)


async def test_notifications_quote_names_as_written(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.notify("no application named '[/x]'", severity="error")  # markup would raise
        await settle(pilot)
        (note,) = list(app._notifications)
        assert note.message == "no application named '[/x]'" and not note.markup


async def test_footer_keys_click_and_explain_themselves(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        line = footer.render_line(0).text
        plans_at = line.index(" p Plans")
        await pilot.hover(Footer, offset=(plans_at + 2, 0))
        assert footer.tooltip is None  # "Plans" has no tooltip; "Refresh" has
        def background_at(x: int):  # noqa: ANN202
            for segment in footer.render_line(0):
                if x < len(segment.text):
                    return segment.style.bgcolor
                x -= len(segment.text)

        refresh_at = line.index(" r Refresh") + 2
        before = background_at(refresh_at)
        await pilot.hover(Footer, offset=(refresh_at, 0))
        await pilot.pause()
        assert footer.tooltip == "Reload from the project"
        assert background_at(refresh_at) != before  # the key under the pointer is highlighted
        await pilot.click(Footer, offset=(plans_at + 2, 0))
        await settle(pilot)
        assert app.current_mode == "plans"
        await pilot.click(Footer, offset=(footer.size.width - 4, 0))  # the palette's key
        await settle(pilot)
        assert type(app.screen).__name__ == "CommandPalette"
