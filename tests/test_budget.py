from __future__ import annotations

import pytest

from app.budget import (
    add_budget_line,
    budget_summary,
    petty_cash_floats,
    totals_by_day,
    totals_by_payment_method,
    totals_by_person,
    update_budget_line,
)
from app.expenses import (
    REJECTED,
    SUBMITTED,
    ExpenseEntry,
    issue_float,
    record_expense,
    set_status,
)
from app.models import ValidationError
from app.store import Store

PRODUCTION = "prod-1"


def spend(
    store: Store,
    amount: int,
    *,
    line: str | None = None,
    currency: str = "EUR",
    day: str = "2026-05-01",
    method: str = "company_card",
    person: str = "ana",
) -> str:
    entry = ExpenseEntry(
        amount_minor=amount,
        currency=currency,
        spent_on=day,
        vendor="Vendor",
        payment_method=method,
        paid_by=person,
        budget_line_id=line,
    )
    return record_expense(store, PRODUCTION, entry)


def test_line_figures_and_totals_per_currency(store: Store) -> None:
    catering = add_budget_line(store, PRODUCTION, "Catering", 100_000, "EUR")
    transport = add_budget_line(store, PRODUCTION, "Transport", 50_000, "EUR")
    spend(store, 30_000, line=catering)
    spend(store, 45_000, line=catering, day="2026-05-02")
    spend(store, 60_000, line=transport)
    spend(store, 5_000, line=catering, currency="CHF")
    spend(store, 2_500)

    summary = budget_summary(store, PRODUCTION)

    by_category = {line.category: line for line in summary.lines}
    assert by_category["Catering"].spent_minor == 75_000
    assert by_category["Catering"].remaining_minor == 25_000
    assert by_category["Catering"].other_currencies == {"CHF": 5_000}
    assert by_category["Transport"].remaining_minor == -10_000
    assert summary.unassigned == {"EUR": 2_500}
    assert summary.totals["EUR"].allocated_minor == 150_000
    assert summary.totals["EUR"].spent_minor == 137_500
    assert summary.totals["EUR"].remaining_minor == 12_500
    assert (summary.totals["CHF"].allocated_minor, summary.totals["CHF"].spent_minor) == (0, 5_000)


def test_day_range_limits_the_spend_not_the_allocation(store: Store) -> None:
    line = add_budget_line(store, PRODUCTION, "Catering", 100_000, "EUR")
    spend(store, 1_000, line=line, day="2026-05-01")
    spend(store, 2_000, line=line, day="2026-05-02")
    spend(store, 4_000, line=line, day="2026-05-03")
    one_day = budget_summary(store, PRODUCTION, first_day="2026-05-02", last_day="2026-05-02")
    to_date = budget_summary(store, PRODUCTION, last_day="2026-05-02")
    assert one_day.lines[0].spent_minor == 2_000
    assert to_date.lines[0].spent_minor == 3_000
    assert to_date.lines[0].allocated_minor == 100_000


def test_rejected_expenses_and_float_issues_are_not_spend(store: Store) -> None:
    line = add_budget_line(store, PRODUCTION, "Catering", 10_000, "EUR")
    rejected = spend(store, 7_000, line=line)
    set_status(store, rejected, SUBMITTED)
    set_status(store, rejected, REJECTED)
    issue_float(store, PRODUCTION, "ana", 20_000, "EUR", "2026-05-01")
    spend(store, 1_000, line=line)
    summary = budget_summary(store, PRODUCTION)
    assert summary.lines[0].spent_minor == 1_000
    assert summary.totals["EUR"].spent_minor == 1_000


def test_other_productions_are_left_out(store: Store) -> None:
    add_budget_line(store, "other", "Catering", 99_000, "EUR")
    record_expense(
        store,
        "other",
        ExpenseEntry(500, "EUR", "2026-05-01", "V", "personal", "ana"),
    )
    summary = budget_summary(store, PRODUCTION)
    assert (summary.lines, summary.unassigned, summary.totals) == ([], {}, {})


def test_totals_per_day_person_and_payment_method(store: Store) -> None:
    spend(store, 100, day="2026-05-01", person="ana", method="petty_cash")
    spend(store, 200, day="2026-05-01", person="bo", method="personal")
    spend(store, 300, day="2026-05-02", person="ana", method="petty_cash")
    spend(store, 5, day="2026-05-02", person="ana", currency="JPY", method="petty_cash")
    assert totals_by_day(store, PRODUCTION) == {
        "2026-05-01": {"EUR": 300},
        "2026-05-02": {"EUR": 300, "JPY": 5},
    }
    assert totals_by_person(store, PRODUCTION) == {
        "ana": {"EUR": 400, "JPY": 5},
        "bo": {"EUR": 200},
    }
    assert totals_by_payment_method(store, PRODUCTION) == {
        "personal": {"EUR": 200},
        "petty_cash": {"EUR": 400, "JPY": 5},
    }


def test_petty_cash_float_is_issued_minus_petty_cash_spent(store: Store) -> None:
    issue_float(store, PRODUCTION, "ana", 20_000, "EUR", "2026-05-01")
    issue_float(store, PRODUCTION, "ana", 5_000, "EUR", "2026-05-02")
    spend(store, 4_500, person="ana", method="petty_cash")
    spend(store, 9_999, person="ana", method="company_card")
    spend(store, 1_200, person="bo", method="petty_cash")
    floats = petty_cash_floats(store, PRODUCTION)
    assert floats["ana"]["EUR"].issued_minor == 25_000
    assert floats["ana"]["EUR"].spent_minor == 4_500
    assert floats["ana"]["EUR"].balance_minor == 20_500
    assert floats["bo"]["EUR"].balance_minor == -1_200


def test_budget_line_validation_and_update(store: Store) -> None:
    with pytest.raises(ValidationError):
        add_budget_line(store, PRODUCTION, "Catering", -1, "EUR")
    with pytest.raises(ValidationError):
        add_budget_line(store, PRODUCTION, "  ", 100, "EUR")
    line = add_budget_line(store, PRODUCTION, "Catering", 100, "EUR")
    update_budget_line(store, line, {"allocated_minor": 500})
    with pytest.raises(ValueError, match="another production"):
        update_budget_line(store, line, {"production_id": "other"})
    with pytest.raises(ValidationError):
        update_budget_line(store, line, {"currency": "EURO"})
    assert budget_summary(store, PRODUCTION).lines[0].allocated_minor == 500
