"""Which bundled catalog a project last merged: a digest of the data files.

Kept apart from the catalog loader (pydantic models) so that opening a project whose
catalog is current stays quick.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files

CATALOG_FILES = ("bedrock_models.csv", "bedrock_lifecycle.csv", "bedrock_model_cards.csv",
                 "bedrock_inference_profiles.csv", "bedrock_replacements.csv")


@cache
def catalog_digest() -> str:
    """Identifies this release's bundled data; a project notes which one it last merged."""
    digest = hashlib.sha256()
    for name in CATALOG_FILES:
        digest.update(files(__package__).joinpath("data", name).read_bytes())
    return digest.hexdigest()[:16]
