"""Which date a receipt was issued on.

Dates in every common order (day/month/year, month/day/year, year-month-day, "7 Mar 2025",
"Mar 7, 2025"), with the production's locale deciding the order when both read as real
dates. A date printed beside a time or a "Date" label is the sale's; an expiry or a
validity date is not; a date after today is not either. OCR often glues the time to the
year ("20/08/1712:48"), which still reads as 20 Aug 2017 at 12:48.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Sequence

from app.receipts.reading import Proposal, TextLine
from app.receipts.rows import group_rows

# A year, or a year with the time glued on: "2017", "17", "201711:01", "1712:48".
_GLUED = r"(?=\d{1,2}:\d{2})"
_YEAR = rf"(\d{{4}}{_GLUED}|\d{{2}}{_GLUED}|\d{{4}}(?!\d)|\d{{2}}(?!\d))"
_NUMERIC = re.compile(
    rf"(?<!\d)(\d{{4}})[./\-](\d{{1,2}})[./\-](\d{{1,2}})(?:(?!\d)|{_GLUED})"
    rf"|(?<![\d.])(\d{{1,2}})\s?([./\-])\s?(\d{{1,2}})\s?\5\s?{_YEAR}"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        ["jan ene gen", "feb fév fev", "mar mär mrz", "apr avr abr", "may mai mag mei",
         "jun jui giu", "jul lug", "aug aoû aou ago", "sep set", "oct okt ott out",
         "nov", "dec déc dez dic"],
        start=1,
    )
    for name in names.split()
}
_MONTH = r"([A-Za-zÀ-ÿ]{3})[A-Za-zÀ-ÿ]*\.?"
_NAMED = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?[\s\-/.]*{_MONTH}[\s\-/.,]*{_YEAR}"
    rf"|{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}"
)
TIME = re.compile(r"\d{1,2}:\d{2}")
_DATE_LABEL = re.compile(r"date|datum|fecha|data|tarikh|日期", re.I)
_NOT_SALE = re.compile(r"expir|exp\b|valid|until|bis\b|best\s*before|due\s*date|period"
                       r"|\bto\b|\s-\s", re.I)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _numeric(text: str, day_first: bool) -> list[tuple[dt.date, float]]:
    found: list[tuple[dt.date, float]] = []
    for match in _NUMERIC.finditer(text):
        y4, m4, d4, a, _, b, y = match.groups()
        if y4:
            orders = [(int(y4), int(m4), int(d4))]
        else:
            dmy, mdy = (_year(y), int(b), int(a)), (_year(y), int(a), int(b))
            orders = [dmy, mdy] if day_first else [mdy, dmy]
        for rank, (year, month, day) in enumerate(orders):
            with contextlib.suppress(ValueError):
                found.append((dt.date(year, month, day), 1.0 if rank == 0 else 0.8))
                break
    return found


def _named(text: str) -> list[tuple[dt.date, float]]:
    found: list[tuple[dt.date, float]] = []
    for match in _NAMED.finditer(text):
        d1, m1, y1, m2, d2, y2 = match.groups()
        day, month, year = (d1, m1, y1) if d1 else (d2, m2, y2)
        number = _MONTHS.get(month.lower())
        if number:
            with contextlib.suppress(ValueError):
                found.append((dt.date(_year(year), number, int(day)), 1.0))
    return found


def date_candidates(text: str, day_first: bool) -> list[tuple[dt.date, float]]:
    """Every date ``text`` shows, each with how likely it is the date of the sale."""
    found = _numeric(text, day_first) + _named(text)
    bonus = 0.3 * bool(TIME.search(text)) + 0.3 * bool(_DATE_LABEL.search(text))
    penalty = 0.8 if _NOT_SALE.search(text) else 0.0
    return [(date, score + bonus - penalty) for date, score in found]


def propose_date(lines: Sequence[TextLine], *, day_first: bool = True,
                 today: dt.date | None = None) -> Proposal[dt.date] | None:
    """The receipt's date; ``day_first`` comes from the production's locale, ``today`` caps it."""
    found = [c for row in group_rows(lines) for c in date_candidates(row.text, day_first)]
    found = [c for c in found if 1990 <= c[0].year <= 2100]
    if today is not None:
        found = [c for c in found if c[0] <= today] or found
    if not found:
        return None
    date, score = max(found, key=lambda c: c[1])
    return Proposal(date, round(min(0.95, max(0.3, score * 0.6)), 2))
