"""Extraction rules on hand-made OCR lines (receipts of several countries, not the corpus)."""

from __future__ import annotations

import datetime as dt

from app.receipts.extract import extract, propose_date, propose_total, propose_vendor
from app.receipts.locale import day_first
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


def test_paid_minus_change_beats_a_subtotal() -> None:
    lines = _lines(("Pan 2 x 3.90", "7.80"), ("Leche", "8.00"), ("SUBTOTAL", "15.80"),
                   ("EFECTIVO", "20.00"), ("CAMBIO", "4.20"), ("IVA 10%", "1.44"))
    total = propose_total(lines)
    assert total is not None and total.value == 15.80


def test_the_rounded_total_beats_the_sum_before_rounding() -> None:
    lines = _lines(("Item A", "4.48"), ("Item B", "4.48"), ("Total incl. tax", "8.96"),
                   ("Rounding adj", "-0.01"), ("Total after rounding", "8.95"),
                   ("Card", "8.95"))
    total = propose_total(lines)
    assert total is not None and total.value == 8.95


def test_the_tax_summary_at_the_foot_is_not_the_total() -> None:
    lines = _lines(("Gesamtbetrag", "EUR 23,80"), "MwSt-Übersicht",
                   ("Netto", "20,00"), ("Total", "30,00"))
    total = propose_total(lines)
    assert total is not None and total.value == 23.80


def test_a_decimal_point_read_as_dash_beside_total() -> None:
    total = propose_total(_lines(("TOTAL", "7-40"), ("CASH", "8-00"), ("CHANGE", "0:60")))
    assert total is not None and total.value == 7.40


def test_a_time_glued_to_the_year_and_an_expiry_date() -> None:
    assert propose_date(_lines("20/08/1712:48")).value == dt.date(2017, 8, 20)
    assert propose_date(_lines("05/01/20174:47:51 PM")).value == dt.date(2017, 1, 5)
    lines = _lines("Card expiry: 31/08/20", "Date 14/06/2019 10:02")
    assert propose_date(lines).value == dt.date(2019, 6, 14)


def test_a_future_date_gives_way_to_today_or_before() -> None:
    lines = _lines("Valid 01/02/2031", "Sold 03/01/2026")
    assert propose_date(lines, today=dt.date(2026, 1, 5)).value == dt.date(2026, 1, 3)


def test_a_company_name_broken_over_two_lines_without_its_number() -> None:
    lines = [TextLine("THE GREEN KITCHEN", (0, 0, 400, 40)),
             TextLine("& BAKERY LTD (0812345)", (0, 44, 400, 84)),
             TextLine("14 Harbour Road", (0, 90, 400, 110)),
             TextLine("VAT No GB123456789", (0, 120, 400, 140))]
    vendor = propose_vendor(lines)
    assert vendor is not None and vendor.value == "THE GREEN KITCHEN & BAKERY LTD"


def test_a_logo_line_above_a_mixed_case_company_is_left_alone() -> None:
    lines = [TextLine("Burger Place", (0, 0, 400, 40)),
             TextLine("Airport Terminal 2", (0, 45, 400, 85)),
             TextLine("Foodco Host GmbH (HRB 1234)", (0, 90, 400, 130))]
    vendor = propose_vendor(lines)
    assert vendor is not None and vendor.value == "Foodco Host GmbH"


def test_the_production_time_zone_decides_the_date_order() -> None:
    assert day_first({"timezone": "Europe/Lisbon"}) and day_first({"timezone": "Asia/Tokyo"})
    assert not day_first({"timezone": "America/Los_Angeles"})
    assert not day_first({"timezone": "America/Indiana/Indianapolis"})
