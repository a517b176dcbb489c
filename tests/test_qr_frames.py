"""Live frames: the newest frame wins, nothing piles up, a code in view counts once."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from typing import Any

import qrcode

from app.qr import ScannedCode, decode_image
from app.qr.frames import FrameDecoder, RecentCodes


def frame(payload: str) -> bytes:
    out = io.BytesIO()
    qrcode.make(payload).save(out)
    return out.getvalue()


class Gate:
    """An off-loop runner that holds each decode until the test lets it through."""

    def __init__(self) -> None:
        self.open = asyncio.Event()
        self.frames: list[bytes] = []

    async def __call__(self, fn: Callable[..., Any], *args: Any) -> Any:
        self.frames.append(args[0])
        await self.open.wait()
        return fn(*args)


async def test_frames_arriving_during_a_decode_leave_only_the_newest_waiting() -> None:
    read: list[list[str]] = []
    gate = Gate()
    decoder = FrameDecoder(lambda codes: read.append([c.payload for c in codes]),
                           off_loop=gate, interval=0)
    frames = [frame(f"crewkit:eq:item-{n}") for n in range(6)]
    for each in frames:
        decoder.offer(each)
        await asyncio.sleep(0)
    gate.open.set()
    while decoder.busy:
        await asyncio.sleep(0.01)
    assert gate.frames == [frames[0], frames[-1]]  # frames 1-4 were replaced, not queued
    assert read == [["crewkit:eq:item-0"], ["crewkit:eq:item-5"]]
    assert decoder.decoded == 2


async def test_a_code_in_view_counts_once_until_out_of_sight_for_the_window() -> None:
    now = [0.0]
    recent = RecentCodes(clock=lambda: now[0], window=3.0)
    read: list[ScannedCode] = []
    decoder = FrameDecoder(read.extend, recent=recent, interval=0,
                           decode=decode_image)
    label = frame("crewkit:eq:cam-07")
    for at in (0.0, 1.0, 2.5, 5.0, 9.0):  # seen every frame until 5.0, then gone till 9.0
        now[0] = at
        decoder.offer(label)
        while decoder.busy:
            await asyncio.sleep(0.01)
    assert [c.payload for c in read] == ["crewkit:eq:cam-07", "crewkit:eq:cam-07"]


async def test_a_stopped_decoder_takes_no_frames_and_drops_the_waiting_one() -> None:
    read: list[ScannedCode] = []
    gate = Gate()
    decoder = FrameDecoder(read.extend, off_loop=gate, interval=0)
    decoder.offer(frame("crewkit:eq:a"))
    await asyncio.sleep(0)
    decoder.offer(frame("crewkit:eq:b"))
    decoder.stop()
    decoder.offer(frame("crewkit:eq:c"))
    gate.open.set()
    while decoder.busy:
        await asyncio.sleep(0.01)
    assert len(gate.frames) == 1 and read == []  # the frame in hand finished, unreported
