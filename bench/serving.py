"""A server in a child process, for the benchmarks and the tests: start it, wait until it
answers, stop it.

It lives in ``bench`` for the reason :mod:`bench.postgres` does: both the benchmarks and
pytest can import it.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 15.0


class ServerDidNotStart(RuntimeError):
    """The process exited, or did not answer in time; the message ends with its log."""


@contextmanager
def serving(
    command: Sequence[str | Path],
    url: str,
    *,
    log: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` (its output to ``log``) until ``url`` answers 200, then hand over
    the process; on exit, terminate it (kill it if it lingers)."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not _answers(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise ServerDidNotStart(
                        f"{' '.join(map(str, command))} did not answer {url}:\n"
                        + log.read_text(errors="replace")[-4000:]
                    )
                time.sleep(0.1)
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGCONT)  # a paused server cannot stop itself
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.TransportError:
        return False
