"""Failed pairings per client address: a burst is allowed, then one more per interval.

A cell-rate limiter (GCRA): each address keeps the time its allowance is next whole
(``_next``). A failure pushes that time one interval on; an attempt is refused while
it lies more than ``burst - 1`` intervals ahead. Only failures count, so a crew member
who types a code right pays nothing, and a guesser gets ``burst`` tries and then one
per interval. IPv6 addresses count by their /64 network, which one machine can fill.
"""

from __future__ import annotations

import ipaddress
import threading

#: Addresses whose allowance is whole again are forgotten once this many are kept.
FORGET_AFTER = 10_000


def address_key(host: str | None) -> str:
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class FailureThrottle:
    def __init__(self, burst: int, interval_ms: int) -> None:
        self.burst = burst
        self.interval_ms = interval_ms
        self._next: dict[str, int] = {}
        self._lock = threading.Lock()

    def wait_ms(self, key: str, now_ms: int) -> int:
        """How long ``key`` must wait before its next attempt (0: it may try now)."""
        with self._lock:
            ahead = self._next.get(key, now_ms) - now_ms
        return max(0, ahead - (self.burst - 1) * self.interval_ms)

    def failed(self, key: str, now_ms: int) -> None:
        with self._lock:
            self._next[key] = max(self._next.get(key, now_ms), now_ms) + self.interval_ms
            if len(self._next) > FORGET_AFTER:
                self._next = {k: t for k, t in self._next.items() if t > now_ms}
