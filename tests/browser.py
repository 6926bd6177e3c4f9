"""Pages rendered in a real browser: Debian's chromium, headless. `.ci/run` installs it where
it is missing; without it these tests fail (never skip), saying how to install it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        pytest.fail("Debian's chromium is not installed: apt-get install chromium (.ci/run does)")
    return found


def screenshot(page: Path, shot: Path, profile: Path, size: str = "1100,1600") -> bytes:
    subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", f"--window-size={size}",
                    f"--screenshot={shot}", page.as_uri()], check=True, capture_output=True, timeout=120)
    return shot.read_bytes()


def dom(page: Path, profile: Path) -> str:
    """The page's DOM once its scripts ran, as chromium serialises it."""
    done = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                          check=True, capture_output=True, timeout=120, text=True)
    return done.stdout
