"""The page furniture every Crewkit report shares: fonts, title block, headings, tables.

Reports print crew names and vendors as typed ("Zoë", "Câmara Municipal de Sintra",
"€"), so they use DejaVu Sans, shipped in ``assets/fonts`` (Bitstream Vera licence,
see LICENSE-DejaVu.txt) because phones have no such font installed. If the font files
are missing (a packaging mistake), the report still renders with a core PDF font and
text reduced to Latin-1, rather than failing when the coordinator needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FAMILY = "DejaVu"
FALLBACK_FAMILY = "helvetica"
MARGIN_MM = 12
HEADING_FILL = (225, 230, 238)
MUTED = (90, 90, 90)
_LATIN1_SUBSTITUTES = str.maketrans({"€": "EUR", "\u2013": "-", "\u2014": "-", "\u2026": "..."})


class ReportPDF(FPDF):
    """An A4 report with a title block, page numbers, and Unicode text where possible."""

    def __init__(
        self, title: str, subtitle: str = "", *, font_dir: Path = FONT_DIR, landscape: bool = False
    ) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.report_title = title
        self.report_subtitle = subtitle
        self.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        self.set_auto_page_break(auto=True, margin=MARGIN_MM + 4)
        self.set_title(title)
        self.set_creator("Crewkit")
        regular, bold = font_dir / "DejaVuSans.ttf", font_dir / "DejaVuSans-Bold.ttf"
        self.unicode = regular.is_file() and bold.is_file()
        if self.unicode:
            self.add_font(FAMILY, "", str(regular))
            self.add_font(FAMILY, "B", str(bold))
        self.family = FAMILY if self.unicode else FALLBACK_FAMILY
        self.set_font(self.family, size=9)
        self.add_page()
        self._title_block()

    def fit(self, text: object) -> str:
        """``text`` as this document can draw it (Latin-1 only with the fallback font)."""
        value = "" if text is None else str(text)
        if self.unicode:
            return value
        value = value.translate(_LATIN1_SUBSTITUTES)
        return value.encode("latin-1", "replace").decode("latin-1")

    def _title_block(self) -> None:
        self.set_font(self.family, "B", 16)
        self.multi_cell(0, 8, self.fit(self.report_title), new_x="LMARGIN", new_y="NEXT")
        if self.report_subtitle:
            self.set_font(self.family, "", 10)
            self.set_text_color(*MUTED)
            self.multi_cell(0, 5, self.fit(self.report_subtitle), new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0, 0, 0)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-MARGIN_MM)
        self.set_font(self.family, "", 7)
        self.set_text_color(*MUTED)
        footer = f"{self.report_title}  ·  page {self.page_no()}/{{nb}}"
        self.cell(0, 4, self.fit(footer), align="R")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str) -> None:
        """A section heading, kept on the same page as at least a few lines below it."""
        if self.get_y() > self.eph * 0.8:
            self.add_page()
        self.ln(3)
        self.set_font(self.family, "B", 12)
        self.cell(0, 7, self.fit(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 9)

    def paragraph(self, text: str, *, muted: bool = False) -> None:
        if muted:
            self.set_text_color(*MUTED)
        self.multi_cell(0, 4.5, self.fit(text), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def data_table(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths: Sequence[float],
        *,
        align: str = "",
        empty: str = "Nothing to report.",
    ) -> None:
        """Rows under ``headings``; ``widths`` are relative; ``align`` has one letter per
        column (L, R, C) and defaults to left. Headings repeat on every page."""
        if not rows:
            self.paragraph(empty, muted=True)
            return
        aligns = (align or "L" * len(headings)).ljust(len(headings), "L")
        style = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
        with self.table(
            col_widths=tuple(widths),
            text_align=tuple(aligns),
            headings_style=style,
            line_height=4.6,
            padding=1,
            first_row_as_headings=True,
        ) as table:
            table.row([self.fit(h) for h in headings])
            for values in rows:
                table.row([self.fit(v) for v in values])
        self.ln(1)

    def to_bytes(self) -> bytes:
        return bytes(self.output())
