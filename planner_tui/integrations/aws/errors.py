"""Turn botocore failures into one clear sentence and a kind the sync can act on."""

from __future__ import annotations

from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
    ReadTimeoutError,
)

EXPIRED = {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidClientTokenId",
           "UnrecognizedClientException"}
DENIED = {"AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "AuthorizationError"}
THROTTLED = {"ThrottlingException", "Throttling", "TooManyRequestsException"}


def iam_action(service: str, error: ClientError) -> str:
    return f"{service}:{error.operation_name}"


def explain(error: BaseException, service: str, region: str) -> tuple[str, str]:
    """(kind, message) where kind is credentials | expired | denied | throttled | network | aws."""
    if isinstance(error, (NoCredentialsError, PartialCredentialsError)):
        return "credentials", ("no AWS credentials found: set AWS_PROFILE or --profile, "
                               "or run 'aws configure' / 'aws sso login'.")
    if isinstance(error, (EndpointConnectionError, ConnectTimeoutError, ConnectionClosedError,
                          ReadTimeoutError)):
        return "network", f"network unreachable for {service} in {region}: {error}."
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        attempts = error.response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
        if code in EXPIRED:
            return "expired", ("AWS credentials expired or invalid; refresh them "
                               "(e.g. 'aws sso login') and sync again.")
        if code in DENIED:
            return "denied", (f"AccessDenied in {region}: the IAM action "
                              f"{iam_action(service, error)} is not allowed for these credentials.")
        if code in THROTTLED:
            return "throttled", (f"throttled by AWS in {region} ({iam_action(service, error)}) "
                                 f"after {attempts + 1} attempts; try again later.")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return "aws", (f"{iam_action(service, error)} failed in {region}: {code or status} "
                       f"{error.response.get('Error', {}).get('Message', '')}".rstrip() + ".")
    return "aws", f"{service} in {region} failed: {error}."
