"""Handing a generated file (report, export, label sheet) to the user, on every platform.

Every export takes the same path: the file is built off the event loop (a PDF with
dozens of receipt thumbnails takes seconds on a phone), a copy is kept under
``<data dir>/exports`` so it exists even where no download or save dialog works (a
Linux desktop without zenity, a cancelled dialog), and then it is offered through
``FilePicker.save_file``, which does the right thing everywhere Flet runs: a download
in the browser, a save dialog on the desktop, the share/save sheet on phones.
Screens differ only in how they show progress: :func:`export_tile` is the one-tap row
of More; Expenses and Gear show progress in their own dialogs around :func:`generate`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import flet as ft

from app.blobs import write_atomically
from views.capture import file_picker
from views.context import AppContext
from views.widgets import show_error, show_message

EXPORTS = "exports"

Producer = Callable[[], tuple[str, bytes]]
"""Blocking work that returns a file's name and bytes (a PDF render, a CSV dump)."""


def slug(text: str) -> str:
    """A file-name-safe production name: "Salt Line (short film)" -> "salt-line-short-film"."""
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in text).split()
    return "-".join(words) or "production"


def write_export(data_dir: Path, name: str, data: bytes) -> Path:
    """Keep a copy of ``data`` as ``<data_dir>/exports/<name>`` (blocking)."""
    target = data_dir / EXPORTS / name
    write_atomically(target, data)
    return target


async def generate(ctx: AppContext, make: Producer) -> tuple[Path, bytes]:
    """Run ``make`` off the loop and keep its file in the exports folder; the kept
    copy's path and the bytes. ``ValueError`` / ``OSError`` are the caller's to show."""
    name, data = await ctx.off_loop(make)
    path = await ctx.off_loop(write_export, ctx.data_dir, name, data)
    return path, data


async def offer(ctx: AppContext, path: Path, data: bytes) -> bool:
    """Offer the file through the platform's save dialog; where the client has none,
    say where the kept copy is and return False."""
    try:
        await file_picker(ctx).save_file(
            dialog_title=f"Save {path.name}", file_name=path.name, src_bytes=data
        )
    except (RuntimeError, TimeoutError):  # the client has no save dialog (e.g. no zenity)
        show_message(ctx.page, f"Saved {path.name} to {path}")
        return False
    return True


def export_tile(ctx: AppContext, label: str, icon: ft.IconData, make: Producer) -> ft.Control:
    """A row that generates a file off the loop, shows progress, then offers it."""
    busy = ft.ProgressRing(width=20, height=20, visible=False)

    async def run(e: ft.Event[ft.OutlinedButton]) -> None:
        e.control.disabled, busy.visible = True, True
        e.control.update()
        busy.update()
        try:
            path, data = await generate(ctx, make)
            if await offer(ctx, path, data):
                show_message(ctx.page, f"Exported {path.name}")
        except (ValueError, OSError) as exc:
            show_error(ctx.page, f"{label} failed: {exc}")
        finally:
            e.control.disabled, busy.visible = False, False
            ctx.page.update()  # this handler updated before, so Flet will not auto-update

    return ft.Row(
        [ft.OutlinedButton(content=label, icon=icon, on_click=run, expand=True), busy],
        spacing=12,
    )
