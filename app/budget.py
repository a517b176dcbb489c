"""Budget lines and the money figures a coordinator watches: spent against allocated.

Every figure is kept per currency. A budget line has one currency; an expense booked
on it in another currency is listed beside the line (``other_currencies``) and never
converted or added in, because an exchange rate guessed on set is a wrong number.

What counts as spent: every expense except rejected ones and petty-cash float issues
(cash handed to a person is money moved, not spent; see :mod:`app.expenses`). Drafts
and submitted expenses count, because the money is gone before anyone approves it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from app.expenses import REJECTED, is_float_issue
from app.models import insert_record, update_record
from app.store import Store

Money = dict[str, int]
"""Amounts by currency code: {"EUR": 123450, "USD": 2000}."""


@dataclass(frozen=True)
class LineSummary:
    line_id: str
    category: str
    currency: str
    allocated_minor: int
    spent_minor: int
    other_currencies: Money = field(default_factory=dict)

    @property
    def remaining_minor(self) -> int:
        """Negative when the line is overspent."""
        return self.allocated_minor - self.spent_minor


@dataclass(frozen=True)
class CurrencyTotal:
    allocated_minor: int
    spent_minor: int

    @property
    def remaining_minor(self) -> int:
        return self.allocated_minor - self.spent_minor


@dataclass(frozen=True)
class BudgetSummary:
    lines: list[LineSummary]
    unassigned: Money
    """Spend with no budget line (or a line this device has not received yet)."""
    totals: dict[str, CurrencyTotal]
    """Per currency: every line allocated in it and every expense paid in it."""


@dataclass(frozen=True)
class FloatBalance:
    issued_minor: int
    spent_minor: int

    @property
    def balance_minor(self) -> int:
        """Cash the person should still hold; negative means they are owed money."""
        return self.issued_minor - self.spent_minor


def add_budget_line(
    store: Store, production_id: str, category: str, allocated_minor: int, currency: str
) -> str:
    fields = {
        "production_id": production_id,
        "category": category,
        "allocated_minor": allocated_minor,
        "currency": currency,
    }
    with store.transaction() as tx:
        return insert_record(tx, "budget_lines", fields)


def update_budget_line(store: Store, line_id: str, changes: dict[str, Any]) -> None:
    """Rename a line or change its allocation (or currency); the production stays."""
    if "production_id" in changes:
        raise ValueError("a budget line cannot move to another production")
    with store.transaction() as tx:
        update_record(tx, "budget_lines", line_id, changes)


def budget_lines(store: Store, production_id: str) -> list[dict[str, Any]]:
    lines = [r for r in store.all("budget_lines") if r["production_id"] == production_id]
    return sorted(lines, key=lambda line: line["category"].casefold())


def spending(
    store: Store,
    production_id: str,
    *,
    first_day: str | None = None,
    last_day: str | None = None,
    include_rejected: bool = False,
) -> list[dict[str, Any]]:
    """The expenses that count as spent, optionally within days (inclusive), by date.
    ``include_rejected`` adds the rejected ones, for listings that show them apart."""
    found = [
        e
        for e in store.all("expenses")
        if e["production_id"] == production_id
        and (include_rejected or e["status"] != REJECTED)
        and not is_float_issue(e)
        and (first_day is None or e["spent_on"] >= first_day)
        and (last_day is None or e["spent_on"] <= last_day)
    ]
    return sorted(found, key=lambda e: (e["spent_on"], e["id"]))


def budget_summary(
    store: Store, production_id: str, *, first_day: str | None = None, last_day: str | None = None
) -> BudgetSummary:
    """Allocated / spent / remaining per line and per currency; days limit the spend."""
    lines = budget_lines(store, production_id)
    by_line: dict[str | None, Money] = defaultdict(lambda: defaultdict(int))
    spent_total: Money = defaultdict(int)
    for expense in spending(store, production_id, first_day=first_day, last_day=last_day):
        by_line[expense["budget_line_id"]][expense["currency"]] += expense["amount_minor"]
        spent_total[expense["currency"]] += expense["amount_minor"]
    summaries = []
    for line in lines:
        spent = dict(by_line.pop(line["id"], {}))
        summaries.append(
            LineSummary(
                line_id=line["id"],
                category=line["category"],
                currency=line["currency"],
                allocated_minor=line["allocated_minor"],
                spent_minor=spent.pop(line["currency"], 0),
                other_currencies=spent,
            )
        )
    unassigned: Money = defaultdict(int)
    for money in by_line.values():
        for currency, amount in money.items():
            unassigned[currency] += amount
    allocated: Money = defaultdict(int)
    for line in lines:
        allocated[line["currency"]] += line["allocated_minor"]
    totals = {
        currency: CurrencyTotal(allocated.get(currency, 0), spent_total.get(currency, 0))
        for currency in sorted(allocated.keys() | spent_total.keys())
    }
    return BudgetSummary(summaries, dict(unassigned), totals)


def totals_by(
    expenses: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], str]
) -> dict[str, Money]:
    """Sum amounts per ``key(expense)`` and currency: the one grouping all totals use."""
    totals: dict[str, Money] = {}
    for expense in expenses:
        money = totals.setdefault(key(expense), {})
        money[expense["currency"]] = money.get(expense["currency"], 0) + expense["amount_minor"]
    return dict(sorted(totals.items()))


def totals_by_day(store: Store, production_id: str) -> dict[str, Money]:
    return totals_by(spending(store, production_id), lambda e: e["spent_on"])


def totals_by_person(store: Store, production_id: str) -> dict[str, Money]:
    """Keyed by the ``paid_by`` person id ("" when nobody was named)."""
    return totals_by(spending(store, production_id), lambda e: e["paid_by"] or "")


def totals_by_payment_method(store: Store, production_id: str) -> dict[str, Money]:
    return totals_by(spending(store, production_id), lambda e: e["payment_method"])


def petty_cash_floats(store: Store, production_id: str) -> dict[str, dict[str, FloatBalance]]:
    """Per person and currency: float issued, petty cash spent, and what is left."""
    issued = totals_by(
        (
            e
            for e in store.all("expenses")
            if e["production_id"] == production_id and is_float_issue(e)
        ),
        lambda e: e["paid_by"] or "",
    )
    spent = totals_by(
        (e for e in spending(store, production_id) if e["payment_method"] == "petty_cash"),
        lambda e: e["paid_by"] or "",
    )
    return {
        person: {
            currency: FloatBalance(
                issued.get(person, {}).get(currency, 0), spent.get(person, {}).get(currency, 0)
            )
            for currency in sorted(issued.get(person, {}).keys() | spent.get(person, {}).keys())
        }
        for person in sorted(issued.keys() | spent.keys())
    }
