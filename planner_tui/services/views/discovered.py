"""The Discovered screen's reads, shared with `discovered`, `sync` and `status`: what the AWS
sync found, each resource with its model as the catalog knows it (or 'unknown model', with
what it may have meant), and whether its model is already past EOL in its Region (an
outage: calls to it fail)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from ...domain.aws_records import DiscoveredResource, account_label
from ...domain.lifecycle import status_in_region
from ...domain.model_variants import ResolvedModel, resolve_model
from ...domain.models import Application
from ...domain.vocabulary import Status
from ...persistence.store import ProjectStore

OUTAGE = "OUTAGE: past EOL"
UNKNOWN = "unknown model"


@dataclass(frozen=True)
class DiscoveredRow:
    resource: DiscoveredResource
    model: ResolvedModel
    past_eol: bool = False  # its model is past EOL in its Region: calls to it fail already

    @property
    def model_label(self) -> str:
        """`base (200k context)`, or `unknown model raw; did you mean …?`."""
        if self.model.known:
            variant = self.resource.variant or self.model.variant
            return f"{self.model.model_id} ({variant})" if variant else self.model.model_id
        return self.model.label

    @property
    def flag(self) -> str:
        return OUTAGE if self.past_eol else ("" if self.model.known else UNKNOWN)

    @property
    def outage_line(self) -> str:
        r = self.resource
        what = f"{r.kind.value} {r.name or r.resource_id}"
        account = account_label(r.account_id, r.account_name)
        where = f"{r.region} (account {account})" if account else r.region
        return (f"OUTAGE: {what} in {where} is on {self.model_label}, past its EOL in {r.region}: "
                "calls to it fail already.")

    @property
    def account(self) -> str:
        return account_label(self.resource.account_id, self.resource.account_name)

    def as_json(self) -> dict[str, Any]:
        return {**self.resource.model_dump(mode="json"), "model_known": self.model.known,
                "did_you_mean": self.model.suggestion or None, "past_eol": self.past_eol}


def accounts_of(resources: Iterable[DiscoveredResource]) -> list[tuple[str, str]]:
    """(account ID, label) of every account the resources are in, by label."""
    found = {r.account_id: account_label(r.account_id, r.account_name) for r in resources if r.account_id}
    return sorted(found.items(), key=lambda item: item[1])


def discovered_rows(store: ProjectStore, resources: Iterable[DiscoveredResource], today: dt.date,
                    known: Collection[str] | None = None) -> list[DiscoveredRow]:
    """Each resource with its model resolved against the catalog and its standing today."""
    known = store.model_ids() if known is None else known
    rows = []
    standing: dict[tuple[str, str], bool] = {}  # (model, Region) -> past EOL: thousands of resources, few models
    for resource in resources:
        model = resolve_model(resource.raw_model_id or resource.model_id, known)
        if resource.model_id in known and resource.model_id != model.model_id:  # stored resolved
            model = ResolvedModel(resource.model_id, model.raw_id, resource.variant)
        key = (model.model_id, resource.region)
        if model.known and key not in standing:
            standing[key] = status_in_region(
                store.lifecycles(model.model_id), model.model_id, resource.region, today) is Status.EOL
        rows.append(DiscoveredRow(resource, model, model.known and standing[key]))
    return rows


def outages(store: ProjectStore, today: dt.date) -> list[DiscoveredRow]:
    """Resources not dismissed (assigned or not) on a model past EOL in their Region."""
    return [row for row in discovered_rows(store, store.discovered(include_handled=True), today)
            if row.past_eol and not row.resource.dismissed]


@dataclass(frozen=True)
class DiscoveredView:
    resources: list[DiscoveredResource]  # unassigned, not dismissed
    last_sync: dict[str, Any] | None  # the last sync run from this project, if any
    applications: list[Application]  # what a resource can be assigned to
    rows: list[DiscoveredRow]  # the resources, each with its model and standing


def load_discovered(store: ProjectStore, today: dt.date) -> DiscoveredView:
    resources = store.discovered()
    return DiscoveredView(resources, store.last_sync(), store.applications(),
                          discovered_rows(store, resources, today))
