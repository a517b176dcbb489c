from __future__ import annotations

import csv
import io
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from app.blobs import BlobStore
from app.budget import budget_summary
from app.custody_actions import check_in, check_out
from app.equipment import create_item
from app.expenses import REJECTED
from app.ids import new_id
from app.money import decimal_amount, format_amount
from app.reports.daily import daily_report_pdf
from app.reports.expense_report import expense_report_csv, expense_report_pdf
from app.reports.facts import created_at, gear_facts, minutes_late, production_facts
from app.reports.pdf import ReportPDF
from app.reports.wrap import wrap_report_pdf
from app.sample import load_sample
from app.store import Store

TODAY = date(2026, 11, 28)
NOON = datetime(2026, 11, 28, 12, tzinfo=UTC)


@dataclass
class Sample:
    store: Store
    blobs: BlobStore
    production_id: str


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    root = tmp_path_factory.mktemp("sample")
    store = Store.open(root / "db")
    blobs = BlobStore(root / "blobs")
    yield Sample(store, blobs, load_sample(store, blobs, TODAY))
    store.close()


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def render(pdf: bytes, tmp_path: Path) -> list[Image.Image]:
    """Every page through poppler, as a real viewer would draw it."""
    if shutil.which("pdftoppm") is None:
        pytest.fail(
            "pdftoppm is missing: install Debian's poppler-utils (apt-get install poppler-utils)"
        )
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(source), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(io.BytesIO(pdf)).pages)
    images = [Image.open(page).convert("L") for page in pages]
    for image in images:
        assert image.getextrema()[0] < 100, "a rendered page has no dark ink on it"
    return images


def test_daily_report_of_a_finished_day(sample: Sample, tmp_path: Path) -> None:
    pdf = daily_report_pdf(sample.store, sample.production_id, "2026-11-27", now=NOON)
    render(pdf, tmp_path)
    text = text_of(pdf)
    assert "Day 1 of 3" in text
    assert "Sc. 12: Cabin, night. Rita finds the letter" in text
    assert "08:50" in text and "+20 min" in text  # planned 08:30, started 08:50
    assert "Estúdios Tejo, Stage 2" in text
    assert "Camera A case (Peli 1650) (+9 items in it)" in text
    assert "Late" in text  # the video village was due back at 20:00
    assert "Grip cart" not in text  # checked out on day 2, after this day ended
    spent = (
        budget_summary(
            sample.store, sample.production_id, first_day="2026-11-27", last_day="2026-11-27"
        )
        .totals["EUR"]
        .spent_minor
    )
    assert format_amount(spent, "EUR") in text
    assert "Sabores do Tejo Catering" in text


def test_daily_report_of_today_shows_open_work_and_notes(sample: Sample, tmp_path: Path) -> None:
    pdf = daily_report_pdf(sample.store, sample.production_id, "2026-11-28", now=NOON)
    render(pdf, tmp_path)
    text = text_of(pdf)
    assert "Sc. 3: Beach, sunrise" in text
    assert "Grip cart" in text and "Kenji Watanabe" in text
    assert "Tide times at Adraga" in text
    assert "Praia da Adraga" in text


def test_daily_report_of_an_empty_day_says_so(sample: Sample, tmp_path: Path) -> None:
    pdf = daily_report_pdf(sample.store, sample.production_id, "2026-12-24", now=NOON)
    render(pdf, tmp_path)
    assert "Nothing was scheduled for this day." in text_of(pdf)


def test_wrap_report(sample: Sample, tmp_path: Path) -> None:
    pdf = wrap_report_pdf(sample.store, sample.production_id, now=NOON)
    render(pdf, tmp_path)
    text = text_of(pdf)
    summary = budget_summary(sample.store, sample.production_id)
    for line in summary.lines:
        assert line.category in text
        assert format_amount(line.allocated_minor, line.currency) in text
    assert format_amount(summary.totals["EUR"].spent_minor, "EUR") in text
    assert "28.99 GBP" in text  # kept apart from the EUR lines
    assert 'C-stand 40" #3' in text and "missing" in text
    assert "Aputure Light Dome II" in text and "repair" in text
    assert "Near miss: cable across a fire exit" in text
    instances = {c["id"] for c in sample.store.all("checklists") if not c["is_template"]}
    ticks = [i for i in sample.store.all("checklist_items") if i["checklist_id"] in instances]
    done = sum(1 for i in ticks if i["done"])
    assert f"Checklist completion ({done} of {len(ticks)} items)" in text
    assert "Inês Carvalho" in text


def test_reports_embed_a_unicode_font() -> None:
    data = ReportPDF("Zoë\u2019s report", "Café 12 €").to_bytes()
    page = PdfReader(io.BytesIO(data)).pages[0]
    fonts = [str(font.get_object()["/BaseFont"]) for font in page["/Resources"]["/Font"].values()]
    assert fonts and all("DejaVuSans" in name for name in fonts)
    text = text_of(data)
    assert "Zoë\u2019s report" in text and "Café 12 €" in text


def test_without_the_font_files_reports_still_render(tmp_path: Path) -> None:
    pdf = ReportPDF("Zoë\u2019s report", "Café €", font_dir=tmp_path / "missing")
    pdf.data_table(["Vendor", "Amount"], [["Câmara €", "1.00 EUR"]], [50, 50])
    data = pdf.to_bytes()
    render(data, tmp_path)
    text = text_of(data)
    assert "Zoë?s report" in text and "Câmara EUR" in text


def test_expense_csv_lists_every_counted_expense(sample: Sample) -> None:
    rows = list(csv.DictReader(io.StringIO(expense_report_csv(sample.store, sample.production_id))))
    expenses = [
        e
        for e in sample.store.all("expenses")
        if e["payment_method"] != "float_issue" and e["status"] != REJECTED
    ]
    assert len(rows) == len(expenses)
    assert {r["expense_id"] for r in rows} == {e["id"] for e in expenses}
    eur = sum(int(r["amount_minor"]) for r in rows if r["currency"] == "EUR")
    assert eur == budget_summary(sample.store, sample.production_id).totals["EUR"].spent_minor
    permit = next(r for r in rows if r["vendor"] == "Câmara Municipal de Sintra")
    assert (permit["amount"], permit["paid_by"], permit["budget_line"]) == (
        "350.00", "João Almeida", "Locations and permits")  # fmt: skip
    with_rejected = expense_report_csv(sample.store, sample.production_id, include_rejected=True)
    assert len(list(csv.DictReader(io.StringIO(with_rejected)))) == len(rows) + 1


def test_expense_pdf_shows_a_thumbnail_per_receipt(sample: Sample, tmp_path: Path) -> None:
    pdf = expense_report_pdf(sample.store, sample.blobs, sample.production_id, now=NOON)
    render(pdf, tmp_path)
    reader = PdfReader(io.BytesIO(pdf))
    images = sum(len(page.images) for page in reader.pages)
    rows = list(csv.DictReader(io.StringIO(expense_report_csv(sample.store, sample.production_id))))
    assert images == sum(1 for r in rows if r["receipt_sha256"])
    text = text_of(pdf)
    assert "Feira da Ladra stall 41" in text and "Totals by budget line" in text


def test_expense_pdf_without_the_photo_on_this_device(sample: Sample, tmp_path: Path) -> None:
    pdf = expense_report_pdf(
        sample.store, BlobStore(tmp_path / "empty"), sample.production_id, now=NOON
    )
    assert "not synced" in text_of(pdf)
    assert sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages) == 0


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [(12345, "EUR", "123.45"), (5, "EUR", "0.05"), (1200, "JPY", "1200"), (1005, "KWD", "1.005")],
)
def test_csv_amounts_are_plain_decimals(minor: int, currency: str, text: str) -> None:
    assert decimal_amount(minor, currency) == text


def test_minutes_late_and_note_dates() -> None:
    # 09:50 in Paris is 08:50 in Lisbon: twenty minutes late, whatever the offsets.
    assert minutes_late("2026-11-27T08:30:00+00:00", "2026-11-27T09:50:00+01:00") == 20
    assert minutes_late("2026-11-27T08:30:00+00:00", "2026-11-27T08:25:00+00:00") == -5
    assert minutes_late("2026-11-27T08:30:00+00:00", None) is None
    assert created_at("not-a-uuid") is None
    assert created_at("6ba7b810-9dad-11d1-80b4-00c04fd430c8") is None  # a UUIDv1
    before = datetime.now(UTC)
    made = created_at(new_id())
    assert made is not None and abs((made - before).total_seconds()) < 5


def test_daily_report_lists_an_item_checked_in_damaged_with_its_note(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db")
    production_id = load_sample(store, BlobStore(tmp_path / "blobs"), TODAY)
    item = create_item(store, name="Apple box set", currency="EUR")
    check_out(store, item, "someone", at=datetime(2026, 11, 28, 8, tzinfo=UTC))
    check_in(store, item, condition="damaged", note="lid cracked", at=NOON - timedelta(hours=1))

    facts = production_facts(store, production_id)
    flagged = gear_facts(store, facts, NOON, "2026-11-28").flagged
    assert [(i["name"], c.status) for i, c in flagged if i["id"] == item] == [
        ("Apple box set", "damaged")
    ]
    text = text_of(daily_report_pdf(store, production_id, "2026-11-28", now=NOON))
    assert "Apple box set" in text and "lid cracked" in text
    store.close()
