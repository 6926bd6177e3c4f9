"""Input rules for what users type: Region names, model IDs, dependency targets."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection

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
