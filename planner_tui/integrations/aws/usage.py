"""CloudWatch: daily Invocations and LegacyModelInvocations per ModelId for 30 days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ...domain.aws_records import UsagePoint

NAMESPACE = "AWS/Bedrock"
METRICS = ("Invocations", "LegacyModelInvocations")
DAYS = 30
MAX_QUERIES = 500


def active_model_ids(client: Any) -> set[str]:
    """ModelId values with data in the last 14 days (all list_metrics can see)."""
    ids = set()
    for page in client.get_paginator("list_metrics").paginate(Namespace=NAMESPACE, MetricName="Invocations"):
        for metric in page.get("Metrics", []):
            for dimension in metric.get("Dimensions", []):
                if dimension["Name"] == "ModelId":
                    ids.add(dimension["Value"])
    return ids


def fetch_usage(client: Any, region: str, model_ids: Iterable[str], today: dt.date) -> list[UsagePoint]:
    """Daily sums for the 30 whole days before `today`; days without data count as zero."""
    end = dt.datetime.combine(today, dt.time(), dt.UTC)  # exclusive
    start = end - dt.timedelta(days=DAYS)
    queries: list[dict[str, Any]] = []
    by_id: dict[str, tuple[str, str]] = {}  # query id -> (model ID, metric)
    for index, model_id in enumerate(sorted(set(model_ids))):
        for metric in METRICS:
            query_id = f"q{index}_{metric.lower()}"
            by_id[query_id] = (model_id, metric)
            queries.append({
                "Id": query_id,
                "Label": f"{model_id}|{metric}",
                "MetricStat": {
                    "Metric": {"Namespace": NAMESPACE, "MetricName": metric,
                               "Dimensions": [{"Name": "ModelId", "Value": model_id}]},
                    "Period": 86400, "Stat": "Sum",
                },
                "ReturnData": True,
            })
    values: dict[tuple[str, str], dict[dt.date, float]] = {key: {} for key in by_id.values()}
    for chunk_start in range(0, len(queries), MAX_QUERIES):
        chunk = queries[chunk_start:chunk_start + MAX_QUERIES]
        for page in client.get_paginator("get_metric_data").paginate(
            MetricDataQueries=chunk, StartTime=start, EndTime=end, ScanBy="TimestampAscending",
        ):
            for result in page.get("MetricDataResults", []):
                key = by_id[result["Id"]]
                for stamp, value in zip(result.get("Timestamps", []), result.get("Values", []), strict=False):
                    day = stamp.astimezone(dt.UTC).date() if stamp.tzinfo else stamp.date()
                    values[key][day] = values[key].get(day, 0.0) + float(value)
    points = []
    for (model_id, metric), days in values.items():
        for offset in range(DAYS):
            day = start.date() + dt.timedelta(days=offset)
            points.append(UsagePoint(region=region, model_id=model_id, metric=metric, day=day,
                                     value=days.get(day, 0.0)))
    return points
