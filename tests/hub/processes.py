"""``crewkit-server`` as a real process: its commands, run once, and what they print."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

SCRIPT = Path(sys.executable).with_name("crewkit-server")


def cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), "--data", str(data), *args], capture_output=True,
                          text=True, timeout=60)


def status(data: Path) -> Any:
    return json.loads(cli(data, "status", "--json").stdout)


def invite(data: Path, role: str, url: str, team: str = "Film") -> str:
    """A join link of a new invite of ``role`` into ``team``, naming ``url``."""
    done = cli(data, "invite", "--team", team, "--role", role, "--server-url", url, "--json")
    assert done.returncode == 0, done.stderr
    return str(json.loads(done.stdout)["uri"])
