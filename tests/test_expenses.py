from __future__ import annotations

from dataclasses import replace

import pytest

from app.expenses import (
    APPROVED,
    DRAFT,
    REIMBURSED,
    REJECTED,
    SUBMITTED,
    ExpenseEntry,
    ExpenseError,
    delete_draft,
    issue_float,
    record_expense,
    set_status,
    update_expense,
)
from app.models import ValidationError
from app.store import Store

RECEIPT = "ab" * 32


@pytest.fixture
def production(store: Store) -> str:
    with store.transaction() as tx:
        return tx.insert(
            "productions",
            {
                "name": "Shoot",
                "starts_on": "2026-05-01",
                "ends_on": "2026-05-03",
                "timezone": "Europe/Berlin",
                "currency": "EUR",
                "archived": False,
            },
        )


def entry(**changes: object) -> ExpenseEntry:
    base = ExpenseEntry(
        amount_minor=1250,
        currency="EUR",
        spent_on="2026-05-01",
        vendor="Café Zoë",
        payment_method="petty_cash",
        paid_by="person-1",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_recorded_expense_is_a_draft_and_queues_its_receipt(store: Store, production: str) -> None:
    expense_id = record_expense(store, production, entry(receipt=RECEIPT))
    stored = store.get("expenses", expense_id)
    assert stored is not None
    assert stored["status"] == DRAFT
    assert (stored["amount_minor"], stored["currency"], stored["vendor"]) == (
        1250,
        "EUR",
        "Café Zoë",
    )
    assert stored["receipt"] == RECEIPT
    assert store.private("_blobs")[RECEIPT]["status"] == "pending"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount_minor": 0}, "more than zero"),
        ({"payment_method": "cheque"}, "payment method"),
        ({"payment_method": "float_issue"}, "payment method"),
        ({"paid_by": ""}, "who paid"),
    ],
)
def test_bad_entries_are_refused_and_store_nothing(
    store: Store, production: str, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ExpenseError, match=message):
        record_expense(store, production, entry(**changes))
    assert store.all("expenses") == []


def test_schema_level_errors_come_from_the_models(store: Store, production: str) -> None:
    with pytest.raises(ValidationError):
        record_expense(store, production, entry(currency="XYZ"))
    with pytest.raises(ValidationError):
        record_expense(store, production, entry(spent_on="yesterday"))
    assert store.all("expenses") == []


def test_budget_line_of_another_production_is_refused(store: Store, production: str) -> None:
    with store.transaction() as tx:
        line = tx.insert(
            "budget_lines",
            {
                "production_id": "other",
                "category": "Catering",
                "allocated_minor": 1000,
                "currency": "EUR",
            },
        )
    with pytest.raises(ExpenseError, match="another production"):
        record_expense(store, production, entry(budget_line_id=line))


def test_full_workflow_for_a_personal_expense(store: Store, production: str) -> None:
    expense_id = record_expense(store, production, entry(payment_method="personal"))
    for status in (SUBMITTED, APPROVED, REIMBURSED):
        set_status(store, expense_id, status)
        assert store.get("expenses", expense_id)["status"] == status  # type: ignore[index]


@pytest.mark.parametrize(
    ("path", "refused", "message"),
    [
        ([], APPROVED, "draft expense cannot become approved"),
        ([], REIMBURSED, "cannot become reimbursed"),
        ([SUBMITTED, APPROVED], DRAFT, "approved expense cannot become draft"),
        ([SUBMITTED, REJECTED], APPROVED, "rejected expense cannot become approved"),
        ([SUBMITTED], "paid", "unknown expense status"),
    ],
)
def test_invalid_transitions_are_refused_and_change_nothing(
    store: Store, production: str, path: list[str], refused: str, message: str
) -> None:
    expense_id = record_expense(store, production, entry(payment_method="personal"))
    for status in path:
        set_status(store, expense_id, status)
    before = store.get("expenses", expense_id)
    with pytest.raises(ExpenseError, match=message):
        set_status(store, expense_id, refused)
    assert store.get("expenses", expense_id) == before


def test_only_personal_spend_is_reimbursed(store: Store, production: str) -> None:
    expense_id = record_expense(store, production, entry(payment_method="company_card"))
    set_status(store, expense_id, SUBMITTED)
    set_status(store, expense_id, APPROVED)
    with pytest.raises(ExpenseError, match="paid personally"):
        set_status(store, expense_id, REIMBURSED)


def test_rejected_expense_is_reopened_edited_and_resubmitted(store: Store, production: str) -> None:
    expense_id = record_expense(store, production, entry())
    set_status(store, expense_id, SUBMITTED)
    with pytest.raises(ExpenseError, match="only a draft can be edited"):
        update_expense(store, expense_id, {"amount_minor": 999})
    set_status(store, expense_id, REJECTED)
    set_status(store, expense_id, DRAFT)
    update_expense(store, expense_id, {"amount_minor": 999, "note": "fixed total"})
    set_status(store, expense_id, SUBMITTED)
    stored = store.get("expenses", expense_id)
    assert stored is not None
    assert (stored["amount_minor"], stored["note"], stored["status"]) == (
        999,
        "fixed total",
        SUBMITTED,
    )


def test_update_refuses_workflow_fields_and_bad_values(store: Store, production: str) -> None:
    expense_id = record_expense(store, production, entry())
    with pytest.raises(ExpenseError, match="status"):
        update_expense(store, expense_id, {"status": APPROVED})
    with pytest.raises(ExpenseError, match="more than zero"):
        update_expense(store, expense_id, {"amount_minor": 0})
    assert store.get("expenses", expense_id)["amount_minor"] == 1250  # type: ignore[index]


def test_float_issue_is_approved_and_outside_the_workflow(store: Store, production: str) -> None:
    float_id = issue_float(store, production, "person-1", 20000, "EUR", "2026-05-01")
    stored = store.get("expenses", float_id)
    assert stored is not None
    assert (stored["payment_method"], stored["status"], stored["budget_line_id"]) == (
        "float_issue",
        APPROVED,
        None,
    )
    with pytest.raises(ExpenseError, match="no approval workflow"):
        set_status(store, float_id, REIMBURSED)
    with pytest.raises(ExpenseError, match="more than zero"):
        issue_float(store, production, "person-1", 0, "EUR", "2026-05-01")


def test_only_drafts_are_deleted(store: Store, production: str) -> None:
    kept = record_expense(store, production, entry())
    set_status(store, kept, SUBMITTED)
    with pytest.raises(ExpenseError, match="only a draft"):
        delete_draft(store, kept)
    dropped = record_expense(store, production, entry())
    delete_draft(store, dropped)
    assert [e["id"] for e in store.all("expenses")] == [kept]


def test_unknown_expense_is_a_clear_error(store: Store) -> None:
    with pytest.raises(ExpenseError, match="no expense"):
        set_status(store, "missing", SUBMITTED)
