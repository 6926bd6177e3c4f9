"""Default checklist per phase, drawn from Bedrock's model-migration guidance."""

from __future__ import annotations

from .models import ChecklistItem, Phase

DEFAULT_CHECKLISTS: dict[Phase, tuple[str, ...]] = {
    Phase.ASSESS: (
        "List every application, workflow and integration that calls the model",
        "Record request patterns: volume, peaks, payload sizes, streaming use",
        "Write down the behaviours and output formats downstream code relies on",
        "Capture baseline metrics: latency p50/p95, error rate, tokens, cost",
        "Confirm notification contacts and that mail from health@aws.com is not filtered",
        "Find Provisioned Throughput and custom models built on this model",
        "Check rarely used environments (staging, DR) for the 15-day inactivity risk",
    ),
    Phase.RESEARCH: (
        "Shortlist Active replacements offered in every Region the app uses",
        "Compare modalities, streaming, context window and pricing",
        "Check each candidate's own lifecycle dates (not near its EOL)",
        "Note API and prompt-format differences",
        "Record the decision and its reason",
    ),
    Phase.TEST: (
        "Build an evaluation set from real requests",
        "Run the candidate against the baseline metrics",
        "A/B compare outputs on the behaviours to preserve",
        "Record pass/fail per metric against its threshold",
    ),
    Phase.UPDATE: (
        "Swap the model ID or inference profile ID in code and config",
        "Adapt prompts to the new model",
        "Update IAM policies with the new model and profile ARNs",
        "Request quotas for the new model in every Region",
        "Recreate Provisioned Throughput or custom models if used",
    ),
    Phase.ROLLOUT: (
        "Route 5% of traffic to the new model",
        "Watch guardrail metrics, then go to 25%",
        "Go to 100% and keep the fallback ready",
        "Remove the old model from code, IAM and dashboards",
        "Log the final decision and close the plan",
    ),
}


def default_items() -> list[ChecklistItem]:
    return [
        ChecklistItem(phase=phase, position=position, title=title)
        for phase, titles in DEFAULT_CHECKLISTS.items()
        for position, title in enumerate(titles)
    ]
