"""Command palette: commands named by area ("go: …", "plan: …", "app: …")."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from ..services.views.plans import plan_titles
from .formatting import shown
from .typed import planner_of


def highlighted(matcher: Matcher, title: str) -> Content:
    """`title` with the letters the query matched highlighted, as Matcher.highlight does, but
    as plain text: Matcher.highlight reads it as markup (an application called '[/]' raised,
    '[@click=app.quit]' was a live link)."""
    content = Content(title)
    _, offsets = matcher.fuzzy_search.match(matcher.query, title)
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class PlannerCommands(Provider):
    _plans: list[tuple[int, str]] = []  # (plan id, title), read as the palette opens

    async def startup(self) -> None:
        try:  # off the UI thread; names only, no checklist items
            self._plans = await asyncio.to_thread(plan_titles, planner_of(self).store)
        except Exception:  # noqa: BLE001 - a palette must never crash the app: its other commands stay
            self._plans = []

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        app = planner_of(self)
        commands: list[tuple[str, Callable[[], Any], str]] = [
            ("go: dashboard", partial(app.switch_mode, "dashboard"), "Counts, milestones, timeline"),
            ("go: models", partial(app.switch_mode, "models"), "Catalog with lifecycle per Region"),
            ("go: applications", partial(app.switch_mode, "applications"), "Your applications"),
            ("go: plans", partial(app.switch_mode, "plans"), "Every migration plan, most urgent first"),
            ("go: campaigns", partial(app.switch_mode, "campaigns"),
             "One migration per retiring model, across its applications"),
            ("app: add application", app.action_add_application, "Open the new-application form"),
            ("edit: undo last change", app.action_undo, "Reverse the last edit"),
            ("project: history", app.action_history, "Every change, by whom and when"),
            ("export: calendar (iCalendar)", app.action_export_calendar,
             "Milestones and plan deadlines as an .ics file"),
            ("aws: sync lifecycle and discover dependencies", app.action_sync,
             "Read-only calls with your AWS credentials"),
            ("aws: discovered resources", app.action_discovered,
             "Assign what the sync found to applications"),
        ]
        for plan_id, title in self._plans:
            # Names as data: one line, no control character (ui/formatting.shown).
            commands.append((shown(f"plan: open {title}"), partial(app.open_plan, plan_id), "Migration workspace"))
        return commands

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(Content(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, highlighted(matcher, title), callback, text=title, help=help_text)
