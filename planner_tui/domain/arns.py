"""Reading AWS identifiers: pure string rules with no model classes, so that the CLI's start
(which builds every command's parser) and the scanner need no pydantic import."""

from __future__ import annotations


def model_id_from_arn(arn: str) -> str:
    """arn:aws:bedrock:us-east-1::foundation-model/anthropic.x → anthropic.x; IDs pass through."""
    if arn.startswith("arn:") and "/" in arn:
        return arn.rsplit("/", 1)[1]
    return arn


def account_label(account_id: str, account_name: str = "") -> str:
    """'prod-payments (111122223333)', '111122223333', or '' when unknown."""
    if account_name and account_id and account_name != account_id:
        return f"{account_name} ({account_id})"
    return account_id or account_name
