"""Server limits: each one bounds the memory or time a single request can take."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int = 8 * MIB
    max_ops_per_push: int = 5000
    max_blob_bytes: int = 20 * MIB
    max_pull_limit: int = 5000
    default_pull_limit: int = 1000
    #: A pull page stops once its changes hold this many bytes (always at least one change).
    max_page_bytes: int = 4 * MIB


DEFAULT_LIMITS = Limits()
