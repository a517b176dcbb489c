"""QR label sheets as PDF: Avery L7160 (A4), Avery 5160 (US Letter), 62x29 mm roll labels.

Codes are drawn as filled vector rectangles, not embedded bitmaps, so they print with
sharp module edges at any printer resolution; a resampled bitmap smears the edges and
a worn label then stops scanning sooner. Sheet geometry is data (the published Avery
margins and pitch), and ``layout`` is a pure function so tests can check it against the
rendered page.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import qrcode
from fpdf import FPDF
from qrcode.constants import ERROR_CORRECT_M

MM_PER_INCH = 25.4
PT_TO_MM = MM_PER_INCH / 72
QUIET_ZONE_MODULES = 2
"""White modules kept round the code inside the label; the label edge and the gap to the
next label add more. Four is the standard; two is what fits on a 1-inch label."""


@dataclass(frozen=True)
class SheetFormat:
    """Geometry of one label stock in millimetres, as printed on the box."""

    name: str
    page_width: float
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    left_margin: float
    top_margin: float
    pitch_x: float
    pitch_y: float
    padding: float
    font_pt: float

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


def _inches(value: float) -> float:
    return value * MM_PER_INCH


AVERY_L7160 = SheetFormat(
    name="Avery L7160 (A4, 21 per sheet)",
    page_width=210.0, page_height=297.0, columns=3, rows=7,
    label_width=63.5, label_height=38.1, left_margin=7.21, top_margin=15.15,
    pitch_x=66.04, pitch_y=38.1, padding=1.5, font_pt=7.0,
)  # fmt: skip
AVERY_5160 = SheetFormat(
    name="Avery 5160 (US Letter, 30 per sheet)",
    page_width=_inches(8.5), page_height=_inches(11), columns=3, rows=10,
    label_width=_inches(2.625), label_height=_inches(1), left_margin=_inches(0.1875),
    top_margin=_inches(0.5), pitch_x=_inches(2.75), pitch_y=_inches(1), padding=1.0,
    font_pt=5.5,
)  # fmt: skip
ROLL_62X29 = SheetFormat(
    name="Roll label 62x29 mm (one per page)",
    page_width=62.0, page_height=29.0, columns=1, rows=1,
    label_width=62.0, label_height=29.0, left_margin=0.0, top_margin=0.0,
    pitch_x=62.0, pitch_y=29.0, padding=1.5, font_pt=6.0,
)  # fmt: skip

FORMATS: dict[str, SheetFormat] = {
    "avery-l7160": AVERY_L7160,
    "avery-5160": AVERY_5160,
    "roll-62x29": ROLL_62X29,
}


@dataclass(frozen=True)
class Label:
    payload: str
    name: str
    short_code: str


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Placement:
    """Where one label goes: its page (0-based), its outline and its code's square.

    ``code`` is the square of the dark modules only (quiet zone excluded), which is what
    a scanner or a test sees on the rendered page.
    """

    page: int
    label: Rect
    code: Rect


def line_height(fmt: SheetFormat) -> float:
    """One line of label text at the format's font size, with leading."""
    return fmt.font_pt * PT_TO_MM * 1.2


def text_block_height(fmt: SheetFormat) -> float:
    """Two lines (name, short code) under the code."""
    return 2 * line_height(fmt)


def layout(fmt: SheetFormat, count: int, modules: int) -> list[Placement]:
    """Placements for ``count`` labels whose codes are ``modules`` wide, row by row."""
    placements = []
    for index in range(count):
        page, slot = divmod(index, fmt.per_page)
        row, column = divmod(slot, fmt.columns)
        label = Rect(
            fmt.left_margin + column * fmt.pitch_x,
            fmt.top_margin + row * fmt.pitch_y,
            fmt.label_width,
            fmt.label_height,
        )
        placements.append(Placement(page, label, _code_square(fmt, label, modules)))
    return placements


def _code_square(fmt: SheetFormat, label: Rect, modules: int) -> Rect:
    """The largest square above the text block, centred, less the quiet zone."""
    box = min(
        label.height - 2 * fmt.padding - text_block_height(fmt),
        label.width - 2 * fmt.padding,
    )
    module = box / (modules + 2 * QUIET_ZONE_MODULES)
    side = module * modules
    return Rect(
        label.x + (label.width - side) / 2,
        label.y + fmt.padding + module * QUIET_ZONE_MODULES,
        side,
        side,
    )


def qr_matrix(payload: str) -> list[list[bool]]:
    """The module matrix without quiet zone; level M survives scuffs on gear labels."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return code.get_matrix()


def render_labels(labels: list[Label], fmt: SheetFormat) -> bytes:
    """A PDF with ``labels`` placed left to right, top to bottom, as many pages as needed."""
    if not labels:
        raise ValueError("no labels to print")
    matrices = [qr_matrix(label.payload) for label in labels]
    modules = max(len(matrix) for matrix in matrices)
    pdf = FPDF(unit="mm", format=(fmt.page_width, fmt.page_height))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creator("Crewkit")
    pdf.set_fill_color(0, 0, 0)
    for label, matrix, place in zip(
        labels, matrices, layout(fmt, len(labels), modules), strict=True
    ):
        while pdf.page <= place.page:
            pdf.add_page()
        _draw_code(pdf, matrix, place.code, modules)
        _draw_text(pdf, fmt, label, place.label)
    return bytes(pdf.output())


def _draw_code(pdf: FPDF, matrix: list[list[bool]], square: Rect, modules: int) -> None:
    """Each horizontal run of dark modules is one rectangle: fewer seams, smaller PDF.

    A code with fewer modules than the largest on the sheet is drawn at the same module
    size and centred, so every label on a sheet looks alike.
    """
    module = square.width / modules
    offset = (modules - len(matrix)) * module / 2
    for row_index, row in enumerate(matrix):
        y = square.y + offset + row_index * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            run_start = column
            while column < len(row) and row[column]:
                column += 1
            x = square.x + offset + run_start * module
            pdf.rect(x, y, (column - run_start) * module, module, style="F")


def _draw_text(pdf: FPDF, fmt: SheetFormat, label: Label, outline: Rect) -> None:
    height = line_height(fmt)
    width = outline.width - 2 * fmt.padding
    top = outline.y + outline.height - fmt.padding - text_block_height(fmt)
    for line_index, (text, style) in enumerate(((label.name, "B"), (label.short_code, ""))):
        pdf.set_font("helvetica", style=style, size=fmt.font_pt)
        pdf.set_xy(outline.x + fmt.padding, top + line_index * height)
        pdf.cell(width, height, fit_text(pdf, printable(text), width), align="C")


def fit_text(pdf: FPDF, text: str, width: float) -> str:
    """``text`` cut at a word boundary when possible, with "..." if it does not fit."""
    if pdf.get_string_width(text) <= width:
        return text
    cut = text
    while cut and pdf.get_string_width(cut.rstrip() + "...") > width:
        cut = cut[:-1]
    word_end = cut.rfind(" ")
    if word_end > len(cut) * 2 // 3:
        cut = cut[:word_end]
    return cut.rstrip() + "..."


_ASCII_PUNCTUATION = str.maketrans(
    {"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}
)


def printable(text: str) -> str:
    """Latin-1 text for the PDF core font: accents stay, other scripts become "?".

    The core Helvetica needs no font file on the phone; a label name in another script
    still prints its short code and QR, which are what a scan relies on.
    """
    text = " ".join(text.replace("\u2026", "...").translate(_ASCII_PUNCTUATION).split())
    chars = []
    for char in unicodedata.normalize("NFC", text):
        if char.encode("latin-1", errors="ignore"):
            chars.append(char)
        else:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", errors="ignore")
            chars.append(base.decode("latin-1") or "?")
    return "".join(chars)
