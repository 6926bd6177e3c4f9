"""What one Region of one account brought, made ready to record: the account on every
record, each resource on the catalog's base model, one per stored key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...domain.aws_records import DiscoveredResource
from ...domain.model_variants import resolve_model

if TYPE_CHECKING:
    from .accounts import Account


def arn_account(arn: str) -> str:
    """The account an ARN names (arn:aws:bedrock:REGION:ACCOUNT:…), or ''."""
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 and parts[0] == "arn" and parts[4].isdigit() else ""


def tag_account(result: Any, account: Account) -> None:
    """The account on every record the Region brought: the one asked, else (the standard
    configuration, never asked) the one its resources' ARNs name."""
    account_id = account.account_id or next(
        (a for a in (arn_account(d.resource_id) for d in result.discovered) if a), "")
    tag = {"account_id": account_id, "account_name": account.account_name}
    if account_id or account.account_name:
        result.discovered = [d.model_copy(update={"account_id": arn_account(d.resource_id) or account_id,
                                                  "account_name": account.account_name})
                             for d in result.discovered]
        result.usage = [p.model_copy(update=tag) for p in result.usage]


def resolved(found: list[DiscoveredResource], known: set[str]) -> list[DiscoveredResource]:
    """Each resource on the catalog's base model, its variant kept as detail."""
    out = []
    for resource in found:
        model = resolve_model(resource.raw_model_id or resource.model_id, known)
        out.append(resource.model_copy(update={"model_id": model.model_id, "variant": model.variant,
                                               "raw_model_id": resource.raw_model_id or resource.model_id}))
    return out


def unique(found: list[DiscoveredResource]) -> list[DiscoveredResource]:
    """One per stored key (two variants of one model behind a router are one row)."""
    seen: dict[tuple[str, str, str, str], DiscoveredResource] = {}
    for r in found:
        seen.setdefault((r.region, r.kind.value, r.resource_id, r.model_id), r)
    return list(seen.values())
