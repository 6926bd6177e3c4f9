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
