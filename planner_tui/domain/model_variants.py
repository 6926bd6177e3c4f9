"""Model IDs as AWS writes them, resolved to the catalog's base model.

Fine-tuning bases and Provisioned Throughput name a *variant* of a foundation model: its
context length or modality after the version, e.g. `anthropic.claude-3-haiku-20240307-v1:0:200k`
(the customization page's Claude 3 Haiku base), `anthropic.claude-3-haiku-20240307-v1:0:48k`,
`amazon.titan-text-express-v1:0:8k`, `amazon.nova-lite-v1:0:300k`. The lifecycle of the
variant is its base model's, so everything that takes a model ID in (a sync's discovery,
dependencies typed or imported, the scanner) resolves it here, keeping the variant as detail
("200k context"). Some of these IDs also carry a version (`:0`) the on-demand ID does not
(`amazon.titan-text-express-v1`): it is dropped when only the shorter ID is known.

Pure: no catalog access; the caller passes the IDs it knows.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass

from .arns import model_id_from_arn
from .validation import split_profile

# `:200k`, `:48k`, `:28k`, `:18k`, `:8k`, `:4k`, `:300k`, `:1000k`; `:mm` (multimodal).
_VARIANT = re.compile(r":(\d{1,5}k|mm)$")
_VERSION = re.compile(r":\d{1,3}$")


@dataclass(frozen=True)
class ResolvedModel:
    """What a model ID written by AWS or a person names."""

    model_id: str  # the catalog's base model, or the ID as written when it is unknown
    raw_id: str  # as written (an ARN's model part, an inference profile's prefix dropped)
    variant: str = ""  # "200k context", "multimodal"; '' when none
    known: bool = True
    suggestion: str = ""  # the closest catalog ID when unknown ('' when nothing is close)

    @property
    def label(self) -> str:
        """`model_id (200k context)`; an unknown one says so, with what it may have meant."""
        if not self.known:
            hint = f"; did you mean {self.suggestion}?" if self.suggestion else ""
            return f"unknown model {self.raw_id or '(AWS named none)'}{hint}"
        return f"{self.model_id} ({self.variant})" if self.variant else self.model_id


def variant_detail(suffix: str) -> str:
    """'200k' → '200k context', 'mm' → 'multimodal'."""
    suffix = suffix.lstrip(":")
    if suffix == "mm":
        return "multimodal"
    return f"{suffix} context" if suffix else ""


def split_variant(model_id: str) -> tuple[str, str]:
    """('anthropic.x-v1:0:200k') → ('anthropic.x-v1:0', '200k'); no variant → (id, '')."""
    match = _VARIANT.search(model_id)
    if not match:
        return model_id, ""
    return model_id[: match.start()], match.group(1)


def did_you_mean(model_id: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(model_id, list(known), n=1, cutoff=0.6)
    return close[0] if close else ""


def resolve_model(written: str, known: Collection[str]) -> ResolvedModel:
    """The base catalog model of a model ID, foundation-model ARN or inference profile ID
    (its prefix dropped), with the variant it named; unknown ones kept as written."""
    raw = split_profile(model_id_from_arn(written.strip()))[0]
    if raw in known:
        return ResolvedModel(raw, raw)
    base, suffix = split_variant(raw)
    candidates = [base] if suffix else []
    if _VERSION.search(base):
        candidates.append(_VERSION.sub("", base))
    for candidate in candidates:
        if candidate in known:
            return ResolvedModel(candidate, raw, variant_detail(suffix))
    return ResolvedModel(raw, raw, variant_detail(suffix), known=False,
                         suggestion=did_you_mean(base, known))


def base_model_id(written: str, known: Collection[str]) -> tuple[str, str]:
    """(base model ID, variant detail) for an ID a person typed or imported: the ID as it was
    (stripped) when it names no variant of a known model, so the usual checks refuse it."""
    text = written.strip()
    model_part = model_id_from_arn(text)
    resolved = resolve_model(model_part, known)
    if resolved.known and resolved.model_id != resolved.raw_id:
        return model_part[: len(model_part) - len(resolved.raw_id)] + resolved.model_id, resolved.variant
    return text, ""
