"""The calendar export dialog's reads: what its scope may name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ...domain.models import Application
from ...errors import UserInputError
from ...persistence.store import ProjectStore


@dataclass(frozen=True)
class ExportChoices:
    app_names: list[str]  # in the project's order
    model_ids: frozenset[str]
    applications: tuple[Application, ...] = field(default=(), repr=False)  # for owners and teams

    def check(self, apps: Iterable[str], models: Iterable[str], owners: Iterable[str] = (),
              teams: Iterable[str] = ()) -> None:
        """Refuse a scope naming an application, owner, team or model the project does not
        have, in the words of the export itself (integrations/calendar/events.validate_scope)."""
        names = {name.strip().casefold() for name in self.app_names}
        for name in apps:
            if name.strip().casefold() not in names:
                raise UserInputError(f"no application named {name!r}.")
        for given, what in ((owners, "owner"), (teams, "team")):
            known = {getattr(a, what).strip().casefold() for a in self.applications}
            for name in given:
                if not name.strip() or name.strip().casefold() not in known:
                    raise UserInputError(f"no application has the {what} {name!r}; see 'planner-tui apps list'.")
        for model_id in models:
            if model_id not in self.model_ids:
                raise UserInputError(f"unknown model ID {model_id!r}; see 'planner-tui models'.")


def load_export_choices(store: ProjectStore) -> ExportChoices:
    applications = tuple(store.applications())
    return ExportChoices([app.name for app in applications], frozenset(store.model_ids()), applications)
