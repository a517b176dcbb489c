"""The daily production report (DPR): what was planned, what happened, what it cost.

Read by the producer at the end of a shooting day: the running order with planned and
actual times (how late the day ran), checklist completion, where the gear is, what went
wrong, and the day's spend against each budget line. A plain synchronous function
returning PDF bytes; the UI runs it in a thread.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from app.budget import budget_summary, spending
from app.reports.facts import (
    ProductionFacts,
    checklists,
    flag_note,
    gear_facts,
    minutes_late,
    money,
    money_list,
    notes,
    production_facts,
)
from app.reports.pdf import ReportPDF
from app.schedule import day_items
from app.store import Store


def daily_report_pdf(
    store: Store, production_id: str, day: str, *, now: datetime
) -> bytes:
    """The DPR of ``day`` (YYYY-MM-DD); ``now`` decides what counts as overdue."""
    facts = production_facts(store, production_id)
    pdf = ReportPDF(
        f"Daily production report: {facts.record['name']}",
        f"{facts.day_label(day)}  ·  times in {facts.zone.key}  ·  "
        f"printed {now.astimezone(facts.zone):%Y-%m-%d %H:%M}",
    )
    _schedule(pdf, store, facts, day)
    _checklists(pdf, store, facts, day)
    _gear(pdf, store, facts, day, now)
    _notes(pdf, store, facts, day)
    _spend(pdf, store, facts, day)
    return pdf.to_bytes()


def _late_text(minutes: int | None) -> str:
    if minutes is None:
        return ""
    return "on time" if minutes == 0 else f"{minutes:+d} min"


def _schedule(pdf: ReportPDF, store: Store, facts: ProductionFacts, day: str) -> None:
    pdf.heading("Schedule: planned and actual")
    rows = []
    for item in day_items(store, facts.record["id"], day):
        planned = f"{facts.clock(item['planned_start'])}\u2013{facts.clock(item['planned_end'])}"
        actual = f"{facts.clock(item['actual_start'])}\u2013{facts.clock(item['actual_end'])}"
        rows.append(
            [
                planned,
                actual if item["actual_start"] else "",
                _late_text(minutes_late(item["planned_start"], item["actual_start"])),
                _late_text(minutes_late(item["planned_end"], item["actual_end"])),
                item["title"] + (f"\n{item['notes']}" if item["notes"] else ""),
                facts.location(item["location_id"]),
                item["status"],
            ]
        )
    pdf.data_table(
        ["Planned", "Actual", "Start", "End", "Item", "Location", "Status"],
        rows,
        [15, 15, 12, 12, 36, 20, 10],
        empty="Nothing was scheduled for this day.",
    )


def _checklists(pdf: ReportPDF, store: Store, facts: ProductionFacts, day: str) -> None:
    pdf.heading("Checklists")
    pdf.data_table(
        ["Checklist", "Location", "Done", "Required open", "Signed off by"],
        [p.cells(facts) for p in checklists(store, facts, day)],
        [30, 25, 15, 14, 20],
        empty="No checklists for this day.",
    )


def _gear(pdf: ReportPDF, store: Store, facts: ProductionFacts, day: str, now: datetime) -> None:
    end_of_day = datetime.combine(date.fromisoformat(day) + timedelta(days=1), time(), facts.zone)
    at = min(now, end_of_day)
    gear = gear_facts(store, facts, at, day)
    pdf.heading(
        f"Gear out at {facts.when(at.isoformat())}: {gear.count.out_words}, "
        f"{gear.count.overdue_words}"
    )
    pdf.data_table(
        ["Item", "Held by", "Since", "Due", ""],
        [
            [
                line.title,
                facts.person(line.custody.holder_id),
                facts.when(line.custody.since),
                facts.when(line.custody.due_at),
                "Late" if line in gear.overdue else "",
            ]
            for line in gear.out
        ],
        [45, 20, 17, 17, 11],
        empty="All gear is checked in.",
    )
    pdf.heading("Damaged, in repair or missing")
    rows = [
        [event["item"], "damage reported", facts.person(event["person_id"]), event["note"]]
        for event in gear.damage_reports
    ]
    rows += [
        [item["name"], c.status, "", flag_note(item, c)]
        for item, c in gear.flagged
    ]
    pdf.data_table(["Item", "State", "Reported by", "Note"], rows, [30, 15, 18, 45])


def _notes(pdf: ReportPDF, store: Store, facts: ProductionFacts, day: str) -> None:
    pdf.heading("Notes and incidents")
    rows = [
        [note["severity"], note["title"] + (f"\n{note['body']}" if note["body"] else ""),
         note["status"]]
        for note in notes(store, facts, day)
    ]  # fmt: skip
    pdf.data_table(["Severity", "Note", "Status"], rows, [12, 76, 12], empty="No notes today.")


def _spend(pdf: ReportPDF, store: Store, facts: ProductionFacts, day: str) -> None:
    production_id = facts.record["id"]
    today = budget_summary(store, production_id, first_day=day, last_day=day)
    to_date = budget_summary(store, production_id, last_day=day)
    pdf.heading("Spend of the day against budget")
    rows = []
    for line, cumulative in zip(today.lines, to_date.lines, strict=True):
        rows.append(
            [
                line.category,
                money(line.allocated_minor, line.currency),
                money(line.spent_minor, line.currency),
                money(cumulative.spent_minor, line.currency),
                money(cumulative.remaining_minor, line.currency),
                money_list(line.other_currencies),
            ]
        )
    for currency, cumulative in to_date.totals.items():
        spent_today = today.totals[currency].spent_minor if currency in today.totals else 0
        rows.append(
            [
                f"Total {currency}",
                money(cumulative.allocated_minor, currency),
                money(spent_today, currency),
                money(cumulative.spent_minor, currency),
                money(cumulative.remaining_minor, currency),
                "",
            ]
        )
    pdf.data_table(
        ["Budget line", "Allocated", "Today", "To date", "Remaining", "Other currencies"],
        rows,
        [26, 17, 15, 17, 17, 18],
        align="LRRRRR",
        empty="No budget lines.",
    )
    if today.unassigned:
        pdf.paragraph(f"Spent today on no budget line: {money_list(today.unassigned)}", muted=True)
    expenses = spending(store, production_id, first_day=day, last_day=day)
    pdf.data_table(
        ["Vendor", "Amount", "Paid by", "Method", "Status"],
        [
            [
                e["vendor"],
                money(e["amount_minor"], e["currency"]),
                facts.person(e["paid_by"]),
                e["payment_method"].replace("_", " "),
                e["status"],
            ]
            for e in expenses
        ],
        [34, 16, 18, 14, 12],
        align="LRLLL",
        empty="No expenses today.",
    )
