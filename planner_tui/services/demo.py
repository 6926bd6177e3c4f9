"""The example project: a fictional company, Fernhill Logistics, with real model IDs.

Dates are set relative to `today` so plans land in different states (on track, compressed,
overdue, done) around the published lifecycle dates of late 2026.

Three applications use Claude Sonnet 4.5: its campaign's decision (Claude Haiku 4.5, chosen
in Support Copilot's Research) applies to Support Copilot and Sales Email Drafts; Code Review
Bot overrides it with Claude Opus 4.5, for its own reason.
"""

from __future__ import annotations

import datetime as dt

from ..domain.aws_records import DiscoveredResource, ResourceKind, UsagePoint
from ..domain.ids import saved_id
from ..domain.models import AccessPath, Application, Criticality, Dependency, Phase
from ..domain.workspace import Decision, RolloutDecision, RolloutStage, TestResult
from ..persistence.store import ProjectStore

SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0"
HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0"
SONNET_4 = "anthropic.claude-sonnet-4-20250514-v1:0"
LLAMA_33 = "meta.llama3-3-70b-instruct-v1:0"
MARENGO_27 = "twelvelabs.marengo-embed-2-7-v1:0"
MARENGO_30 = "twelvelabs.marengo-embed-3-0-v1:0"
JAMBA_LARGE = "ai21.jamba-1-5-large-v1:0"
NOVA_PRO = "amazon.nova-pro-v1:0"
OPUS_45 = "anthropic.claude-opus-4-5-20251101-v1:0"
ACCOUNT = "111122223333"
ACCOUNT_NAME = "fernhill-prod"  # the example's AWS account


def _dep(model_id: str, region: str, app_id: int = 0, **fields) -> Dependency:
    return Dependency(app_id=app_id, model_id=model_id, region=region, **fields)


def _app(name: str, owner: str, team: str, criticality: Criticality, notes: str,
         environments: tuple[str, ...] = ("prod",)) -> Application:
    return Application(name=name, owner=owner, team=team, criticality=criticality,
                       notes=notes, environments=environments)


def _work(store: ProjectStore, app_name: str, model_id: str, today: dt.date, *,
          phases_done: int = 0, items_done: int = 0, target: str | None = None,
          reason: str = "", complete: bool = False, owner: str = "") -> None:
    """Advance a plan: close `phases_done` phases fully, then tick `items_done` more."""
    plan = next(p for p in store.plans() if p.app_name == app_name and p.model_id == model_id)
    plan_id = saved_id(plan)
    for phase in list(Phase)[:phases_done]:
        for item in plan.items_in(phase):
            if not item.done:  # a shared item another application of the campaign ticked
                store.toggle_item(saved_id(item))
        if target and phase is Phase.RESEARCH:
            # Through the model's campaign: the first choice becomes its decision, a
            # different one later is that application's override.
            store.set_target(plan_id, target, reason, today)
        store.advance_phase(plan_id, today)
        plan = store.plan(plan_id)
    if complete:
        return
    for item in plan.items_in(plan.current_phase)[:items_done]:
        if not store.item(saved_id(item)).done:
            store.toggle_item(saved_id(item))
    if owner:
        for item in store.plan(plan_id).items_in(plan.current_phase):
            store.update_item(item.model_copy(update={"owner": owner}))


def build_demo(store: ProjectStore, today: dt.date) -> None:
    ago = lambda days: today - dt.timedelta(days=days)  # noqa: E731
    # Constant identity: calendar UIDs of the example stay the same from run to run.
    store.set_project_id("example-fernhill-logistics")

    store.add_application(
        _app("Support Copilot", "maria.okafor", "Customer Care", Criticality.CRITICAL,
             "Drafts replies for 400 agents; streaming UI, JSON tool calls.", ("prod", "staging")),
        [_dep(SONNET_45, "us-east-1", monthly_volume=2_400_000),
         _dep(f"eu.{SONNET_45}", "eu-west-1", monthly_volume=900_000),
         _dep(SONNET_45, "us-west-2", environment="staging", monthly_volume=3_000,
              notes="Rarely used: at risk under the 15-day inactivity rule.")],
        today=ago(38),
    )
    _work(store, "Support Copilot", SONNET_45, today, phases_done=2, items_done=1,
          target=HAIKU_45, reason="Active in every Region we use; streaming and tool use; "
          "half the price.", owner="maria.okafor")

    store.add_application(
        _app("Contract Review", "dev.raman", "Legal Tech", Criticality.HIGH,
             "Clause extraction on uploaded PDFs; provisioned throughput in us-east-1."),
        [_dep(OPUS_41, "us-east-1", access_path=AccessPath.PROVISIONED,
              resource_id=f"arn:aws:bedrock:us-east-1:{ACCOUNT}:provisioned-model/contract-pt",
              monthly_volume=180_000),
         _dep(f"us.{OPUS_41}", "us-west-2", monthly_volume=40_000)],
        today=ago(33),
    )
    _work(store, "Contract Review", OPUS_41, today, phases_done=2, items_done=1,
          target=OPUS_45, reason="Same family, Active in us-east-1 and us-west-2; "
          "clause F1 0.94 vs 0.91 baseline.", owner="dev.raman")

    store.add_application(
        _app("Sales Email Drafts", "lena.schmidt", "Revenue Ops", Criticality.MEDIUM,
             "Batch of personalised follow-ups every night."),
        [_dep(f"us.{SONNET_45}", "us-east-2", monthly_volume=350_000),
         _dep(SONNET_45, "us-east-1", access_path=AccessPath.BATCH, monthly_volume=120_000)],
        today=ago(5),
    )

    store.add_application(
        _app("Video Archive Search", "tomas.vidal", "Media Platform", Criticality.HIGH,
             "Embeddings for 2M video clips; re-indexing needed after the switch."),
        [_dep(MARENGO_27, "us-east-1", access_path=AccessPath.BATCH, monthly_volume=60_000),
         _dep(MARENGO_27, "eu-west-1", monthly_volume=25_000)],
        today=ago(12),
    )
    _work(store, "Video Archive Search", MARENGO_27, today, items_done=5, owner="tomas.vidal")

    store.add_application(
        _app("Ops Chatbot", "sam.lee", "SRE", Criticality.MEDIUM,
             "Runbook Q&A in Slack; DR copy in us-west-2 is idle most weeks.",
             ("prod", "dr")),
        [_dep(OPUS_41, "us-east-2", monthly_volume=15_000),
         _dep(OPUS_41, "us-west-2", environment="dr", monthly_volume=200,
              notes="DR only: check the 15-day inactivity rule.")],
        today=ago(2),
    )

    store.add_application(
        _app("SQL Assistant", "priya.nair", "Data Platform", Criticality.MEDIUM,
             "Text-to-SQL over the warehouse; fine-tuned on our schema."),
        [_dep(LLAMA_33, "us-east-2", access_path=AccessPath.CUSTOM_MODEL,
              resource_id=f"arn:aws:bedrock:us-east-2:{ACCOUNT}:custom-model/sql-tuned",
              monthly_volume=75_000)],
        today=ago(21),
    )
    _work(store, "SQL Assistant", LLAMA_33, today, phases_done=1, items_done=2,
          owner="priya.nair")

    store.add_application(
        _app("Image Tagging", "yuki.tanaka", "Catalog", Criticality.LOW,
             "Alt text and tags for product photos."),
        [_dep(HAIKU_3, "eu-central-1", monthly_volume=500_000)],
        today=ago(200),
    )
    _work(store, "Image Tagging", HAIKU_3, today, phases_done=5, complete=True,
          target=HAIKU_45, reason="Active in eu-central-1, image input, 3x cheaper than Sonnet.")
    tagging = saved_id(store.application("Image Tagging"))
    for dependency in store.dependencies(tagging):
        store.delete_dependency(saved_id(dependency), today)
    store.add_dependency(_dep(f"eu.{HAIKU_45}", "eu-central-1", app_id=tagging,
                              monthly_volume=500_000), today=today)

    store.add_application(
        _app("Code Review Bot", "ana.costa", "Developer Experience", Criticality.MEDIUM,
             "Comments on pull requests. Moved off Claude Sonnet 4 in September."),
        [_dep(SONNET_4, "us-east-1", monthly_volume=90_000)],
        today=ago(150),
    )
    _work(store, "Code Review Bot", SONNET_4, today, phases_done=5, complete=True,
          target=SONNET_45, reason="Drop-in successor; same prompts passed 48/50 evals.")
    review = saved_id(store.application("Code Review Bot"))
    for dependency in store.dependencies(review):
        store.delete_dependency(saved_id(dependency), today)
    store.add_dependency(_dep(f"us.{SONNET_45}", "us-east-1", app_id=review,
                              monthly_volume=90_000), today=ago(40))
    _work(store, "Code Review Bot", SONNET_45, today, phases_done=3, items_done=2,
          target=OPUS_45, reason="Reviews need deeper reasoning than Haiku 4.5 gives (it missed 9 of 50 "
          "review comments); Opus 4.5 passed the same eval set.",
          owner="ana.costa")

    store.add_application(
        _app("Legal Summaries", "dev.raman", "Legal Tech", Criticality.HIGH,
             "Long-document summaries with Jamba's 256K context."),
        [_dep(JAMBA_LARGE, "us-east-1", monthly_volume=20_000)],
        today=ago(90),
    )
    _work(store, "Legal Summaries", JAMBA_LARGE, today, phases_done=4, items_done=1,
          target=OPUS_45, reason="Long context, Active in us-east-1.", owner="dev.raman")

    _demo_account_data(store, today)
    _demo_phase_records(store, today)

    store.add_application(
        _app("Marketing Copy", "olivia.brown", "Brand", Criticality.LOW,
             "Campaign copy drafts; already on Active models."),
        [_dep(NOVA_PRO, "us-east-1", monthly_volume=45_000),
         _dep(f"global.{HAIKU_45}", "eu-west-1", monthly_volume=30_000)],
        today=ago(10),
    )


def _demo_account_data(store: ProjectStore, today: dt.date) -> None:
    """What a sync of the example account would have found: usage and unassigned resources."""
    seen = dt.datetime.combine(today, dt.time(7, 30), dt.UTC)
    store.record_discovered([
        DiscoveredResource(region="us-east-1", kind=ResourceKind.INFERENCE_PROFILE,
                           resource_id=f"arn:aws:bedrock:us-east-1:{ACCOUNT}:application-inference-profile/qa-bot",
                           name="qa-bot-tagging", model_id=OPUS_41, detail="application",
                           account_id=ACCOUNT, account_name=ACCOUNT_NAME),
        DiscoveredResource(region="us-east-2", kind=ResourceKind.BATCH_JOB,
                           resource_id=f"arn:aws:bedrock:us-east-2:{ACCOUNT}:model-invocation-job/weekly-summaries",
                           name="weekly-summaries", model_id=LLAMA_33, detail="Completed",
                           account_id=ACCOUNT, account_name=ACCOUNT_NAME),
        DiscoveredResource(region="eu-west-1", kind=ResourceKind.PROVISIONED,
                           resource_id=f"arn:aws:bedrock:eu-west-1:{ACCOUNT}:provisioned-model/eu-support",
                           name="eu-support-pt", model_id=SONNET_45, detail="InService",
                           account_id=ACCOUNT, account_name=ACCOUNT_NAME),
    ], seen)
    points = []
    for model_id, region, base in ((SONNET_45, "us-east-1", 80_000), (OPUS_41, "us-east-2", 500),
                                   (f"us.{OPUS_41}", "us-west-2", 1_300), (LLAMA_33, "us-east-2", 2_400),
                                   (MARENGO_27, "us-east-1", 2_000), (JAMBA_LARGE, "us-east-1", 650)):
        for offset in range(30):
            day = today - dt.timedelta(days=30 - offset)
            weekday = day.weekday() < 5
            value = round(base * (1.0 if weekday else 0.35) * (1 + 0.02 * (offset % 7)))
            points.append(UsagePoint(region=region, model_id=model_id, metric="Invocations",
                                     day=day, value=value))
            points.append(UsagePoint(region=region, model_id=model_id, metric="LegacyModelInvocations",
                                     day=day, value=value))
    store.record_usage(points)
    _demo_callers(store, today)


def _demo_callers(store: ProjectStore, today: dt.date) -> None:
    """Who CloudTrail saw calling a model in the last 90 days: two principals the applications
    took as theirs (Ops Chatbot's DR role idle for 24 days on a Legacy model), and three no
    application has yet: a notebook role on Claude Sonnet 4.5, the QA bot's application
    inference profile, and a script still calling a long-retired model (every call fails)."""
    from ..persistence.repos.callers import CallerRecord

    def at(days_ago: int, hour: int = 9) -> dt.datetime:
        return dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(hour), dt.UTC)

    def caller(region: str, principal: str, written: str, model_id: str, calls: int, first: int, last: int,
               profile_id: str = "", known: bool = True) -> CallerRecord:
        return CallerRecord(account_id=ACCOUNT, account_name=ACCOUNT_NAME, region=region,
                            principal_arn=f"arn:aws:sts::{ACCOUNT}:assumed-role/{principal}",
                            model_written=written, model_id=model_id, profile_id=profile_id, variant="",
                            known=known, calls=calls, errors=calls // 400 if known else calls,  # a retired ID fails
                            first_seen=at(first), last_seen=at(last))

    qa_profile = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:application-inference-profile/qa-bot"
    found = {
        "us-east-1": [
            caller("us-east-1", "support-copilot-api/ecs-task-7f3a", SONNET_45, SONNET_45, 2_180_400, 89, 0),
            caller("us-east-1", "data-science-notebooks/jdoe", SONNET_45, SONNET_45, 1_240, 40, 3),
            caller("us-east-1", "qa-bot/lambda", qa_profile, OPUS_41, 18_650, 75, 1),
            caller("us-east-1", "nightly-report/cron", "anthropic.claude-instant-v1",
                   "anthropic.claude-instant-v1", 310, 88, 6, known=False)],
        "us-west-2": [caller("us-west-2", "ops-chatbot-dr/failover-drill", OPUS_41, OPUS_41, 42, 70, 24)],
    }
    end = at(0, 7)
    for region, records in found.items():
        store.record_callers(ACCOUNT, ACCOUNT_NAME, region, end - dt.timedelta(days=90), end, end,
                             sum(r.calls for r in records), 0, records)
    apps = {"support-copilot-api": "Support Copilot", "ops-chatbot-dr": "Ops Chatbot"}
    for row in store.callers():
        name = apps.get(row.principal_arn.split("/")[1])
        if name:
            store.set_caller_app(row.id, saved_id(store.application(name)))


def _plan_id(store: ProjectStore, app_name: str, model_id: str) -> int:
    return next(saved_id(p) for p in store.plans() if p.app_name == app_name and p.model_id == model_id)


def _demo_phase_records(store: ProjectStore, today: dt.date) -> None:
    """Baselines, test results and a rollout log, so each phase form has something to show."""
    contract = _plan_id(store, "Contract Review", OPUS_41)
    store.set_plan_fields(contract, {
        "baseline.monthly_requests": "220000", "baseline.latency_p50_ms": "2300",
        "baseline.latency_p95_ms": "6100", "baseline.error_rate_pct": "0.3",
        "baseline.input_tokens": "18000", "baseline.output_tokens": "900",
        "baseline.behaviours": "JSON clause list with page references; refuses legal advice",
        "research.differences": "Opus 4.5 needs the newer tool-use format; same 200K context",
    })
    for metric, baseline, candidate, threshold, higher in (
        ("clause F1", 0.91, 0.94, 0.90, True),
        ("p95 latency (ms)", 6100, 5200, 6500, False),
        ("JSON schema valid (%)", 99.2, 98.1, 99.0, True),
    ):
        store.plan_records.add_test_result(TestResult(plan_id=contract, metric=metric, baseline=baseline,
                                         candidate=candidate, threshold=threshold,
                                         higher_is_better=higher))

    legal = _plan_id(store, "Legal Summaries", JAMBA_LARGE)
    store.set_plan_fields(legal, {
        "rollout.guardrails": "error rate < 1%, summary length within 20% of baseline",
        "rollout.fallback_model": "anthropic.claude-haiku-4-5-20251001-v1:0",
        "update.model_or_profile_id": f"us.{OPUS_45}",
        "update.iam_arns": "arn:aws:bedrock:*::foundation-model/anthropic.claude-opus-4-5-*",
    })
    for percent, start, end in ((5, 10, 8), (25, 7, 4), (100, 3, 0)):
        store.plan_records.add_stage(RolloutStage(
            plan_id=legal, traffic_percent=percent, start_date=today - dt.timedelta(days=start),
            end_date=today - dt.timedelta(days=end) if end else None))
    store.plan_records.add_decision(RolloutDecision(plan_id=legal, decided_on=today - dt.timedelta(days=7),
                                          decision=Decision.ADVANCE, traffic_percent=25,
                                          note="5% for 2 days: no errors, summaries preferred 31/40"))
    store.plan_records.add_decision(RolloutDecision(plan_id=legal, decided_on=today - dt.timedelta(days=4),
                                          decision=Decision.HOLD, traffic_percent=25,
                                          note="p95 latency 9% over guardrail during batch window"))
    store.plan_records.add_decision(RolloutDecision(plan_id=legal, decided_on=today - dt.timedelta(days=3),
                                          decision=Decision.ADVANCE, traffic_percent=100,
                                          note="latency fixed with smaller chunks"))
