"""Extraction rules on hand-made OCR lines (receipts of several countries, not the corpus)."""

from __future__ import annotations

import datetime as dt

from app.receipts.extract import extract, propose_date, propose_total, propose_vendor
from app.receipts.reading import TextLine


def _lines(*rows: str | tuple[str, str], height: float = 20) -> list[TextLine]:
    """One TextLine per row (a pair is left and right text on the same printed row)."""
    out: list[TextLine] = []
    for index, row in enumerate(rows):
        top = index * 30
        if isinstance(row, tuple):
            out.append(TextLine(row[0], (0, top, 200, top + height)))
            out.append(TextLine(row[1], (300, top, 400, top + height)))
        else:
            out.append(TextLine(row, (0, top, 400, top + height)))
    return out


def test_grand_total_beats_subtotal_tax_and_change() -> None:
    lines = _lines("Coffee 3.50", ("Subtotal", "12.00"), ("Tax", "0.96"),
                   ("GRAND TOTAL", "12.96"), ("Cash", "20.00"), ("Change", "7.04"))
    total = propose_total(lines)
    assert total is not None and total.value == 12.96


def test_german_gesamt_with_comma_decimals() -> None:
    lines = _lines("Brot 2,49", ("SUMME", "EUR 14,90"), "MwSt 19% 2,38")
    reading = extract(lines, currency="USD")
    assert reading.total_minor is not None and reading.total_minor.value == 1490
    assert reading.currency is not None and reading.currency.value == "EUR"


def test_amount_on_the_row_below_the_keyword() -> None:
    total = propose_total(_lines("TOTAL TTC", "45.20", "TVA 20% 7.53"))
    assert total is not None and total.value == 45.20


def test_currency_defaults_to_the_production() -> None:
    reading = extract(_lines("Total 9.99"), currency="CAD")
    assert reading.currency is not None and reading.currency.value == "CAD"


def test_date_orders_and_locale_tie_break() -> None:
    assert propose_date(_lines("03/04/2025"), day_first=True).value == dt.date(2025, 4, 3)
    assert propose_date(_lines("03/04/2025"), day_first=False).value == dt.date(2025, 3, 4)
    assert propose_date(_lines("25/12/2024"), day_first=False).value == dt.date(2024, 12, 25)
    assert propose_date(_lines("2024-12-25 18:04")).value == dt.date(2024, 12, 25)
    assert propose_date(_lines("Date: 7 Mar 2025")).value == dt.date(2025, 3, 7)


def test_no_date_is_no_proposal() -> None:
    assert propose_date(_lines("Thank you")) is None


def test_vendor_is_the_header_line_not_the_address() -> None:
    lines = [TextLine("ACME HARDWARE LTD", (0, 0, 400, 40)),
             TextLine("12 High Street 55012", (0, 50, 400, 70)),
             TextLine("Tel 0123 456789", (0, 80, 400, 100))]
    vendor = propose_vendor(lines)
    assert vendor is not None and vendor.value == "ACME HARDWARE LTD"
