"""What a scan knows about models: IDs, names, where each is offered, lifecycle dates per
Region, inference profiles and AWS's named replacements.

Built from an open project (its lifecycle dates win: synced and typed by hand) or from the
bundled catalog alone (CI without a project). Either way the scan itself only sees this.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ...domain.lifecycle import LifecycleDates
from .patterns import CdkTable, Patterns, cdk_table, patterns_for

if TYPE_CHECKING:
    from ...catalog.bundled import Catalog
    from ...persistence.store import ProjectStore

# The catalog's pages (catalog/bundled.py has MODELS_PAGE too; a test keeps them equal):
# here so that a scan from the cached reference never loads the catalog's models.
LIFECYCLE_PAGE = "https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle.html"
MODELS_PAGE = "https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html"


@dataclass(frozen=True)
class ModelFacts:
    model_id: str
    name: str
    offered: tuple[str, ...]  # Regions where it is (or was) offered, sorted
    lifecycles: tuple[LifecycleDates, ...] = ()


@dataclass(frozen=True)
class ProfileFacts:
    profile_id: str
    model_id: str
    source_regions: tuple[str, ...]  # where the profile can be called from


@dataclass(frozen=True)
class ScanReference:
    models: dict[str, ModelFacts]
    profiles: dict[str, ProfileFacts] = field(default_factory=dict)
    replacements: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = "bundled catalog"

    @cached_property
    def patterns(self) -> Patterns:
        vendors = {model_id.split(".", 1)[0] for model_id in self.models}
        vendors |= {p.model_id.split(".", 1)[0] for p in self.profiles.values()}
        geos = {profile_id.split(".", 1)[0] for profile_id in self.profiles}
        return patterns_for(tuple(sorted(vendors)), tuple(sorted(geos)))

    @cached_property
    def cdk(self) -> CdkTable:
        return cdk_table(tuple(sorted(self.models)))

    @cached_property
    def model_ids(self) -> tuple[str, ...]:
        return tuple(sorted(self.models))

    @cached_property
    def regions(self) -> tuple[str, ...]:
        """Every Region the reference knows of (to check `--region`)."""
        known = {r for m in self.models.values() for r in m.offered}
        known |= {r for p in self.profiles.values() for r in p.source_regions}
        return tuple(sorted(known))

    @cached_property
    def lifecycle_page(self) -> str:
        """The lifecycle page the dates were taken from (the help link of every rule)."""
        sources = Counter(lc.source for m in self.models.values() for lc in m.lifecycles
                          if "lifecycle" in lc.source)
        return sources.most_common(1)[0][0] if sources else LIFECYCLE_PAGE

    @property
    def models_page(self) -> str:
        """Where the models and their Regions are listed (the help link for unknown IDs)."""
        return MODELS_PAGE


def _facts(model_id: str, name: str, regions: set[str], lifecycles: list[LifecycleDates]) -> ModelFacts:
    offered = set(regions).union(*(lc.regions for lc in lifecycles))
    return ModelFacts(model_id, name, tuple(sorted(offered)), tuple(lifecycles))


def _profiles_and_replacements(catalog: Catalog) -> tuple[dict[str, ProfileFacts], dict[str, tuple[str, ...]]]:
    profiles = {p.profile_id: ProfileFacts(p.profile_id, p.model_id, tuple(sorted(p.source_regions)))
                for p in catalog.profiles}
    replacements = {r.legacy_model_id: r.recommended_model_ids for r in catalog.replacements}
    return profiles, replacements


def reference_from_catalog(catalog: Catalog | None = None) -> ScanReference:
    """The bundled catalog (or another one) as a scan reference: no project needed. The
    bundled one is read from the user cache when it was built before (reference_cache.py)."""
    from . import reference_cache

    if catalog is None:
        cached = reference_cache.read_cached()
        if cached is not None:
            return cached
    reference = _from_catalog(catalog)
    if catalog is None:
        reference_cache.write_cached(reference)
    return reference


def _from_catalog(catalog: Catalog | None) -> ScanReference:
    from ...catalog.bundled import BUNDLE_AS_OF, load_catalog

    catalog = catalog or load_catalog()
    by_model: dict[str, list[LifecycleDates]] = {}
    for lc in catalog.lifecycles:
        by_model.setdefault(lc.model_id, []).append(LifecycleDates(
            lc.model_id, tuple(sorted(lc.regions)), lc.declared_status, lc.legacy_date, lc.pea_date,
            lc.eol_date, lc.source, lc.as_of))
    models = {m.model_id: _facts(m.model_id, m.name, set(m.regions) | set(m.cross_region_regions),
                                 by_model.get(m.model_id, []))
              for m in catalog.models}
    profiles, replacements = _profiles_and_replacements(catalog)
    return ScanReference(models, profiles, replacements, f"bundled catalog of {BUNDLE_AS_OF}")


def reference_from_store(store: ProjectStore, label: str = "project") -> ScanReference:
    """The open project's models and lifecycle dates (synced, reloaded, typed by hand);
    inference profiles and replacements come from the bundled catalog, as elsewhere."""
    by_model: dict[str, list[LifecycleDates]] = {}
    for lc in store.lifecycle_dates():
        by_model.setdefault(lc.model_id, []).append(lc)
    models = {m.model_id: _facts(m.model_id, m.name, set(m.regions) | set(m.cross_region_regions),
                                 by_model.get(m.model_id, []))
              for m in store.models()}
    from ...catalog.bundled import load_catalog

    profiles, replacements = _profiles_and_replacements(load_catalog())
    return ScanReference(models, profiles, replacements, label)
