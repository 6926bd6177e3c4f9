"""The smaller defects of the screens: search, filter, history, discovered, timeline, titles."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable, Header, Input, Static

from planner_tui.domain.vocabulary import Phase
from planner_tui.ui.app import PlannerApp
from planner_tui.ui.widgets.timeline import TimelineChart

from .conftest import TODAY, settle


def column(table: DataTable, index: int) -> list[str]:
    return [str(table.get_row_at(row)[index]) for row in range(table.row_count)]


@pytest.mark.parametrize("pasted, model", [
    ("us.anthropic.claude-3-5-haiku-20241022-v1:0", "Claude 3.5 Haiku"),
    ("eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "Claude Sonnet 4.5"),
    ("arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
     "Claude Sonnet 4.5"),
])
async def test_models_search_finds_a_pasted_inference_profile_id(demo_store, pasted, model) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        app.screen.query_one("#search", Input).value = pasted
        await settle(pilot)
        names = column(app.screen.query_one("#models", DataTable), 0)
        assert names and set(names) == {model}


async def test_plans_filter_matches_owners_and_hands_down_and_enter_to_the_list(demo_store) -> None:
    from planner_tui.ui.screens.plan import PlanScreen

    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("slash", *"dev.raman")  # owns Contract Review and Legal Summaries
        await settle(pilot)
        table = app.screen.query_one("#all-plans", DataTable)
        assert sorted(set(column(table, 0))) == ["Contract Review", "Legal Summaries"]
        await pilot.press("down")
        assert app.screen.focused is table
        await pilot.press("slash")
        await pilot.press("enter")  # opens the highlighted plan: the first one listed
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert demo_store.plan(app.screen.plan_id).app_name in {"Contract Review", "Legal Summaries"}


async def test_project_history_says_where_and_in_words(demo_store, monkeypatch) -> None:
    from planner_tui.ui.screens.history import HistoryScreen

    monkeypatch.setenv("PLANNER_TUI_USER", "dana")
    # Ops Chatbot's Assess is still open (Sales Email Drafts shares the one Support Copilot finished).
    plan = next(p for p in demo_store.plans() if p.app_name == "Ops Chatbot")
    first, second = plan.items_in(Phase.ASSESS)[:2]
    demo_store.toggle_item(first.id)
    demo_store.move_item(second.id, -1)
    demo_store.set_lifecycle_date("anthropic.claude-opus-4-1-20250805-v1:0", "us-east-1", "eol_date",
                                  dt.date(2027, 2, 1))
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        app.push_screen(HistoryScreen())
        await settle(pilot)
        table = app.screen.query_one("#history", DataTable)
        assert [str(c.label) for c in table.ordered_columns] == ["When (UTC)", "Who", "Application / plan", "What"]
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        what = [row[3] for row in rows]
        assert not any("done_at" in text or "due_date" in text for text in what)
        toggled = next(row for row in rows if f"'{first.title}': done: 0 → 1" in row[3])
        assert "done on" in toggled[3] and toggled[1] == "dana"
        assert toggled[2] == "Ops Chatbot × Claude Opus 4.1"
        moved = [row[3] for row in rows if row[3].startswith("moved checklist item")]
        assert f"moved checklist item '{second.title}' up" in moved
        assert not any(text.endswith(": ") for text in what)  # nothing after a colon
        typed = [row for row in rows if "2027-01-08 → 2027-02-01" in row[3]]
        assert len(typed) == 1  # listed once, with who typed it
        assert typed[0][1] == "dana" and typed[0][2] == "Claude Opus 4.1"
        assert not any(row[1] == "entered by hand" for row in rows)


async def test_discovered_screen_says_something_true_without_a_sync_run(demo_store) -> None:
    from planner_tui.ui.screens.discovered import DiscoveredScreen

    assert demo_store.last_sync() is None and demo_store.discovered()
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(DiscoveredScreen())
        await settle(pilot)
        note = str(app.screen.query_one("#discovered-note", Static).render())
        assert not note.startswith("No sync yet")
        assert note.startswith("3 unassigned resources")


async def test_timeline_gives_each_plan_on_a_model_its_own_row(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        chart = app.screen.query_one(TimelineChart)
        lines = chart.render().plain.split("\n")
        sonnet = next(i for i, line in enumerate(lines) if line.startswith("Claude Sonnet 4.5 "))
        below = lines[sonnet + 1:sonnet + 4]
        assert [line.split("  ")[1] for line in below] == ["Sales Email Drafts", "Support Copilot",
                                                           "Code Review Bot"]
        assert all("◆" in line for line in below)
        assert len({line[24:] for line in below}) == 3  # each plan its own dates


@pytest.mark.parametrize("open_screen", ["model", "history", "discovered"])
async def test_sub_screens_keep_the_read_only_marker(db_path, open_screen) -> None:
    from planner_tui.services.demo import build_demo
    from planner_tui.services.project import open_project
    from planner_tui.ui.screens.discovered import DiscoveredScreen
    from planner_tui.ui.screens.history import HistoryScreen
    from planner_tui.ui.screens.models import ModelDetailScreen

    writable = open_project(db_path)
    build_demo(writable, TODAY)
    writable.close()
    store = open_project(db_path, read_only=True)
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen({"model": lambda: ModelDetailScreen("anthropic.claude-opus-4-1-20250805-v1:0"),
                         "history": HistoryScreen, "discovered": DiscoveredScreen}[open_screen]())
        await settle(pilot)
        sub_title = app.screen.query_one(Header).screen_sub_title
        assert sub_title.startswith("read-only · ")  # first: a narrow header cuts the end
        if open_screen == "model":
            assert sub_title.endswith("Claude Opus 4.1")
    store.close()


async def test_models_search_hands_down_to_the_list(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("slash", *"haiku")
        await settle(pilot)
        table = app.screen.query_one("#models", DataTable)
        await pilot.press("down")
        assert app.screen.focused is table
        assert table.cursor_row == 0  # the first match is highlighted, not skipped
