"""The AWS accounts a sync covers: the standard configuration (one account), named or SSO
profiles (`--profiles a,b,c`), or every ACTIVE account of the organization (`--org`), each
reached by assuming a role in it.

One boto3 session per account. An assumed role's credentials are refreshable (botocore
renews them before they expire) and live in memory only: never in the project, a backup, an
export or a log. Every client honours the standard configuration: `AWS_ENDPOINT_URL` and
`AWS_ENDPOINT_URL_<SERVICE>` (STS, Organizations, Bedrock, CloudWatch, Health), retries
(`AWS_RETRY_MODE`, `AWS_MAX_ATTEMPTS`).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.session
from botocore.credentials import DeferredRefreshableCredentials
from botocore.exceptions import BotoCoreError, ClientError

from ...compat import boto_data_loader
from ...domain.aws_records import account_label
from ...errors import UserInputError
from .clients import make_session
from .errors import explain

DEFAULT_ROLE = "OrganizationAccountAccessRole"
SESSION_NAME = "planner-tui-sync"
ROLE_SECONDS = 3600  # botocore refreshes 15 minutes before the end


_QUIET = logging.NullHandler()


class AccountsFailed(Exception):
    """The organization's accounts could not be listed (one sentence)."""


@dataclass
class Account:
    """One account of a sync: its session, and who it is once known."""

    session: Any  # boto3.Session (one per account, used by one thread at a time)
    account_id: str = ""
    account_name: str = ""
    verify: bool = False  # ask STS who it is before syncing (profiles, assumed roles)
    role: str = ""  # the role assumed in it ('' for a profile or the standard configuration)
    verified: bool = False  # STS answered with these credentials
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)  # who may use the session now
    warm: bool = False  # its session has read the paginator definitions
    title: str = ""  # how its progress is named, fixed before STS answers (a profile: its name)

    def __post_init__(self) -> None:
        self.title = self.title or self.label

    @property
    def label(self) -> str:
        return account_label(self.account_id, self.account_name) or "this account"


def single(session: Any) -> list[Account]:
    """The standard configuration (or one --profile): one account, as today."""
    return [Account(session)]


def from_profiles(profiles: str) -> list[Account]:
    """Named profiles from the AWS config (IAM Identity Center/SSO ones alike), in order."""
    names = list(dict.fromkeys(p.strip() for p in profiles.split(",") if p.strip()))
    if not names:
        raise UserInputError("--profiles needs at least one profile name.")
    return [Account(make_session(name), account_name=name, verify=True) for name in names]


def _role_session(sts: Any, role_arn: str, external_id: str | None, region: str | None,
                  loader: Any) -> boto3.Session:
    """A session in another account: AssumeRole, renewed before it expires, in memory only."""

    def refresh() -> dict[str, str]:
        kwargs: dict[str, Any] = {"RoleArn": role_arn, "RoleSessionName": SESSION_NAME,
                                  "DurationSeconds": ROLE_SECONDS}
        if external_id:
            kwargs["ExternalId"] = external_id
        credentials = sts.assume_role(**kwargs)["Credentials"]
        expiry = credentials["Expiration"]
        if isinstance(expiry, dt.datetime):
            expiry = expiry.isoformat()
        return {"access_key": credentials["AccessKeyId"], "secret_key": credentials["SecretAccessKey"],
                "token": credentials["SessionToken"], "expiry_time": str(expiry)}

    # botocore logs a refused refresh as a warning with its traceback; the sync reports it in
    # one line instead (identify()), so no traceback reaches the terminal.
    logging.getLogger("botocore.credentials").addHandler(_QUIET)
    core = botocore.session.Session()
    if loader is not None:
        core.register_component("data_loader", loader)  # service models read once, not per account
    core._credentials = DeferredRefreshableCredentials(  # noqa: SLF001 - botocore's way to set refreshable ones
        refresh_using=refresh, method="sts-assume-role")
    return boto3.Session(botocore_session=core, region_name=region)


def list_active_accounts(organizations: Any) -> list[dict[str, Any]]:
    """Organizations ListAccounts, ACTIVE ones only (`State`; the retired `Status` only when a
    response has no `State`)."""
    accounts = []
    for page in organizations.get_paginator("list_accounts").paginate():
        for account in page.get("Accounts", []):
            state = account.get("State") or account.get("Status")
            if state == "ACTIVE":
                accounts.append(account)
    return sorted(accounts, key=lambda a: (a.get("Name", ""), a["Id"]))


def from_organization(session: Any, config: Any, role_name: str | None = None,
                      external_id: str | None = None) -> list[Account]:
    """Every ACTIVE account of the organization, each through `role_name` assumed in it. Run
    from the management account or a delegated administrator."""
    role = (role_name or DEFAULT_ROLE).strip()
    if not role or any(c in role for c in " :*"):
        raise UserInputError(f"--role-name {role!r} is not a role name (e.g. {DEFAULT_ROLE}).")
    region = session.region_name or "us-east-1"
    try:
        organizations = session.client("organizations", region_name=region, config=config)
        listed = list_active_accounts(organizations)
        sts = session.client("sts", region_name=region, config=config)
    except (ClientError, BotoCoreError) as error:
        kind, message = explain(error, "organizations", region)
        if kind == "denied":
            message = ("organizations:ListAccounts is not allowed: run --org from the management "
                       "account or a delegated administrator, with the policy in the README.")
        raise AccountsFailed(message) from None
    partition = session.get_partition_for_region(region) if hasattr(session, "get_partition_for_region") else "aws"
    loader = boto_data_loader(session)  # shared, read-only
    return [
        Account(_role_session(sts, f"arn:{partition}:iam::{a['Id']}:role/{role}", external_id, region, loader),
                account_id=a["Id"], account_name=a.get("Name", ""), verify=True, role=role)
        for a in listed
    ]


def identify(account: Account, config: Any) -> tuple[str, str]:
    """Who the account's credentials are (STS GetCallerIdentity; for an assumed role this is
    where AssumeRole happens): ('', '') when fine, else (kind, one line)."""
    region = account.session.region_name or "us-east-1"
    try:
        with account.lock:
            sts = account.session.client("sts", region_name=region, config=config)
        account.account_id = sts.get_caller_identity()["Account"]
        account.verified = True
        return "", ""
    except (ClientError, BotoCoreError) as error:
        operation = getattr(error, "operation_name", "")
        kind, message = explain(error, "sts", region)
        if operation == "AssumeRole" or account.role:
            code = error.response.get("Error", {}).get("Code", "") if isinstance(error, ClientError) else ""
            return "role", (f"account {account.label}: the role {account.role} cannot be assumed "
                            f"({code or type(error).__name__}); check its trust policy (README).")
        return kind, f"account {account.label}: {message}"
