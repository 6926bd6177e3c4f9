"""Render every screen of the example project to screenshots/NAME.svg and .png.

Usage: uv run python scripts/screenshots.py   (PNG needs rsvg-convert: Debian librsvg2-bin,
with fonts-firacode for even columns).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from planner_tui.services.project import DemoProject
from planner_tui.ui.app import PlannerApp

OUT = Path(__file__).resolve().parents[1] / "screenshots"
TODAY = dt.date(2026, 11, 22)
SIZE = (120, 40)


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _nothing(pilot: Pilot) -> None:
    return None


def _keys(*keys: str) -> Callable[[Pilot], Awaitable[None]]:
    async def press(pilot: Pilot) -> None:
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return press


def _plan(app_name: str, model_id_part: str, *keys: str) -> Callable[[Pilot], Awaitable[None]]:
    async def open_plan(pilot: Pilot) -> None:
        app = pilot.app
        plan = next(p for p in app.store.plans()
                    if p.app_name == app_name and model_id_part in p.model_id)
        app.open_plan(plan.id)
        await settle(pilot)
        await _keys(*keys)(pilot)

    return open_plan


# name → what to do after the dashboard has loaded
SCREENS: dict[str, Callable[[Pilot], Awaitable[None]]] = {
    "dashboard": _nothing,
    "models": _keys("m"),
    "model-detail": _keys("m", "slash", *"opus 4.1", "enter", "enter"),
    "applications": _keys("a"),
    "application-detail": _keys("a", "enter"),
    "plan-assess": _plan("SQL Assistant", "llama3-3", "left_square_bracket"),
    "plan-research": _plan("Contract Review", "opus-4-1", "left_square_bracket"),
    "plan-test": _plan("Support Copilot", "sonnet-4-5"),
    "plan-rollout": _plan("Legal Summaries", "jamba"),
    "plans": _keys("p"),
    "history": _plan("Legal Summaries", "jamba", "h"),
    "discovered": _keys("a", "u"),
    "help": _keys("f1"),
}


async def shoot(name: str, steps: Callable[[Pilot], Awaitable[None]]) -> Path:
    demo = DemoProject(TODAY)
    try:
        app = PlannerApp(demo.store, TODAY, label="example project (demo)")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await steps(pilot)
            await settle(pilot)
            svg = OUT / f"{name}.svg"
            app.save_screenshot(filename=svg.name, path=str(OUT))
    finally:
        demo.close()
    return svg


def main() -> None:
    OUT.mkdir(exist_ok=True)
    converter = shutil.which("rsvg-convert")
    for name, steps in SCREENS.items():
        svg = asyncio.run(shoot(name, steps))
        if converter:
            # librsvg squeezes Textual's non-breaking spaces; plain preserved spaces keep columns.
            text = svg.read_text(encoding="utf-8").replace("&#160;", " ")
            text = text.replace("<svg ", '<svg xml:space="preserve" ', 1)
            subprocess.run([converter, "-o", str(svg.with_suffix(".png"))], input=text.encode(),
                           check=True)
        print(svg.with_suffix(".png" if converter else ".svg"))


if __name__ == "__main__":
    main()
