"""AWS Health: Bedrock scheduled changes and account notifications (needs a support plan)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ...domain.aws_records import HealthEvent

HEALTH_REGION = "us-east-1"
SUBSCRIPTION_NOTE = ("AWS Health API skipped: it needs a Business, Enterprise On-Ramp or Enterprise "
                     "support plan (SubscriptionRequiredException).")
EVENT_FILTER = {
    "services": ["BEDROCK"],
    "eventTypeCategories": ["scheduledChange", "accountNotification"],
    "eventStatusCodes": ["open", "upcoming"],
}


class SubscriptionRequired(Exception):
    """The account's support plan does not include the Health API."""


def fetch_health(client: Any) -> list[HealthEvent]:
    try:
        summaries = [
            event
            for page in client.get_paginator("describe_events").paginate(filter=EVENT_FILTER)
            for event in page.get("events", [])
        ]
    except ClientError as error:
        # Not a modeled exception: only the error code tells.
        if error.response.get("Error", {}).get("Code") == "SubscriptionRequiredException":
            raise SubscriptionRequired(SUBSCRIPTION_NOTE) from None
        raise
    events = []
    for chunk_start in range(0, len(summaries), 10):
        chunk = summaries[chunk_start:chunk_start + 10]
        arns = [e["arn"] for e in chunk]
        details = {
            d["event"]["arn"]: d.get("eventDescription", {}).get("latestDescription", "")
            for d in client.describe_event_details(eventArns=arns).get("successfulSet", [])
        }
        entities: dict[str, list[str]] = {arn: [] for arn in arns}
        for page in client.get_paginator("describe_affected_entities").paginate(filter={"eventArns": arns}):
            for entity in page.get("entities", []):
                entities.setdefault(entity.get("eventArn", ""), []).append(entity.get("entityValue", ""))
        for event in chunk:
            events.append(HealthEvent(
                arn=event["arn"], event_type_code=event.get("eventTypeCode", ""),
                category=event.get("eventTypeCategory", ""), status=event.get("statusCode", ""),
                region=event.get("region", ""), start_time=event.get("startTime"),
                end_time=event.get("endTime"), description=details.get(event["arn"], ""),
                entities=tuple(v for v in entities.get(event["arn"], []) if v),
            ))
    return events


class OrganizationViewOff(Exception):
    """The organizational view cannot be read here (not enabled, not the management account
    or a delegated administrator, not allowed): each account's own Health is read instead."""


def fetch_organization_health(client: Any) -> list[HealthEvent]:
    """Bedrock events of every account, from the management account or a delegated
    administrator: DescribeEventsForOrganization, then for each event the accounts it affects
    (DescribeAffectedAccountsForOrganization), their entities and the event's description
    (…AffectedEntities… and …EventDetailsForOrganization, 10 accounts a call). One event per
    (event, account), its `account_id` set (the name is the caller's to add)."""
    try:
        summaries = [
            event
            for page in client.get_paginator("describe_events_for_organization").paginate(filter=EVENT_FILTER)
            for event in page.get("events", [])
        ]
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code == "SubscriptionRequiredException":
            raise SubscriptionRequired(SUBSCRIPTION_NOTE) from None
        raise OrganizationViewOff(code or "unavailable") from None
    events = []
    for event in summaries:
        arn = event["arn"]
        accounts = [
            account
            for page in client.get_paginator("describe_affected_accounts_for_organization").paginate(eventArn=arn)
            for account in page.get("affectedAccounts", [])
        ]
        for start in range(0, len(accounts), 10):
            chunk = accounts[start:start + 10]
            filters = [{"eventArn": arn, "awsAccountId": account} for account in chunk]
            details = {
                d.get("awsAccountId", ""): d.get("eventDescription", {}).get("latestDescription", "")
                for d in client.describe_event_details_for_organization(
                    organizationEventDetailFilters=filters).get("successfulSet", [])
            }
            entities: dict[str, list[str]] = {account: [] for account in chunk}
            for page in client.get_paginator("describe_affected_entities_for_organization").paginate(
                    organizationEntityFilters=filters):
                for entity in page.get("entities", []):
                    entities.setdefault(entity.get("awsAccountId", ""), []).append(entity.get("entityValue", ""))
            for account in chunk:
                events.append(HealthEvent(
                    arn=arn, event_type_code=event.get("eventTypeCode", ""),
                    category=event.get("eventTypeCategory", ""), status=event.get("statusCode", ""),
                    region=event.get("region", ""), start_time=event.get("startTime"),
                    end_time=event.get("endTime"), description=details.get(account, ""),
                    entities=tuple(v for v in entities.get(account, []) if v), account_id=account,
                ))
    return events
