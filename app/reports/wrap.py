"""The wrap report: the whole production in a few pages, for the debrief.

Budget against actual per line (per currency, never converted), where the money went,
what gear was lost, damaged or is still out, every incident, how the checklists were
kept, and how far each day ran over. A plain synchronous function returning PDF bytes.
"""

from __future__ import annotations

from datetime import datetime

from app.budget import budget_summary, petty_cash_floats, totals_by_payment_method
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


def wrap_report_pdf(store: Store, production_id: str, *, now: datetime) -> bytes:
    facts = production_facts(store, production_id)
    record = facts.record
    pdf = ReportPDF(
        f"Wrap report: {record['name']}",
        f"{record['starts_on']} to {record['ends_on']}  ·  {len(facts.days)} days  ·  "
        f"{len(facts.people)} crew  ·  printed {now.astimezone(facts.zone):%Y-%m-%d %H:%M}",
    )
    _budget(pdf, store, facts)
    _gear(pdf, store, facts, now)
    pdf.heading("Incidents and notes")
    pdf.data_table(
        ["Day", "Severity", "Note", "Status"],
        [
            [n["written_on"], n["severity"], f"{n['title']}\n{n['body']}".strip(), n["status"]]
            for n in notes(store, facts)
        ],
        [14, 10, 64, 12],
    )
    _checklists(pdf, store, facts)
    _days(pdf, store, facts)
    return pdf.to_bytes()


def _budget(pdf: ReportPDF, store: Store, facts: ProductionFacts) -> None:
    summary = budget_summary(store, facts.record["id"])
    pdf.heading("Budget against actual")
    rows = [
        [
            line.category,
            money(line.allocated_minor, line.currency),
            money(line.spent_minor, line.currency),
            money(line.remaining_minor, line.currency),
            _used(line.spent_minor, line.allocated_minor),
            money_list(line.other_currencies),
        ]
        for line in summary.lines
    ]
    rows += [
        [
            f"Total {currency}",
            money(total.allocated_minor, currency),
            money(total.spent_minor, currency),
            money(total.remaining_minor, currency),
            _used(total.spent_minor, total.allocated_minor),
            "",
        ]
        for currency, total in summary.totals.items()
    ]
    pdf.data_table(
        ["Budget line", "Allocated", "Spent", "Remaining", "Used", "Other currencies"],
        rows,
        [28, 18, 18, 18, 8, 18],
        align="LRRRRR",
        empty="No budget lines.",
    )
    if summary.unassigned:
        pdf.paragraph(f"Spent on no budget line: {money_list(summary.unassigned)}", muted=True)
    pdf.heading("Spend by payment method")
    methods = totals_by_payment_method(store, facts.record["id"])
    pdf.data_table(
        ["Payment method", "Spent"],
        [[method.replace("_", " "), money_list(amounts)] for method, amounts in methods.items()],
        [40, 60],
        empty="No expenses.",
    )
    pdf.heading("Petty-cash floats")
    pdf.data_table(
        ["Person", "Issued", "Spent", "Balance (owed if negative)"],
        [
            [
                facts.person(person) or "(nobody named)",
                money(balance.issued_minor, currency),
                money(balance.spent_minor, currency),
                money(balance.balance_minor, currency),
            ]
            for person, balances in petty_cash_floats(store, facts.record["id"]).items()
            for currency, balance in balances.items()
        ],
        [30, 20, 20, 20],
        align="LRRR",
        empty="No petty cash was issued.",
    )


def _used(spent: int, allocated: int) -> str:
    """How much of an allocation is spent, in whole percent ("" when nothing was allocated)."""
    return f"{100 * spent // allocated}%" if allocated else ""


def _gear(pdf: ReportPDF, store: Store, facts: ProductionFacts, now: datetime) -> None:
    gear = gear_facts(store, facts, now)
    pdf.heading("Gear lost, damaged or in repair")
    rows = [[item["name"], item["serial"], c.status, flag_note(item, c)]
            for item, c in gear.flagged]
    rows += [
        [e["item"], "", f"damage reported by {facts.person(e['person_id'])}", e["note"]]
        for e in gear.damage_reports
    ]
    pdf.data_table(["Item", "Serial", "State", "Note"], rows, [30, 16, 20, 40])
    pdf.heading(f"Gear still out: {gear.count.out_words}, {gear.count.overdue_words}")
    pdf.data_table(
        ["Item", "Held by", "Due", ""],
        [
            [
                line.title,
                facts.person(line.custody.holder_id),
                facts.when(line.custody.due_at),
                "Late" if line in gear.overdue else "",
            ]
            for line in gear.out
        ],
        [50, 22, 18, 10],
        empty="All gear is back.",
    )


def _checklists(pdf: ReportPDF, store: Store, facts: ProductionFacts) -> None:
    progress = checklists(store, facts)
    done = sum(p.progress.done for p in progress)
    total = sum(p.progress.total for p in progress)
    pdf.heading(f"Checklist completion ({done} of {total} items)")
    pdf.data_table(
        ["Day", "Checklist", "Location", "Done", "Required open", "Signed off by"],
        [[p.checklist["day"] or "", *p.cells(facts)] for p in progress],
        [14, 24, 24, 15, 12, 18],
    )


def _days(pdf: ReportPDF, store: Store, facts: ProductionFacts) -> None:
    """Per day: items done, and how late the day wrapped against the plan."""
    pdf.heading("Days: planned against actual")
    rows = []
    for day in facts.days:
        items = day_items(store, facts.record["id"], day)
        finished = [i for i in items if i["status"] == "done"]
        last = max(items, key=lambda i: i["planned_end"] or i["planned_start"], default=None)
        late = minutes_late(last["planned_end"], last["actual_end"]) if last else None
        rows.append(
            [
                facts.day_label(day),
                f"{len(finished)} of {len(items)}",
                facts.clock(last["planned_end"]) if last else "",
                facts.clock(last["actual_end"]) if last else "",
                "" if late is None else f"{late:+d} min",
            ]
        )
    pdf.data_table(
        ["Day", "Items done", "Planned wrap", "Actual wrap", "Over"], rows, [40, 14, 14, 14, 10]
    )
