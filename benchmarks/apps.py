"""The apps the start-up figures run, each in a process of its own (run.py starts them).

    python benchmarks/apps.py minimal
    python benchmarks/apps.py planner PROJECT.db [--day YYYY-MM-DD] [--write] [--scroll]
    python benchmarks/apps.py demo

Each prints JSON lines: `painted_at` (wall clock, when its first screen is painted with its
data) with `cpu_s` (the process's CPU time by then), and for the planner the key-to-repaint
timings and its peak memory (VmHWM: since this process started). The planner opens the
project read-only unless `--write` (as `planner-tui` does), on `--day` (2026-11-22 unless
given). Imports here are only what each app needs, so neither start-up
carries the benchmark's own.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _painted() -> dict[str, float]:
    """When the first screen was painted, and the CPU the process had used by then (all its
    threads: the planner reads its dashboard in a second one)."""
    return {"painted_at": time.time(), "cpu_s": time.process_time()}


async def minimal() -> None:
    """The baseline: a Header, a DataTable of 100 rows and a Footer."""
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header

    class Minimal(App):
        def compose(self):  # noqa: ANN202
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("a", "b", "c")
            table.add_rows((str(i), str(i * 2), str(i * 3)) for i in range(100))

    async with Minimal().run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert pilot.app.query_one(DataTable).row_count == 100
        print(json.dumps(_painted()), flush=True)


async def planner(db: str, day: str, write: bool, scroll: bool) -> None:
    """`planner-tui` on the project, as it starts (the dashboard's data read beside the UI)."""
    import datetime as dt

    from planner_tui.services.project import open_project
    from planner_tui.ui.launch import start_app

    store = open_project(Path(db), read_only=not write)
    app = start_app(store, dt.date.fromisoformat(day))
    from textual.widgets import DataTable

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        plans = app.screen.query_one("#plans", DataTable)
        if not plans.row_count:  # the data missed the first frame: painted when the worker is done
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert plans.row_count > 0
        print(json.dumps(_painted()), flush=True)
        if scroll:
            await pilot.press("p")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            table = app.screen.query_one("#all-plans", DataTable)
            listed = str(app.screen.query_one("#plans-count").render())
            total = store.plan_count()
            assert listed.startswith(f"{total:,} of"), listed  # the table takes them a page at a time
            timings = []
            # Key press → the screen's next refresh. (pilot.press adds fixed waits of its own,
            # about 80 ms even on a 100-row table, so it cannot measure this.)
            for key in ["down"] * 60 + ["pagedown"] * 20:
                repainted = asyncio.Event()
                start = time.perf_counter()
                app.simulate_key(key)
                await asyncio.sleep(0)
                app.call_after_refresh(repainted.set)
                await repainted.wait()
                timings.append(time.perf_counter() - start)
            assert table.cursor_row > 60, "the keys did not reach the plan list"
            print(json.dumps({"scroll_ms": [t * 1000 for t in timings], "row": table.cursor_row, "plans": total}))
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(json.dumps({"rss_mb": kb / 1024}))


async def demo() -> None:
    """`planner-tui --demo` as it starts: the example project for the day, then the app."""
    import datetime as dt

    from planner_tui.services.project import DemoProject
    from planner_tui.ui.launch import start_app

    today = dt.date(2026, 11, 22)
    project = DemoProject(today)
    app = start_app(project.store, today, label="example project (demo)")
    from textual.widgets import DataTable

    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            if not app.screen.query_one("#plans", DataTable).row_count:
                await app.workers.wait_for_complete()
                await pilot.pause()
            assert app.screen.query_one("#plans", DataTable).row_count > 0
            print(json.dumps(_painted()), flush=True)
    finally:
        project.close()


if __name__ == "__main__":
    if sys.argv[1] == "minimal":
        asyncio.run(minimal())
    elif sys.argv[1] == "demo":
        asyncio.run(demo())
    else:
        rest = sys.argv[3:]
        day = rest[rest.index("--day") + 1] if "--day" in rest else "2026-11-22"
        asyncio.run(planner(sys.argv[2], day, "--write" in rest, "--scroll" in rest or "scroll" in rest))
