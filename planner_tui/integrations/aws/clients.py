"""boto3 sessions and clients that honour the standard AWS configuration.

Profiles, AWS_REGION, endpoint overrides (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_BEDROCK, …) and
retry settings (AWS_RETRY_MODE, AWS_MAX_ATTEMPTS, or the config file) are left to botocore;
only when none is set do we ask for the standard retry mode. Credentials stay in memory.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ProfileNotFound

from ...compat import boto_scoped_config, boto_shared_alias_cache
from ...errors import UserInputError

# A hung endpoint costs at most DEFAULT_MAX_ATTEMPTS × (CONNECT + READ) seconds a call
# (3 × 25 s) unless the user set retries; a cancelled sync stops waiting at once anyway.
DEFAULT_MAX_ATTEMPTS = 3
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 20


def make_session(profile: str | None = None) -> boto3.Session:
    try:
        return boto3.Session(profile_name=profile)
    except ProfileNotFound:
        raise UserInputError(f"AWS profile {profile!r} is not in your AWS config or credentials file.") from None


def client_config(session: boto3.Session) -> Config:
    options: dict = {"connect_timeout": CONNECT_TIMEOUT, "read_timeout": READ_TIMEOUT,
                     "user_agent_extra": "planner-tui"}
    scoped = boto_scoped_config(session)  # the profile's section of ~/.aws/config
    user_set_retries = (
        os.environ.get("AWS_RETRY_MODE") or os.environ.get("AWS_MAX_ATTEMPTS")
        or "retry_mode" in scoped or "max_attempts" in scoped
    )
    if not user_set_retries:
        options["retries"] = {"mode": "standard", "max_attempts": DEFAULT_MAX_ATTEMPTS}
    return Config(**options)


def has_credentials(session: boto3.Session) -> bool:
    return session.get_credentials() is not None


def shared_caches(client: Any) -> Any:
    """The client, its event names' aliases cached for every client (compat.boto_shared_alias_cache):
    a sync of 200 accounts × 17 Regions makes a client per service, account and Region, each
    making few calls, and working those names out again per client was its largest CPU cost."""
    return boto_shared_alias_cache(client)
