"""The expense report: every expense of a production, as CSV for the accountant and as a
PDF with each receipt's thumbnail beside its line, for the producer to sign.

Both list the same rows, :func:`app.budget.spending` (float issues are not expenses and
are left out; rejected expenses only when asked for). Amounts in the CSV are plain
decimals with a separate currency column, so a spreadsheet sums them; the PDF totals per
currency, never across.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from app.blobs import BlobStore
from app.budget import budget_lines, spending, totals_by
from app.money import decimal_amount
from app.reports.facts import ProductionFacts, money, money_list, production_facts
from app.reports.pdf import ReportPDF
from app.store import Store

CSV_COLUMNS = (
    "date", "vendor", "budget_line", "amount", "currency", "amount_minor", "payment_method",
    "paid_by", "status", "note", "receipt_sha256", "expense_id",
)  # fmt: skip
THUMB_MM = 28


def expense_report_csv(store: Store, production_id: str, *, include_rejected: bool = False) -> str:
    facts = production_facts(store, production_id)
    lines = _line_names(store, production_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in spending(store, production_id, include_rejected=include_rejected):
        writer.writerow(
            [
                e["spent_on"],
                e["vendor"],
                lines.get(e["budget_line_id"] or "", ""),
                decimal_amount(e["amount_minor"], e["currency"]),
                e["currency"],
                e["amount_minor"],
                e["payment_method"],
                facts.person(e["paid_by"]),
                e["status"],
                e["note"],
                e["receipt"] or "",
                e["id"],
            ]
        )
    return out.getvalue()


def expense_report_pdf(
    store: Store,
    blobs: BlobStore,
    production_id: str,
    *,
    include_rejected: bool = False,
    now: datetime,
) -> bytes:
    facts = production_facts(store, production_id)
    expenses = spending(store, production_id, include_rejected=include_rejected)
    pdf = ReportPDF(
        f"Expense report: {facts.record['name']}",
        f"{len(expenses)} expenses  ·  total {money_list(_totals(expenses))}  ·  "
        f"printed {now.astimezone(facts.zone):%Y-%m-%d %H:%M}",
    )
    lines = _line_names(store, production_id)
    for expense in expenses:
        _expense_block(pdf, blobs, facts, lines, expense)
    pdf.heading("Totals by budget line")
    by_line = totals_by(expenses, lambda e: lines.get(e["budget_line_id"] or "", "(no line)"))
    pdf.data_table(
        ["Budget line", "Total"],
        [[name, money_list(amounts)] for name, amounts in by_line.items()],
        [50, 50],
        empty="No expenses.",
    )
    return pdf.to_bytes()


def _expense_block(
    pdf: ReportPDF,
    blobs: BlobStore,
    facts: ProductionFacts,
    lines: dict[str, str],
    expense: dict[str, Any],
) -> None:
    """One expense: receipt thumbnail on the left, its details on the right."""
    if pdf.get_y() + THUMB_MM + 4 > pdf.h - pdf.b_margin:
        pdf.add_page()
    top, left = pdf.get_y(), pdf.l_margin
    thumb = _thumbnail(blobs, expense["receipt"])
    if thumb is not None:
        pdf.image(thumb, x=left, y=top, h=THUMB_MM, keep_aspect_ratio=True, w=THUMB_MM)
    else:
        pdf.set_xy(left, top + THUMB_MM / 2 - 2)
        pdf.cell(THUMB_MM, 4, pdf.fit("no receipt" if not expense["receipt"] else "not synced"))
    text_x = left + THUMB_MM + 4
    pdf.set_xy(text_x, top)
    pdf.set_font(pdf.family, "B", 10)
    title = f"{expense['vendor']}   {money(expense['amount_minor'], expense['currency'])}"
    pdf.multi_cell(0, 5, pdf.fit(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 9)
    details = [
        f"{expense['spent_on']}  ·  {lines.get(expense['budget_line_id'] or '', 'no budget line')}",
        f"Paid by {facts.person(expense['paid_by']) or 'unknown'}"
        f" ({expense['payment_method'].replace('_', ' ')})  ·  {expense['status']}",
        expense["note"],
    ]
    for text in filter(None, details):
        pdf.set_x(text_x)
        pdf.multi_cell(0, 4.5, pdf.fit(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + THUMB_MM) + 3)
    pdf.set_draw_color(200, 200, 200)
    pdf.line(left, pdf.get_y() - 1.5, pdf.w - pdf.r_margin, pdf.get_y() - 1.5)


def _thumbnail(blobs: BlobStore, sha: str | None) -> io.BytesIO | None:
    """The stored thumbnail, else the photo itself; None when this device lacks both."""
    if not sha:
        return None
    thumb = blobs.thumb_path(sha)
    if thumb.is_file():
        return io.BytesIO(thumb.read_bytes())
    return io.BytesIO(blobs.read(sha)) if blobs.has(sha) else None


def _line_names(store: Store, production_id: str) -> dict[str, str]:
    return {line["id"]: line["category"] for line in budget_lines(store, production_id)}


def _totals(expenses: list[dict[str, Any]]) -> dict[str, int]:
    return totals_by(expenses, lambda _: "all").get("all", {})
