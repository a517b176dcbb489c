"""The Expenses destination: list with totals, expense form, receipts, budget, floats,
and report exports. ``expenses_screen`` is what ``views.destinations`` plugs in."""

from views.expenses.screen import expenses_screen

__all__ = ["expenses_screen"]
