"""Which figure on a receipt is its total.

Evidence, strongest first, in the languages crews meet: a figure beside a final-total
keyword ("GRAND TOTAL", "TOTAL TTC", "GESAMTBETRAG", "IMPORTE TOTAL", "DA PAGARE"), the
amount paid minus the change given, a subtotal plus its rounding adjustment, then a
figure beside a plain "TOTAL", the sum of the item lines, and the largest such figure.
Subtotals, tax lines, change, quantities and the tax summary at the foot never count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.receipts.amounts import line_amounts, parse_amount_text
from app.receipts.reading import Proposal, TextLine
from app.receipts.rows import Row, group_rows

_FINAL = re.compile(
    r"grand\s*total|total\s*(?:due|payable|to\s*pay|a\s*pagar|à\s*payer|a\s*payer|ttc|amount)"
    r"|amount\s*(?:due|payable)|balance\s*due|net[t]?\s*(?:to\s*pay|total)|à\s*payer"
    r"|net\s*à\s*payer|montant\s*ttc|gesamt\s*(?:betrag|summe)?|zu\s*zahlen|endbetrag"
    r"|importe\s*total|total\s*a\s*pagar|totale|da\s*pagare|importo|te\s*betalen|totaal"
    r"|att\s*betala|do\s*zapłaty|celkem|yhteensä|jumlah|(?:after|atf)\s*(?:rounding|adj|rnd)"
    r"|rounded\s*total",
    re.I,
)
_TOTAL = re.compile(r"\btotal|\bttl\b|summe|\bsuma\b|\bsumma\b|betrag|importe|montant|totalt",
                    re.I)
_WEAK = re.compile(r"\bamount\b|\bamt\b|\bdue\b|\bnet[t]?\b", re.I)
_INCLUDES_TAX = re.compile(r"\b(?:incl?|inclusive|includ(?:e|es|ing)|inkl|ttc|inc\.)", re.I)
_NOT_TOTAL = re.compile(
    r"sub\s*-?\s*total|zwischen|sous[-\s]*total|subtotale|excl|exclud|exclusive|before\s*tax"
    r"|hors\s*tax|\bht\b|ohne|sin\s*iva|\bqty\b|quantit|\bitems?\b|item\s*count|artikel|anzahl"
    r"|discount|rabatt|remise|descuento|sconto|saving|tender|points?\b|deposit",
    re.I,
)
_TAX = re.compile(r"\b(?:tax|gst|vat|tva|mwst|iva|ust|sst)\b", re.I)
_ROUNDING = re.compile(r"round|\brnd\b|arrondi|rundung|redondeo|arrotond|pembundaran", re.I)
_AFTER_ROUNDING = re.compile(r"after|atf|rounded|nach|après|apres|despu", re.I)
_PAID = re.compile(r"cash|tunai|paid|payment|tendered|\bbar\b|efectivo|esp[eè]ces|contant"
                   r"|visa|master|card|karte|carte|tarjeta", re.I)
_CHANGE = re.compile(r"change|kembali|\bbaki\b|rückgeld|wechselgeld|rendu|monnaie|cambio"
                     r"|vuelto|\bresto\b", re.I)
_CENTS_ONLY = re.compile(r"(?<![\w.,])-?[.,](\d{2})(?![\d.,])")  # a rounding of ".02"
_TAX_SUMMARY = re.compile(r"(?:tax|gst|vat|tva|mwst|iva|ust)\s*(?:summary|analysis|übersicht)"
                          r"|summary\s*of\s*(?:tax|gst|vat)", re.I)


@dataclass(frozen=True)
class _Figure:
    amount: float
    row: int


def _row_figures(row: Row, *, loose: bool = True) -> list[float]:
    """A row's figures; ``loose`` also reads a lone "7-40" box (only beside a keyword)."""
    if not loose:
        return parse_amount_text(row.text)
    return [a for line in row.lines for a in line_amounts(line)]


def _keyword_weight(text: str) -> float:
    """How strongly a row's words say "this is the total" (0: they do not)."""
    if _NOT_TOTAL.search(text) or (_CHANGE.search(text) and not _FINAL.search(text)):
        return 0.0
    includes_tax = bool(_INCLUDES_TAX.search(text))
    if _ROUNDING.search(text) and not _AFTER_ROUNDING.search(text):
        return 0.0
    if _TAX.search(text) and not includes_tax:
        return 0.0
    if _FINAL.search(text):
        weight = 3.0
    elif _TOTAL.search(text):
        weight = 2.0
    elif _WEAK.search(text):
        weight = 1.0
    else:
        return 0.0
    return weight + (0.5 if includes_tax else 0.0)


def _same(a: float, b: float) -> bool:
    return abs(a - b) < 0.005


def _figures_near(rows: Sequence[Row], index: int) -> list[float]:
    """A keyword row's figures, or those of the row below when its figure wrapped."""
    figures = _row_figures(rows[index])
    if not figures and index + 1 < len(rows):
        below = rows[index + 1].text
        if not any(p.search(below) for p in (_FINAL, _TOTAL, _WEAK, _PAID, _CHANGE, _TAX)):
            figures = _row_figures(rows[index + 1])
    return figures


def _paid_minus_change(rows: Sequence[Row]) -> tuple[float, bool] | None:
    """What was paid minus the change given, and whether any change was given."""
    paid = change = None
    for index, row in enumerate(rows):
        text = row.text
        figures = _figures_near(rows, index)
        if not figures:
            continue
        if _CHANGE.search(text) and change is None:
            change = figures[-1]
        elif _PAID.search(text) and not _CHANGE.search(text) and paid is None:
            paid = figures[-1]
    if paid is None or change is None or change < 0 or paid <= change:
        return None
    return round(paid - change, 2), change > 0


def _item_sum(rows: Sequence[Row], first_total: int) -> float | None:
    """The sum of the item lines: the rightmost figure of each worded row above the totals."""
    items = [
        _row_figures(row)[-1]
        for row in rows[:first_total]
        if _row_figures(row) and sum(ch.isalpha() for ch in row.text) >= 3
    ]
    return round(sum(items), 2) if len(items) >= 2 else None


def propose_total(lines: Sequence[TextLine]) -> Proposal[float] | None:
    """The receipt's total, with how many kinds of evidence agree on it."""
    rows = group_rows(lines)
    summary = next((r.index for r in rows if _TAX_SUMMARY.search(r.text)), len(rows))
    rows_before_summary = rows[:summary]
    scores: dict[float, float] = {}
    everywhere = [_Figure(a, r.index) for r in rows for a in _row_figures(r, loose=False)]

    def vote(amount: float, weight: float) -> None:
        scores[amount] = scores.get(amount, 0.0) + weight

    keyword_rows: list[int] = []
    for index, row in enumerate(rows_before_summary):
        weight = _keyword_weight(row.text)
        if weight == 0:
            continue
        keyword_rows.append(index)
        for amount in _figures_near(rows_before_summary, index):
            if amount > 0 or weight >= 3:
                scores[amount] = max(scores.get(amount, 0.0), weight)

    settled = _paid_minus_change(rows_before_summary)
    if settled is not None:
        amount, with_change = settled
        if any(_same(f.amount, amount) for f in everywhere) or not with_change:
            vote(amount, 3.0 if with_change else 1.0)

    for row in rows_before_summary:
        if not (_ROUNDING.search(row.text) and not _AFTER_ROUNDING.search(row.text)):
            continue
        adjustments = [a for a in _row_figures(row) if 0 < abs(a) < 1] + [
            float(f"0.{cents}") for cents in _CENTS_ONLY.findall(row.text)]
        before = [f for f in everywhere if f.row < row.index]
        after = [f for f in everywhere if row.index < f.row < summary]
        for adjustment in adjustments:
            for x in before:
                for y in after:
                    if y.amount != x.amount and (
                        _same(x.amount + adjustment, y.amount)
                        or _same(x.amount - adjustment, y.amount)
                    ):
                        vote(y.amount, 1.5)

    if keyword_rows:
        summed = _item_sum(rows_before_summary, keyword_rows[0])
        if summed is not None and summed in scores:
            vote(summed, 1.0)

    if not scores:
        amounts = [f.amount for f in everywhere if f.amount > 0]
        return Proposal(max(amounts), 0.2) if amounts else None
    best = max(scores, key=lambda amount: (scores[amount], amount))
    return Proposal(best, round(min(0.95, 0.3 + scores[best] * 0.15), 2))
