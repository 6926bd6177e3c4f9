"""Subscribable calendar feeds: one folder to put on any static web server or bucket.

    all.ics                    every event of the project
    owners/<name>-<hash>.ics   the events of one owner's applications
    teams/<name>-<hash>.ics    one team's
    apps/<name>-<hash>.ics     one application's
    index.html                 the list, with webcal:// and https:// links under --base-url

A file's name is made of the name it is for (letters and digits only, so a name can never
lead elsewhere) and a hash of that name, so it stays the same from run to run and two names
that read alike never share a file. Every run computes the events once, against the one
export history: an event has the same UID and SEQUENCE in every feed that holds it, and one
that is gone is sent once as CANCELLED in each of them. A feed whose owner, team or
application is gone stays, empty, so a subscribed calendar empties instead of failing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ...domain.inert import one_line
from ...errors import UserInputError
from ...persistence.store import ProjectStore
from ..files import atomic_write_bytes, safe_output_target
from .alarms import Reminders
from .events import ExportScope, fold, in_scope
from .ics import CALENDAR_NAME, Planned, Renderer, changes, header, remember, utc_now

GROUPS = (("owners", "Owners"), ("teams", "Teams"), ("apps", "Applications"))
_FEED_NAME = re.compile(r"[a-z0-9-]+-[0-9a-f]{8}\.ics")
INDEX = "index.html"


@dataclass(frozen=True)
class Feed:
    path: str  # inside the folder, with forward slashes: all.ics, owners/dana-1a2b3c4d.ics
    title: str  # what it is for: a person's, a team's or an application's name (data)
    group: str  # "" for all.ics, else one of GROUPS
    scope: ExportScope
    events: int = 0


@dataclass
class FeedsResult:
    folder: Path
    feeds: list[Feed]
    updated: int
    cancelled: int
    unrecorded: str = ""  # why the export history was not updated ('' when it was)
    emptied: list[str] = field(default_factory=list)  # feeds of names no longer in the project


def file_name(name: str) -> str:
    """A safe, stable file name for a feed of `name` (without .ics)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-") or "feed"
    return f"{base}-{hashlib.sha256(fold(name).encode()).hexdigest()[:8]}"


def check_base_url(text: str) -> str:
    """The address the folder is served from: http(s), a host, no query or fragment; with
    a trailing slash, so feed paths go under it."""
    parts = urlsplit(text.strip())
    if (parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment
            or re.search(r"[\s\x00-\x1f\x7f-\x9f\"'<>\\^`{|}]", text.strip())):
        raise UserInputError(f"invalid --base-url {text!r}: expected https://host/path/ where the folder is served.")
    return text.strip().rstrip("/") + "/"


def plan_feeds(store: ProjectStore) -> list[Feed]:
    """Every feed the project has now: all, then each owner, team and application by name."""
    applications = store.applications()
    feeds = [Feed("all.ics", "All applications", "", ExportScope())]
    for group, attribute in (("owners", "owner"), ("teams", "team"), ("apps", "name")):
        names: dict[str, str] = {}
        for app in applications:
            value = getattr(app, attribute)
            if value.strip():
                names.setdefault(fold(value), value.strip())
        for key, name in sorted(names.items()):
            scope = ExportScope(apps=(name,)) if group == "apps" else ExportScope(
                owners=(name,) if group == "owners" else (), teams=(name,) if group == "teams" else ())
            feeds.append(Feed(f"{group}/{file_name(key)}.ics", name, group, scope.resolved(applications)))
    return feeds


def export_feeds(store: ProjectStore, folder: Path, today: dt.date, base_url: str | None = None,
                 now: dt.datetime | None = None, force: bool = False) -> FeedsResult:
    """Write (atomically, file by file) every feed and the index; remember what was sent."""
    base = check_base_url(base_url) if base_url else None
    folder = Path(folder)
    safe_output_target(folder, store.path, force)  # never a project, whatever it is called
    if folder.exists() and not folder.is_dir():
        raise UserInputError(f"refusing to write feeds into {folder}: it is a file; name a folder.")
    if not folder.parent.is_dir():
        raise UserInputError(f"cannot write {folder}: folder {folder.parent} does not exist.")
    now = utc_now(now)
    settings = store.calendar_settings()
    refresh = dt.timedelta(hours=settings.refresh_hours)
    found = changes(store, today, None, now)
    renderer = Renderer(now, Reminders.of(ExportScope(), settings))
    feeds = plan_feeds(store)
    written: list[Feed] = []
    everything = feeds[0].scope
    in_all = [p for p in found.planned if in_scope(p[0].kind, p[0].model_id, p[0].app_names, everything)]
    by_app: dict[str, list[Planned]] = {}
    for planned in in_all:
        for name in {fold(a) for a in planned[0].app_names}:
            by_app.setdefault(name, []).append(planned)
    for feed in feeds:
        chosen = in_all if feed.group == "" else _of(by_app, feed.scope)
        title = CALENDAR_NAME if feed.group == "" else f"{CALENDAR_NAME}: {feed.title}"
        _write(store, folder, feed.path, renderer.calendar(chosen, header(title, refresh)), force)
        written.append(Feed(feed.path, feed.title, feed.group, feed.scope, len(chosen)))
    emptied = []
    for group, _ in GROUPS:
        for old in sorted((folder / group).glob("*.ics")):
            path = f"{group}/{old.name}"
            if path not in {f.path for f in written} and _FEED_NAME.fullmatch(old.name):  # ours, not another file
                _write(store, folder, path, renderer.calendar([], header(f"{CALENDAR_NAME} (no longer used)",
                                                                         refresh)), force)
                emptied.append(path)
    _write(store, folder, INDEX, index_page(written, base, now).encode(), force)
    uids = {p[0].uid for p in in_all}
    unrecorded = remember(store, [row for row in found.rows if row["uid"] in uids])
    return FeedsResult(folder, written, updated=len(found.raised & uids),
                       cancelled=sum(p[2] == "CANCELLED" for p in in_all), unrecorded=unrecorded, emptied=emptied)


def _of(by_app: dict[str, list[Planned]], scope: ExportScope) -> list[Planned]:
    """The events of the scope's applications (each once): what in_scope picks for a scope
    of applications alone, without going through every event for every feed."""
    chosen = {p[0].uid: p for key in scope.app_keys for p in by_app.get(key, ())}
    return list(chosen.values())


def _write(store: ProjectStore, folder: Path, path: str, data: bytes, force: bool) -> None:
    target = folder.joinpath(*path.split("/"))
    target.parent.mkdir(exist_ok=True)
    safe_output_target(target, store.path, force)
    atomic_write_bytes(target, data)


def index_page(feeds: list[Feed], base: str | None, now: dt.datetime) -> str:
    """The folder's index: each feed with its subscription links. Names are data (escaped)."""
    def links(feed: Feed) -> str:
        quoted = html.escape(feed.path, quote=True)
        if base is None:
            return f'<a href="{quoted}">download</a>'
        https = html.escape(base + feed.path, quote=True)
        webcal = html.escape("webcal://" + (base + feed.path).split("://", 1)[1], quote=True)
        return (f'<a class="subscribe" href="{webcal}">subscribe</a> · <a href="{https}">{https}</a>')

    def row(feed: Feed) -> str:
        return (f"<tr><td>{html.escape(one_line(feed.title))}</td><td class=n>{feed.events}</td>"
                f"<td>{links(feed)}</td></tr>")

    head = "<tr><th>Name</th><th>Events</th><th>Links</th></tr>"
    sections = [f"<h2>Everything</h2>\n<table>{head}\n{row(feeds[0])}\n</table>"]
    for group, label in GROUPS:
        rows = [row(f) for f in feeds if f.group == group]
        if rows:
            sections.append(f"<h2>{label}</h2>\n<table>{head}\n" + "\n".join(rows) + "\n</table>")
    how = ("<ul><li>Google Calendar: Other calendars, +, From URL; paste the https link.</li>"
           "<li>Outlook: Add calendar, Subscribe from web; paste the https link.</li>"
           "<li>Apple Calendar: open the subscribe link, or File, New Calendar Subscription, "
           "and paste the https link.</li></ul>"
           "<p>Each calendar updates itself as dates move (every few hours; Google Calendar about once a day).</p>")
    if base is None:
        how = ("<p>Written without --base-url: put this folder on a web server or bucket, then write it again "
               "with --base-url and the folder's address to get subscription links.</p>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(CALENDAR_NAME)}: calendar feeds</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; }}
table {{ border-collapse: collapse; margin-bottom: 1.5rem; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .3rem .8rem; text-align: left; }}
td.n {{ text-align: right; }}
</style></head>
<body><h1>{html.escape(CALENDAR_NAME)}: calendar feeds</h1>
{how}
{chr(10).join(sections)}
<p>Written {now.strftime("%Y-%m-%d %H:%M")} UTC by planner-tui.</p>
</body></html>
"""
