"""Where scanned codes come in: one text field and one photo button, for every scan mode.

Hardware scanners are keyboards: they type the code and press Enter into whatever has
focus. So the field takes focus when it appears and gets it back after every code,
and a crew member can fire code after code without touching the screen. The same field
is manual entry. A photo (the phone's camera, or an image file on a laptop) is decoded
off the event loop, with progress shown; when nothing is read, the decoder's reason is
shown in words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.equipment import normalize_code
from app.qr import DecodeStatus, decode_image
from views.capture import capture_photo
from views.context import AppContext

SCAN_FIELD_LABEL = "Scan or type a code"


class ScanInput:
    """Calls ``on_code(code)`` for each code typed, scanned or read from a photo."""

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
        self.control = ft.Column(tight=True, spacing=4, controls=[
            ft.Row([
                self.field,
                ft.IconButton(ft.Icons.KEYBOARD_RETURN, tooltip="Add the typed code",
                              on_click=self._submitted),
                self.photo_button,
            ], spacing=4),
            self.progress, self.note,
        ])

    async def _submitted(self, e: ft.Event[Any]) -> None:
        typed = e.data if isinstance(e.data, str) else self.field.value  # submit carries it
        code = normalize_code(typed or "")
        self.field.value = ""
        self.note.visible = False
        if code:
            self.on_code(code)
        await self.field.focus()  # the next scan types into the field again

    async def _photo(self, _: Any) -> None:
        raw = await capture_photo(self.ctx, title="Scan a code from a photo")
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
