"""Reading a QR code from a photo or screenshot the person picks (an invite, a hub address).

Decoding tries several passes over the image, so it runs off the event loop.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.qr import DecodeResult, decode_image
from views.context import AppContext


async def read_qr_photo(ctx: AppContext, picker: ft.FilePicker, title: str,
                        decoding: Callable[[], None]) -> DecodeResult | None:
    """The codes in the image picked with ``picker``; None if none was picked.
    ``decoding`` is called once an image is picked, before the slow part."""
    files = await picker.pick_files(
        dialog_title=title, file_type=ft.FilePickerFileType.IMAGE, with_data=True
    )
    if not files or files[0].bytes is None:
        return None
    decoding()
    return await ctx.off_loop(decode_image, files[0].bytes)


def unreadable(result: DecodeResult) -> str:
    """What to say when ``result`` holds no code at all."""
    return f"No QR code could be read ({result.reason or result.status})."
