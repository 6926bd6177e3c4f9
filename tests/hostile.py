"""Hostile text for the tests of issue #20, a project holding it everywhere, and checks.

The text goes in through the use cases (as the TUI and the CLI write it) and then, in case
those refuse it now, straight into the tables, as an older project or an AWS sync would
have stored it: every output must cope with what is already on disk.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from hypothesis import strategies as st

from planner_tui.domain.inert import is_inert

TODAY = dt.date(2026, 11, 22)
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
REGION = "us-east-1"

ESC_SEQUENCES = [
    "\x1b]52;c;SGVsbG8=\x07",  # OSC 52: write the clipboard
    "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x1b]0;owned title\x07",  # OSC 0: window title
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b[31mred\x1b[0m",
    "\x9b2J",  # C1 CSI
    "\x9d0;t\x9c",  # C1 OSC … ST
    "\x1bP+q\x1b\\",  # DCS
    "\x00", "\x07", "\x08", "\x7f", "\x85",
]
BIDI = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2069", "\u200f", "\u061c"]
MARKUP = ["[bold]", "[/]", "[/bold]", "[@click=app.quit]quit[/]", "[link=http://evil.example]x[/link]",
          ":rocket:", "$accent", "[b]"]
HTML = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "</td></tr></table>", "&lt;b&gt;",
        '"><svg onload=alert(1)>', "<!--", "-->"]
MARKDOWN = ["![t](http://evil.example/t.png)", "[x](javascript:alert(1))", "<javascript:alert(1)>",
            "<http://evil.example>", "http://evil.example/x", "www.evil.example", "a@evil.example",
            "[ref]: http://evil.example", "[x][ref]", "`code`", "**b**", "_i_", "~~s~~", "|", "\\", "# h"]
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1",
            " =1", "\uff1d1"]
BREAKS = ["\n", "\r\n", "\r", "\t", "\u2028", "\v", "\f"]
FRAGMENTS = ESC_SEQUENCES + BIDI + MARKUP + HTML + MARKDOWN + FORMULAS + BREAKS

EVERYTHING = "=x" + "".join(FRAGMENTS)  # one text with every fragment, starting a formula


def hostile_text(max_parts: int = 5) -> st.SearchStrategy[str]:
    """Fragments of attacks mixed with any other characters (C0 and C1 included)."""
    part = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6))
    return st.lists(part, min_size=1, max_size=max_parts).map("".join)


def long_text() -> st.SearchStrategy[str]:
    return st.builds(lambda fragment, n: (fragment + "x") * n, st.sampled_from(FRAGMENTS),
                     st.integers(200, 600))


# -- the project ---------------------------------------------------------------------------


def base_project(path: Path) -> None:
    """An application using a retiring model, with a plan holding something of each kind."""
    from planner_tui.domain.aws_records import DiscoveredResource, HealthEvent, ResourceKind
    from planner_tui.domain.models import Application, Dependency
    from planner_tui.domain.workspace import Decision, RolloutDecision, RolloutStage, TestResult
    from planner_tui.services.commands import portfolio, workspace
    from planner_tui.services.project import open_project

    store = open_project(path)
    try:
        portfolio.add_application(store, Application(name="Placeholder", owner="o"),
                                  [Dependency(app_id=0, model_id=OPUS_41, region=REGION)], TODAY)
        (plan,) = store.plans(with_items=False)
        workspace.set_phase_fields(store, plan.id, _phase("assess"), {"baseline.behaviours": "b"})
        workspace.add_test_result(store, TestResult(plan_id=plan.id, metric="m", candidate=1, threshold=1))
        workspace.add_stage(store, RolloutStage(plan_id=plan.id, traffic_percent=5,
                                                start_date=TODAY, end_date=TODAY), TODAY)
        workspace.record_decision(store, RolloutDecision(plan_id=plan.id, decided_on=TODAY,
                                                         decision=Decision.HOLD, note="n"))
        seen = dt.datetime(2026, 11, 22, 8, tzinfo=dt.UTC)
        store.record_discovered([DiscoveredResource(region=REGION, kind=ResourceKind.PROVISIONED,
                                                    resource_id="arn:aws:bedrock:pt/1", name="pt",
                                                    model_id=OPUS_41)], seen)
        store.record_health([HealthEvent(arn="arn:aws:health:e/1", event_type_code="AWS_BEDROCK_X",
                                         category="scheduledChange", status="open", region=REGION,
                                         start_time=seen, description="d", entities=(OPUS_41,))], seen)
    finally:
        store.close()


def _phase(name: str):  # noqa: ANN202
    from planner_tui.domain.vocabulary import Phase

    return Phase(name)


def _tried(step) -> None:  # noqa: ANN001
    """A use case that may refuse hostile input now (input checks): the text then goes in
    directly, below."""
    from pydantic import ValidationError

    from planner_tui.errors import PlannerError

    try:
        step()
    except (PlannerError, ValidationError, ValueError):
        pass


def hostile_project(base: Path, path: Path, text: str) -> None:
    """A copy of the base project with `text` in every text people or AWS put in it."""
    from planner_tui.domain.models import Application
    from planner_tui.domain.workspace import TestResult
    from planner_tui.services.commands import checklist, plans, portfolio, workspace
    from planner_tui.services.project import open_project

    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)  # the previous example's project
    shutil.copy(base, path)
    name = text if text.strip() else text + "x"  # a name, a title or a metric is never blank
    store = open_project(path)
    try:
        (app,) = store.applications()
        (plan,) = store.plans(with_items=False)
        _tried(lambda: portfolio.edit_application(store, Application.model_construct(
            **{**app.model_dump(), "name": name, "owner": text, "team": text, "notes": text,
               "environments": (text,)})))
        _tried(lambda: checklist.add_item(store, plan.id, _phase("assess"), name, owner=text, notes=text,
                                          today=TODAY))
        _tried(lambda: workspace.set_phase_fields(store, plan.id, _phase("assess"),
                                                  {"baseline.behaviours": text}))
        _tried(lambda: workspace.choose_replacement(store, plan.id, "anthropic.claude-opus-4-5-20251101-v1:0",
                                                    text))
        _tried(lambda: workspace.add_test_result(store, TestResult.model_construct(
            plan_id=plan.id, metric=name, baseline=None, candidate=2.0, threshold=1.0,
            higher_is_better=True, notes=text)))
        _tried(lambda: plans.advance(store, plan.id, TODAY, text))
        _tried(lambda: plans.step_back(store, plan.id, _phase("assess"), TODAY, text))
        with store.batch():
            sql = store.conn.execute
            sql("UPDATE applications SET name = ?, owner = ?, team = ?, notes = ?", [name, text, text, text])
            sql("UPDATE checklist_items SET title = ?, owner = ?, notes = ? WHERE id = "
                "(SELECT MIN(id) FROM checklist_items)", [name, text, text])
            sql("UPDATE plans SET decision_reason = ?", [text])
            sql("UPDATE plan_fields SET value = ?", [text])
            sql("UPDATE test_results SET metric = ?, notes = ?", [name, text])
            sql("UPDATE rollout_stages SET notes = ?", [text])
            sql("UPDATE rollout_decisions SET note = ?", [text])
            sql("INSERT INTO plan_log (plan_id, at, event, detail) VALUES (?, ?, ?, ?)",
                [plan.id, "2026-11-22T08:00:00Z", name, text])
            sql("UPDATE discovered SET name = ?, resource_id = ?, detail = ?", [text, text, text])
            sql("UPDATE health_events SET description = ?, event_type_code = ?", [text, text])
            # As an AWS listing would name the model (sync stores modelName, providerName).
            sql("UPDATE models SET name = ?, provider = ? WHERE model_id = ?", [name, text, OPUS_41])
            sql("UPDATE lifecycle SET source = ? WHERE model_id = ? AND region = ?", [text, OPUS_41, REGION])
            sql("UPDATE audit_log SET actor = ? WHERE id IN (SELECT id FROM audit_log ORDER BY id DESC "
                "LIMIT 5)", [text])
    finally:
        store.close()


# -- checks --------------------------------------------------------------------------------

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def assert_inert(text: str, where: str, newline: str = "\n") -> None:
    """Nothing in `text` a terminal or viewer acts on, but the line ends of its format."""
    body = text.replace(newline, "") if newline else text
    found = CONTROL.search(body)
    if found is not None:
        around = body[max(0, found.start() - 40):found.start() + 40]
        raise AssertionError(f"{where}: {found.group()!r} at {found.start()}: {around!r}")
    assert is_inert(body)


FORMULA_START = tuple("=+-@\uff1d\uff0b\uff0d\uff20")


def starts_formula(cell: str) -> bool:
    return cell.lstrip(" \t\r\n").startswith(FORMULA_START)


# -- from AWS ------------------------------------------------------------------------------


def sync_hostile_listing(db: Path, monkeypatch, text: str) -> tuple[int, str]:  # noqa: ANN001
    """A sync against a local Bedrock stand-in (tests/fake_bedrock.py) whose listing names
    the models, their provider, a new model's ID and a provisioned throughput with `text`."""
    from planner_tui.cli import main

    from .fake_bedrock import FakeBedrock

    def summary(model_id: str, status: str, **lifecycle: str) -> dict:
        return {"modelArn": f"arn:aws:bedrock:{REGION}::foundation-model/{model_id}", "modelId": model_id,
                "modelName": text, "providerName": text, "inputModalities": ["TEXT"],
                "outputModalities": ["TEXT"], "responseStreamingSupported": True,
                "modelLifecycle": {"status": status, **lifecycle}}

    opus = summary(OPUS_41, "LEGACY", legacyTime="2026-07-08T00:00:00Z",
                   publicExtendedAccessTime="2026-10-08T00:00:00Z", endOfLifeTime="2027-02-01T00:00:00Z")
    listing = {REGION: [opus, summary("evil." + text, "ACTIVE")]}
    extra = {REGION: {"/provisioned-model-throughputs": {"provisionedModelSummaries": [{
        "provisionedModelName": text, "provisionedModelArn": f"arn:aws:bedrock:{REGION}:1:provisioned-model/{text}",
        "modelArn": opus["modelArn"], "desiredModelArn": opus["modelArn"], "foundationModelArn": opus["modelArn"],
        "modelUnits": 1, "desiredModelUnits": 1, "status": "InService",
        "creationTime": "2026-01-01T00:00:00Z", "lastModifiedTime": "2026-01-01T00:00:00Z"}]}}}
    with FakeBedrock({}, listing, extra) as server:
        for name, value in (("AWS_ENDPOINT_URL_BEDROCK", server.url), ("AWS_ENDPOINT_URL_CLOUDTRAIL", server.url),
                            ("AWS_ACCESS_KEY_ID", "AKIAPLANNERTESTKEY01"),
                            ("AWS_SECRET_ACCESS_KEY", "secret"), ("AWS_DEFAULT_REGION", REGION),
                            ("AWS_MAX_ATTEMPTS", "1")):
            monkeypatch.setenv(name, value)
        code = main(["sync", "--regions", REGION, "--skip", "usage,health", "--today", TODAY.isoformat(),
                     "--db", str(db)])
    return code, server.url
