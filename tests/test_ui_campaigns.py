"""The campaign screens, driven through Textual's pilot: the list, one campaign, choosing once
for every application, an override, following again, undo; every key shown is pressed."""

from __future__ import annotations

from textual.widgets import DataTable

from planner_tui.persistence.store import ProjectStore
from planner_tui.ui.app import PlannerApp
from planner_tui.ui.dialogs import FormDialog
from planner_tui.ui.screens.campaigns import CampaignScreen, CampaignsScreen
from planner_tui.ui.screens.plan import PlanScreen

from .conftest import TODAY, settle
from .test_ui_every_key import keys_in_force
from .test_ui_flows import fill

SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0"
OPUS_45 = "anthropic.claude-opus-4-5-20251101-v1:0"
OPUS_46 = "anthropic.claude-opus-4-6-v1"


def targets(store: ProjectStore) -> dict[str, tuple[str | None, bool, str]]:
    """Each Sonnet 4.5 application: (its target, follows the campaign, override reason)."""
    return {m.app_name: (m.state.target_model_id, not m.state.overridden, m.state.reason)
            for m in store.campaign_members(SONNET_45)}


def messages(app: PlannerApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def open_campaign(pilot, model_id: str = SONNET_45) -> CampaignScreen:  # noqa: ANN001
    await settle(pilot)
    await pilot.press("g")
    await settle(pilot)
    if not isinstance(pilot.app.screen, CampaignsScreen):  # the mode kept its campaign open
        await pilot.press("g")  # its own key goes back to the list
        await settle(pilot)
    listing = pilot.app.screen
    assert isinstance(listing, CampaignsScreen)
    table = listing.query_one("#campaigns", DataTable)
    table.move_cursor(row=table.get_row_index(model_id))
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CampaignScreen)
    return screen


async def highlight(pilot, screen: CampaignScreen, table_id: str, key: str) -> None:  # noqa: ANN001
    table = screen.query_one(f"#{table_id}", DataTable)
    table.move_cursor(row=table.get_row_index(key))
    await settle(pilot)


def plan_of(store: ProjectStore, app_name: str) -> int:
    return next(m.plan_id for m in store.campaign_members(SONNET_45) if m.app_name == app_name)


async def test_campaigns_list_shows_each_campaign(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        table = app.screen.query_one("#campaigns", DataTable)
        row = table.get_row(SONNET_45)
        assert [str(cell) for cell in row[:5]] == ["Claude Sonnet 4.5", "3", "3", "Claude Haiku 4.5", "1"]


async def test_choose_once_applies_to_all_three_then_override_and_follow(demo_store) -> None:
    store = demo_store
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_campaign(pilot)
        before = targets(store)
        assert before["Code Review Bot"][1] is False  # the demo's override
        # Follow: shown only on the application with an override.
        await highlight(pilot, screen, "matrix", str(plan_of(store, "Sales Email Drafts")))
        assert "f" not in keys_in_force(screen)
        await highlight(pilot, screen, "matrix", str(plan_of(store, "Code Review Bot")))
        assert "f" in keys_in_force(screen)
        await pilot.press("f")
        await settle(pilot)
        assert all(follows for _, follows, _ in targets(store).values())
        assert "f" not in keys_in_force(screen)

        # Choose once: every one of the three takes it; the toast says how many.
        await highlight(pilot, screen, "campaign-candidates", OPUS_46)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await fill(pilot, reason="One model for every reviewer")
        assert {app_name: target for app_name, (target, _, _) in targets(store).items()} == {
            "Code Review Bot": OPUS_46, "Sales Email Drafts": OPUS_46, "Support Copilot": OPUS_46}
        assert store.campaign(SONNET_45).decision_reason == "One model for every reviewer"
        assert any("Applied to 3 applications" in message for message in messages(app))

        # Override one: it keeps its own target and reason when the campaign decides again.
        await highlight(pilot, screen, "matrix", str(plan_of(store, "Support Copilot")))
        await pilot.press("o")
        await settle(pilot)
        await fill(pilot, target=OPUS_45, reason="Needs the longer context in eu-west-1")
        assert targets(store)["Support Copilot"] == (OPUS_45, False, "Needs the longer context in eu-west-1")
        await highlight(pilot, screen, "campaign-candidates", HAIKU_45)
        await pilot.press("c")
        await settle(pilot)
        await fill(pilot, reason="Half the price")
        after = targets(store)
        assert after["Support Copilot"] == (OPUS_45, False, "Needs the longer context in eu-west-1")
        assert after["Sales Email Drafts"][0] == after["Code Review Bot"][0] == HAIKU_45
        assert any("Applied to 2 applications" in message for message in messages(app))
        matrix = screen.query_one("#matrix", DataTable)
        assert "own: " + OPUS_45 in str(matrix.get_row(str(plan_of(store, "Support Copilot")))[5])

        # Undo, step by step, back to the demo as it was.
        for _ in range(4):
            await pilot.press("ctrl+z")
            await settle(pilot)
        assert targets(store) == before
        await highlight(pilot, screen, "matrix", str(plan_of(store, "Code Review Bot")))
        assert "f" in keys_in_force(screen)


async def test_enter_on_an_application_opens_its_plan_and_escape_goes_back(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_campaign(pilot)
        plan_id = plan_of(demo_store, "Support Copilot")
        await highlight(pilot, screen, "matrix", str(plan_id))
        screen.query_one("#matrix", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen) and app.screen.plan_id == plan_id
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CampaignsScreen)


async def test_read_only_project_hides_the_edit_keys(demo_store) -> None:
    demo_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store = ProjectStore.open(demo_store.path, read_only=True)
    try:
        app = PlannerApp(store, TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_campaign(pilot)
            await highlight(pilot, screen, "matrix", str(plan_of(store, "Code Review Bot")))
            shown = keys_in_force(screen)
            assert not {"c", "o", "f"} & set(shown)
            assert "escape" in shown
    finally:
        store.close()


async def test_every_key_shown_is_pressed(demo_store) -> None:
    """Each key the footer offers on the list and the campaign does what it says, and none
    raises; a form a key opens is closed with Escape."""
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_campaign(pilot)
        await highlight(pilot, screen, "matrix", str(plan_of(demo_store, "Code Review Bot")))
        pressed = set()
        for key in keys_in_force(screen):
            if key in {"escape", "q"}:
                continue
            if app.screen is not screen:
                screen = await open_campaign(pilot)
                await highlight(pilot, screen, "matrix", str(plan_of(demo_store, "Code Review Bot")))
            await pilot.press(key)
            await settle(pilot)
            pressed.add(key)
            assert app.is_running, key
            if app.screen.is_modal:  # a form (or the help): closed unanswered
                await pilot.press("escape")
                await settle(pilot)
        assert {"c", "o", "f"} <= pressed
        assert app.is_running


async def test_the_shared_checklist_is_ticked_and_assigned_for_every_application(demo_store: ProjectStore) -> None:
    from planner_tui.domain.models import Phase

    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_campaign(pilot)
        data = screen.data
        assert data is not None and data.shared and {line.copies for line in data.shared} == {3}
        line = data.shared[0]
        assert line.phase is Phase.ASSESS
        screen.query_one("#campaign-checklist").focus()
        await highlight(pilot, screen, "campaign-checklist", str(line.item_id))
        assert {"space", "a"} <= set(keys_in_force(app.screen))

        def copies() -> set[tuple[bool, str]]:
            return {(i.done, i.owner) for m in demo_store.campaign_members(SONNET_45)
                    for i in demo_store.plan(m.plan_id).items_in(Phase.ASSESS) if i.title == line.title}

        before = copies()
        await pilot.press("space")
        await settle(pilot)
        assert copies() == {(not line.done, "")} and "ticked for 3 applications" in messages(app)[-1]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert copies() == before
        await pilot.press("a")
        await settle(pilot)
        await fill(pilot, owner="priya.raman")
        assert {owner for _, owner in copies()} == {"priya.raman"}
        shown = screen.query_one("#campaign-checklist", DataTable)
        assert "priya.raman" in [str(cell) for cell in shown.get_row(str(line.item_id))]


async def test_apply_to_all_drops_every_override_and_undo_brings_it_back(demo_store: ProjectStore) -> None:
    from planner_tui.ui.dialogs import ConfirmDialog

    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_campaign(pilot)
        before = targets(demo_store)
        assert not before["Code Review Bot"][1]
        assert "A" in keys_in_force(app.screen)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await settle(pilot)
        after = targets(demo_store)
        assert after["Code Review Bot"] == (HAIKU_45, True, after["Support Copilot"][2])
        assert "A" not in keys_in_force(app.screen)  # nothing left to apply it to
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert targets(demo_store) == before


async def test_the_dashboard_groups_plans_by_campaign_and_a_heading_opens_it(demo_store: ProjectStore) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        plans = app.screen.query_one("#plans", DataTable)
        assert not any(str(row.key.value).startswith("campaign:") for row in plans.ordered_rows)
        assert "b" in keys_in_force(app.screen)
        await pilot.press("b")
        await settle(pilot)
        assert str(app.screen.query_one("#plans-title").render()).startswith("Plans by campaign")
        keys = [row.key.value for row in plans.ordered_rows]
        headings = [k for k in keys if k and k.startswith("campaign:")]
        assert keys[0] == headings[0] and f"campaign:{SONNET_45}" in headings
        sonnet = keys.index(f"campaign:{SONNET_45}")
        assert {str(m.plan_id) for m in demo_store.campaign_members(SONNET_45)} == set(keys[sonnet + 1:sonnet + 4])
        plans.move_cursor(row=sonnet)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CampaignScreen) and app.screen.model_id == SONNET_45
        await pilot.press("escape")
        await settle(pilot)
        plans = app.screen.query_one("#plans", DataTable)
        plans.move_cursor(row=sonnet + 1)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)


async def test_the_plans_list_groups_by_campaign_on_b(demo_store: ProjectStore) -> None:
    from planner_tui.ui.screens.plans import PlansScreen

    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlansScreen) and "b" in keys_in_force(screen)
        table = screen.query_one("#all-plans", DataTable)
        plain_count = table.row_count
        await pilot.press("b")
        await settle(pilot)
        campaigns_count = len({p.model_id for p in demo_store.plans(with_items=False)})
        assert table.row_count == plain_count + campaigns_count
        assert str(table.get_row_at(0)[0]).startswith("▸ ")
        assert f"in {campaigns_count} campaigns" in str(screen.query_one("#plans-count").render())
        assert table.cursor_row == 1  # still on the plan it was on, now under its campaign's heading
        table.move_cursor(row=0)
        await pilot.press("enter")  # the first heading: its campaign
        await settle(pilot)
        assert isinstance(app.screen, CampaignScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert screen.query_one("#all-plans", DataTable).row_count == plain_count


async def test_s_shifts_every_open_applications_due_dates_and_undo_puts_them_back(demo_store: ProjectStore) -> None:
    def dues() -> dict[int, object]:
        return {i.id: i.due_date for m in demo_store.campaign_members(SONNET_45)
                for i in demo_store.plan(m.plan_id).items}

    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_campaign(pilot)
        before = dues()
        assert "s" in keys_in_force(app.screen)
        await pilot.press("s")
        await settle(pilot)
        await fill(pilot, days="soon")
        assert dues() == before and "not a whole number" in messages(app)[-1]
        await pilot.press("s")
        await settle(pilot)
        await fill(pilot, days="-5")
        assert dues() != before and "due 5 day(s) earlier" in messages(app)[-1]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert dues() == before
