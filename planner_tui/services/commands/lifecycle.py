"""Lifecycle dates typed by hand: checked against the published order, saved together."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...errors import UserInputError
from . import Change

if TYPE_CHECKING:
    from ...domain.lifecycle import Finding
    from ...persistence.store import ProjectStore

DATE_FIELDS = ("legacy_date", "pea_date", "eol_date")


@dataclass(frozen=True)
class DatesSet:
    model_id: str  # as the catalog spells it
    region: str
    findings: list[Finding] = field(default_factory=list)  # policy breaks, saved anyway


def set_dates(store: ProjectStore, model_id: str, region: str, dates: dict[str, dt.date | None],
              today: dt.date, *, check: bool = True) -> Change:
    """Set some of a model's Legacy, PEA and EOL dates in one Region, all or none; catalog
    reloads and syncs keep them. Dates outside validation.FIRST_DAY … LAST_DAY and dates out
    of order (Legacy start ≤ PEA start < EOL, the stored dates standing for those not given)
    are refused; other breaks of the published policy, and an EOL already past, are in the
    change's result (and its note), for showing once saved.

    Taking it back types the former dates in again: they stay marked as typed by hand."""
    from ...domain.lifecycle import ORDER, check_revision
    from ...domain.models import RegionalLifecycle
    from ...domain.validation import check_day, check_model_id, check_region

    region, model_id = check_region(region), check_model_id(model_id, store.model_ids())
    unknown = sorted(set(dates) - set(DATE_FIELDS))
    if unknown:
        raise UserInputError(f"unknown lifecycle date {unknown[0]!r}.")
    if not dates:
        raise UserInputError("give at least one of the Legacy, PEA and EOL dates.")
    for name, value in dates.items():
        if value is not None and check:
            check_day(value, name.replace("_", " "))
    current = next((lc for lc in store.lifecycles(model_id) if region in lc.regions), None)
    if current is None:  # no dates there yet: the row set_lifecycle_date will start
        model = store.model(model_id)
        current = RegionalLifecycle(model_id=model_id, regions=(region,),
                                    launch_date=model.launch_date if model else None)
    revised = current.model_copy(update={"regions": (region,), **dates})
    contradictions, findings = check_revision(current, revised, today)
    if contradictions:
        raise UserInputError(
            f"refused for {model_id} in {region}: {'; '.join(f.message.rstrip('.') for f in contradictions)}"
            f" ({ORDER}). Nothing was saved (give --legacy / --pea / --eol together to move several dates).")
    before = {name: getattr(current, name) for name in dates}
    with store.batch():  # all the dates or none
        for name, value in dates.items():
            store.set_lifecycle_date(model_id, region, name, value, today=today)
    named = ", ".join(name.removesuffix("_date") for name in dates)
    return Change(f"setting {named} of {model_id} in {region}", DatesSet(model_id, region, findings),
                  lambda: set_dates(store, model_id, region, before, today, check=False),
                  _note(model_id, region, findings))


def _note(model_id: str, region: str, findings: list[Finding]) -> str:
    return " ".join(f"{model_id} in {region}: {f.message}" for f in findings)
