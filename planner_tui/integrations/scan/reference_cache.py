"""The bundled catalog's scan reference, kept as JSON in the user cache folder.

Building it loads the catalog's pydantic models: a quarter of a second, more than a scan
of a small repository takes. The file is named by the digest of the bundled data, so a
new release never reads an old one; anything unreadable is rebuilt and rewritten.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ...catalog.digest import catalog_digest
from ...domain.lifecycle import LifecycleDates
from ...domain.vocabulary import Status
from .reference import ModelFacts, ProfileFacts, ScanReference

FORMAT = 1


def cache_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("planner-tui", appauthor=False)) / f"scan-reference-{catalog_digest()}.json"


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def dump(reference: ScanReference) -> dict[str, Any]:
    return {
        "format": FORMAT, "source": reference.source,
        "models": {m.model_id: [m.name, list(m.offered), [
            [list(lc.regions), lc.declared_status.value, _iso(lc.legacy_date), _iso(lc.pea_date), _iso(lc.eol_date),
             lc.source, lc.as_of] for lc in m.lifecycles]] for m in reference.models.values()},
        "profiles": {p.profile_id: [p.model_id, list(p.source_regions)] for p in reference.profiles.values()},
        "replacements": {k: list(v) for k, v in reference.replacements.items()},
    }


def load(data: dict[str, Any]) -> ScanReference:
    if data.get("format") != FORMAT:
        raise ValueError("another format")
    models = {
        model_id: ModelFacts(model_id, name, tuple(offered), tuple(
            LifecycleDates(model_id, tuple(regions), Status(declared), _day(legacy), _day(pea), _day(eol),
                           source, as_of)
            for regions, declared, legacy, pea, eol, source, as_of in lifecycles))
        for model_id, (name, offered, lifecycles) in data["models"].items()
    }
    profiles = {profile_id: ProfileFacts(profile_id, model_id, tuple(regions))
                for profile_id, (model_id, regions) in data["profiles"].items()}
    replacements = {k: tuple(v) for k, v in data["replacements"].items()}
    return ScanReference(models, profiles, replacements, data["source"])


def read_cached() -> ScanReference | None:
    try:
        return load(json.loads(cache_path().read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # none yet, or unusable: built again


def write_cached(reference: ScanReference) -> None:
    """Best effort: a read-only home or a full disk only costs the next run its speed."""
    path = cache_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".scan-reference-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(dump(reference), handle)
        os.replace(temp, path)
    except OSError:
        pass
