"""Replacement candidates for a Legacy model, from the catalog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from .lifecycle import index_by_region, status_on
from .models import FoundationModel, RegionalLifecycle, Status

MIN_DAYS_BEFORE_OWN_EOL = 90


class Candidate(BaseModel):
    model_config = ConfigDict(frozen=True)

    model: FoundationModel
    recommended: bool  # named by AWS as the replacement
    via_profile_only: tuple[str, ...]  # Regions reachable only through an inference profile
    own_eol: dt.date | None


def find_candidates(
    legacy: FoundationModel,
    regions: Sequence[str],
    models: Iterable[FoundationModel],
    lifecycles: Iterable[RegionalLifecycle],
    today: dt.date,
    recommended_ids: Iterable[str] = (),
    min_days: int = MIN_DAYS_BEFORE_OWN_EOL,
) -> list[Candidate]:
    """Active in every Region, same or wider modalities, streaming if needed, EOL not near."""
    by_region = index_by_region(lifecycles)
    recommended = set(recommended_ids)
    found = []
    for model in models:
        if model.model_id == legacy.model_id:
            continue
        if not set(legacy.input_modalities) <= set(model.input_modalities):
            continue
        if not set(legacy.output_modalities) <= set(model.output_modalities):
            continue
        if legacy.streaming and not model.streaming:
            continue
        offered = set(model.regions) | set(model.cross_region_regions)
        if not set(regions) <= offered:
            continue
        eols = []
        active_everywhere = True
        for region in regions:
            lifecycle = by_region.get((model.model_id, region))
            if lifecycle is None:
                continue
            if status_on(lifecycle, today) is not Status.ACTIVE:
                active_everywhere = False
                break
            if lifecycle.eol_date:
                eols.append(lifecycle.eol_date)
        if not active_everywhere:
            continue
        own_eol = min(eols) if eols else None
        if own_eol and (own_eol - today).days < min_days:
            continue
        found.append(
            Candidate(
                model=model,
                recommended=model.model_id in recommended,
                via_profile_only=tuple(r for r in regions if r not in model.regions),
                own_eol=own_eol,
            )
        )
    same_provider = legacy.provider
    return sorted(
        found,
        key=lambda c: (
            not c.recommended,
            c.model.provider != same_provider,
            -(c.model.launch_date or dt.date.min).toordinal(),
            c.model.name,
        ),
    )
