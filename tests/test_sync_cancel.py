"""A sync against an endpoint that accepts and never answers stops within about a second of
Ctrl+C (CLI) or Cancel/Escape (TUI), keeping what the Regions that finished brought (#20).
No network: a local HTTP server answers some Regions and leaves the others hanging."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
import pytest
from textual.widgets import Input, Static

from planner_tui.integrations.aws.clients import client_config
from planner_tui.integrations.aws.sync import run_sync
from planner_tui.services.project import open_project
from planner_tui.ui.app import PlannerApp

from .conftest import TODAY, settle

ROOT = Path(__file__).resolve().parents[1]
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/bedrock/")
LISTING = {"modelSummaries": [{
    "modelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{OPUS_41}", "modelId": OPUS_41,
    "modelName": "Claude Opus 4.1", "providerName": "Anthropic", "inputModalities": ["TEXT"],
    "outputModalities": ["TEXT"], "responseStreamingSupported": True,
    "modelLifecycle": {"status": "LEGACY", "endOfLifeTime": "2027-03-03T00:00:00Z"}}]}


class HangingBedrock:
    """Answers ListFoundationModels for the Regions in `answering`; for every other Region it
    reads the request and never answers (until the server stops)."""

    def __init__(self, answering: set[str]) -> None:
        self.stopping = threading.Event()
        self.hanging = 0
        self.answered: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                match = SCOPE.search(self.headers.get("Authorization", ""))
                region = match.group(1) if match else "?"
                if region not in answering:
                    server.hanging += 1
                    server.stopping.wait()
                    return
                data = json.dumps(LISTING).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                server.answered.append(region)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> HangingBedrock:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def aws_env(monkeypatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIACANCELTEST")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "cancel-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def _wait(condition, seconds: float = 20) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_clients_give_up_on_a_hung_endpoint_in_bounded_time(monkeypatch) -> None:
    config = client_config(boto3.Session(region_name="us-east-1"))
    attempts = config.retries["max_attempts"]
    assert config.connect_timeout <= 5 and config.read_timeout <= 20 and attempts <= 3
    # The worst case without a cancel: every attempt waits out its read timeout.
    assert attempts * (config.connect_timeout + config.read_timeout) <= 75
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "7")  # the user's own setting is theirs
    assert "max_attempts" not in (client_config(boto3.Session(region_name="us-east-1")).retries or {})


def test_a_cancelled_sync_returns_within_a_second_and_keeps_finished_regions(
        aws_env, db_path: Path, monkeypatch) -> None:
    store = open_project(db_path)
    cancel = threading.Event()
    outcome: dict = {}
    with HangingBedrock({"us-east-1"}) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK", server.url)

        def sync() -> None:
            outcome["report"] = run_sync(store, boto3.Session(), ["us-east-1", "us-west-2", "eu-west-1"], TODAY,
                                         skip=frozenset({"usage", "health", "discovery", "callers"}), cancel=cancel)
            outcome["returned"] = time.monotonic()

        worker = threading.Thread(target=sync, daemon=True)
        worker.start()
        _wait(lambda: server.hanging >= 2 and "us-east-1" in server.answered)
        time.sleep(0.3)  # us-east-1's listing merged meanwhile
        cancelled_at = time.monotonic()
        cancel.set()
        worker.join(timeout=5)
        assert not worker.is_alive(), "the sync did not stop when cancelled"
    assert outcome["returned"] - cancelled_at < 1.0
    report = outcome["report"]
    assert report.outcome == "cancelled"
    states = {r.region: r.state for r in report.regions}
    assert states == {"us-east-1": "ok", "us-west-2": "cancelled", "eu-west-1": "cancelled"}
    eol = store._rows("SELECT eol_date, source FROM lifecycle WHERE model_id = ? AND region = 'us-east-1'",
                      [OPUS_41])[0]
    assert eol["eol_date"] == "2027-03-03" and eol["source"].startswith("AWS API, us-east-1")
    assert store.last_sync()["outcome"] == "cancelled"
    store.close()


def test_ctrl_c_stops_the_cli_sync_within_a_second(aws_env, db_path: Path, tmp_path: Path) -> None:
    open_project(db_path).close()  # sync needs a project
    with HangingBedrock({"us-east-1"}) as server:
        env = {**os.environ, "AWS_ENDPOINT_URL_BEDROCK": server.url, "PYTHONPATH": str(ROOT)}
        child = subprocess.Popen(
            [sys.executable, "-m", "planner_tui", "sync", "--regions", "us-east-1,us-west-2,eu-west-1",
             "--skip", "usage,health,discovery,callers", "--db", str(db_path), "--today", "2026-11-22"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
        try:
            _wait(lambda: server.hanging >= 2 and "us-east-1" in server.answered)
            time.sleep(0.5)
            interrupted = time.monotonic()
            child.send_signal(signal.SIGINT)
            out, err = child.communicate(timeout=15)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        stopped = time.monotonic() - interrupted
    assert stopped < 1.5, f"took {stopped:.1f} s"
    assert child.returncode == 130, out + err
    assert "Traceback" not in err
    assert "sync cancelled: 1 of 3 Region(s) synced" in out
    assert re.search(r"us-west-2\s+cancelled", out)
    store = open_project(db_path)
    assert store.offered_regions(OPUS_41) and store._rows(
        "SELECT 1 FROM lifecycle WHERE model_id = ? AND region = 'us-east-1' AND source LIKE 'AWS API%'", [OPUS_41])
    store.close()


def test_a_hung_connect_is_cancelled_too(aws_env, db_path: Path, monkeypatch) -> None:
    """A listener that never accepts (its backlog full): the TCP connect itself hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    fillers = []
    for _ in range(8):  # fill the backlog so that later connects wait
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(listener.getsockname())
        fillers.append(filler)
    monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK", f"http://127.0.0.1:{listener.getsockname()[1]}")
    store = open_project(db_path)
    cancel = threading.Event()
    threading.Timer(1.0, cancel.set).start()
    started = time.monotonic()
    try:
        report = run_sync(store, boto3.Session(), ["us-east-1"], TODAY, skip=frozenset({"usage", "health", "callers"}),
                          cancel=cancel)
    finally:
        for sock in (*fillers, listener):
            sock.close()
    assert time.monotonic() - started < 2.5
    assert report.outcome in ("cancelled", "failed")
    store.close()


async def test_the_sync_dialog_cancels_with_escape(aws_env, db_path: Path, monkeypatch) -> None:
    from planner_tui.ui.sync_dialog import SyncDialog

    store = open_project(db_path)
    with HangingBedrock({"us-east-1"}) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK", server.url)
        monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDTRAIL", server.url)  # no real AWS
        app = PlannerApp(store, TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            app.action_sync()
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, SyncDialog)
            dialog.query_one("#regions", Input).value = "us-east-1,us-west-2"
            for box in ("#usage", "#health", "#discovery"):
                dialog.query_one(box).value = False
            await pilot.click("#start")
            for _ in range(200):
                if server.hanging and "us-east-1" in server.answered:
                    break
                await pilot.pause(0.05)
            await pilot.pause(0.3)
            pressed = time.monotonic()
            await pilot.press("escape")  # while running: cancels, the dialog stays
            for _ in range(40):
                if not dialog.running:
                    break
                await pilot.pause(0.05)
            assert not dialog.running and time.monotonic() - pressed < 1.5
            await settle(pilot)
            assert app.screen is dialog
            summary = str(dialog.query_one("#sync-summary", Static).render())
            assert "Sync cancelled: 1 of 2" in summary
            assert str(dialog.query_one("#state-us-west-2", Static).render()) == "cancelled"
            await pilot.press("escape")  # now it closes
            await settle(pilot)
            assert not isinstance(app.screen, SyncDialog)
    assert store._rows("SELECT 1 FROM lifecycle WHERE model_id = ? AND region = 'us-east-1' "
                       "AND source LIKE 'AWS API%'", [OPUS_41])
    store.close()
