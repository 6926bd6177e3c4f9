"""Issue #19: `export feeds DIR`: a folder of subscribable calendars (all, per owner, team
and application) with an index page; stable UIDs, SEQUENCE raised in every feed that has a
moved event, ended plans cancelled once in each, names kept to safe file names."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import icalendar
import pytest

from planner_tui.cli import main
from planner_tui.domain.models import Application, Dependency
from planner_tui.domain.vocabulary import PHASES
from planner_tui.errors import UserInputError
from planner_tui.integrations import files
from planner_tui.integrations.calendar.feeds import export_feeds, file_name

from .browser import dom, screenshot
from .conftest import TODAY
from .test_calendar_closed import _cancel

NOW = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
BASE = "https://calendars.example.com/bedrock"


def feeds_in(folder: Path) -> dict[str, dict[str, icalendar.Event]]:
    """Every feed of the folder: its path -> its events by UID."""
    return {path.relative_to(folder).as_posix(): {str(e["UID"]): e for e in
                                                  icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")}
            for path in sorted(folder.rglob("*.ics")) if path.name != "notes.ics"}


def _portfolio(store) -> None:
    for name, owner, team in (("Checkout", "Dana Reviewer", "Payments"), ("Refunds", "Dana Reviewer", "Payments"),
                              ("Search", "Lee", "Discovery")):
        store.add_application(Application(name=name, owner=owner, team=team), [
            Dependency(app_id=0, model_id=OPUS_41, region="us-east-1")], today=TODAY)


def test_the_demo_folder(demo_store, tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    result = export_feeds(demo_store, folder, TODAY, BASE, now=NOW)
    feeds = feeds_in(folder)
    assert set(feeds) == {f.path for f in result.feeds}
    every = feeds["all.ics"]
    assert len(every) == result.feeds[0].events == 67  # 11 of them campaigns' deadlines
    owners = {f.title: f for f in result.feeds if f.group == "owners"}
    assert "dev.raman" in owners and owners["dev.raman"].path == f"owners/{file_name('dev.raman')}.ics"
    for feed in result.feeds:
        # Each feed is a part of all.ics, the same events byte for byte (UID, SEQUENCE, dates).
        assert set(feeds[feed.path]) <= set(every) and len(feeds[feed.path]) == feed.events
        for uid, event in feeds[feed.path].items():
            assert event.to_ical() == every[uid].to_ical()
    # An owner's feed holds their applications' plans and the milestones of their models.
    raman = [str(e["SUMMARY"]) for e in feeds[owners["dev.raman"].path].values()]
    assert "Assess due: Contract Review × Claude Opus 4.1" in raman
    assert any(s.startswith("EOL: Claude Opus 4.1") for s in raman)
    assert not any("Support Copilot" in s for s in raman)
    index = (folder / "index.html").read_text()
    assert f'href="webcal://calendars.example.com/bedrock/{owners["dev.raman"].path}"' in index
    assert f'href="{BASE}/all.ics"' in index


def test_two_runs_keep_every_uid_and_a_moved_date_raises_sequence_everywhere(store, tmp_path: Path) -> None:
    _portfolio(store)
    folder = tmp_path / "feeds"
    export_feeds(store, folder, TODAY, BASE, now=NOW)
    first = feeds_in(folder)
    result = export_feeds(store, folder, TODAY, BASE, now=NOW + dt.timedelta(days=1))
    again = feeds_in(folder)
    assert result.updated == result.cancelled == 0
    assert {p: set(events) for p, events in again.items()} == {p: set(events) for p, events in first.items()}
    assert all(int(e["SEQUENCE"]) == 0 for events in again.values() for e in events.values())

    for region in ("us-east-1", "us-east-2", "us-west-2"):
        store.set_lifecycle_date(OPUS_41, region, "eol_date", dt.date(2027, 2, 15))
    result = export_feeds(store, folder, TODAY, BASE, now=NOW)
    moved = feeds_in(folder)
    eol = next(uid for uid, e in moved["all.ics"].items() if str(e["SUMMARY"]).startswith("EOL: Claude Opus 4.1"))
    holding = [path for path, events in moved.items() if eol in events]
    assert len(holding) == 1 + 2 + 2 + 3  # all, both owners, both teams, the three applications
    for path in holding:
        event = moved[path][eol]
        assert int(event["SEQUENCE"]) == 1 and event["DTSTART"].dt == dt.date(2027, 2, 15), path
    # The plans' phases moved with the deadline: raised wherever they are, once.
    assert result.updated > 1
    assert export_feeds(store, folder, TODAY, BASE, now=NOW).updated == 0


def _complete(store, plan_id: int) -> None:
    for _ in PHASES:
        store.advance_phase(plan_id, TODAY)


def _close_unneeded(store, plan_id: int) -> None:
    refunds = next(a for a in store.applications() if a.name == "Refunds")
    (dependency,) = [d for d in store.dependencies() if d.app_id == refunds.id]
    assert store.delete_dependency(dependency.id, TODAY) == [plan_id]


@pytest.mark.parametrize("end", [_complete, _close_unneeded, _cancel])
def test_an_ended_plan_is_cancelled_once_in_every_feed_that_had_it(store, tmp_path: Path, end) -> None:
    _portfolio(store)
    folder = tmp_path / "feeds"
    export_feeds(store, folder, TODAY, BASE, now=NOW)
    before = feeds_in(folder)
    plan = next(p for p in store.plans() if p.app_name == "Refunds")
    end(store, plan.id)
    result = export_feeds(store, folder, TODAY, BASE, now=NOW)
    after = feeds_in(folder)
    gone = {uid for uid, e in before["all.ics"].items() if "Refunds × " in str(e["SUMMARY"])}
    assert result.cancelled == len(gone) == len(PHASES)
    refunds = f"apps/{file_name('Refunds')}.ics"
    for path in ("all.ics", f"owners/{file_name('Dana Reviewer')}.ics", f"teams/{file_name('Payments')}.ics",
                 refunds):
        for uid in gone:
            event = after[path][uid]
            assert str(event["STATUS"]) == "CANCELLED" and not event.walk("VALARM")
            assert int(event["SEQUENCE"]) == int(before[path][uid]["SEQUENCE"]) + 1
    assert not gone & set(after[f"owners/{file_name('Lee')}.ics"])
    export_feeds(store, folder, TODAY, BASE, now=NOW)
    assert not gone & {uid for events in feeds_in(folder).values() for uid in events}
    # The application's feed keeps the milestones of the model it still uses, no plan events.
    assert not [e for e in feeds_in(folder)[refunds].values() if " × " in str(e["SUMMARY"])]


def test_a_feed_whose_owner_is_gone_stays_empty(store, tmp_path: Path) -> None:
    from planner_tui.services.commands.portfolio import edit_application

    _portfolio(store)
    folder = tmp_path / "feeds"
    export_feeds(store, folder, TODAY, BASE, now=NOW)
    lee = f"owners/{file_name('Lee')}.ics"
    assert feeds_in(folder)[lee]
    (folder / "owners" / "notes.ics").write_bytes(b"someone else's")  # not a feed of ours: left alone
    search = next(a for a in store.applications() if a.name == "Search")
    edit_application(store, search.model_copy(update={"owner": "Kim"}))
    result = export_feeds(store, folder, TODAY, BASE, now=NOW)
    assert result.emptied == [lee] and feeds_in(folder)[lee] == {}
    assert (folder / "owners" / "notes.ics").read_bytes() == b"someone else's"
    assert lee not in (folder / "index.html").read_text()
    kim = feeds_in(folder)[f"owners/{file_name('Kim')}.ics"]
    assert any("Search × " in str(e["SUMMARY"]) for e in kim.values())


HOSTILE = ["../../etc/passwd", "<script>alert(1)</script>", "..", "/", "con", "Zoë Ölçer", "漢字", " x ", "a\\b",
           "\x1b[31mred", "'; DROP TABLE", "web\u202ecal"]


def test_names_are_data(store, tmp_path: Path) -> None:
    for i, name in enumerate(HOSTILE):
        store.add_application(Application(name=f"{name} {i}", owner=name, team=name), [
            Dependency(app_id=0, model_id=OPUS_41, region="us-east-1")], today=TODAY)
    folder = tmp_path / "feeds"
    result = export_feeds(store, folder, TODAY, BASE, now=NOW)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in folder.rglob("*") if p.is_file())
    assert all(re.fullmatch(r"feeds/(index\.html|all\.ics|(owners|teams|apps)/[a-z0-9-]+-[0-9a-f]{8}\.ics)", w)
               for w in written), written
    assert len(written) == 2 + 3 * len(HOSTILE) == len(result.feeds) + 1
    index = (folder / "index.html").read_text()
    assert "<script>" not in index and "&lt;script&gt;" in index and "\x1b" not in index
    for name in HOSTILE:
        feed = next(f for f in result.feeds if f.group == "owners" and f.title == name.strip())
        data = (folder / feed.path).read_bytes()
        assert b"\x1b" not in data and b"\xe2\x80\xae" not in data  # inert in the calendar's name


def test_the_folder_never_replaces_a_project(store, tmp_path: Path, capsys) -> None:
    with pytest.raises(UserInputError, match="the open project"):
        export_feeds(store, store.path, TODAY, BASE, now=NOW)
    other = tmp_path / "other"
    other.write_bytes(b"SQLite format 3\x00" + bytes(100))
    with pytest.raises(UserInputError, match="refusing to replace"):
        export_feeds(store, other, TODAY, BASE, now=NOW)
    with pytest.raises(UserInputError, match="does not exist"):
        export_feeds(store, tmp_path / "missing" / "feeds", TODAY, BASE, now=NOW)
    for bad in ("ftp://x/y", "https://", "https://x/?a=1", "https://x/#top", "https://x/a b", "javascript:alert(1)",
                'https://x/"><script>'):
        with pytest.raises(UserInputError, match="invalid --base-url"):
            export_feeds(store, tmp_path / "f", TODAY, bad, now=NOW)
    assert not (tmp_path / "f").exists()


def test_a_failed_write_leaves_the_old_files_whole(demo_store, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "feeds"
    export_feeds(demo_store, folder, TODAY, BASE, now=NOW)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(UserInputError, match="No space left"):
        export_feeds(demo_store, folder, TODAY, BASE, now=NOW + dt.timedelta(days=1))
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before  # no temporary file either


def test_cli(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "site"
    code = main(["--demo", "export", "feeds", str(folder), "--base-url", BASE + "/", "--today", "2026-11-22"])
    out, err = capsys.readouterr()
    assert code == 0 and out.startswith("wrote 29 feeds (67 events in all.ics") and not err
    assert (folder / "index.html").is_file() and (folder / "all.ics").is_file()
    code = main(["--demo", "export", "feeds", str(folder), "--base-url", "webcal://x"])
    assert code == 2 and "invalid --base-url" in capsys.readouterr().err
    # Without --base-url: links to download, and a line saying what to do.
    main(["--demo", "export", "feeds", str(tmp_path / "local"), "--today", "2026-11-22"])
    index = (tmp_path / "local" / "index.html").read_text()
    assert "webcal://" not in index and 'href="all.ics"' in index and "--base-url" in index


def test_the_index_in_a_browser(demo_store, tmp_path: Path) -> None:
    """Never skipped: without chromium it fails (.ci/run installs it)."""
    folder = tmp_path / "feeds"
    result = export_feeds(demo_store, folder, TODAY, BASE, now=NOW)
    page = folder / "index.html"
    shot = screenshot(page, tmp_path / "index.png", tmp_path / "profile", size="1000,1400")
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 20_000
    rendered = dom(page, tmp_path / "profile")
    links = re.findall(r'href="(webcal://[^"]+)"', rendered)
    assert len(links) == len(result.feeds)
    assert all(link.startswith("webcal://calendars.example.com/bedrock/") and link.endswith(".ics") for link in links)


def test_a_read_only_project_writes_the_feeds_without_history(demo, tmp_path: Path, capsys) -> None:
    path = demo.folder / "demo.db"
    demo.store.close()
    code = main(["--read-only", "export", "feeds", str(tmp_path / "site"), "--db", str(path), "--today", "2026-11-22"])
    out, err = capsys.readouterr()
    assert code == 0 and "(export history not updated: the project is open read-only)" in out and not err
    assert len(feeds_in(tmp_path / "site")) == 29
