"""Live scanning on phones: the camera's preview in scan mode, every frame decoded.

A crew member points the phone at label after label; each code read lands in the cart
without a tap (``app.qr.frames`` decodes the newest frame off the event loop and lets a
code count once while it stays in view). A read gives a cue: a green flash over the
preview and a haptic tap where the device has one; a code that is not a Crewkit label
flashes amber and says so. If the camera cannot start, the preview hides and says why;
the photo button and the scanner field still work.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import flet as ft

from app.equipment import find_by_code
from app.qr import ScannedCode
from app.qr.frames import FrameDecoder, RecentCodes
from views.context import AppContext

HAPTIC_KEY = "haptic_feedback"
FLASH_S = 0.35
POINT_AT_A_LABEL = "Point the camera at a label"
PREVIEW_HEIGHT = 240


def haptics(ctx: AppContext) -> ft.HapticFeedback:
    """The session's one haptic service, kept referenced in ``ctx.extras``."""
    service = ctx.extras.get(HAPTIC_KEY)
    if service is None:
        service = ctx.extras[HAPTIC_KEY] = ft.HapticFeedback()
    return service


class LiveScan:
    """The live preview and its decoder; ``on_code`` gets each new code's payload."""

    def __init__(self, ctx: AppContext, on_code: Callable[[str], None]) -> None:
        import flet_camera as fc

        self.ctx = ctx
        self.on_code = on_code
        recent = RecentCodes(clock=lambda: ctx.now().timestamp())
        self.decoder = FrameDecoder(self._codes, off_loop=ctx.off_loop, recent=recent)
        self.flash = ft.Container(expand=True, border_radius=8,
                                  border=ft.Border.all(4, ft.Colors.TRANSPARENT))
        self.camera = fc.Camera(expand=True, content=self.flash,
                                on_stream_image=self._frame)
        self.status = ft.Text(POINT_AT_A_LABEL, size=13)
        self.running = False
        self.preview = ft.Container(self.camera, height=PREVIEW_HEIGHT, border_radius=8,
                                    clip_behavior=ft.ClipBehavior.HARD_EDGE)
        self.control = ft.Column([self.preview, self.status], tight=True, spacing=4,
                                 visible=False)

    async def start(self) -> bool:
        """Open the back camera and stream its frames; False (and why, in words) if not."""
        import flet_camera as fc

        self.control.visible = self.preview.visible = True
        self.status.value, self.status.color = "Starting the camera…", None
        self.ctx.page.update()
        try:
            cameras = await self.camera.get_available_cameras()
            if not cameras:
                raise RuntimeError("this device reports no camera")
            back = next((c for c in cameras if c.lens_direction == fc.CameraLensDirection.BACK),
                        cameras[0])
            await self.camera.initialize(back, fc.ResolutionPreset.MEDIUM, enable_audio=False)
            if not await self.camera.supports_image_streaming():
                raise RuntimeError("this camera cannot stream frames")
            self.decoder.restart()
            await self.camera.start_image_stream()
        except Exception as error:  # the platform's camera errors are not typed
            self.running = self.preview.visible = False
            self._say(f"Live camera unavailable ({error}): use Photo or the field.", True)
            return False
        self.running = True
        self._say(POINT_AT_A_LABEL, False)
        return True

    async def stop(self) -> None:
        """Stop streaming and hide the preview (leaving the view, or taking a photo)."""
        self.decoder.stop()
        was_running, self.running = self.running, False
        if was_running:
            with contextlib.suppress(Exception):  # a camera the platform already closed
                await self.camera.stop_image_stream()
        self.control.visible = False

    def _frame(self, e: Any) -> None:
        if self.running:
            self.decoder.offer(e.bytes)

    def _codes(self, codes: list[ScannedCode]) -> None:
        """New codes from a frame (on the event loop): into the cart, then the cue."""
        foreign = [c.payload for c in codes
                   if c.is_foreign and find_by_code(self.ctx.store, c.payload) is None]
        for code in codes:
            self.on_code(code.payload)
        if foreign:
            self._say(f"Not a Crewkit label: {foreign[0]}", True)
        else:
            self._say(f"Read {len(codes)} code{'s' * (len(codes) != 1)}", False)
        self.ctx.page.run_task(self._cue, not foreign)

    def _say(self, text: str, problem: bool) -> None:
        self.status.value = text
        self.status.color = ft.Colors.ERROR if problem else ft.Colors.GREEN_800
        self.ctx.page.update()

    async def _cue(self, ours: bool) -> None:
        color = ft.Colors.GREEN_ACCENT_400 if ours else ft.Colors.AMBER_700
        self.flash.border = ft.Border.all(4, color)
        self.flash.bgcolor = ft.Colors.with_opacity(0.25, color)
        self.ctx.page.update()
        service = haptics(self.ctx)
        with contextlib.suppress(Exception):  # no haptics on this device: the flash is the cue
            await (service.medium_impact() if ours else service.heavy_impact())
        await asyncio.sleep(FLASH_S)
        self.flash.border = ft.Border.all(4, ft.Colors.TRANSPARENT)
        self.flash.bgcolor = None
        self.ctx.page.update()
