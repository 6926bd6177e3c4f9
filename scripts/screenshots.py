"""Render the README's screens of the example project to screenshots/NAME.svg and .png
(`--all`: every state the snapshot tests check, dialogs included).

Usage: uv run python scripts/screenshots.py [--all]   (PNG needs rsvg-convert: Debian
librsvg2-bin, with fonts-firacode for even columns).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

from planner_tui.persistence.store import ProjectStore
from planner_tui.services.project import DemoProject
from planner_tui.ui.app import PlannerApp

OUT = Path(__file__).resolve().parents[1] / "screenshots"
TODAY = dt.date(2026, 11, 22)
SIZE = (120, 40)


# The states come from the snapshot tests' list: the pictures are of what the tests check.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.screen_states import STATES, State, settle  # noqa: E402


async def shoot(name: str, state: State) -> Path:
    demo = DemoProject(TODAY)
    store = demo.store
    if state.read_only:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store = ProjectStore.open(demo.store.path, read_only=True)
    try:
        app = PlannerApp(store, TODAY, label="example project (demo)")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await state.steps(pilot)
            await settle(pilot)
            svg = OUT / f"{name}.svg"
            app.save_screenshot(filename=svg.name, path=str(OUT))
    finally:
        if store is not demo.store:
            store.close()
        demo.close()
    return svg


def main() -> None:
    OUT.mkdir(exist_ok=True)
    converter = shutil.which("rsvg-convert")
    every = "--all" in sys.argv[1:]
    for name, state in STATES.items():
        if not (state.readme or every):
            continue
        svg = asyncio.run(shoot(name, state))
        if converter:
            # librsvg squeezes Textual's non-breaking spaces; plain preserved spaces keep columns.
            text = svg.read_text(encoding="utf-8").replace("&#160;", " ")
            text = text.replace("<svg ", '<svg xml:space="preserve" ', 1)
            subprocess.run([converter, "-o", str(svg.with_suffix(".png"))], input=text.encode(),
                           check=True)
        print(svg.with_suffix(".png" if converter else ".svg"))


if __name__ == "__main__":
    main()
