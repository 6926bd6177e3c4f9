"""Every key the footer and help offer, pressed on every screen, dialog and phase tab, as a
person would: on the example project and on a new one, at 80×24 and 120×40.

A key that raises anywhere ends the app, and the test fails naming the key and the place.
Whatever a key opens (a dialog, a sub-screen) has its own keys pressed too, once per kind,
and is closed with Escape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

import pytest
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen

from planner_tui.domain.models import Application, Dependency
from planner_tui.domain.vocabulary import PHASES
from planner_tui.services.project import open_project
from planner_tui.ui.app import PlannerApp
from planner_tui.ui.screens.plan import PlanScreen

from .conftest import TODAY, settle

OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
NEVER = {"q", "ctrl+q", "ctrl+c"}  # they end the app: pressed by their own test below
Navigate = Callable[..., Awaitable[None]]


def keys_in_force(screen: Screen) -> dict[str, tuple]:
    """Every key bound to a described action in force on `screen` (what footer and help
    show), each with what it acts on: Textual's own keys (cursor moves, focus) act alike
    wherever their widget is; ours act on their screen, the phase in view and their panel."""
    found = {}
    viewing = getattr(screen, "viewing", None)
    for key, active in screen.active_bindings.items():
        binding, node = active.binding, active.node
        if not binding.description or not active.enabled or key in NEVER:
            continue
        if binding.id is None:
            found[key] = (type(node).__name__, binding.action)
        else:
            found[key] = (type(screen).__name__, viewing, node.id or type(node).__name__, binding.action)
    return found


def signature(screen: Screen) -> tuple:
    """What a key acts on: the screen's kind, the phase in view, the focused widget."""
    focused = screen.focused
    return (type(screen).__name__, getattr(screen, "viewing", None),
            focused.id or type(focused).__name__ if focused is not None else None)


async def back_to(pilot, home: Screen, navigate: Navigate) -> Screen:  # noqa: ANN001
    """Close what a key opened (Escape); go back the way we came if that is not enough."""
    app = pilot.app
    if app.screen is not home and isinstance(app.screen, ModalScreen) and home in app.screen_stack:
        await pilot.press("escape")
        await settle(pilot)
    if app.screen is not home:
        await navigate(pilot)
    return app.screen


async def press_all(pilot, where: str, navigate: Navigate, seen: set) -> None:  # noqa: ANN001
    app = pilot.app
    await navigate(pilot)
    home = app.screen
    place = signature(home)
    for key, acts_on in keys_in_force(home).items():
        if (acts_on, key) in seen:
            continue  # pressed already where it acts just the same
        seen.add((acts_on, key))
        await pilot.press(key)  # waits until the app is idle again
        if app.screen is not home:
            await settle(pilot)
        assert app.is_running, f"the app ended after {key!r} on {where}"
        opened = app.screen
        if opened is not home and not isinstance(opened, CommandPalette) and (
                kind := type(opened).__name__) not in seen:
            seen.add(kind)  # each dialog and sub-screen's own keys, once
            inner = f"{where} → {key} → {kind}"
            for inner_key in keys_in_force(opened):
                if app.screen is not opened:
                    break
                if inner_key == "escape":
                    continue  # closes it: pressed by back_to
                await pilot.press(inner_key)
                assert app.is_running, f"the app ended after {inner_key!r} on {inner}"
        home = await back_to(pilot, home, navigate)
        if signature(home) != place:  # e.g. Tab moved the focus: come back to the same place
            await navigate(pilot)
            home = app.screen
    await settle(pilot)  # workers a key started end here, or fail the test
    assert app.is_running, f"a key's work failed on {where}"


def goto(*keys: str) -> Navigate:
    async def run(pilot) -> None:  # noqa: ANN001
        app = pilot.app
        if app.current_mode != "dashboard":
            await app.switch_mode("dashboard")
            await settle(pilot)
        if len(app.screen_stack) > 1:
            while len(app.screen_stack) > 1:
                app.pop_screen()
            await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


def plan_tab(plan_id: int, phase_index: int, focus: str) -> Navigate:
    async def run(pilot) -> None:  # noqa: ANN001
        screen = pilot.app.screen
        if not (isinstance(screen, PlanScreen) and screen.plan_id == plan_id):
            await goto()(pilot)
            pilot.app.open_plan(plan_id)
            await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, PlanScreen)
        screen.query_one("#phases").active = f"tab-{PHASES[phase_index].value}"
        await settle(pilot)
        targets = screen.query(f"#{focus}")
        if targets:
            targets.first().focus()
            await settle(pilot)

    return run


def campaign_override() -> Navigate:
    """The first campaign with an override, its application highlighted (f is on offer)."""
    async def run(pilot) -> None:  # noqa: ANN001
        await goto("g", "g")(pilot)
        listing = pilot.app.screen
        found = next((row.model_id for row in getattr(listing, "data", []) if row.overrides), None)
        if found is None:
            return
        listing.query_one("#campaigns").move_cursor(row=listing.query_one("#campaigns").get_row_index(found))
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        rows = [row for row in getattr(getattr(screen, "data", None), "rows", ()) if not row.follows]
        if rows:
            table = screen.query_one("#matrix")
            table.move_cursor(row=table.get_row_index(str(rows[0].plan_id)))
            await settle(pilot)

    return run


def campaign_checklist() -> Navigate:
    """The first campaign, its shared Assess/Research/Test checklist focused (Space, a)."""
    async def run(pilot) -> None:  # noqa: ANN001
        await goto("g", "g", "enter")(pilot)
        found = pilot.app.screen.query("#campaign-checklist")
        if found:
            found.first().focus()
            await settle(pilot)

    return run


def code_triage() -> Navigate:
    """Discovered with places in code a `scan --record` left unassigned, the last (a code row)
    highlighted: `s` shows one source, `a`/`Enter`/`x` act on a place in code."""
    async def run(pilot) -> None:  # noqa: ANN001
        from .screen_states import code_for_triage

        await goto()(pilot)
        await code_for_triage("end")(pilot)

    return run


PANELS = {0: ["checklist", "phases"], 1: ["checklist", "candidates"], 2: ["checklist", "results"],
          3: ["checklist"], 4: ["checklist", "stages", "decisions"]}


def places(plan_ids: list[int]) -> dict[str, Navigate]:
    found = {
        "dashboard": goto(), "models": goto("m"), "model detail": goto("m", "enter"),
        "plans": goto("p"), "plans filter": goto("p", "slash"), "applications": goto("a"),
        "application detail": goto("a", "enter"), "discovered": goto("a", "u"),
        "discovered (places in code)": code_triage(),
        "project history": goto("h"), "help": goto("f1"),
        # g twice: the campaigns mode may still show a campaign; its own key goes back to the list.
        "campaigns": goto("g", "g"), "campaign": goto("g", "g", "enter"),
        "campaign (an override highlighted)": campaign_override(),
        "campaign (shared checklist)": campaign_checklist(),
    }
    for plan_id in plan_ids:
        for index, panels in PANELS.items():
            for panel in panels:
                found[f"plan {plan_id} {PHASES[index].title} ({panel})"] = plan_tab(plan_id, index, panel)
    return found


def new_project(tmp_path):  # noqa: ANN001, ANN201
    store = open_project(tmp_path / "new.db")
    store.add_application(Application(name="Checkout Assistant", owner="ann"),
                          [Dependency(app_id=0, model_id=OPUS_41, region="us-east-1")], today=TODAY)
    return store


@pytest.mark.parametrize(("project", "size"), [
    ("demo", (80, 24)), ("demo", (120, 40)), ("new", (80, 24)), ("new", (120, 40)), ("empty", (80, 24)),
], ids=["demo-80x24", "demo-120x40", "new-80x24", "new-120x40", "empty-80x24"])
async def test_every_key_on_every_screen(project, size, demo_store, tmp_path) -> None:
    if project == "demo":
        store = demo_store
        # A plan in Test with results, one in Rollout with stages and decisions, a completed one.
        wanted = {("Support Copilot", "sonnet"), ("Legal Summaries", "1"), ("Image Tagging", "3")}
        plan_ids = [p.id for p in store.plans(with_items=False)
                    if (p.app_name, p.model_id.split("-")[1]) in wanted]
        assert len(plan_ids) == 3
    elif project == "new":
        store = new_project(tmp_path)
        plan_ids = [p.id for p in store.plans(with_items=False)]
    else:
        store = open_project(tmp_path / "empty.db")
        plan_ids = []
    app = PlannerApp(store, TODAY)
    app.animation_level = "none"  # scrolling keys would wait for their animation
    seen: set = set()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for where, navigate in places(plan_ids).items():
            await press_all(pilot, where, navigate, seen)


async def test_q_quits_cleanly(demo_store) -> None:
    app = PlannerApp(demo_store, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_key_that_raises_fails_this_test(demo_store, tmp_path) -> None:
    """The walk would have caught the phase form's crash: a screen whose key raises ends the
    app and the walk reports it."""
    app = PlannerApp(demo_store, dt.date(2026, 11, 22))

    def broken() -> None:
        raise RuntimeError("boom")

    with pytest.raises(Exception):  # noqa: B017 - whatever Textual re-raises
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.screen.action_refresh = broken  # type: ignore[method-assign]
            await press_all(pilot, "dashboard", goto(), set())
