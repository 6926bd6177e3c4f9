"""Input rules for what users type: Region names, model IDs, dependency targets."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping

from ..errors import UserInputError

REGION_PATTERN = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")
PROFILE_PREFIXES = ("us.", "eu.", "apac.", "global.", "us-gov.", "jp.", "au.", "ca.")


def check_region(region: str) -> str:
    region = region.strip()
    if not REGION_PATTERN.match(region):
        raise UserInputError(f"invalid Region {region!r}: expected a name like us-east-1.")
    return region


def split_profile(model_or_profile: str) -> tuple[str, str]:
    """('us.anthropic.x', …) → ('anthropic.x', 'us.anthropic.x'); a bare model ID → (id, '')."""
    for prefix in PROFILE_PREFIXES:
        if model_or_profile.startswith(prefix):
            return model_or_profile[len(prefix):], model_or_profile
    return model_or_profile, ""


# Where a cross-Region inference profile of each geography can be called from, by its ID's
# prefix. Only a fallback, for a profile the bundled catalog does not list (one newer than
# the catalog): a listed profile's own source Regions always win. The Regions follow the
# catalog's rows for each geography (US profiles are also callable from Canada, EU ones from
# Israel, APAC ones from the UAE); a name ending in '-' stands for every Region it starts.
GEOGRAPHY_REGIONS: dict[str, tuple[str, ...]] = {
    "us.": ("us-east-", "us-west-", "ca-"),
    "us-gov.": ("us-gov-",),
    "eu.": ("eu-", "il-central-1"),
    "apac.": ("ap-", "me-central-1"),
    "jp.": ("ap-northeast-1", "ap-northeast-3"),
    "au.": ("ap-southeast-2", "ap-southeast-4"),
    "ca.": ("ca-",),
    # Every commercial Region: none of GovCloud, China or the isolated partitions.
    "global.": ("af-", "ap-", "ca-", "eu-", "il-", "me-", "mx-", "sa-", "us-east-", "us-west-"),
}


def _in_geography(region: str, names: tuple[str, ...]) -> bool:
    return any(region.startswith(n) if n.endswith("-") else region == n for n in names)


def check_profile_region(profile_id: str, region: str,
                         catalog_profiles: Mapping[str, Collection[str]]) -> None:
    """Refuse a cross-Region inference profile called from a Region outside its geography.

    `catalog_profiles` maps each profile the catalog lists to the Regions it can be called
    from (its source Regions). A profile the catalog lacks is judged by its ID's geography
    prefix instead (GEOGRAPHY_REGIONS), and the message says so.
    """
    model_id, prefix_id = split_profile(profile_id)
    if not prefix_id:
        return
    served = catalog_profiles.get(profile_id)
    if served is not None:
        if region in served:
            return
        instead = sorted(p for p, regions in catalog_profiles.items()
                         if split_profile(p)[0] == model_id and region in regions)
        hint = f"; from {region} use {' or '.join(instead)}" if instead else ""
        raise UserInputError(
            f"{profile_id} is a cross-Region inference profile called from "
            f"{', '.join(sorted(served))} only, not from {region}{hint}.")
    prefix = profile_id[: len(profile_id) - len(model_id)]
    names = GEOGRAPHY_REGIONS.get(prefix, ())
    if not _in_geography(region, names):
        where = ", ".join(n + "*" if n.endswith("-") else n for n in names)
        raise UserInputError(
            f"{profile_id} is not in the bundled catalog; by its '{prefix}' prefix it is called "
            f"from {where} only, not from {region}.")


def check_model_id(model_id: str, known: Collection[str]) -> str:
    model_id = model_id.strip()
    if model_id in known:
        return model_id
    close = difflib.get_close_matches(model_id, list(known), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else "; see 'planner-tui models'."
    raise UserInputError(f"unknown model ID {model_id!r}{hint}")


def check_offered(model_id: str, region: str, offered: Collection[str]) -> None:
    if region not in offered:
        where = ", ".join(sorted(offered)) or "no Region"
        raise UserInputError(f"{model_id} is not offered in {region} (offered in: {where}).")
