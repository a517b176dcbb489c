"""Exporting the expense report: CSV for the accountant, PDF with receipts for sign-off.

The file is built and kept through :mod:`views.export` (off the loop, a copy under
``<data dir>/exports``) while the dialog shows progress, then downloaded at once: one
tap on a format is the whole export. The dialog says what was downloaded, never where
the kept copy lies on the machine serving the app.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from app.reports.expense_report import expense_report_csv, expense_report_pdf
from app.schedule_today import local_day
from views.context import AppContext
from views.export import generate, offer, slug

FORMATS = {"csv": "CSV (spreadsheet)", "pdf": "PDF with receipts"}


def export_name(ctx: AppContext, kind: str) -> str:
    production = ctx.production()
    assert production is not None
    day = local_day(ctx.store, production["id"], ctx.now())
    return f"expenses-{slug(production['name'])}-{day}.{kind}"


def build_report(ctx: AppContext, kind: str, include_rejected: bool) -> bytes:
    """The report's bytes (blocking: call through ``ctx.off_loop``)."""
    assert ctx.production_id is not None
    if kind == "csv":
        text = expense_report_csv(ctx.store, ctx.production_id, include_rejected=include_rejected)
        return text.encode("utf-8-sig")  # the BOM makes Excel read accents correctly
    return expense_report_pdf(
        ctx.store, ctx.blobs, ctx.production_id, include_rejected=include_rejected, now=ctx.now()
    )


class ExportDialog:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.rejected = ft.Checkbox(label="Include rejected expenses", value=False)
        self.buttons = [
            ft.Button(content=label, icon=ft.Icons.DOWNLOAD, on_click=self._export(kind))
            for kind, label in FORMATS.items()
        ]
        self.progress_text = ft.Text()
        self.progress = ft.Row(
            [ft.ProgressRing(width=20, height=20), self.progress_text], visible=False
        )
        self.result = ft.Column(tight=True, spacing=8)
        self.dialog = ft.AlertDialog(
            title=ft.Text("Export expense report"),
            content=ft.Column(
                [self.rejected, *self.buttons, self.progress, self.result],
                tight=True,
                spacing=12,
                width=420,
            ),
            actions=[ft.TextButton("Close", on_click=lambda _: ctx.page.pop_dialog())],
        )

    def open(self) -> None:
        self.ctx.page.show_dialog(self.dialog)

    def _export(self, kind: str) -> Callable[[ft.Event[ft.Button]], Awaitable[None]]:
        async def export(_: ft.Event[ft.Button]) -> None:
            await self.run(kind)

        return export

    async def run(self, kind: str) -> None:
        include_rejected = bool(self.rejected.value)

        def make() -> tuple[str, bytes]:
            return export_name(self.ctx, kind), build_report(self.ctx, kind, include_rejected)

        self._busy(True, f"Building the {kind.upper()}…")
        try:
            path, data = await generate(self.ctx, make)
        except (OSError, ValueError) as error:
            self._busy(False)
            self.result.controls = [ft.Text(f"Export failed: {error}", color=ft.Colors.ERROR)]
            self.dialog.update()
            return
        self._busy(False)
        offered = await offer(self.ctx, path, data)

        async def again(_: ft.Event[ft.Button]) -> None:
            await offer(self.ctx, path, data)

        size = f"{len(data) // 1024 + 1} KB"
        said = f"Downloaded {path.name} ({size})." if offered else f"Saved {path.name} ({size})."
        self.result.controls = [
            ft.Text(said),
            ft.TextButton(content="Download again", icon=ft.Icons.SAVE_ALT, on_click=again),
        ]
        self.dialog.update()

    def _busy(self, busy: bool, message: str = "") -> None:
        self.progress.visible = busy
        self.progress_text.value = message
        for button in self.buttons:
            button.disabled = busy
        self.result.controls = []
        self.dialog.update()
