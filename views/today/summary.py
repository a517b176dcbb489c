"""The strip above the timeline: checklists, gear and money for the day at a glance.

Each figure comes from the service that defines it (progress from ``app.checklists``,
out and overdue from ``app.custody``, spend from ``app.budget``), so Today never
disagrees with the Checklists, Gear or Expenses screens or with the daily report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import flet as ft

from app.budget import budget_summary
from app.checklists import checklists_for_day, progress
from app.custody import OutCount, all_custody, count_out
from app.productions import list_people
from app.reports.facts import money_list
from app.store import Store


@dataclass(frozen=True)
class DaySummary:
    checks_done: int
    checks_total: int
    required_open: int
    gear: OutCount
    """Items out with the production's people, and how many of them are overdue."""
    spent_today: dict[str, int]
    """Per currency: what was spent on the day."""
    budget: dict[str, tuple[int, int]]
    """Per currency: (spent up to and including the day, allocated)."""


def day_summary(store: Store, production_id: str, day: str, now: datetime) -> DaySummary:
    done = total = required_open = 0
    for checklist in checklists_for_day(store, production_id, day):
        p = progress(store, checklist["id"])
        done, total = done + p.done, total + p.total
        required_open += p.required_total - p.required_done
    crew = {person["id"] for person in list_people(store, production_id)}
    today = budget_summary(store, production_id, first_day=day, last_day=day)
    to_date = budget_summary(store, production_id, last_day=day)
    return DaySummary(
        checks_done=done,
        checks_total=total,
        required_open=required_open,
        gear=count_out(all_custody(store).values(), now, holders=crew),
        spent_today={cur: t.spent_minor for cur, t in today.totals.items() if t.spent_minor},
        budget={cur: (t.spent_minor, t.allocated_minor) for cur, t in to_date.totals.items()},
    )


Line = tuple[str, bool]
"""A tile's line and whether it is a warning (shown in the error colour)."""


def _tile(icon: ft.IconData, title: str, lines: list[Line]) -> ft.Control:
    return ft.Container(
        col={"xs": 4},
        padding=10,
        border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_HIGH,
        content=ft.Column(
            [
                ft.Row(
                    [
                        ft.Icon(icon, color=ft.Colors.PRIMARY, size=18),
                        ft.Text(title, theme_style=ft.TextThemeStyle.LABEL_LARGE),
                    ],
                    spacing=6,
                ),
                *(
                    ft.Text(
                        text,
                        size=13,
                        color=ft.Colors.ERROR if alert else ft.Colors.ON_SURFACE_VARIANT,
                        weight=ft.FontWeight.BOLD if alert else None,
                    )
                    for text, alert in lines
                ),
            ],
            spacing=2,
        ),
    )


def day_word(day: str, today: str) -> str:
    """How the strip names the day shown: today, tomorrow, yesterday or its date."""
    offset = (date.fromisoformat(day) - date.fromisoformat(today)).days
    named = {0: "today", 1: "tomorrow", -1: "yesterday"}
    shown = date.fromisoformat(day)
    return named.get(offset) or f"on {shown:%a} {shown.day} {shown:%b}"


def day_title(day: str, today: str) -> str:
    """The app bar's heading for the day shown: "Today" only on the production's today,
    else "Tomorrow", "Yesterday" or the day's date ("Sat 5 Dec")."""
    word = day_word(day, today).removeprefix("on ")
    return word[0].upper() + word[1:]


def summary_strip(summary: DaySummary, when: str = "today") -> ft.Control:
    """Three compact tiles side by side, readable at a glance on a phone; only what
    needs someone (required items open, gear overdue, a budget overspent) is in red.
    ``when`` names the day shown (see :func:`day_word`)."""
    checks: list[Line] = [(f"None {when}", False)]
    if summary.checks_total:
        checks = [
            (f"{summary.checks_done}/{summary.checks_total} done", False),
            (f"{summary.required_open} required open", summary.required_open > 0),
        ]
    gear = [(summary.gear.out_words, False),
            (summary.gear.overdue_words, summary.gear.overdue > 0)]  # fmt: skip
    spend: list[Line] = [(f"{money_list(summary.spent_today) or 'Nothing'} {when}", False)]
    for currency, (spent, allocated) in summary.budget.items():
        if allocated:
            used = f"{round(100 * spent / allocated)}% of {currency} budget"
            spend.append((used, spent > allocated))
    return ft.ResponsiveRow(
        [
            _tile(ft.Icons.CHECKLIST, "Checklists", checks),
            _tile(ft.Icons.INVENTORY_2, "Gear", gear),
            _tile(ft.Icons.RECEIPT_LONG, "Spend", spend),
        ],
        spacing=8,
        run_spacing=8,
    )
