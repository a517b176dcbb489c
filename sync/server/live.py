"""Live pulls: ``GET /v1/pull?wait=S`` answers as soon as the team has news, or after S s.

A waiting pull costs one future and one coroutine, never a thread or a database query per
client: a push that commits wakes its team's waiters (``notify``, from whatever thread
ran the push), and each woken waiter pulls once. A waiter registers before it reads, so a
push that commits between its read and its wait still wakes it. A client that hangs up
ends its wait at once: the waiter watches the connection and leaves when it closes.

Waiters are counted per device and in all; past either cap a pull is refused before it
waits (``429 too_many_waiters``, ``503 server_busy``). Wake-ups cross processes only where
the pushes do: with several server processes over one PostgreSQL database, a push in one
process does not wake waiters in another; they see it when their wait ends. A server that
stops answers its waiting pulls at once (``close``), so stopping never waits for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Awaitable, Callable, Iterator

from starlette.types import Receive

from .errors import ApiError
from .storage import PullPage

#: Seconds a client is told to wait before asking again past a cap.
RETRY_AFTER_S = 1


class _Waiter:
    """One waiting pull: a future on the loop that serves it."""

    def __init__(self, device_id: str) -> None:
        self.device_id = device_id
        self.loop = asyncio.get_running_loop()
        self.woken: asyncio.Future[None] = self.loop.create_future()

    def wake(self) -> None:
        """Thread-safe: resolve the future on its own loop."""
        self.loop.call_soon_threadsafe(self._resolve)

    def _resolve(self) -> None:
        if not self.woken.done():
            self.woken.set_result(None)


class LiveTeams:
    """The waiting pulls of one server process, by team."""

    def __init__(self, per_device: int, total: int) -> None:
        self.per_device = per_device
        self.total = total
        self._lock = threading.Lock()
        self._teams: dict[str, set[_Waiter]] = {}
        self._devices: dict[str, int] = {}
        self._closing = False

    def close(self) -> None:
        """The server is stopping: answer every waiting pull now, and wait no more."""
        with self._lock:
            self._closing = True
            waiters = [w for team in self._teams.values() for w in team]
        for waiter in waiters:
            waiter.wake()

    def waiting(self, team_id: str | None = None) -> int:
        """How many pulls are waiting (for one team, or in all)."""
        with self._lock:
            if team_id is not None:
                return len(self._teams.get(team_id, ()))
            return sum(self._devices.values())

    def notify(self, team_id: str) -> None:
        """Wake every pull waiting for ``team_id``: its records may have changed."""
        with self._lock:
            waiters = list(self._teams.get(team_id, ()))
        for waiter in waiters:
            waiter.wake()

    @contextlib.contextmanager
    def _admitted(self, team_id: str, device_id: str) -> Iterator[_Waiter]:
        waiter = _Waiter(device_id)
        with self._lock:
            if self._devices.get(device_id, 0) >= self.per_device:
                raise ApiError("too_many_waiters", f"this device already has {self.per_device}"
                               " waiting pull(s); wait for their answer or close them",
                               {"Retry-After": str(RETRY_AFTER_S)})
            if sum(self._devices.values()) >= self.total:
                raise ApiError("server_busy", "too many pulls are waiting on this server;"
                               " pull again shortly", {"Retry-After": str(RETRY_AFTER_S)})
            self._devices[device_id] = self._devices.get(device_id, 0) + 1
            self._teams.setdefault(team_id, set()).add(waiter)
        try:
            yield waiter
        finally:
            with self._lock:
                self._teams[team_id].discard(waiter)
                if not self._teams[team_id]:
                    del self._teams[team_id]
                self._devices[device_id] -= 1
                if not self._devices[device_id]:
                    del self._devices[device_id]

    async def pull(
        self,
        team_id: str,
        device_id: str,
        read: Callable[[], Awaitable[PullPage]],
        wait_s: float,
        receive: Receive,
    ) -> PullPage:
        """``read()`` now; while it finds nothing, wait for a push to the team (or the
        client hanging up, or ``wait_s`` passing) and read again."""
        deadline = time.monotonic() + wait_s
        hung_up = asyncio.ensure_future(_disconnected(receive))
        try:
            while True:
                with self._admitted(team_id, device_id) as waiter:
                    page = await read()
                    left = deadline - time.monotonic()
                    if page.changes or page.rejected or left <= 0 or self._closing:
                        return page
                    await asyncio.wait((waiter.woken, hung_up), timeout=left,
                                       return_when=asyncio.FIRST_COMPLETED)
                    if hung_up.done():
                        return page  # nobody is listening; the answer goes nowhere
                    if not waiter.woken.done() or self._closing:
                        return page  # the wait ran out with no news, or the server stops
        finally:
            hung_up.cancel()


async def _disconnected(receive: Receive) -> None:
    """Return once the client has closed the connection (ASGI ``http.disconnect``)."""
    while (await receive())["type"] != "http.disconnect":
        pass
