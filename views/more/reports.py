"""Reports: the daily production report of a chosen day, the wrap report, expense reports.

Rendering a PDF takes long enough to freeze a phone's UI, so each runs off the loop
(``views.export.export_tile``) with a progress ring; the file is then saved or
downloaded. The expense report's bytes are the Expenses screen's (``build_report``).
"""

from __future__ import annotations

import flet as ft

from app.productions import production_days
from app.reports.daily import daily_report_pdf
from app.reports.wrap import wrap_report_pdf
from app.schedule_today import local_day
from views.context import AppContext
from views.expenses.exports import build_report
from views.export import export_tile, slug
from views.widgets import section_header


class Reports:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        production = ctx.production()
        assert production is not None
        self.production_id = production["id"]
        self.name = slug(production["name"])
        days = production_days(production)
        today = local_day(ctx.store, self.production_id, ctx.now())
        self.day = ft.Dropdown(
            label="Day",
            value=today if today in days else days[0],
            options=[
                ft.DropdownOption(key=d, text=f"Day {n} · {d}") for n, d in enumerate(days, 1)
            ],
            expand=True,
        )
        store, pid = ctx.store, self.production_id
        self.control = ft.ListView(
            expand=True,
            padding=ft.Padding.symmetric(horizontal=16),
            spacing=12,
            controls=[
                section_header("Daily production report"),
                self.day,
                export_tile(ctx, "Daily report PDF", ft.Icons.PICTURE_AS_PDF, self._daily),
                section_header("Wrap"),
                export_tile(
                    ctx,
                    "Wrap report PDF",
                    ft.Icons.PICTURE_AS_PDF,
                    lambda: (
                        f"{self.name}-wrap-report.pdf",
                        wrap_report_pdf(store, pid, now=ctx.now()),
                    ),
                ),
                section_header("Expenses"),
                export_tile(
                    ctx,
                    "Expense report PDF",
                    ft.Icons.PICTURE_AS_PDF,
                    lambda: (
                        f"{self.name}-expenses.pdf",
                        build_report(ctx, "pdf", include_rejected=False),
                    ),
                ),
                export_tile(
                    ctx,
                    "Expense report CSV",
                    ft.Icons.TABLE_VIEW,
                    lambda: (
                        f"{self.name}-expenses.csv",
                        build_report(ctx, "csv", include_rejected=False),
                    ),
                ),
            ],
        )

    def _daily(self) -> tuple[str, bytes]:
        day = self.day.value or ""
        pdf = daily_report_pdf(self.ctx.store, self.production_id, day, now=self.ctx.now())
        return f"{self.name}-daily-report-{day}.pdf", pdf


def reports(ctx: AppContext) -> ft.Control:
    return Reports(ctx).control
