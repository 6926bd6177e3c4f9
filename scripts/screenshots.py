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


# name → what to do after the dashboard has loaded
SCREENS: dict[str, Callable[[Pilot], Awaitable[None]]] = {
    "dashboard": _nothing,
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
            subprocess.run([converter, str(svg), "-o", str(svg.with_suffix(".png"))], check=True)
        print(svg.with_suffix(".png" if converter else ".svg"))


if __name__ == "__main__":
    main()
