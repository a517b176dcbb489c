"""Rules that turn OCR lines into proposed total, date and vendor, for receipts anywhere.

Nothing here is tuned to one shop or country: totals are found by keywords in several
languages and the largest amount beside them (or an amount equal to the sum of the item
lines), dates in every common order with the production's locale breaking ties, and the
vendor as the most header-like line near the top.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Sequence

from app.money import CURRENCY_EXPONENTS
from app.receipts.reading import Proposal, ReceiptReading, TextLine

# Strongest first: a "grand total" beats a "total", which beats "amount".
_TOTAL_KEYWORDS: tuple[tuple[str, float], ...] = (
    (r"grand\s*total|total\s*due|amount\s*due|total\s*ttc|gesamt(?:betrag)?|importe\s*total"
     r"|totale|total\s*a\s*pagar|summe|net\s*total|total\s*incl|rounded\s*total", 0.95),
    (r"total|importe|montant|betrag|to\s*pay|balance", 0.8),
    (r"amount|cash|tunai", 0.5),
)
_NOT_TOTAL = re.compile(r"sub\s*-?\s*total|tax|gst|vat|tva|mwst|iva|change|qty|items?|discount"
                        r"|saving|rounding|tender", re.I)
_AMOUNT = re.compile(
    r"(?<![\d.,])-?\d{1,3}(?:[,.\s]\d{3})*[.,]\d{2}(?![\d.,]*\d)|(?<![\d.,])-?\d+[.,]\d{2}(?!\d)"
)
_CODE = re.compile(r"\b(" + "|".join(sorted(CURRENCY_EXPONENTS)) + r")\b")
_SYMBOL_CURRENCY = {"€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "RM": "MYR", "₩": "KRW"}
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,4})[./\-](\d{1,2})[./\-](\d{2,4})(?!\d)")
_NAMED_DATE = re.compile(
    r"(?<!\d)(\d{1,2})[\s\-/.]*([A-Za-z]{3})[A-Za-z]*[\s\-/.,]*(\d{2,4})(?!\d)"
)
_VENDOR_NOISE = re.compile(r"\d{3,}|tel|fax|gst|www|http|@|invoice|receipt|date|no\.|reg", re.I)
_COMPANY_SUFFIX = re.compile(r"\b(sdn|bhd|ltd|llc|inc|gmbh|s\.?a\.?r?l?|plc|co\.|corp|pty|ag|bv)\b",
                             re.I)


def parse_amount_text(text: str) -> list[float]:
    """Every money-looking figure in ``text`` (two decimals), as floats in major units."""
    found: list[float] = []
    for match in _AMOUNT.finditer(text):
        raw = re.sub(r"\s", "", match.group())
        mark = raw[-3]
        whole = re.sub(r"[.,]", "", raw[:-3])
        if mark not in ".,":
            continue
        found.append(float(f"{whole}.{raw[-2:]}"))
    return found


def _rows(lines: Sequence[TextLine]) -> list[list[TextLine]]:
    """Lines grouped into printed rows by vertical overlap, top to bottom."""
    rows: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.box[1] + ln.box[3]) / 2):
        mid = (line.box[1] + line.box[3]) / 2
        if rows:
            last = rows[-1][0]
            if last.box[1] <= mid <= last.box[3]:
                rows[-1].append(line)
                continue
        rows.append([line])
    return [sorted(row, key=lambda ln: ln.box[0]) for row in rows]


def propose_total(lines: Sequence[TextLine]) -> Proposal[float] | None:
    """The total: the largest amount on or just below the strongest total keyword's row."""
    rows = [" ".join(ln.text for ln in row) for row in _rows(lines)]
    best: tuple[float, float] | None = None  # (confidence, amount)
    for index, text in enumerate(rows):
        if _NOT_TOTAL.search(text):
            continue
        for pattern, weight in _TOTAL_KEYWORDS:
            if not re.search(pattern, text, re.I):
                continue
            amounts = parse_amount_text(text) or (
                parse_amount_text(rows[index + 1]) if index + 1 < len(rows) else [])
            if amounts:
                candidate = (weight, max(amounts))
                if best is None or candidate > best:
                    best = candidate
            break
    all_amounts = [a for text in rows for a in parse_amount_text(text)]
    if best is not None:
        confidence = best[0] if best[1] >= max(all_amounts) else best[0] * 0.8
        return Proposal(best[1], round(confidence, 2))
    if all_amounts:
        return Proposal(max(all_amounts), 0.3)
    return None


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _candidates(text: str, day_first: bool) -> list[tuple[dt.date, float]]:
    found: list[tuple[dt.date, float]] = []
    for a, b, c in _NUMERIC_DATE.findall(text):
        if len(a) == 4:
            orders = [(_year(a), int(b), int(c))]
        else:
            dmy, mdy = (_year(c), int(b), int(a)), (_year(c), int(a), int(b))
            orders = [dmy, mdy] if day_first else [mdy, dmy]
        for rank, (y, m, d) in enumerate(orders):
            try:
                found.append((dt.date(y, m, d), 0.9 if rank == 0 else 0.6))
                break
            except ValueError:
                continue
    for d, month, y in _NAMED_DATE.findall(text):
        number = _MONTHS.get(month.lower())
        if number:
            with contextlib.suppress(ValueError):
                found.append((dt.date(_year(y), number, int(d)), 0.95))
    return found


def propose_date(lines: Sequence[TextLine], *, day_first: bool = True,
                 today: dt.date | None = None) -> Proposal[dt.date] | None:
    """The receipt's date; ``day_first`` comes from the production's locale, ``today`` caps it."""
    found = [c for ln in lines for c in _candidates(ln.text, day_first)]
    if today is not None:
        found = [c for c in found if c[0] <= today] or found
    if not found:
        return None
    date, confidence = max(found, key=lambda c: c[1])
    return Proposal(date, confidence)


def propose_vendor(lines: Sequence[TextLine]) -> Proposal[str] | None:
    """The most header-like line: near the top, tall, mostly letters, a company suffix wins."""
    rows = _rows(lines)[:8]
    best: tuple[float, str] | None = None
    for index, row in enumerate(rows):
        text = " ".join(ln.text for ln in row).strip()
        letters = sum(ch.isalpha() for ch in text)
        noisy = letters < 3 or letters / max(len(text), 1) < 0.5 or _VENDOR_NOISE.search(text)
        if noisy and not _COMPANY_SUFFIX.search(text):
            continue
        height = max(ln.box[3] - ln.box[1] for ln in row)
        score = height / (1 + index * 0.35) + (25 if _COMPANY_SUFFIX.search(text) else 0)
        if best is None or score > best[0]:
            best = (score, text)
    if best is None:
        return None
    return Proposal(best[1], 0.8 if _COMPANY_SUFFIX.search(best[1]) else 0.5)


def propose_currency(lines: Sequence[TextLine], default: str) -> Proposal[str]:
    """The currency the receipt prints, else the production's."""
    for line in lines:
        code = _CODE.search(line.text.upper())
        if code:
            return Proposal(code.group(1), 0.8)
        for symbol, currency in _SYMBOL_CURRENCY.items():
            if symbol in line.text:
                return Proposal(currency, 0.6)
    return Proposal(default, 0.3)


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
