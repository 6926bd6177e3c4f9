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


# -- checklists a campaign shares -------------------------------------------------------------
#
# Assess, Research and Test are done once for every application of a campaign: each plan of
# the campaign holds a copy of each shared item (marked with the same `shared_key`), and an
# edit of one copy is made to the copies of every plan still open. So every reader of a
# plan's checklist (progress, risk, reports) keeps working, a plan that has ended keeps its
# checklist as it ended, and copies that differed before they were shared (an older project)
# keep what they recorded until the next edit sets them alike.

SHARED_PHASES: tuple[Phase, ...] = (Phase.ASSESS, Phase.RESEARCH, Phase.TEST)


def is_shared_phase(phase: Phase) -> bool:
    return phase in SHARED_PHASES


def own_key(item_id: int) -> str:
    """The shared key of an item added to a campaign's checklist (a default item's is its title)."""
    return f"item {item_id}"


def shared_keys(items: list[tuple[int, int, str, str]], plan_ids: set[int]) -> dict[int, str]:
    """Which items become shared when plans join (or an older project is upgraded): `items`
    are (item id, plan id, phase, title) of the campaign's Assess, Research and Test items
    not yet shared; an item is shared under its title when every plan in `plan_ids` (the
    campaign's open plans) has exactly one item of that phase and title. The others stay
    their application's own. Returns item id → key."""
    groups: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for item_id, plan_id, phase, title in items:
        groups.setdefault((phase, title), []).append((item_id, plan_id))
    keys: dict[int, str] = {}
    for (_, title), members in groups.items():
        plans = [plan_id for _, plan_id in members if plan_id in plan_ids]
        if not plan_ids or len(plans) != len(set(plans)) or set(plans) != plan_ids:
            continue
        for item_id, plan_id in members:
            if plan_id in plan_ids:
                keys[item_id] = title
    return keys


def differences(copies: list[tuple[str, bool, str, str, str]]) -> list[str]:
    """What the copies of one shared item record differently, per application: `copies`
    are (application, done, owner, due date, notes). Empty when they agree."""
    found = []
    for label, index in (("done", 1), ("owner", 2), ("due", 3), ("notes", 4)):
        values = {copy[index] for copy in copies}
        if len(values) > 1:
            if index == 1:
                done = sorted(c[0] for c in copies if c[1])
                found.append(f"done in {', '.join(done)}; open in "
                             f"{', '.join(sorted(c[0] for c in copies if not c[1]))}")
            else:
                found.append(f"{label}: " + "; ".join(f"{c[0]} {c[index] or '–'}" for c in sorted(copies)))
    return found
