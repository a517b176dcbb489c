"""Which line of a receipt names the shop: the most header-like one near the top.

Header-like means near the top, in lettering as big as or bigger than the rest, mostly
letters, in capitals, and carrying a company form ("LTD", "GmbH", "S.A.", "SDN BHD") if
any line does. Addresses, phone and fax numbers, tax and company registration numbers and
the receipt's own words ("TAX INVOICE", "Receipt no") are never the vendor. A name the
printer broke over two lines is joined again, and the registration number that often
follows a company's name in brackets is left off.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.receipts.reading import Proposal, TextLine
from app.receipts.rows import Row, group_rows, typical_height

HEADER_ROWS = 10
_COMPANY_FORM = re.compile(
    r"\b(?:sdn\.?\s*bhd|bhd|s/b|ltd|limited|llc|l\.?l\.?c|inc|incorporated|corp|corporation"
    r"|co\.|company|gmbh|ag|kg|ohg|e\.?k|s\.?a\.?s?|s\.?l\.?|s\.?r\.?l|s\.?p\.?a|sarl|bv|nv"
    r"|plc|pty|oy|ab|as|a/s|aps|sp\.?\s*z\s*o\.?\s*o|s\.?r\.?o|lda|enterprise|trading)\b\.?",
    re.I,
)
_ADDRESS = re.compile(
    r"\b(?:jalan|jln|lorong|taman|street|st\.|road|rd\.?|avenue|ave\.?|blvd|lane|way|drive"
    r"|stra(?:ss|ß)e|str\.|weg|platz|rue|avenue|bd|via|viale|piazza|calle|avda|plaza|rua"
    r"|no\.?\s*\d|lot\b|level|floor|unit|suite|building|mall|centre|center|plaza|batu"
    r"|bandar|kawasan|seksyen|\d{4,6}\s+[A-Za-z])",
    re.I,
)
_CONTACT_OR_ID = re.compile(
    r"tel|fax|phone|mobile|hp\b|\+\d|www|http|@|e-?mail|gst|vat|tva|mwst|ust-?id|nif|cif"
    r"|siret|abn|ein|tax|reg\b|reg\.|registration|co\.?\s*no|company\s*no|roc\b|\bid\b",
    re.I,
)
_RECEIPT_WORDS = re.compile(
    r"invoice|receipt|bill\b|order|date|time|cashier|table|counter|thank|welcome|guest"
    r"|quittung|rechnung|beleg|facture|ticket|recibo|factura|scontrino|ricevuta|kassenbon",
    re.I,
)
_TRAILING_ID = re.compile(r"\s*[\(\[][^()\[\]]*\d[^()\[\]]*[\)\]]?\s*$")


def _clean(text: str) -> str:
    """The name without the registration number in brackets after it."""
    return _TRAILING_ID.sub("", text).strip(" ,;:-")


def _is_name_like(text: str) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    digits = sum(ch.isdigit() for ch in text)
    if letters < 3 or letters < 2 * digits:
        return False
    return not (_ADDRESS.search(text) or _CONTACT_OR_ID.search(text)
                or _RECEIPT_WORDS.search(text))


def _is_company_name(text: str) -> bool:
    """A line with a company form is a name unless it is a contact, an id or an address."""
    has_digits = any(ch.isdigit() for ch in text)
    return not (_CONTACT_OR_ID.search(text) or (has_digits and _ADDRESS.search(text)))


def _capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) / len(letters) > 0.8


def _continues(above: Row, row: Row, height: float) -> bool:
    """``above`` is the first half of the name on ``row``: capitals of the same size, just above."""
    above_text = _clean(above.text)
    return (
        _is_name_like(above_text)
        and not _COMPANY_FORM.search(above_text)
        and _capitals(above_text)
        and _capitals(row.text)
        and 0.7 <= above.height / row.height <= 1.4
        and row.top - above.bottom < 0.6 * height
    )


def propose_vendor(lines: Sequence[TextLine]) -> Proposal[str] | None:
    """The vendor's name as printed, with how header-like its line is."""
    rows = group_rows(lines)[:HEADER_ROWS]
    height = typical_height(group_rows(lines))
    best: tuple[float, str] | None = None
    for position, row in enumerate(rows):
        text = _clean(row.text)
        company = bool(_COMPANY_FORM.search(text))
        if not (_is_company_name(text) if company else _is_name_like(text)):
            continue
        if company and position and _continues(rows[position - 1], row, height):
            text = f"{_clean(rows[position - 1].text)} {text}"
        score = (min(row.height / height, 2.5) / (1 + 0.15 * position)
                 + (1.5 if company else 0.0) + (0.2 if _capitals(text) else 0.0))
        if best is None or score > best[0]:
            best = (score, text)
    if best is None:
        return None
    return Proposal(best[1], round(min(0.9, 0.3 + best[0] * 0.2), 2))
