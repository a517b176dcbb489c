"""Where scanned codes come in: the live camera on phones, one text field and one photo
button everywhere, for every scan mode.

On a phone the camera's live preview opens with the scan view and reads label after
label without a tap (``views.gear.live``). Hardware scanners are keyboards: they type
the code and press Enter into whatever has focus. So the field takes focus when it
appears and gets it back after every code, and a crew member can fire code after code
without touching the screen. The same field is manual entry. A photo (the phone's
camera, or an image file on a laptop) is decoded off the event loop, with progress
shown; when nothing is read, the decoder's reason is shown in words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import flet as ft

from app.equipment import normalize_code
from app.qr import DecodeStatus, decode_image
from views.capture import camera_available, capture_photo
from views.context import AppContext

if TYPE_CHECKING:
    from views.gear.live import LiveScan

SCAN_FIELD_LABEL = "Scan or type a code"
LIVE_ON = "Live camera"
LIVE_OFF = "Stop camera"


class ScanInput:
    """Calls ``on_code(code)`` for each code typed, scanned, seen live or read from a photo."""

    def __init__(self, ctx: AppContext, on_code: Callable[[str], None]) -> None:
        self.ctx = ctx
        self.on_code = on_code
        self.field = ft.TextField(
            label=SCAN_FIELD_LABEL, autofocus=True, expand=True, dense=True,
            prefix_icon=ft.Icons.QR_CODE, on_submit=self._submitted,
            hint_text="Scan, or type + Enter",
        )
        self.photo_button = ft.OutlinedButton(content="Photo", icon=ft.Icons.PHOTO_CAMERA,
                                              on_click=self._photo)
        self.progress = ft.ProgressBar(visible=False)
        self.note = ft.Text(visible=False, color=ft.Colors.ERROR)
        self.live: LiveScan | None = None
        self.live_button: ft.IconButton | None = None
        controls: list[ft.Control] = []
        if camera_available(ctx.page):
            from views.gear.live import LiveScan  # flet-camera, imported where it works

            self.live = LiveScan(ctx, on_code)
            self.live_button = ft.IconButton(ft.Icons.VIDEOCAM_OFF, tooltip=LIVE_OFF,
                                             on_click=self._toggle_live)
            controls = [self.live.control]
            ctx.page.run_task(self._start_live)  # scan mode opens with the camera live
        self.control = ft.Column(tight=True, spacing=4, controls=[
            *controls,
            ft.Row([
                self.field,
                ft.IconButton(ft.Icons.KEYBOARD_RETURN, tooltip="Add the typed code",
                              on_click=self._submitted),
                self.photo_button,
                *([self.live_button] if self.live_button else []),
            ], spacing=4),
            self.progress, self.note,
        ])  # fmt: skip

    async def close(self) -> None:
        """Stop the live camera (the scan view is closing)."""
        if self.live:
            await self.live.stop()
            self.ctx.page.update()

    async def _start_live(self) -> None:
        assert self.live and self.live_button
        started = await self.live.start()
        self.live_button.tooltip = LIVE_OFF if started else LIVE_ON
        self.live_button.icon = ft.Icons.VIDEOCAM_OFF if started else ft.Icons.VIDEOCAM
        self.ctx.page.update()

    async def _toggle_live(self, _: Any) -> None:
        assert self.live and self.live_button
        if not self.live.running:
            await self._start_live()
            return
        await self.live.stop()
        self.live_button.tooltip, self.live_button.icon = LIVE_ON, ft.Icons.VIDEOCAM
        self.ctx.page.update()

    async def _submitted(self, e: ft.Event[Any]) -> None:
        typed = e.data if isinstance(e.data, str) else self.field.value  # submit carries it
        code = normalize_code(typed or "")
        self.field.value = ""
        self.note.visible = False
        if code:
            self.on_code(code)
        await self.field.focus()  # the next scan types into the field again

    async def _photo(self, _: Any) -> None:
        live = self.live is not None and self.live.running
        if live:
            await self.live.stop()  # one camera at a time: the photo dialog opens its own
        try:
            raw = await capture_photo(self.ctx, title="Scan a code from a photo")
        finally:
            if live:
                await self._start_live()
        if raw is None:
            return
        self._busy(True, "Reading the code…")
        try:
            result = await self.ctx.off_loop(decode_image, raw)
        finally:
            self._busy(False, "")
        if result.status is DecodeStatus.FOUND:
            for payload in result.payloads:
                self.on_code(payload)
        else:
            self.note.value = f"No code read: {result.reason}."
            self.note.visible = True
        self.ctx.page.update()  # showing progress used up the handler's auto-update

    def _busy(self, busy: bool, message: str) -> None:
        """Show (or hide) progress while a photo is decoded; the field stays usable."""
        self.progress.visible = busy
        self.note.value, self.note.visible = message, busy
        self.note.color = None if busy else ft.Colors.ERROR
        self.photo_button.disabled = busy
        self.ctx.page.update()
