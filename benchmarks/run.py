"""Speed and memory of planner-tui on generated projects, each beside its baseline.

    uv run python benchmarks/run.py [--scale 1 10] [--keep DIR] [--only FIGURE ...]

`--scale 1` is 5,000 applications (20,000 plans), `--scale 10` 50,000 (200,000 plans); with
several scales the project figures are measured at each, the others once, and the script
prints how each figure grew from the first scale to the last.

Every figure is measured in this run next to its baseline, printed with the ratio and the
target (the two imports, 100,000 CSV rows and a 20,000-application JSON document, against
absolute limits of time and peak memory), and the script ends with `benchmarks: N passed,
M failed`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TODAY = dt.date(2026, 11, 22)
RESULTS: list[tuple[str, str, str, bool]] = []


def record(name: str, measured: str, target: str, ok: bool) -> None:
    RESULTS.append((name, measured, target, ok))
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {measured}  (target {target})", flush=True)


def best_of(runs: int, fn) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


# -- the apps, each in a process of its own (benchmarks/apps.py) ---------------------------


def _run_app(*args: str, env: dict[str, str] | None = None) -> tuple[float, list[dict]]:
    """Start an app; seconds from starting its process to its first painted screen, and the
    JSON lines it printed."""
    started = time.time()
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "apps.py"), *args], capture_output=True,
                          text=True, cwd=ROOT, check=False, env=env)
    if done.returncode:
        raise SystemExit(f"benchmark app {args} failed:\n{done.stderr[-2000:]}")
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return next(line["painted_at"] for line in lines if "painted_at" in line) - started, lines


# -- figures --------------------------------------------------------------------------------


SCALE = [1.0]  # the scale being measured (set in main)
GROWTH: dict[str, dict[float, float]] = {}  # figure -> scale -> the number that grows
_NEW_DAYS = iter(range(1, 10_000))  # each "new day" start is on a day never used before


def new_day() -> str:
    return str(TODAY + dt.timedelta(days=next(_NEW_DAYS)))


def grows(name: str, value: float) -> None:
    GROWTH.setdefault(name, {})[SCALE[0]] = value


def _start_limit(scale: float) -> float:
    """The issue's targets: ≤ 1.3× the minimal app at 5,000 applications, ≤ 1.5× at 50,000."""
    return 1.3 if scale <= 1 else 1.5


def cold_start(db: Path) -> None:
    """Process start to first painted dashboard, the planner beside the minimal app, in three
    cases, alternated with the minimal app, eight rounds:

    - the first start of a new day (each start on a day never used before, project writable,
      as a tech lead opens the planner in the morning);
    - read-only, each start on another day;
    - a day already seen (the same day every start).

    With bytecode caches, as Python runs an installed app from its second start on (a private
    PYTHONPYCACHEPREFIX filled by one untimed start). Counted: best against best (this
    machine's timings wander by a third); printed beside: the medians."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    limit = _start_limit(SCALE[0])
    with tempfile.TemporaryDirectory(prefix="planner-bench-pyc-") as caches:
        env["PYTHONPYCACHEPREFIX"] = caches
        cases = {
            "first start of a new day": lambda: ("planner", str(db), "--write", "--day", new_day()),
            "read-only, another day": lambda: ("planner", str(db), "--day", new_day()),
            "a day already seen": lambda: ("planner", str(db), "--write", "--day", str(TODAY)),
        }
        _run_app("minimal", env=env)  # fills the caches
        _run_app("planner", str(db), "--write", "--day", str(TODAY), env=env)
        times: dict[str, list[float]] = {"minimal": [], **{case: [] for case in cases}}
        cpu: dict[str, list[float]] = {side: [] for side in times}
        for _ in range(8):
            for side in times:
                args = ("minimal",) if side == "minimal" else cases[side]()
                seconds, lines = _run_app(*args, env=env)
                times[side].append(seconds)
                cpu[side].append(next(line["cpu_s"] for line in lines if "cpu_s" in line))
    minimal = min(times["minimal"])
    for case in cases:
        ratio = min(times[case]) / minimal
        median = statistics.median(times[case]) / statistics.median(times["minimal"])
        record(f"dashboard first paint, {case}",
               f"{min(times[case]):.2f} s vs minimal app {minimal:.2f} s = {ratio:.2f}× "
               f"(medians {median:.2f}×)", f"≤ {limit}×", ratio <= limit)
        grows(f"dashboard first paint, {case} (s)", min(times[case]))
        used = statistics.median(cpu[case]) / statistics.median(cpu["minimal"])
        print(f"      (CPU used to the first paint, median: {statistics.median(cpu[case]):.2f} s = {used:.2f}× "
              "the minimal app's)", flush=True)


def demo_start(_: Path) -> None:
    """`planner-tui --demo` to its first painted dashboard beside the minimal app: the example
    project is copied from a template built once (services/demo_template.py)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    with tempfile.TemporaryDirectory(prefix="planner-bench-pyc-") as caches:
        env["PYTHONPYCACHEPREFIX"] = caches
        _run_app("minimal", env=env)
        _run_app("demo", env=env)  # builds today's template once, fills the caches
        minimal, demo = [], []
        for _ in range(6):
            minimal.append(_run_app("minimal", env=env)[0])
            demo.append(_run_app("demo", env=env)[0])
    ratio = min(demo) / min(minimal)
    record("--demo first paint", f"{min(demo):.2f} s vs minimal app {min(minimal):.2f} s = {ratio:.2f}× (medians "
           f"{statistics.median(demo) / statistics.median(minimal):.2f}×)", "≤ 1.5×", ratio <= 1.5)


def first_open(db: Path) -> None:
    """The TUI opening a newly generated project (what an import leaves too): its first
    painted dashboard with data, and the process's peak memory. Every plan's timetables are
    worked out and stored then, once."""
    fresh = db.parent / "first-open.db"
    leftovers = [fresh, *(fresh.with_name(fresh.name + end) for end in ("-wal", "-shm"))]
    for path in leftovers:  # a write-ahead log left beside a new copy would be read into it
        path.unlink(missing_ok=True)
    shutil.copyfile(db.parent / "generated.db", fresh)
    painted, lines = _run_app("planner", str(fresh), "--write", "--day", str(TODAY))
    rss = next(line["rss_mb"] for line in lines if "rss_mb" in line)
    for path in leftovers:
        path.unlink(missing_ok=True)
    record("first open of a newly generated project", f"{painted:.1f} s to the dashboard, peak {rss:.0f} MB",
           "≤ 30 s and ≤ 500 MB", painted <= 30 and rss <= 500)
    grows("first open (s)", painted)
    grows("first open, peak memory (MB)", rss)


def queries(db: Path) -> None:
    from planner_tui.services import overview
    from planner_tui.services.dashboard import load_dashboard
    from planner_tui.services.project import open_project

    def ours_once() -> None:
        # A fresh store each time: nothing remembered from the previous run.
        store = open_project(db, read_only=True)
        load_dashboard(store, TODAY)
        overview.plan_lines(store, TODAY)
        store.close()

    ours = best_of(5, ours_once)

    # The rows both screens show, each fetched by one query of the same SQL in plain sqlite3
    # (the standings are worked out by SQLite in both: what is compared is the rest).
    from planner_tui.persistence.queries import _LINE_COLUMNS, _ORDER, standings_sql

    plan_list = f"""SELECT {_LINE_COLUMNS} FROM {standings_sql()} s JOIN plans p ON p.id = s.plan_id
                    JOIN applications a ON a.id = s.app_id LEFT JOIN models m ON m.model_id = s.model_id
                    ORDER BY {_ORDER}"""

    def hand_written() -> None:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        day = TODAY.isoformat()
        # Dashboard: dependencies per lifecycle state, milestones with the apps they affect,
        # the 100 most urgent plans and their count, timeline bands and their plans' due dates.
        conn.execute("""SELECT l.declared_status, l.legacy_date, l.pea_date, l.eol_date, count(*)
                        FROM dependencies d LEFT JOIN lifecycle l ON l.model_id = d.model_id
                        AND l.region = d.region GROUP BY 1, 2, 3, 4""").fetchall()
        milestones = """WITH grp AS (SELECT model_id, declared_status, legacy_date, pea_date, eol_date, source,
                                            json_group_array(region) AS regions
                                     FROM (SELECT * FROM lifecycle ORDER BY model_id, region)
                                     GROUP BY model_id, declared_status, legacy_date, pea_date, eol_date,
                                              policy, source),
                             due AS (SELECT model_id, regions, 'legacy' AS kind, legacy_date AS day FROM grp
                                     UNION ALL SELECT model_id, regions, 'pea', pea_date FROM grp
                                     UNION ALL SELECT model_id, regions, 'eol', eol_date FROM grp)
                        SELECT {} FROM due JOIN models m USING (model_id) WHERE day >= ?"""
        shown = conn.execute(milestones.format("due.model_id, m.name, kind, day, regions")
                             + " ORDER BY day, due.model_id, kind LIMIT 40", [day]).fetchall()
        conn.execute(milestones.format("count(*)"), [day]).fetchall()
        for model_id, _, _, _, regions in shown:
            conn.execute("""SELECT DISTINCT a.name FROM dependencies d JOIN applications a ON a.id = d.app_id
                            WHERE d.model_id = ? AND d.region IN (SELECT value FROM json_each(?))""",
                         [model_id, regions]).fetchall()
        conn.execute(plan_list.replace("WHERE 1", "WHERE p.closed_on IS NULL") + " LIMIT 100",
                     {"day": day}).fetchall()
        conn.execute("SELECT count(*) FROM plans").fetchall()
        bands = conn.execute("""SELECT p.model_id, s.band_region, s.band_eol, m.name,
                                       MIN(coalesce(s.band_eol, '9999-12-31') || coalesce(s.band_pea, '9999-12-31'))
                                FROM plans p JOIN plan_schedules s ON s.plan_id = p.id AND s.valid_from = ''
                                JOIN models m USING (model_id)
                                WHERE p.completed_on IS NULL GROUP BY p.model_id
                                ORDER BY s.band_eol, m.name LIMIT 12""").fetchall()
        models = json.dumps([b[0] for b in bands])
        conn.execute("""SELECT l.* FROM lifecycle l WHERE l.model_id IN (SELECT value FROM json_each(?))""",
                     [models]).fetchall()
        conn.execute(f"""SELECT s.model_id, s.phase_index, s.risk_rank, s.due_assess, s.due_rollout
                         FROM {standings_sql("p.model_id IN (SELECT value FROM json_each(:models))")} s""",
                     {"day": day, "models": models}).fetchall()
        # Plan list: every plan, most urgent first.
        conn.execute(plan_list, {"day": day}).fetchall()
        conn.close()

    baseline = best_of(5, hand_written)
    ratio = ours / baseline
    record("dashboard and plan-list queries", f"{ours:.3f} s vs plain sqlite3 {baseline:.3f} s = {ratio:.2f}×",
           "≤ 2×", ratio <= 2)
    grows("dashboard and plan-list queries (s)", ours)


def scrolling_and_memory(db: Path) -> None:
    _, lines = _run_app("planner", str(db), "--scroll")
    scrolled = next(line for line in lines if "scroll_ms" in line)
    timings = scrolled["scroll_ms"]
    median = statistics.median(timings)
    record(f"key press to repaint, {scrolled['plans']:,}-plan list", f"median {median:.1f} ms (p95 "
           f"{sorted(timings)[int(len(timings) * 0.95)]:.1f} ms)", "median ≤ 50 ms", median <= 50)
    rss = next(line["rss_mb"] for line in lines if "rss_mb" in line)
    record("peak memory with the large project in the TUI", f"{rss:.0f} MB", "≤ 250 MB", rss <= 250)
    grows("key press to repaint, median (ms)", median)
    grows("TUI peak memory, plan list open (MB)", rss)


def calendar(db: Path) -> None:
    from icalendar import Alarm, Calendar, Event

    from planner_tui.integrations.calendar.events import ExportScope
    from planner_tui.integrations.calendar.ics import export_calendar
    from planner_tui.services.project import open_project

    store = open_project(db, read_only=True)
    apps = tuple(a.name for a in store.applications()[:1000])
    scope = ExportScope(apps=apps, kinds=frozenset({"plan"}), alarms=(30, 7, 1))
    now = dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC)
    result = None

    def ours() -> None:
        nonlocal result
        result = export_calendar(store, None, TODAY, scope, now=now)

    from planner_tui.integrations.calendar.events import all_events, in_scope
    from planner_tui.integrations.calendar.ics import PRODID

    events = [e for e in all_events(store, TODAY) if in_scope(e.kind, e.model_id, e.app_names, scope)]
    baseline_output = b""

    def bare() -> None:
        # The same calendar, byte for byte (checked below), from events made beforehand.
        nonlocal baseline_output
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", "Bedrock migrations")
        for event in sorted(events, key=lambda e: (e.start, e.summary, e.uid)):
            vevent = Event()
            vevent.add("uid", event.uid)
            vevent.add("dtstamp", now)
            vevent.add("dtstart", event.start)
            vevent.add("dtend", event.last_day + dt.timedelta(days=1))
            vevent.add("summary", event.summary)
            vevent.add("description", event.description)
            vevent.add("categories", [event.category])
            if event.url:
                vevent.add("url", event.url)
            vevent.add("sequence", 0)
            vevent.add("status", "CONFIRMED")
            vevent.add("transp", "TRANSPARENT")
            for days in scope.alarms:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"In {days} day{'s' if days != 1 else ''}: {event.summary}"
                          if days else event.summary)
                alarm.add("trigger", dt.timedelta(days=-days))
                vevent.add_component(alarm)
            calendar.add_component(vevent)
        baseline_output = calendar.to_ical()

    # Alternated, best of three each: a slow minute must not land on one side only.
    ours_times, bare_times = [], []
    for _ in range(3):
        ours_times.append(best_of(1, ours))
        bare_times.append(best_of(1, bare))
    ours_time, baseline = min(ours_times), min(bare_times)
    assert result.data == baseline_output, "the baseline must write the same calendar"
    ratio = ours_time / baseline
    record(f"iCalendar export of {result.events:,} events",
           f"{ours_time:.2f} s vs bare icalendar {baseline:.2f} s = {ratio:.2f}×", "≤ 1.3×", ratio <= 1.3)
    # Issue #16: icalendar's Component API costs about 1 ms an event (building each tree,
    # then folding each line a character at a time); the export encodes with icalendar's
    # property types and folds as it does, without the trees (RESULTS.md has the profile).
    record(f"iCalendar export of {result.events:,} events, absolute", f"{ours_time:.2f} s", "≤ 5 s",
           ours_time <= 5)
    store.close()


SYNC_REGIONS = [f"bench-{i:02d}-1" for i in range(30)]


def _child_fake_bedrock() -> None:
    """The local Bedrock stand-in, in a process of its own like the real service: its work
    must not compete with the sync for this interpreter."""
    sys.path.insert(0, str(ROOT / "tests"))
    from fake_bedrock import FakeBedrock

    listing = [{"modelArn": f"arn:aws:bedrock:x::foundation-model/bench.m{i}", "modelId": f"bench.m{i}",
                "modelName": f"m{i}", "providerName": "Bench", "inputModalities": ["TEXT"],
                "outputModalities": ["TEXT"], "responseStreamingSupported": True,
                "modelLifecycle": {"status": "ACTIVE"}} for i in range(100)]
    delay = float(os.environ.get("BENCH_DELAY", "0.2"))
    with FakeBedrock({}, {r: listing for r in SYNC_REGIONS}, delay=delay) as server:
        print(server.url, flush=True)
        sys.stdin.read()  # until the benchmark closes our input


def sync(_: Path) -> None:
    import boto3

    from planner_tui.integrations.aws.sync import run_sync
    from planner_tui.services.project import open_project

    server = subprocess.Popen([sys.executable, __file__, "--child", "fake-bedrock"], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    scratch = tempfile.mkdtemp(prefix="planner-bench-sync-")
    # The settings are this figure's own: the later figures' processes (org_sync's) inherit
    # the environment, and a stale Bedrock endpoint would send their calls here.
    saved = dict(os.environ)
    try:
        url = server.stdout.readline().strip()
        os.environ.update({"AWS_ENDPOINT_URL_BEDROCK": url, "AWS_ACCESS_KEY_ID": "AKIABENCH",
                           "AWS_SECRET_ACCESS_KEY": "bench", "AWS_EC2_METADATA_DISABLED": "true",
                           "AWS_MAX_ATTEMPTS": "1"})

        def one(names: list[str], label: str) -> float:
            # A new project each time: a first sync of these Regions, whatever --keep holds.
            store = open_project(Path(tempfile.mkdtemp(dir=scratch, prefix=f"{label}-")) / "project.db")
            start = time.perf_counter()
            run_sync(store, boto3.Session(region_name="us-east-1"), names, TODAY,
                     skip=frozenset({"usage", "health"}))
            elapsed = time.perf_counter() - start
            store.close()
            return elapsed

        # botocore reads its service models once per process: load them before timing, so
        # that neither figure carries that one-off cost; then the better of two runs each.
        one(SYNC_REGIONS[:1], "warm-up")
        single = min(one(SYNC_REGIONS[:1], f"one-{n}") for n in range(2))
        thirty = min(one(SYNC_REGIONS, f"thirty-{n}") for n in range(2))
    finally:
        os.environ.clear()
        os.environ.update(saved)
        server.stdin.close()
        server.wait(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)
    ratio = thirty / single
    record("sync of 30 Regions, 200 ms per call", f"{thirty:.2f} s vs one Region {single:.2f} s = {ratio:.2f}×",
           "≤ 2×", ratio <= 2)


def status(db: Path) -> None:
    """`status --json` on a day already seen beside the first run on a new day (each run on
    a day never used before), alternated, best of four each; on the 5,000-application
    project also against its absolute limit of a second."""
    def run(day: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "planner_tui", "status", "--json", "--db", str(db),
                        "--today", day], stdout=subprocess.DEVNULL, cwd=ROOT, check=False)
        return time.perf_counter() - start

    run(str(TODAY))
    seen, new = [], []
    for _ in range(4):
        seen.append(run(str(TODAY)))
        new.append(run(new_day()))
    ratio = min(new) / min(seen)
    record("planner-tui status --json on a new day", f"{min(new):.2f} s vs a day already seen {min(seen):.2f} s "
           f"= {ratio:.2f}×", "≤ 1.2×", ratio <= 1.2)
    grows("status --json (s)", min(seen))
    if SCALE[0] <= 1:
        record("planner-tui status --json, large project", f"{min(seen):.2f} s", "≤ 1 s", min(seen) <= 1.0)


# The CLI in a process of its own that reports, at exit, the high-water mark of its own
# memory (VmHWM: since its exec, unlike getrusage's maxrss, which keeps the parent's from fork).
_PEAK_AT_EXIT = """
import atexit, sys
target = sys.argv[1]
def peak():
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    with open(target, "w") as out:
        out.write(str(kb))
atexit.register(peak)
sys.argv = ["planner-tui", *sys.argv[2:]]
from planner_tui.cli import run
run()
"""


def _import_once(command: list[str], source: Path, scratch: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one import into a new project, in a process of its own."""
    project = Path(tempfile.mkdtemp(dir=scratch)) / "project.db"
    peak = scratch / "peak.txt"
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK_AT_EXIT, str(peak), *command, str(source), "--db", str(project),
                           "--today", str(TODAY)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    shutil.rmtree(project.parent, ignore_errors=True)
    return elapsed, int(peak.read_text()) / 1024


def _import_figure(name: str, command: list[str], source: Path, seconds: float, megabytes: float) -> None:
    """The better of two imports (all or nothing, one transaction each) and the larger peak."""
    scratch = Path(tempfile.mkdtemp(prefix="planner-bench-import-"))
    try:
        runs = [_import_once(command, source, scratch) for _ in range(2)]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    elapsed, rss = min(t for t, _ in runs), max(m for _, m in runs)
    record(name, f"{elapsed:.1f} s, peak {rss:.0f} MB", f"≤ {seconds:.0f} s and ≤ {megabytes:.0f} MB",
           elapsed <= seconds and rss <= megabytes)


def _import_source(path: Path, make) -> Path:  # noqa: ANN001
    """The input file, made once beside the project (kept with --keep)."""
    if not path.exists():
        start = time.perf_counter()
        sizes = make(path)
        print(f"(generated {path.name}: {sizes} in {time.perf_counter() - start:.1f} s)", flush=True)
    return path


def csv_import(db: Path) -> None:
    """`apps import` of 100,000 CSV rows: 25,000 applications × 4 dependencies, half of them on
    models with retirement dates (about 47,000 plans, 1.2 million checklist items)."""
    from generate import import_csv

    source = _import_source(db.parent / "import-100000-rows.csv", import_csv)
    _import_figure("apps import, 100,000 CSV rows", ["apps", "import"], source, 30, 300)


def json_import(db: Path) -> None:
    """`import json` of 20,000 applications as `export json` writes them: two dependencies
    and a plan under way each (26 checklist items, a field, a test result, a log line)."""
    from generate import import_json

    source = _import_source(db.parent / "import-20000-applications.json", import_json)
    _import_figure(f"import json, 20,000 applications ({source.stat().st_size / 1e6:.0f} MB)", ["import", "json"],
                   source, 30, 500)


SCAN_SCALE = [1.0]  # --scale, for the code scan's tree (set in main)


def code_scan(_: Path) -> None:
    """`planner-tui scan` on a generated tree of 100,000 files (1 GB at scale 1) beside
    `grep -rIE`, and its memory on a quarter of it (benchmarks/scan_bench.py)."""
    from scan_bench import scan_case

    scan_case(record, SCAN_SCALE[0])


def org_sync(_: Path) -> None:
    """`sync --org` over 10, 50 and 200 accounts × 17 Regions against the local stand-in, 100 ms
    added to every call: time beside the pool's ideal and its growth, sessions, peak memory
    (benchmarks/org_sync.py)."""
    from org_sync import org_sync_case

    org_sync_case(record)


FIGURES = [first_open, cold_start, demo_start, queries, scrolling_and_memory, calendar, status, sync, csv_import,
           json_import, code_scan, org_sync]
# Figures of the generated project: measured at each scale. The others once, at the first.
PROJECT_FIGURES = {"first_open", "cold_start", "queries", "scrolling_and_memory", "status"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", choices=["fake-bedrock"], help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=float, nargs="+", default=[1.0],
                        help="project sizes to measure (1: 5,000 applications); several: growth printed")
    parser.add_argument("--keep", type=Path, help="reuse or keep the generated projects in this folder")
    parser.add_argument("--only", nargs="+", choices=[f.__name__ for f in FIGURES],
                        help="measure only these figures")
    args = parser.parse_args()
    SCAN_SCALE[0] = args.scale[0]
    if args.child == "fake-bedrock":
        _child_fake_bedrock()
        return

    figures = [f for f in FIGURES if not args.only or f.__name__ in args.only]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="planner-bench-"))
    try:
        for index, scale in enumerate(args.scale):
            SCALE[0] = scale
            print(f"== scale {scale:g} ==", flush=True)
            measure(folder / f"scale-{scale:g}", scale,
                    [f for f in figures if index == 0 or f.__name__ in PROJECT_FIGURES])
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    if len(args.scale) > 1:
        first, last = args.scale[0], args.scale[-1]
        print(f"growth from scale {first:g} to scale {last:g} ({last / first:g}× the project):")
        for name, values in GROWTH.items():
            if first in values and last in values and values[first]:
                print(f"  {name}: {values[first]:.3g} -> {values[last]:.3g} = {values[last] / values[first]:.2f}×")
    passed = sum(ok for *_, ok in RESULTS)
    print(f"benchmarks: {passed} passed, {len(RESULTS) - passed} failed")


def measure(folder: Path, scale: float, figures: list) -> None:  # noqa: ANN001
    """Generate the project (kept as generated.db: what first_open opens), then measure on a
    copy opened once, as a user's project stands after its first open. Nothing is worked
    out for a day beforehand: no figure runs on a day prepared for it."""
    from generate import generate

    folder.mkdir(parents=True, exist_ok=True)
    generated, db = folder / "generated.db", folder / "large.db"
    if not generated.exists():
        start = time.perf_counter()
        sizes = generate(generated, seed=7, scale=scale)
        print(f"generated {sizes} in {time.perf_counter() - start:.1f} s", flush=True)
    if not db.exists():
        from planner_tui.services import schedules
        from planner_tui.services.project import open_project

        shutil.copyfile(generated, db)
        store = open_project(db)
        start = time.perf_counter()
        schedules.ensure_current(store)
        print(f"(timetables stored in {time.perf_counter() - start:.1f} s)", flush=True)
        store.close()
    for figure in figures:
        figure(db)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
