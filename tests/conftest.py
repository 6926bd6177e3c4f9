from __future__ import annotations

import asyncio
import datetime as dt
import os
from pathlib import Path

import pytest

from planner_tui.persistence.store import ProjectStore
from planner_tui.services.project import DemoProject, open_project

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real user's project or config."""
    monkeypatch.setenv("PLANNER_TUI_DB", str(tmp_path / "default-project.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    # The example project's template (services/demo_template.py): outside the test's folder,
    # which some tests list.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    # No real AWS: no profile, no config files, and never the instance metadata service.
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                 "AWS_SESSION_TOKEN",
                 "AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # A service a test does not point at a stand-in (AWS_ENDPOINT_URL_<SERVICE>) is refused at
    # once on this machine instead of reached over the network (CloudTrail beside a Bedrock
    # stand-in tried the real endpoint).
    for name in [n for n in os.environ if n.startswith("AWS_ENDPOINT_URL_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))


async def settle(pilot) -> None:  # noqa: ANN001
    """Let the app finish its workers, and those their results start (a screen's read, then
    the phase panel it rebuilds), and repaint. A worker that failed has said so on screen."""
    await pilot.pause()
    for _ in range(100):
        running = [worker for worker in pilot.app.workers if not worker.is_finished]
        if not running:
            break
        await asyncio.gather(*(worker.wait() for worker in running), return_exceptions=True)
        await pilot.pause()
    await pilot.pause()


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "project.db"


@pytest.fixture
def store(db_path: Path):
    project = open_project(db_path)
    yield project
    project.close()


@pytest.fixture
def demo():
    project = DemoProject(TODAY)
    yield project
    project.close()


@pytest.fixture
def demo_store(demo: DemoProject) -> ProjectStore:
    return demo.store
