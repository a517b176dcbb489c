"""Money figures as receipts print them, and the currency printed beside them.

Figures have two decimals after a point or a comma ("12.50", "1.234,50", "1 234,50"); a
decimal mark OCR read as "=" still counts, and so, for a figure standing alone in its box,
do "-" and ":" ("7-40"); a zero OCR read as a letter in the decimals ("1.0O") too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.money import CURRENCY_EXPONENTS
from app.receipts.reading import Proposal, TextLine

_AMOUNT = re.compile(
    r"(?<![\d.,])-?\d{1,3}(?:[,.\s]\d{3})+[.,=][\dOoDUQ]{2}(?![\d.,]*\d)"
    r"|(?<![\d.,:/])-?\d+[.,=][\dOoDUQ]{2}(?![\d:]|[.,]\d)"
)
_STANDALONE = re.compile(r"\s*(?:RM|[$€£¥])?\s*(-?\d{1,6})[-:](\d{2})\s*")
_FIGURE = r"-?\d[\d.,\s]*[.,]\d{2}"
_CODE_BY_AMOUNT = re.compile(
    rf"(?<![A-Z])(?P<before>[A-Z]{{3}})\s*{_FIGURE}|{_FIGURE}\s*(?P<after>[A-Z]{{3}})(?![A-Z])"
)
_SYMBOL_CURRENCY = {"€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "RM": "MYR", "₩": "KRW",
                    "KČ": "CZK", "ZŁ": "PLN", "FR.": "CHF"}
_SYMBOLS = "|".join(re.escape(s) for s in _SYMBOL_CURRENCY)
_SYMBOL_BY_AMOUNT = re.compile(
    rf"(?<![A-Za-z])(?P<sym_before>{_SYMBOLS})\s*{_FIGURE}|{_FIGURE}\s*(?P<sym_after>{_SYMBOLS})",
    re.I,
)
_ZERO_LIKE = str.maketrans("OoDUQ", "00000")


def parse_amount_text(text: str) -> list[float]:
    """Every money-looking figure in ``text``, as floats in major units."""
    found: list[float] = []
    for match in _AMOUNT.finditer(text):
        raw = re.sub(r"\s", "", match.group())
        whole = re.sub(r"[.,]", "", raw[:-3])
        found.append(float(f"{whole}.{raw[-2:].translate(_ZERO_LIKE)}"))
    return found


def line_amounts(line: TextLine) -> list[float]:
    """The figures of one OCR box, reading a lone "7-40" or "0:60" as money too."""
    found = parse_amount_text(line.text)
    if not found:
        alone = _STANDALONE.fullmatch(line.text)
        if alone:
            found = [float(f"{alone[1]}.{alone[2]}")]
    return found


def propose_currency(lines: Sequence[TextLine], default: str) -> Proposal[str]:
    """The currency printed beside an amount (a code or a symbol), else the production's.

    A code counts only next to a figure: "SDN BHD" ends a Malaysian company name and is
    not Bahraini dinars.
    """
    for line in lines:
        text = line.text.upper()
        for match in _CODE_BY_AMOUNT.finditer(text):
            code = match.group("before") or match.group("after")
            if code in CURRENCY_EXPONENTS:
                return Proposal(code, 0.8)
        for match in _SYMBOL_BY_AMOUNT.finditer(line.text):
            symbol = match.group("sym_before") or match.group("sym_after")
            return Proposal(_SYMBOL_CURRENCY[symbol.upper()], 0.6)
    return Proposal(default, 0.3)
