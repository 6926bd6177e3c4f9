"""The calendar export dialog's reads: what its scope may name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ...errors import UserInputError
from ...persistence.store import ProjectStore


@dataclass(frozen=True)
class ExportChoices:
    app_names: list[str]  # in the project's order
    model_ids: frozenset[str]

    def check(self, apps: Iterable[str], models: Iterable[str]) -> None:
        """Refuse a scope naming an application or model the project does not have, in the
        words of the export itself (integrations/calendar/events.validate_scope)."""
        names = {name.lower() for name in self.app_names}
        for name in apps:
            if name.lower() not in names:
                raise UserInputError(f"no application named {name!r}.")
        for model_id in models:
            if model_id not in self.model_ids:
                raise UserInputError(f"unknown model ID {model_id!r}; see 'planner-tui models'.")


def load_export_choices(store: ProjectStore) -> ExportChoices:
    return ExportChoices([app.name for app in store.applications()], frozenset(store.model_ids()))
