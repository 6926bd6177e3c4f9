"""The new call shapes of a sync of several accounts through botocore's Stubber: Organizations
ListAccounts (ACTIVE by `State`), STS AssumeRole with refreshable in-memory credentials (role
name, external ID) and GetCallerIdentity."""

from __future__ import annotations

import datetime as dt

import boto3
import pytest
from botocore.stub import Stubber

from planner_tui.errors import UserInputError
from planner_tui.integrations.aws import accounts

MANAGEMENT = "000000000000"


def client(service: str):  # noqa: ANN201
    return boto3.client(service, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing")


def account(account_id: str, name: str, state: str, status: str | None = None) -> dict:
    listed = {"Id": account_id, "Arn": f"arn:aws:organizations::{MANAGEMENT}:account/o-x/{account_id}",
              "Email": f"{name}@example.com", "Name": name, "State": state,
              "JoinedMethod": "CREATED", "JoinedTimestamp": dt.datetime(2024, 1, 1, tzinfo=dt.UTC)}
    if status:
        listed["Status"] = status
    return listed


def test_list_accounts_keeps_active_ones_by_state_over_pages() -> None:
    organizations = client("organizations")
    with Stubber(organizations) as stub:
        stub.add_response("list_accounts", {"Accounts": [
            account("111111111111", "payments", "ACTIVE"),
            # `Status` (retired in September 2026) says ACTIVE; `State` wins.
            account("222222222222", "closing", "PENDING_CLOSURE", status="ACTIVE"),
        ], "NextToken": "p2"}, {})
        stub.add_response("list_accounts", {"Accounts": [
            account("333333333333", "search", "ACTIVE"), account("444444444444", "gone", "SUSPENDED"),
        ]}, {"NextToken": "p2"})
        listed = accounts.list_active_accounts(organizations)
    assert [a["Id"] for a in listed] == ["111111111111", "333333333333"]


def test_assume_role_credentials_are_refreshable_and_pass_the_external_id() -> None:
    sts = client("sts")
    expiry = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    role_arn = "arn:aws:iam::111111111111:role/PlannerReadOnly"
    with Stubber(sts) as stub:
        stub.add_response("assume_role", {
            "Credentials": {"AccessKeyId": "ASIA111111111111", "SecretAccessKey": "s3cr3t" * 4,
                            "SessionToken": "TOKEN-never-stored", "Expiration": expiry},
            "AssumedRoleUser": {"AssumedRoleId": "AROAEXAMPLE:planner-tui-sync",
                                "Arn": "arn:aws:sts::111111111111:assumed-role/PlannerReadOnly/planner-tui-sync"},
        }, {"RoleArn": role_arn, "RoleSessionName": accounts.SESSION_NAME,
            "DurationSeconds": accounts.ROLE_SECONDS, "ExternalId": "ext-7"})
        session = accounts._role_session(sts, role_arn, "ext-7", "us-east-1", None)
        credentials = session.get_credentials()
        assert stub._queue  # nothing asked yet: deferred until first used
        frozen = credentials.get_frozen_credentials()
    assert (frozen.access_key, frozen.token) == ("ASIA111111111111", "TOKEN-never-stored")
    assert credentials.refresh_needed() is False  # botocore renews it 15 minutes before the end


def test_identify_reads_the_account_and_says_a_denied_role_in_one_line() -> None:
    ok = accounts.Account(boto3.Session(aws_access_key_id="a", aws_secret_access_key="b",
                                        region_name="us-east-1"), account_name="payments", verify=True)
    sts = client("sts")
    with Stubber(sts) as stub:
        stub.add_response("get_caller_identity", {"UserId": "AIDA", "Account": "111111111111",
                                                  "Arn": "arn:aws:iam::111111111111:user/p"})
        ok.session.client = lambda *args, **kwargs: sts  # type: ignore[method-assign]
        assert accounts.identify(ok, None) == ("", "")
    assert ok.account_id == "111111111111" and ok.verified and ok.label == "payments (111111111111)"

    sts = client("sts")
    role_arn = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"
    with Stubber(sts) as stub:
        stub.add_client_error("assume_role", "AccessDenied", "not authorized", 403)
        member = accounts.Account(accounts._role_session(sts, role_arn, None, "us-east-1", None),
                                  account_id="222222222222", account_name="search", verify=True,
                                  role="OrganizationAccountAccessRole")
        kind, line = accounts.identify(member, None)
    assert kind == "role"
    assert line == ("account search (222222222222): the role OrganizationAccountAccessRole cannot be "
                    "assumed (AccessDenied); check its trust policy (README).")


def test_a_bad_role_name_or_no_profile_is_refused() -> None:
    with pytest.raises(UserInputError, match="is not a role name"):
        accounts.from_organization(boto3.Session(region_name="us-east-1"), None, "role:*")
    with pytest.raises(UserInputError, match="at least one profile"):
        accounts.from_profiles(" , ")


def test_health_organizational_view_call_shapes() -> None:
    from planner_tui.integrations.aws import health

    client_ = client("health")
    arn = "arn:aws:health:us-east-1::event/BEDROCK/AWS_BEDROCK_PLANNED_LIFECYCLE_EVENT/e1"
    filters = [{"eventArn": arn, "awsAccountId": "111111111111"}]
    with Stubber(client_) as stub:
        stub.add_response("describe_events_for_organization", {"events": [{
            "arn": arn, "service": "BEDROCK", "eventTypeCode": "AWS_BEDROCK_PLANNED_LIFECYCLE_EVENT",
            "eventTypeCategory": "scheduledChange", "region": "us-east-1", "statusCode": "upcoming",
            "startTime": dt.datetime(2027, 1, 8, tzinfo=dt.UTC)}]}, {"filter": health.EVENT_FILTER})
        stub.add_response("describe_affected_accounts_for_organization",
                          {"affectedAccounts": ["111111111111"]}, {"eventArn": arn})
        stub.add_response("describe_event_details_for_organization", {"successfulSet": [{
            "awsAccountId": "111111111111", "event": {"arn": arn},
            "eventDescription": {"latestDescription": "EOL soon"}}], "failedSet": []},
            {"organizationEventDetailFilters": filters})
        stub.add_response("describe_affected_entities_for_organization", {"entities": [{
            "eventArn": arn, "awsAccountId": "111111111111", "entityValue": "anthropic.claude-3-haiku-20240307-v1:0"}]},
            {"organizationEntityFilters": filters})
        (event,) = health.fetch_organization_health(client_)
    assert (event.account_id, event.description, event.entities) == (
        "111111111111", "EOL soon", ("anthropic.claude-3-haiku-20240307-v1:0",))

    client_ = client("health")
    with Stubber(client_) as stub:  # not the management account, or the view is not enabled
        stub.add_client_error("describe_events_for_organization", "AWSOrganizationsNotInUseException", "off", 400)
        with pytest.raises(health.OrganizationViewOff):
            health.fetch_organization_health(client_)


def test_assumed_credentials_are_renewed_before_they_expire() -> None:
    sts = client("sts")
    role_arn = "arn:aws:iam::111111111111:role/PlannerReadOnly"

    def answer(token: str, minutes: int) -> dict:
        return {"Credentials": {"AccessKeyId": "ASIA111111111111", "SecretAccessKey": "s" * 24,
                                "SessionToken": token,
                                "Expiration": dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)},
                "AssumedRoleUser": {"AssumedRoleId": "AROAEXAMPLE:s", "Arn": f"{role_arn}/s"}}

    with Stubber(sts) as stub:
        stub.add_response("assume_role", answer("first", 5))  # inside botocore's 10-minute window
        stub.add_response("assume_role", answer("second", 60))
        credentials = accounts._role_session(sts, role_arn, None, "us-east-1", None).get_credentials()
        assert credentials.get_frozen_credentials().token == "first"
        assert credentials.get_frozen_credentials().token == "second"  # renewed, not used expired
        stub.assert_no_pending_responses()
