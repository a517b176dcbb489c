"""One way for every screen to get a photo: the phone's camera or an image file.

Damage reports, checklist ticks, receipts and code scanning all need "a picture from
somewhere". ``capture_photo`` asks where from in a small dialog and returns the image's
bytes, so callers never deal with cameras, pickers or platforms. The camera is offered
only where the flet-camera control works for us (the Flet app on Android and iOS) and
only when that package is installed; picking a file works everywhere, including the
browser, where files arrive as bytes because there is no path.
"""

from __future__ import annotations

import asyncio
import importlib.util
from typing import Any

import flet as ft

from views.context import AppContext
from views.widgets import show_error

IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "heic", "heif", "bmp", "gif", "tif", "tiff"]
PICKER_KEY = "file_picker"
TAKE_PHOTO = "Take photo"
PICK_FILE = "Pick an image file"


def camera_available(page: ft.Page) -> bool:
    """True on phones running the Flet app with flet-camera installed."""
    mobile = page.platform in (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS)
    return mobile and not page.web and importlib.util.find_spec("flet_camera") is not None


def file_picker(ctx: AppContext) -> Any:
    """The session's one ``FilePicker``, kept in ``ctx.extras`` so it stays referenced
    (a picker that is garbage-collected never returns its result). Tests put a fake
    picker under the same key."""
    picker = ctx.extras.get(PICKER_KEY)
    if picker is None:
        picker = ctx.extras[PICKER_KEY] = ft.FilePicker()
    return picker


async def pick_image_file(ctx: AppContext, title: str) -> bytes | None:
    """Ask for one image file and return its bytes, or None when nothing was chosen."""
    files = await file_picker(ctx).pick_files(
        dialog_title=title,
        file_type=ft.FilePickerFileType.CUSTOM,
        allowed_extensions=IMAGE_EXTENSIONS,
        with_data=True,
    )
    return files[0].bytes if files and files[0].bytes else None


async def _ask(ctx: AppContext, title: str, content: ft.Control,
               actions: list[tuple[str, Any]]) -> Any:
    """Show a dialog whose buttons each answer with a value; dismissing answers None.

    An answer may be an async function: it runs while the dialog is still open (the
    camera preview must stay mounted while it shoots) and its result is the answer.
    The dialog is awaited rather than handled through callbacks so callers read as one
    straight flow: choose, then capture, then use the bytes.
    """
    answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def reply(value: Any) -> Any:
        async def handler(_: ft.Event[ft.Button]) -> None:
            if answer.done():
                return
            try:
                result = await value() if callable(value) else value
            except Exception as error:  # platform errors (camera) are not typed
                answer.set_exception(error)
            else:
                answer.set_result(result)
            ctx.page.pop_dialog()
        return handler

    def dismissed(_: ft.Event[ft.AlertDialog]) -> None:
        if not answer.done():
            answer.set_result(None)

    buttons: list[ft.Control] = [
        ft.TextButton(label, on_click=reply(value)) if value is None
        else ft.Button(content=label, on_click=reply(value))
        for label, value in actions
    ]
    ctx.page.show_dialog(ft.AlertDialog(
        title=ft.Text(title), content=content, actions=buttons, on_dismiss=dismissed,
    ))
    return await answer


async def _take_picture(ctx: AppContext, title: str) -> bytes | None:
    """Show the back camera's preview and return the picture taken, or None."""
    import flet_camera as fc

    camera = fc.Camera(width=320, height=420)

    async def shoot() -> bytes:
        return await camera.take_picture()

    choice = asyncio.ensure_future(
        _ask(ctx, title, camera, [("Cancel", None), (TAKE_PHOTO, shoot)])
    )
    try:
        cameras = await camera.get_available_cameras()
        if not cameras:
            raise RuntimeError("this device reports no camera")
        back = next((c for c in cameras if c.lens_direction == fc.CameraLensDirection.BACK),
                    cameras[0])
        await camera.initialize(back, fc.ResolutionPreset.HIGH, enable_audio=False)
        return await choice
    except Exception as error:  # the platform's camera errors are not typed
        if not choice.done():
            choice.cancel()
            ctx.page.pop_dialog()
        show_error(ctx.page, f"Camera unavailable ({error}). Pick an image file instead.")
        return None


async def capture_photo(ctx: AppContext, *, title: str = "Add photo") -> bytes | None:
    """Let the user take a photo or pick an image file; the bytes, or None on cancel."""
    actions: list[tuple[str, Any]] = [("Cancel", None)]
    if camera_available(ctx.page):
        actions.append((TAKE_PHOTO, "camera"))
    actions.append((PICK_FILE, "file"))
    source = await _ask(ctx, title, ft.Text("Where should the picture come from?"), actions)
    if source == "camera":
        return await _take_picture(ctx, title)
    if source == "file":
        return await pick_image_file(ctx, title)
    return None
