"""Issue #20: dates at the ends of the calendar, stored in a project (an older one, or typed
before dates were checked), and `--today` at the ends: the calendar, the reports and the
dashboard's timeline survive them; an event or a date that cannot be drawn is said so."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from planner_tui.cli import main
from planner_tui.domain.chart_span import chart_span, month_starts, next_day, shifted

from .hostile import OPUS_41, REGION, TODAY, base_project

FAR = {"legacy_date": dt.date(9999, 12, 1), "pea_date": dt.date(9999, 12, 30), "eol_date": dt.date(9999, 12, 31)}
EARLY = {"legacy_date": dt.date(1, 1, 1), "pea_date": dt.date(1, 2, 1), "eol_date": dt.date(1, 6, 1)}
# An EOL within the safety margin of 0001-01-01: the plan's deadline (EOL minus 14 days,
# domain/schedule.py) is before the first day there is.
EARLIEST = {"legacy_date": dt.date(1, 1, 1), "pea_date": dt.date(1, 1, 2), "eol_date": dt.date(1, 1, 3)}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dates") / "base.db"
    base_project(path)
    return path


def with_dates(base: Path, path: Path, dates: dict[str, dt.date], stage_end: dt.date | None = None) -> Path:
    """The dates written straight into the project, as an older project may hold them."""
    from planner_tui.services.project import open_project

    shutil.copy(base, path)
    store = open_project(path)
    try:
        with store.batch():
            store.conn.execute("UPDATE lifecycle SET legacy_date = ?, pea_date = ?, eol_date = ? "
                               "WHERE model_id = ? AND region = ?",
                               [dates["legacy_date"].isoformat(), dates["pea_date"].isoformat(),
                                dates["eol_date"].isoformat(), OPUS_41, REGION])
            if stage_end is not None:
                store.conn.execute("UPDATE rollout_stages SET start_date = ?, end_date = ?",
                                   [stage_end.isoformat(), stage_end.isoformat()])
            store.conn.execute("DELETE FROM plan_schedules")  # computed again from these dates
    finally:
        store.close()
    return path


def test_date_steps_stop_at_the_ends() -> None:
    assert shifted(dt.date.max, 1) == dt.date.max and shifted(dt.date.min, -45) == dt.date.min
    assert next_day(dt.date.max) is None and next_day(dt.date(2026, 12, 31)) == dt.date(2027, 1, 1)
    assert list(month_starts(dt.date(9999, 11, 5), dt.date.max)) == [dt.date(9999, 11, 1), dt.date(9999, 12, 1)]
    span = chart_span(TODAY, [dt.date.max, dt.date(2027, 1, 8)], lead=45, ahead=90, tail=20)
    assert span.beyond == (dt.date.max,) and span.end == dt.date(2027, 3, 12)  # today + 90 + 20
    early = chart_span(dt.date.min, [], lead=45, ahead=90, tail=20)
    assert early.start == dt.date.min and early.days == 110
    late = chart_span(dt.date.max, [dt.date.max], lead=45, ahead=90, tail=20)
    assert late.end == dt.date.max and late.days == 45


EARLIEST_CASE = pytest.param(EARLIEST, id="0001-01-03")  # the safety margin reaches before 0001-01-01
DATES = [pytest.param(FAR, id="9999"), pytest.param(EARLY, id="0001"), EARLIEST_CASE]


@pytest.mark.parametrize("dates", DATES)
@pytest.mark.parametrize("today", [dt.date.min, TODAY, dt.date.max], ids=["0001", "2026", "9999"])
def test_exports_survive_dates_at_the_ends(dates, today: dt.date, base: Path, tmp_path: Path) -> None:
    """The calendar and the reports themselves, at any day (the command line may refuse a
    `--today` far off: these are what it, the TUI and anything else call)."""
    from planner_tui.integrations.calendar.events import ExportScope
    from planner_tui.integrations.calendar.ics import export_calendar
    from planner_tui.integrations.reports import write_report
    from planner_tui.services.project import open_project

    store = open_project(with_dates(base, tmp_path / "p.db", dates, stage_end=dates["eol_date"]))
    try:
        assert export_calendar(store, tmp_path / "c.ics", today, ExportScope()).events
        for fmt in ("html", "md", "csv", "json"):
            assert write_report(store, tmp_path / f"r.{fmt}", fmt, today) == 1
    finally:
        store.close()


@pytest.mark.parametrize("dates", DATES)
def test_commands_survive_dates_at_the_ends(dates, base: Path, tmp_path: Path, capsys) -> None:
    db = with_dates(base, tmp_path / "p.db", dates, stage_end=dates["eol_date"])
    reports = (["report", "--format", fmt, "-o", str(tmp_path / f"r.{fmt}")] for fmt in ("html", "md", "csv", "json"))
    for args in (["export", "ics", "-o", str(tmp_path / "c.ics")], *reports, ["status"], ["milestones"],
                 ["plans", "show", "1"], ["plans", "list", "--all"]):
        code = main([*args, "--db", str(db), "--today", TODAY.isoformat()])
        out, err = capsys.readouterr()
        assert code in (0, 1), (args, err)
        assert "Traceback" not in err and "OverflowError" not in err


def test_an_event_on_the_last_day_lasts_one_day(base: Path, tmp_path: Path, capsys) -> None:
    from icalendar import Calendar

    db = with_dates(base, tmp_path / "p.db", FAR, stage_end=dt.date.max)
    assert main(["export", "ics", "--model", OPUS_41, "-o", str(tmp_path / "c.ics"), "--db", str(db),
                 "--today", TODAY.isoformat()]) == 0
    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical((tmp_path / "c.ics").read_bytes()).walk("VEVENT")}
    eol = next(e for summary, e in events.items() if summary.startswith("EOL") and REGION in summary)
    assert eol.decoded("DTSTART") == dt.date.max
    assert "DTEND" not in eol and eol.decoded("DURATION") == dt.timedelta(days=1)
    stage = next(e for summary, e in events.items() if summary.startswith("Rollout 5%"))
    assert stage.decoded("DURATION") == dt.timedelta(days=1)
    normal = next(e for summary, e in events.items() if summary.startswith("Assess due"))
    assert normal.decoded("DTEND") == normal.decoded("DTSTART") + dt.timedelta(days=1)


def test_html_timeline_names_what_it_cannot_draw(base: Path, tmp_path: Path, capsys) -> None:
    db = with_dates(base, tmp_path / "p.db", FAR)
    out = tmp_path / "r.html"
    assert main(["report", "--format", "html", "-o", str(out), "--db", str(db), "--today", TODAY.isoformat()]) == 0
    html = out.read_text(encoding="utf-8")
    assert ("Not drawn, after 2036-11-22: Claude Opus 4.1: Legacy 9999-12-01, PEA 9999-12-30, EOL 9999-12-31, "
            "5 due dates.") in html
    assert html.count("class=\"grid\"") < 200  # ten years of months at most, not eight thousand


@pytest.mark.parametrize("dates", [FAR, EARLY], ids=["9999", "0001"])
@pytest.mark.parametrize("today", [dt.date.min, TODAY, dt.date.max], ids=["0001", "2026", "9999"])
async def test_dashboard_timeline_survives_dates_at_the_ends(dates, today: dt.date, base: Path,
                                                            tmp_path: Path) -> None:
    from planner_tui.services.project import open_project
    from planner_tui.ui.app import PlannerApp
    from planner_tui.ui.widgets.timeline import TimelineChart

    from .conftest import settle

    store = open_project(with_dates(base, tmp_path / "p.db", dates))
    try:
        app = PlannerApp(store, today)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            chart = app.screen.query_one(TimelineChart)
            drawn = chart.render()
            assert drawn.plain.strip()
            if dates is FAR and today == TODAY:
                assert "Not drawn, after 2036-11-22: Claude Opus 4.1: Legacy 9999-12-01" in drawn.plain
    finally:
        store.close()
