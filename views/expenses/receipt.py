"""Receipt photos: adding one to an expense, its thumbnail, and viewing it full size.

Photos are normalised and stored off the event loop (a phone photo takes a noticeable
moment to decode and shrink). Images are handed to Flet as bytes, not file paths: in
the browser a path on the server means nothing to the client.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft

from app.photos import PhotoError, ensure_thumbnail, store_photo
from views.capture import capture_photo
from views.context import AppContext

NOT_HERE = "This receipt has not reached this device yet; it arrives with the next sync."
ON_ITS_WAY = "The receipt photo has not reached this device yet; it appears here when it arrives."


async def thumbnail_bytes(ctx: AppContext, sha: str) -> bytes | None:
    """The receipt's thumbnail (made on first use for a photo that came by sync), or None
    while the photo is not on this device."""

    def read() -> bytes | None:
        path = ensure_thumbnail(ctx.blobs, sha)
        return path.read_bytes() if path is not None else None

    return await ctx.off_loop(read)


def when_photo_arrives(
    ctx: AppContext, sha: str, arrived: Callable[[], Awaitable[None]],
    wanted: Callable[[], bool],
) -> None:
    """Run ``arrived`` once photo ``sha`` is on this device, looking again whenever the
    sync status changes (each fetched photo is one change), for as long as ``wanted()``."""
    engine = ctx.sync
    if engine is None:
        return

    def on_status(_: Any) -> None:
        if not wanted():
            unsubscribe()
        elif ctx.blobs.has(sha):
            unsubscribe()
            ctx.page.run_task(arrived)

    unsubscribe = engine.subscribe(on_status)


async def show_receipt(ctx: AppContext, sha: str) -> None:
    """Open the full photo in a dialog where it can be zoomed (pinch or wheel)."""
    raw = await ctx.off_loop(lambda: ctx.blobs.read(sha) if ctx.blobs.has(sha) else None)
    content: ft.Control = (
        ft.InteractiveViewer(
            ft.Image(src=raw, fit=ft.BoxFit.CONTAIN, semantics_label="Receipt photo, full size"),
            max_scale=6,
        )
        if raw is not None
        else ft.Text(NOT_HERE)
    )
    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text("Receipt"),
            content=ft.Container(content, width=480, height=560 if raw else None),
            actions=[ft.TextButton("Close", on_click=lambda _: ctx.page.pop_dialog())],
        )
    )


class ReceiptField:
    """The receipt part of the expense form: thumbnail, add/replace, and errors inline."""

    SIZE = 96

    def __init__(
        self,
        ctx: AppContext,
        sha: str | None,
        *,
        on_attached: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        self.ctx = ctx
        self.sha = sha
        self.on_attached = on_attached
        self.preview = ft.Container(
            width=self.SIZE,
            height=self.SIZE,
            border_radius=8,
            bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST,
            alignment=ft.Alignment.CENTER,
            content=ft.Icon(ft.Icons.RECEIPT_LONG_OUTLINED, color=ft.Colors.OUTLINE),
        )
        self.status = ft.Text("No receipt photo yet" if sha is None else "Receipt attached")
        self.button = ft.OutlinedButton(
            content="Replace photo" if sha else "Add receipt photo",
            icon=ft.Icons.ADD_A_PHOTO_OUTLINED,
            on_click=self._add,
        )
        self.control = ft.Row(
            [self.preview, ft.Column([self.status, self.button], tight=True, expand=True)],
            spacing=16,
        )

    async def load(self) -> None:
        """Show the stored thumbnail of the receipt the expense already has."""
        if self.sha is not None:
            self._show(await thumbnail_bytes(self.ctx, self.sha))
            self.control.update()

    async def _add(self, _: ft.Event[ft.OutlinedButton]) -> None:
        raw = await capture_photo(self.ctx, title="Receipt photo")
        if raw is None:
            return
        self.status.value = "Processing photo…"
        self.preview.content = ft.ProgressRing(width=32, height=32)
        self.control.update()
        try:
            ref = await self.ctx.off_loop(store_photo, self.ctx.blobs, raw)
        except PhotoError as error:
            self.status.value = f"Photo not added: {error}"
            self.status.color = ft.Colors.ERROR
            self._show(None if self.sha is None else await thumbnail_bytes(self.ctx, self.sha))
            self.control.update()
            return
        self.sha = ref.sha256
        self.status.value, self.status.color = "Receipt attached", None
        self.button.content = "Replace photo"
        self._show(await thumbnail_bytes(self.ctx, ref.sha256))
        self.control.update()
        if self.on_attached is not None:
            await self.on_attached(ref.sha256)

    def _show(self, thumb: bytes | None) -> None:
        self.preview.content = (
            ft.Image(
                src=thumb,
                width=self.SIZE,
                height=self.SIZE,
                fit=ft.BoxFit.COVER,
                border_radius=8,
                semantics_label="Receipt thumbnail",
            )
            if thumb
            else ft.Icon(ft.Icons.RECEIPT_LONG_OUTLINED, color=ft.Colors.OUTLINE)
        )
