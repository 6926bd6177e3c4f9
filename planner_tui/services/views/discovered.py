"""The Discovered screen's reads: what the AWS sync found, unassigned, and where to assign it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...domain.aws_records import DiscoveredResource
from ...domain.models import Application
from ...persistence.store import ProjectStore


@dataclass(frozen=True)
class DiscoveredView:
    resources: list[DiscoveredResource]  # unassigned, not dismissed
    last_sync: dict[str, Any] | None  # the last sync run from this project, if any
    applications: list[Application]  # what a resource can be assigned to


def load_discovered(store: ProjectStore) -> DiscoveredView:
    return DiscoveredView(store.discovered(), store.last_sync(), store.applications())
