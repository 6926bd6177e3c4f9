"""Input rules for what users type: text, dates, numbers, Region names, model IDs,
dependency targets.

The limits of everything a person enters are defined here, once; domain/fields.py applies
them to every text, date and volume field of the domain models (so the CLI, the TUI's forms,
CSV and JSON imports all get them), and the CLI's argument types use them directly. Pure:
no pydantic here (`status` and the TUI's start read stored rows without it).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Collection, Mapping
from enum import Enum

from ..errors import UserInputError

# -- limits -------------------------------------------------------------------------------------

NAME_MAX = 200  # application names, owners, teams, environments, metric names
TITLE_MAX = 500  # checklist item titles
ID_MAX = 2048  # model and inference profile IDs, Regions, ARNs (AWS caps an ARN at 2,048)
NOTES_MAX = 10_000  # notes, evidence, reasons, phase-form answers
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)  # any date a person types
VOLUME_MAX = 10**12  # requests per month of one dependency (a trillion)
COUNT_MAX = 1_000_000  # a count typed on the command line (a limit, places to move)
DAYS_MAX = (LAST_DAY - FIRST_DAY).days  # a number of days: the whole date range
ID_VALUE_MAX = 2**63 - 1  # a row id: SQLite's largest integer


class TextKind(Enum):
    """What a text field holds: its length limit and whether it may span lines."""

    NAME = (NAME_MAX, False)
    TITLE = (TITLE_MAX, False)
    ID = (ID_MAX, False)
    NOTES = (NOTES_MAX, True)

    @property
    def limit(self) -> int:
        return self.value[0]

    @property
    def multiline(self) -> bool:
        return self.value[1]


# C0 controls, DEL, C1 controls, the bidirectional embeddings, overrides and isolates (they
# reorder what a terminal shows) and lone surrogates (bytes that were not UTF-8, as Python
# keeps them from a command line: surrogateescape).
_REFUSED = "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069\\ud800-\\udfff"
_REFUSED_IN_NOTES = re.compile(f"[{_REFUSED}]")
_REFUSED_IN_A_LINE = re.compile(f"[\\t\\n{_REFUSED}]")
CONTROL_RULE = "must not contain control characters (escapes, bidi overrides{})"


def control_character(text: str, multiline: bool = False) -> str | None:
    """The first character a person's text may not hold, or None: C0 controls (line breaks
    and tabs allowed only in multi-line text), DEL, C1 controls, bidi controls and bytes that
    were not UTF-8."""
    found = (_REFUSED_IN_NOTES if multiline else _REFUSED_IN_A_LINE).search(text)
    return found.group() if found else None


def text_problem(text: str, kind: TextKind) -> str | None:
    """Why `text` is refused as a `kind` field (one clause naming the rule), or None."""
    char = control_character(text, kind.multiline)
    if char is not None:
        if "\ud800" <= char <= "\udfff":
            return "is not valid UTF-8"
        where = text.index(char) + 1
        rule = CONTROL_RULE.format("" if kind.multiline else ", line breaks or tabs")
        return f"{rule}: found U+{ord(char):04X} at character {where}"
    if len(text) > kind.limit:
        return f"must be at most {kind.limit:,} characters (this is {len(text):,})"
    return None


def check_text(text: str, kind: TextKind, field: str) -> str:
    """`text` as it is, or UserInputError naming `field` and the rule."""
    problem = text_problem(text, kind)
    if problem:
        raise UserInputError(f"{field}: {problem}.")
    return text


def day_problem(day: dt.date) -> str | None:
    if isinstance(day, dt.datetime):
        day = day.date()
    if not FIRST_DAY <= day <= LAST_DAY:
        return f"{day} is outside the accepted dates {FIRST_DAY} … {LAST_DAY}"
    return None


def check_day(day: dt.date, field: str) -> dt.date:
    problem = day_problem(day)
    if problem:
        raise UserInputError(f"{field}: {problem}.")
    return day


def first_error(error: Exception) -> str:
    """pydantic's first complaint, as a sentence naming its field; any other error as it is."""
    errors = getattr(error, "errors", None)
    if callable(errors):
        first = errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ()))
        message = str(first.get("msg", error)).removeprefix("Value error, ")
        named = field.replace("_", " ") in message
        return f"{field.replace('_', ' ')}: {message}" if field and not named else message
    return str(error)


# -- Regions and models ----------------------------------------------------------------------------

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
