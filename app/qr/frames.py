"""Decoding a live camera's frames: the latest frame wins, one decode at a time.

A phone's camera streams frames far faster than a photo can be decoded. Decoding each
one would build a backlog that makes the screen lag further and further behind the
lens; instead only the newest frame waits, and a frame that arrives while another is
being decoded replaces it. Decodes start at most ``FRAME_INTERVAL_S`` apart (a few a
second), off the event loop. The same code held in view stays in every frame, so a code
counts once until it has been out of sight for ``REPEAT_S``: a crew member points at
label after label and each is read once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from app.qr.decode import DecodeResult, ScannedCode, decode_image

FRAME_INTERVAL_S = 0.25
REPEAT_S = 3.0

Clock = Callable[[], float]
OffLoop = Callable[..., Awaitable[Any]]


class RecentCodes:
    """Which codes were seen in the last ``window`` seconds of ``clock``."""

    def __init__(self, clock: Clock = time.monotonic, window: float = REPEAT_S) -> None:
        self.clock = clock
        self.window = window
        self._last_seen: dict[str, float] = {}

    def is_new(self, payload: str) -> bool:
        """True unless ``payload`` was seen within the window; either way it is seen now,
        so a code kept in view never counts twice."""
        now = self.clock()
        last = self._last_seen.get(payload)
        self._last_seen[payload] = now
        self._last_seen = {p: t for p, t in self._last_seen.items() if now - t <= self.window}
        return last is None or now - last > self.window


async def _in_thread(fn: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.to_thread(fn, *args)


class FrameDecoder:
    """Takes frames as they come and calls ``on_codes`` with each frame's new codes."""

    def __init__(
        self,
        on_codes: Callable[[list[ScannedCode]], None],
        *,
        decode: Callable[[bytes], DecodeResult] = decode_image,
        off_loop: OffLoop = _in_thread,
        recent: RecentCodes | None = None,
        interval: float = FRAME_INTERVAL_S,
    ) -> None:
        self.on_codes = on_codes
        self.decode = decode
        self.off_loop = off_loop
        self.recent = recent or RecentCodes()
        self.interval = interval
        self.decoded = 0
        """Frames decoded so far (the rest were replaced by a newer frame)."""
        self._latest: bytes | None = None
        self._worker: asyncio.Task[None] | None = None
        self._stopped = False

    def offer(self, frame: bytes) -> None:
        """A new frame from the camera; call on the event loop."""
        if self._stopped:
            return
        self._latest = frame
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._drain())

    def stop(self) -> None:
        """Drop the waiting frame and take no more (the frame being decoded finishes)."""
        self._stopped = True
        self._latest = None

    def restart(self) -> None:
        self._stopped = False

    @property
    def busy(self) -> bool:
        return self._worker is not None and not self._worker.done()

    async def _drain(self) -> None:
        while self._latest is not None:
            frame, self._latest = self._latest, None
            started = time.monotonic()
            result: DecodeResult = await self.off_loop(self.decode, frame)
            self.decoded += 1
            fresh = [code for code in result.codes if self.recent.is_new(code.payload)]
            if fresh and not self._stopped:
                self.on_codes(fresh)
            pause = self.interval - (time.monotonic() - started)
            if pause > 0 and self._latest is not None:
                await asyncio.sleep(pause)
