"""What the expense list shows: which expenses, in which order, and the totals above it.

Kept free of Flet so the rules (what a filter matches, what counts towards a total) are
tested directly and read in one place. Totals use the budget's definition of spent
(:func:`app.budget.spending`: no rejected expenses, no float issues) so the list, the
budget view and the reports never disagree about a figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.budget import Money, budget_lines, spending, totals_by
from app.expenses import is_float_issue
from app.money import format_amount
from app.productions import list_people
from app.store import Store

ALL = "all"
"""The filter value that matches everything (a dropdown's "All …" option)."""


@dataclass(frozen=True)
class ExpenseFilter:
    """The list's filters; :data:`ALL` in a field means that field does not filter."""

    day: str = ALL
    status: str = ALL
    person: str = ALL

    def matches(self, expense: dict[str, Any]) -> bool:
        return (
            (self.day == ALL or expense["spent_on"] == self.day)
            and (self.status == ALL or expense["status"] == self.status)
            and (self.person == ALL or expense["paid_by"] == self.person)
        )


@dataclass(frozen=True)
class SpendTotals:
    today: Money
    production: Money


def production_expenses(store: Store, production_id: str) -> list[dict[str, Any]]:
    """The production's expenses (float issues are cash handed out, listed apart), newest
    first: by day, then by entry order (ids are time-ordered UUIDv7)."""
    found = [
        e
        for e in store.all("expenses")
        if e["production_id"] == production_id and not is_float_issue(e)
    ]
    return sorted(found, key=lambda e: (e["spent_on"], e["id"]), reverse=True)


def spend_totals(store: Store, production_id: str, today: str) -> SpendTotals:
    """What was spent today and on the whole production, per currency."""
    return SpendTotals(
        today=_sum(spending(store, production_id, first_day=today, last_day=today)),
        production=_sum(spending(store, production_id)),
    )


def money_text(money: Money, *, empty: str = "nothing yet", sep: str = " · ") -> str:
    """``{"EUR": 1250, "GBP": 99}`` -> ``"12.50 EUR · 0.99 GBP"``; never summed across."""
    parts = [format_amount(amount, currency) for currency, amount in sorted(money.items())]
    return sep.join(parts) or empty


def _sum(expenses: list[dict[str, Any]]) -> Money:
    return totals_by(expenses, lambda _: "all").get("all", {})


@dataclass(frozen=True)
class Names:
    """Display names for the ids an expense refers to. ``people`` is the crew to choose
    from; ``former`` names people taken off the crew list whom older expenses name."""

    people: dict[str, str]
    lines: dict[str, str]
    former: dict[str, str] = field(default_factory=dict)

    def person(self, person_id: str | None) -> str:
        key = person_id or ""
        return self.people.get(key) or self.former.get(key, "someone")

    def line(self, line_id: str | None) -> str:
        return self.lines.get(line_id or "", "No budget line")


def production_names(store: Store, production_id: str) -> Names:
    everyone = list_people(store, production_id, include_removed=True)
    return Names(
        people={
            p["id"]: p["name"]
            for p in sorted(everyone, key=lambda p: p["name"].casefold())
            if not p.get("archived")
        },
        lines={line["id"]: line["category"] for line in budget_lines(store, production_id)},
        former={p["id"]: p["name"] for p in everyone if p.get("archived")},
    )
