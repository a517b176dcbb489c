"""Expenses: recording what was spent, the approval workflow, and petty-cash floats.

An expense is money in integer minor units with its own currency; it is entered as a
draft (often offline, with a receipt photo), submitted, then approved or rejected by the
coordinator, and reimbursed when a crew member paid out of their own pocket.

Petty-cash floats use the existing schema rather than a new collection: handing a crew
member cash is an ``expenses`` record with ``payment_method`` :data:`FLOAT_ISSUE`, the
recipient in ``paid_by``, no budget line and status ``approved``. It is money moved, not
money spent, so budget figures leave it out, and a person's float is what was issued to
them minus their petty-cash expenses (see :func:`app.budget.petty_cash_floats`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from app.models import EXPENSE_STATUSES, PAYMENT_METHODS, insert_record, update_record
from app.store import Store
from app.store.transaction import Transaction

FLOAT_ISSUE = "float_issue"
FLOAT_VENDOR = "Petty cash float"

DRAFT, SUBMITTED, APPROVED, REIMBURSED, REJECTED = (
    "draft",
    "submitted",
    "approved",
    "reimbursed",
    "rejected",
)

# Where each status may go next. A submitted expense can be withdrawn to draft to fix
# it; a rejected one is reopened as a draft, corrected and submitted again.
TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SUBMITTED}),
    SUBMITTED: frozenset({APPROVED, REJECTED, DRAFT}),
    APPROVED: frozenset({REIMBURSED}),
    REJECTED: frozenset({DRAFT}),
    REIMBURSED: frozenset(),
}

# Fields a person may change on a draft; status and production move through the workflow.
EDITABLE_FIELDS = frozenset(
    {"amount_minor", "currency", "spent_on", "vendor", "budget_line_id", "payment_method"}
    | {"paid_by", "note", "receipt", "proposed_fields", "changed_fields"}
)


class ExpenseError(ValueError):
    """An expense change the workflow does not allow; the message says why."""


@dataclass(frozen=True)
class ExpenseEntry:
    """What a person types on the expense form (the amount already parsed by app.money)."""

    amount_minor: int
    currency: str
    spent_on: str
    vendor: str
    payment_method: str
    paid_by: str
    budget_line_id: str | None = None
    note: str = ""
    receipt: str | None = None
    # Fields a receipt reading proposed, and those of them the person then changed.
    proposed_fields: list[str] = field(default_factory=list)
    changed_fields: list[str] = field(default_factory=list)


def record_expense(store: Store, production_id: str, entry: ExpenseEntry) -> str:
    """Store a new draft expense; its receipt photo is queued for upload with it."""
    fields = {**asdict(entry), "production_id": production_id, "status": DRAFT}
    with store.transaction() as tx:
        _check_entry(tx, fields)
        expense_id = insert_record(tx, "expenses", fields)
        _queue_receipt(tx, fields)
    return expense_id


def update_expense(store: Store, expense_id: str, changes: dict[str, Any]) -> None:
    """Change a draft; anything past draft must be withdrawn or reopened first."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ExpenseError(f"these expense fields cannot be edited: {', '.join(sorted(unknown))}")
    with store.transaction() as tx:
        current = _get(tx, expense_id)
        if current["status"] != DRAFT:
            raise ExpenseError(f"only a draft can be edited; this expense is {current['status']}")
        merged = {**current, **changes}
        _check_entry(tx, merged)
        update_record(tx, "expenses", expense_id, changes)
        _queue_receipt(tx, changes)


def set_status(store: Store, expense_id: str, status: str) -> None:
    """Move an expense along the workflow, refusing any step :data:`TRANSITIONS` lacks."""
    with store.transaction() as tx:
        current = _get(tx, expense_id)
        old = current["status"]
        if is_float_issue(current):
            raise ExpenseError("a petty-cash float has no approval workflow")
        if status not in EXPENSE_STATUSES:
            raise ExpenseError(f"unknown expense status {status!r}")
        if status not in TRANSITIONS.get(old, frozenset()):
            allowed = ", ".join(sorted(TRANSITIONS.get(old, ()))) or "nothing"
            raise ExpenseError(f"a {old} expense cannot become {status} (it can become {allowed})")
        if status == REIMBURSED and current["payment_method"] != "personal":
            raise ExpenseError(
                "only expenses paid personally are reimbursed; this one was paid by "
                + current["payment_method"].replace("_", " ")
            )
        update_record(tx, "expenses", expense_id, {"status": status})


def issue_float(
    store: Store,
    production_id: str,
    person_id: str,
    amount_minor: int,
    currency: str,
    issued_on: str,
    note: str = "",
) -> str:
    """Record petty cash handed to ``person_id`` (see the module docstring)."""
    fields = float_issue_fields(production_id, person_id, amount_minor, currency, issued_on, note)
    with store.transaction() as tx:
        return insert_record(tx, "expenses", fields)


def float_issue_fields(
    production_id: str,
    person_id: str,
    amount_minor: int,
    currency: str,
    issued_on: str,
    note: str = "",
) -> dict[str, Any]:
    """The expense record that stands for cash handed to ``person_id``."""
    if amount_minor <= 0:
        raise ExpenseError("a float must be more than zero")
    return {
        "production_id": production_id,
        "amount_minor": amount_minor,
        "currency": currency,
        "spent_on": issued_on,
        "vendor": FLOAT_VENDOR,
        "budget_line_id": None,
        "payment_method": FLOAT_ISSUE,
        "paid_by": person_id,
        "note": note,
        "receipt": None,
        "status": APPROVED,
    }


def delete_draft(store: Store, expense_id: str) -> None:
    """Discard a draft; submitted expenses stay on record (reject them instead)."""
    with store.transaction() as tx:
        if _get(tx, expense_id)["status"] != DRAFT:
            raise ExpenseError("only a draft can be deleted; reject a submitted expense")
        tx.delete("expenses", expense_id)


def is_float_issue(expense: dict[str, Any]) -> bool:
    return expense.get("payment_method") == FLOAT_ISSUE


def _get(tx: Transaction, expense_id: str) -> dict[str, Any]:
    expense = tx.get("expenses", expense_id)
    if expense is None:
        raise ExpenseError(f"no expense {expense_id}")
    return expense


def _check_entry(tx: Transaction, fields: dict[str, Any]) -> None:
    """The rules the schema cannot express: a real spend, paid a known way, by someone,
    on a budget line of the same production (a line in another currency is allowed:
    budget figures report such expenses apart instead of summing them)."""
    if fields["payment_method"] not in PAYMENT_METHODS:
        raise ExpenseError(
            f"payment method must be one of {', '.join(PAYMENT_METHODS)},"
            f" not {fields['payment_method']!r}"
        )
    if isinstance(fields["amount_minor"], int) and fields["amount_minor"] <= 0:
        raise ExpenseError("an expense amount must be more than zero")
    if not fields["paid_by"]:
        raise ExpenseError("say who paid (paid_by)")
    line_id = fields.get("budget_line_id")
    line = tx.get("budget_lines", line_id) if line_id else None
    if line is not None and line["production_id"] != fields["production_id"]:
        raise ExpenseError(f"budget line {line['category']!r} belongs to another production")


def _queue_receipt(tx: Transaction, fields: dict[str, Any]) -> None:
    if fields.get("receipt"):
        tx.queue_blob(fields["receipt"])
