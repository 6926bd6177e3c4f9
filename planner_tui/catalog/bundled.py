"""Read the reference CSVs shipped in `catalog/data/` into domain models.

The CSVs are copies of what the AWS documentation pages published; each row keeps its
source URL. `BUNDLE_AS_OF` is the day this snapshot was taken into the package.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from ..domain.models import FoundationModel, PolicyRegime, RegionalLifecycle, Status
from .digest import CATALOG_FILES, catalog_digest  # noqa: F401 - part of this module's interface

BUNDLE_AS_OF = "2026-11-22"
MODELS_PAGE = "https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html"


@dataclass(frozen=True)
class InferenceProfile:
    profile_id: str
    name: str
    model_id: str
    source_regions: tuple[str, ...]
    source_url: str
    as_of: str


@dataclass(frozen=True)
class Replacement:
    legacy_model_id: str
    recommended_model_ids: tuple[str, ...]
    source_url: str
    as_of: str


@dataclass(frozen=True)
class Catalog:
    models: tuple[FoundationModel, ...]
    lifecycles: tuple[RegionalLifecycle, ...]
    profiles: tuple[InferenceProfile, ...]
    replacements: tuple[Replacement, ...] = field(default=())

    def model(self, model_id: str) -> FoundationModel | None:
        return next((m for m in self.models if m.model_id == model_id), None)


def _rows(name: str) -> Iterator[dict[str, str]]:
    text = files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    yield from csv.DictReader(text.splitlines())


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


_MONTH_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%m/%d/%Y")


def parse_loose_date(text: str) -> dt.date | None:
    """Dates as the pages write them: 9/23/2024, 'Dec 02, 2025', 'March 30, 2027'."""
    text = re.sub(r"^(No sooner than|Legacy:)\s*", "", text.strip(), flags=re.I)
    if not text or text.upper() in {"N/A", "NA"}:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    for fmt in _MONTH_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _iso(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text.strip() else None


@dataclass
class _Card:
    launch: dt.date | None = None
    eol_no_sooner_than: dt.date | None = None
    legacy_period_days: int | None = None
    legacy_eol: dt.date | None = None
    source_url: str = ""


def _cards() -> dict[str, _Card]:
    """Model-card hints. A model card page wins over the lifecycle page's Active table."""
    cards: dict[str, _Card] = {}
    for row in _rows("bedrock_model_cards.csv"):
        model_id = row["model_id"].strip()
        if not model_id:
            continue
        from_card_page = row["source"] == "model card page"
        card = cards.setdefault(model_id, _Card())
        launch = parse_loose_date(row["launch_date"])
        if launch and (from_card_page or card.launch is None):
            card.launch = launch
        eol_field = row["model_eol_date"]
        no_sooner = parse_loose_date(row["eol_no_sooner_than"]) or (
            parse_loose_date(eol_field) if eol_field.lower().startswith("no sooner") else None
        )
        if no_sooner and (from_card_page or card.eol_no_sooner_than is None):
            card.eol_no_sooner_than = no_sooner
        if "6 months" in row["legacy_period"]:
            card.legacy_period_days = 183
        elif "45 days" in row["legacy_period"]:
            card.legacy_period_days = 45
        if row["lifecycle_status"].strip() == "Legacy" and not eol_field.lower().startswith(
            ("no sooner", "legacy:")
        ):
            card.legacy_eol = parse_loose_date(eol_field)
            card.source_url = row["source_url"]
    return cards


def _modalities(cell: str) -> tuple[str, ...]:
    return tuple(sorted({m for m in _split(cell) if m != "Chat"}))


@cache
def load_catalog() -> Catalog:
    cards = _cards()
    models: dict[str, FoundationModel] = {}
    for row in _rows("bedrock_models.csv"):
        card = cards.get(row["model_id"], _Card())
        models[row["model_id"]] = FoundationModel(
            model_id=row["model_id"],
            name=row["model_name"],
            provider=row["provider"],
            input_modalities=_modalities(row["input_modalities"]),
            output_modalities=_modalities(row["output_modalities"]),
            streaming=row["streaming"].strip().lower() == "true",
            launch_date=card.launch,
            eol_no_sooner_than=card.eol_no_sooner_than,
            legacy_period_days=card.legacy_period_days,
            regions=_split(row["regions"]),
            cross_region_regions=_split(row["cross_region_regions"]),
            source_url=row["source_url"] or MODELS_PAGE,
            as_of=row["as_of"],
        )

    lifecycles: list[RegionalLifecycle] = []
    with_rows: set[str] = set()
    for row in _rows("bedrock_lifecycle.csv"):
        model_id = row["model_id"]
        with_rows.add(model_id)
        card = cards.get(model_id, _Card())
        if model_id not in models:
            models[model_id] = FoundationModel(
                model_id=model_id, name=row["model_name"], provider=row["provider"],
                launch_date=card.launch, source_url=row["sources"].split()[0],
                as_of=BUNDLE_AS_OF,
            )
        lifecycles.append(
            RegionalLifecycle(
                model_id=model_id,
                regions=tuple(sorted(_split(row["regions"]))),
                declared_status=Status.LEGACY,
                launch_date=card.launch,
                legacy_date=_iso(row["legacy_date"]),
                pea_date=_iso(row["public_extended_access_date"]),
                eol_date=_iso(row["eol_date"]),
                eol_no_sooner_than=card.eol_no_sooner_than,
                legacy_period_days=card.legacy_period_days,
                policy=PolicyRegime(row["policy"]),
                source=row["sources"].split()[0],
                as_of=BUNDLE_AS_OF,
            )
        )

    # A model card that calls a model Legacy with an EOL date, where the lifecycle page
    # has no row (Llama 3.3 70B): ship the card's EOL, no invented Legacy or PEA date.
    for model_id, card in cards.items():
        if card.legacy_eol and model_id not in with_rows and model_id in models:
            model = models[model_id]
            lifecycles.append(
                RegionalLifecycle(
                    model_id=model_id,
                    regions=tuple(sorted(set(model.regions) | set(model.cross_region_regions))),
                    declared_status=Status.LEGACY,
                    launch_date=card.launch,
                    eol_date=card.legacy_eol,
                    legacy_period_days=card.legacy_period_days,
                    policy=PolicyRegime.BEFORE_2026_09_07,
                    source=card.source_url,
                    as_of=BUNDLE_AS_OF,
                )
            )

    # Models missing from the newest copy of the supported-models table have been retired
    # where no published row says otherwise: an EOL model drops out of the listing.
    covered = {(lc.model_id, region) for lc in lifecycles for region in lc.regions}
    for row in _rows("bedrock_models.csv"):
        if row["listed_in_newest_copy"].strip().lower() != "false":
            continue
        model = models[row["model_id"]]
        gone = sorted(
            r for r in set(model.regions) | set(model.cross_region_regions)
            if (model.model_id, r) not in covered
        )
        if gone:
            lifecycles.append(
                RegionalLifecycle(
                    model_id=model.model_id,
                    regions=tuple(gone),
                    declared_status=Status.EOL,
                    launch_date=model.launch_date,
                    source=model.source_url,
                    as_of=row["as_of"],
                )
            )

    profiles = tuple(
        InferenceProfile(
            profile_id=row["profile_id"],
            name=row["profile_name"],
            model_id=row["underlying_model_id"],
            source_regions=_split(row["source_regions"]),
            source_url=row["source_url"],
            as_of=row["as_of"],
        )
        for row in _rows("bedrock_inference_profiles.csv")
    )
    replacements = tuple(
        Replacement(
            legacy_model_id=row["legacy_model_id"],
            recommended_model_ids=_split(row["recommended_model_ids"]),
            source_url=row["source_url"],
            as_of=row["as_of"],
        )
        for row in _rows("bedrock_replacements.csv")
    )
    return Catalog(
        models=tuple(sorted(models.values(), key=lambda m: m.model_id)),
        lifecycles=tuple(lifecycles),
        profiles=profiles,
        replacements=replacements,
    )


@cache
def profile_source_regions() -> dict[str, tuple[str, ...]]:
    """Each cross-Region inference profile of the catalog → the Regions it can be called from."""
    return {profile.profile_id: profile.source_regions for profile in load_catalog().profiles}
