"""From a match to a verdict: which model it names, its status in each Region evaluated,
and how much that matters (a rule and its level).

Rules, worst first; SARIF uses the same levels (see sarif.py):

| rule        | level   | when |
|-------------|---------|------|
| eol         | error   | past End-of-Life in a Region evaluated: calls fail there now |
| eol-soon    | error   | End-of-Life within 90 days |
| pea         | warning | in public extended access: prices may rise, no quota increases |
| not-offered | warning | not offered in any Region evaluated (`--region`, or the ARN's own) |
| unknown     | warning | shaped like a model ID but not in the catalog (typo, or long retired) |
| legacy      | note    | Legacy: no new customers, no new provisioned throughput |
| dated       | note    | Active, with a published Legacy, PEA or EOL date ahead |
| active      | none    | Active, nothing published |
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from ...domain.lifecycle import status_from
from ...domain.model_variants import resolve_model
from ...domain.vocabulary import Status
from .patterns import ALPHA_CLASS
from .reading import Hit
from .reference import ScanReference

EOL_SOON_DAYS = 90
NOT_OFFERED = "not offered"
UNKNOWN = "unknown"
RULE_ORDER = ("eol", "eol-soon", "pea", "not-offered", "unknown", "legacy", "dated", "active")
LEVELS = {"eol": "error", "eol-soon": "error", "pea": "warning", "not-offered": "warning",
          "unknown": "warning", "legacy": "note", "dated": "note", "active": "none"}
STAGES = {Status.ACTIVE.value: 0, Status.LEGACY.value: 1, Status.PEA.value: 2, Status.EOL.value: 3}

# An ID the catalog lacks counts only with a version-ish part, as real IDs have:
# `-v1`, `:0`, or a release date.
_VERSIONISH = re.compile(r"-v\d|:\d|-\d{6,8}(?:\D|$)")
_REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d$")  # us-east-1, us-gov-west-1; not '*' or ${…}


@dataclass(frozen=True)
class Resolution:
    model_id: str  # the catalog's ID, or as written (less any profile prefix) when unknown
    profile_id: str | None  # the inference profile as written (`us.anthropic…`)
    known: bool
    suggestions: tuple[str, ...] = ()  # "did you mean", for an unknown ID
    pinned_region: str | None = None  # the Region an ARN names
    callable_regions: tuple[str, ...] | None = None  # a profile's source Regions
    variant: str = ""  # what a suffix named ("200k context"); '' when none


@dataclass(frozen=True)
class RegionStatus:
    region: str
    status: str
    legacy_date: dt.date | None = None
    pea_date: dt.date | None = None
    eol_date: dt.date | None = None
    days_left: int | None = None  # to EOL; negative once past


@dataclass(frozen=True)
class Verdict:
    status: str  # Active, Legacy, PEA, EOL, "not offered" or "unknown": the worst of the Regions
    rule: str
    regions: tuple[RegionStatus, ...]
    days_left: int | None
    legacy_date: dt.date | None
    pea_date: dt.date | None
    eol_date: dt.date | None
    source: str

    @property
    def level(self) -> str:
        return LEVELS[self.rule]


def _known_base(text: str, reference: ScanReference) -> tuple[str, str] | None:
    """The catalog model `text` names, with the variant its suffix named ("200k context"): as
    written, or less a variant suffix (`:200k`, `:48k`, `:8k`, `:mm`) and a version the
    catalog's ID lacks (`…-v1:0:8k` → `…-v1`), as domain/model_variants.py resolves every
    model ID AWS or a person writes."""
    if text in reference.models:
        return text, ""
    if ":" not in text:  # no suffix to drop: prose or an unknown ID (spares the "did you mean" search)
        return None
    resolved = resolve_model(text, reference.models)
    return (resolved.model_id, resolved.variant) if resolved.known else None


def resolve(hit: Hit, reference: ScanReference) -> Resolution | None:
    """What the match names; None when it is not a model reference after all."""
    geo = hit.geo
    if hit.form == "cdk-constant":
        written, _ = reference.cdk.model_id(hit.model_text, alpha=hit.text.startswith(ALPHA_CLASS))
    else:
        written = hit.model_text[len(geo) + 1:] if geo else hit.model_text
    pinned = hit.arn_region if hit.arn_region and _REGION.match(hit.arn_region) else None
    profile_id = f"{geo}.{written}" if geo else None
    known = _known_base(written, reference)
    if known is None:
        if hit.form != "cdk-constant" and not _VERSIONISH.search(written):
            return None  # prose or a name that merely starts like one
        suggestions = tuple(difflib.get_close_matches(written, reference.model_ids, n=3, cutoff=0.75))
        return Resolution(written, profile_id, False, suggestions, pinned)
    base, variant = known
    callable_regions = None
    if geo:
        profile = reference.profiles.get(f"{geo}.{base}")
        callable_regions = profile.source_regions if profile else None
    return Resolution(base, profile_id, True, (), pinned, callable_regions, variant)


def _region_status(reference: ScanReference, model_id: str, region: str, callable_regions: set[str],
                   today: dt.date) -> RegionStatus:
    if region not in callable_regions:
        return RegionStatus(region, NOT_OFFERED)
    for lc in reference.models[model_id].lifecycles:
        if region in lc.regions:
            status = status_from(lc.declared_status, lc.legacy_date, lc.pea_date, lc.eol_date, today)
            days = (lc.eol_date - today).days if lc.eol_date else None
            return RegionStatus(region, status.value, lc.legacy_date, lc.pea_date, lc.eol_date, days)
    return RegionStatus(region, Status.ACTIVE.value)


def _earliest(dates: list[dt.date | None]) -> dt.date | None:
    present = [d for d in dates if d is not None]
    return min(present) if present else None


def assess(resolution: Resolution, reference: ScanReference, today: dt.date,
           regions: tuple[str, ...] | None = None) -> Verdict:
    """The model's standing in the Regions evaluated: the ARN's own Region, else `regions`
    (`--region`), else wherever it can be called (a profile's source Regions, the model's
    Regions). The worst of them is the finding's status."""
    if not resolution.known:
        return Verdict(UNKNOWN, "unknown", (), None, None, None, None, reference.models_page)
    facts = reference.models[resolution.model_id]
    callable_regions = resolution.callable_regions or facts.offered
    evaluated = (resolution.pinned_region,) if resolution.pinned_region else regions or callable_regions
    per_region = tuple(_region_status(reference, facts.model_id, r, set(callable_regions), today)
                       for r in evaluated)
    offered = [r for r in per_region if r.status != NOT_OFFERED]
    source = next((lc.source for lc in facts.lifecycles if lc.source), reference.lifecycle_page)
    if not offered:
        return Verdict(NOT_OFFERED, "not-offered", per_region, None, None, None, None, source)
    worst = max(offered, key=lambda r: STAGES[r.status]).status
    days = [r.days_left for r in offered if r.days_left is not None]
    days_left = min(days) if days else None
    legacy, pea, eol = (_earliest([getattr(r, f) for r in offered]) for f in ("legacy_date", "pea_date", "eol_date"))
    if worst == Status.EOL.value:
        rule = "eol"
    elif days_left is not None and days_left <= EOL_SOON_DAYS:
        rule = "eol-soon"
    elif worst == Status.PEA.value:
        rule = "pea"
    elif worst == Status.LEGACY.value:
        rule = "legacy"
    elif legacy or pea or eol:
        rule = "dated"
    else:
        rule = "active"
    return Verdict(worst, rule, per_region, days_left, legacy, pea, eol, source)
