"""Issue #20 in the TUI: what a name, a note or an AWS model name holds is shown as data on
every screen, dialog, toast, table, the plan workspace, the help and the command palette:
never as Rich or Textual markup, never as a control code the terminal would act on, and
nothing crashes (a name with '[/]' could not be deleted: its confirmation raised).

Each step renders the whole screen as Textual would send it to the terminal and checks
every text segment (tests/hostile.py has the text and the project)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from textual.widgets import Select

from planner_tui.domain.inert import one_line, same_length
from planner_tui.services.project import open_project
from planner_tui.ui.app import PlannerApp

from .conftest import settle
from .hostile import (
    EVERYTHING,
    OPUS_41,
    TODAY,
    assert_inert,
    base_project,
    hostile_project,
    hostile_text,
    sync_hostile_listing,
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile-tui") / "base.db"
    base_project(path)
    return path


def frame(app: PlannerApp) -> str:
    """The screen as it would reach the terminal (with the screens under a dialog): its
    text, each control segment (cursor moves, Textual's own) left out; every text segment
    checked on the way."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    rows = []
    for line in update.strips:
        row = []
        for strip in line:
            for segment in strip:
                if not segment.control:
                    row.append(segment.text)
        rows.append("".join(row))
    return "\n".join(rows)


def check(app: PlannerApp, where: str, screenshot: bool = False) -> str:
    text = frame(app)
    assert_inert(text, where)
    if screenshot:  # as saved to a file (slower: once per tour)
        assert_inert(app.export_screenshot(), f"{where} (screenshot)")
    return text


async def tour(app: PlannerApp, pilot, name: str) -> list[str]:  # noqa: ANN001, C901
    """Every screen, dialog and toast that shows the project's text, checked one by one."""
    seen = []

    async def step(where: str, *keys: str) -> None:
        if keys:
            await pilot.press(*keys)
        await settle(pilot)
        seen.append(check(app, where, screenshot=not seen))

    await step("dashboard, first frame")
    await step("applications", "a")
    await step("application detail", "enter")
    await step("back", "escape")
    await step("edit application form", "e")
    await step("back", "escape")
    await step("delete confirmation", "delete")
    question = app.screen.query_one(".dialog-question").render()
    assert same_length(f"Delete {name}")[:40] in str(question)  # as data, markup and all
    await step("back", "escape")
    await step("plans", "p")
    (plan,) = app.store.plans(with_items=False)
    app.open_plan(plan.id)
    await step("plan workspace")
    for tab in range(4):
        await step(f"plan tab {tab + 2}", "right_square_bracket")
    app.screen.query_one("#checklist").focus()  # Rollout's
    await step("item delete confirmation", "delete")
    await step("back", "escape")
    await step("item edit form", "e")
    await step("back", "escape")
    await step("plan history", "h")
    await step("back", "escape")
    await step("phase form", "f")
    await step("back", "escape")
    app.action_history()
    await step("project history")
    await step("back", "escape")
    app.action_discovered()
    await step("discovered")
    await step("assign dialog", "a")
    app.screen.query_one(Select).expanded = True
    await step("assign dialog, applications listed")
    await step("back", "escape", "escape")
    await step("discovered, back", "escape")
    await step("models", "m")
    provider = app.screen.query_one("#provider", Select)
    provider.focus()
    provider.expanded = True
    await step("models, providers listed")
    await step("models, back", "escape")
    from planner_tui.ui.screens.models import ModelDetailScreen

    app.push_screen(ModelDetailScreen(OPUS_41))
    await step("model detail")
    await step("help", "f1")
    await step("back", "escape")
    await step("command palette", "ctrl+p")
    await pilot.press(*"plan")
    await step("command palette, searched")
    await step("back", "escape")
    await step("applications again", "a")
    await step("delete confirmation again", "delete")
    await step("deleted: the toast names it", "y")
    assert not app.store.applications()  # the name with '[/]' is deleted like any other
    await step("undone: the toast names it", "ctrl+z")
    assert [one_line(a.name) for a in app.store.applications()] == [one_line(name)]
    return seen


def run_tour(base: Path, path: Path, text: str) -> list[str]:
    hostile_project(base, path, text)
    store = open_project(path)
    (app_row,) = store.applications()

    async def main() -> list[str]:
        app = PlannerApp(store, TODAY)
        async with app.run_test(size=(160, 50), notifications=True) as pilot:
            return await tour(app, pilot, app_row.name)

    try:
        return asyncio.run(main())
    finally:
        store.close()


def test_every_fragment_on_every_screen(base: Path, tmp_path: Path) -> None:
    frames = run_tour(base, tmp_path / "p.db", EVERYTHING)
    shown = "\n".join(frames)
    for literal in ("[@click=app.quit]", "[/]", "[bold]", "<img src=x", "![t]("):
        assert literal in shown, literal  # shown as written: markup is data


@settings(max_examples=2, deadline=None, derandomize=True, database=None, phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=hostile_text())
def test_hostile_text_on_every_screen(text: str, base: Path, tmp_path: Path) -> None:
    run_tour(base, tmp_path / "p.db", text)


async def test_a_name_with_markup_is_deleted_from_its_confirmation(store) -> None:
    """The bug of #20: Delete on 'Billing [/]' raised MarkupError in the confirmation."""
    from planner_tui.domain.models import Application

    store.add_application(Application(name="Billing [/] [bold]x"), today=TODAY)
    app = PlannerApp(store, TODAY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        assert "Delete Billing [/] [bold]x with its 0 dependencies" in frame(app)
        await pilot.press("y")
        await settle(pilot)
        assert store.applications() == []
        assert "Deleted Billing [/] [bold]x." in frame(app)


def test_names_from_aws_on_every_screen(base: Path, tmp_path: Path, monkeypatch) -> None:
    """A Bedrock listing (local stand-in) naming models, providers and resources with escapes."""
    import shutil

    from planner_tui.ui.screens.models import ModelDetailScreen

    db = tmp_path / "p.db"
    shutil.copy(base, db)
    assert sync_hostile_listing(db, monkeypatch, EVERYTHING)[0] in (0, 1)
    store = open_project(db)

    async def main() -> None:
        app = PlannerApp(store, TODAY)
        async with app.run_test(size=(160, 50), notifications=True) as pilot:
            async def step(where: str, *keys: str) -> None:
                await pilot.press(*keys)
                await settle(pilot)
                check(app, where)

            await step("dashboard")
            await step("models", "m")
            provider = app.screen.query_one("#provider", Select)
            provider.focus()
            provider.expanded = True
            await step("providers listed")
            await step("models, back", "escape")
            app.push_screen(ModelDetailScreen(OPUS_41))
            await step("model detail")
            app.push_screen(ModelDetailScreen("evil." + EVERYTHING))
            await step("new model's detail")
            app.action_discovered()
            await step("discovered")
            await step("palette", "ctrl+p", *"plan")

    try:
        asyncio.run(main())
    finally:
        store.close()
