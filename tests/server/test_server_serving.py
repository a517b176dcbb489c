"""``bench.serving``: the child-process server the e2e tests and the sync benchmark share."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench.postgres import free_port
from bench.serving import ServerDidNotStart, serving


def test_a_server_that_exits_is_reported_with_its_log(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "import sys; print('port taken'); sys.exit(3)"]
    url = f"http://127.0.0.1:{free_port()}/"
    with (
        pytest.raises(ServerDidNotStart, match=r"did not answer .*\n.*port taken"),
        serving(command, url, log=tmp_path / "server.log"),
    ):
        pytest.fail("a process that exited cannot be served")
