"""Rules that turn OCR lines into proposed total, date and vendor, for receipts anywhere.

Nothing here is tuned to one shop or country: :mod:`~app.receipts.totals` weighs total
keywords in several languages and the arithmetic a receipt prints, :mod:`~app.receipts.dates`
reads dates in every common order with the production's locale breaking ties, and
:mod:`~app.receipts.vendor` takes the most header-like line near the top.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from app.money import CURRENCY_EXPONENTS
from app.receipts.amounts import parse_amount_text, propose_currency
from app.receipts.dates import propose_date
from app.receipts.reading import Proposal, ReceiptReading, TextLine
from app.receipts.totals import propose_total
from app.receipts.vendor import propose_vendor

__all__ = ["extract", "parse_amount_text", "propose_currency", "propose_date",
           "propose_total", "propose_vendor"]


def extract(lines: Sequence[TextLine], *, currency: str, day_first: bool = True,
            today: dt.date | None = None) -> ReceiptReading:
    """All proposals for one receipt's OCR lines."""
    currency_proposal = propose_currency(lines, currency)
    total = propose_total(lines)
    exponent = CURRENCY_EXPONENTS.get(currency_proposal.value, 2)
    total_minor = (Proposal(round(total.value * 10**exponent), total.confidence)
                   if total is not None else None)
    return ReceiptReading(
        total_minor=total_minor,
        currency=currency_proposal,
        spent_on=propose_date(lines, day_first=day_first, today=today),
        vendor=propose_vendor(lines),
        lines=tuple(lines),
    )
