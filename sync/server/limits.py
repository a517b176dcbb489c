"""Server limits: what one request, one client address or one stored record may take."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int = 8 * MIB
    max_ops_per_push: int = 5000
    #: Pushes merged at once, and pushes more that may wait (``503 server_busy`` past it).
    push_threads: int = 2
    queued_pushes: int = 64
    max_blob_bytes: int = 20 * MIB
    max_pull_limit: int = 5000
    default_pull_limit: int = 1000
    #: A pull page stops once its changes hold this many bytes (always at least one change).
    max_page_bytes: int = 4 * MIB
    #: Failed pairings an address may make at once, then one more per interval.
    pairing_failures: int = 10
    pairing_failure_ms: int = 6_000
    #: Applied op ids are kept this long to answer replays without merging them again.
    applied_ops_days: int = 30
    #: Longest long-poll (``GET /v1/pull?wait=S``), and how many may wait per device and
    #: in all (``429 too_many_waiters`` and ``503 server_busy`` past them).
    max_pull_wait_s: float = 30.0
    waits_per_device: int = 2
    waiting_pulls: int = 1000


DEFAULT_LIMITS = Limits()
