"""The running app as what it is. Textual types a widget's `app` as its own `App`; every
widget and screen here runs in a PlannerApp, and asks for it through `planner_of`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from .app import PlannerApp


class _InApp(Protocol):
    @property
    def app(self) -> Any: ...


def planner_of(node: _InApp) -> PlannerApp:
    """The PlannerApp a widget, screen or command provider runs in."""
    return cast("PlannerApp", node.app)
