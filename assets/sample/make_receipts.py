"""Draw the sample production's receipt photos from production.json (run once; output
is committed): ``.venv/bin/python assets/sample/make_receipts.py``.

Each receipt is a till slip drawn with Pillow: vendor, lines, total and time, on
slightly grey paper, so the expense screens and reports show something that looks like
a photographed receipt. Amounts on the slip are the expense's own lines, so the total
printed always equals the expense amount.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = HERE.parent / "fonts" / "DejaVuSans.ttf"
BOLD = HERE.parent / "fonts" / "DejaVuSans-Bold.ttf"
WIDTH, MARGIN, LINE = 384, 18, 22
METHODS = {"petty_cash": "NUMERÁRIO", "company_card": "CARTÃO VISA ****4417", "personal": "CARTÃO"}


def money(minor: int, currency: str) -> str:
    """As a Portuguese till prints it: 33,60 € (or the code for other currencies)."""
    text = f"{minor // 100},{minor % 100:02d}"
    return f"{text} €" if currency == "EUR" else f"{currency} {text}"


def draw_receipt(expense: dict, currency: str) -> Image.Image:
    regular, bold = ImageFont.truetype(str(FONT), 15), ImageFont.truetype(str(BOLD), 17)
    header = textwrap.wrap(expense["vendor"].upper(), 30)
    rows = len(header) + len(expense["lines"]) + 9
    image = Image.new("L", (WIDTH, MARGIN * 2 + rows * LINE), 236)
    draw = ImageDraw.Draw(image)
    y = MARGIN
    for text in header:
        draw.text((WIDTH // 2, y), text, font=bold, fill=20, anchor="ma")
        y += LINE
    draw.text((WIDTH // 2, y), "NIF 507 118 224", font=regular, fill=60, anchor="ma")
    y += LINE * 2
    for name, amount in expense["lines"]:
        draw.text((MARGIN, y), name[:28], font=regular, fill=30)
        draw.text((WIDTH - MARGIN, y), money(amount, currency), font=regular, fill=30, anchor="ra")
        y += LINE
    draw.line((MARGIN, y + 6, WIDTH - MARGIN, y + 6), fill=90, width=1)
    y += LINE
    total = sum(amount for _, amount in expense["lines"])
    draw.text((MARGIN, y), "TOTAL", font=bold, fill=10)
    draw.text((WIDTH - MARGIN, y), money(total, currency), font=bold, fill=10, anchor="ra")
    y += LINE * 2
    draw.text((MARGIN, y), METHODS[expense["method"]], font=regular, fill=50)
    y += LINE
    draw.text((MARGIN, y), f"IVA incluído   {expense['time']}", font=regular, fill=50)
    y += LINE * 2
    draw.text((WIDTH // 2, y), "Obrigado e volte sempre!", font=regular, fill=60, anchor="ma")
    return image


def main() -> None:
    data = json.loads((HERE / "production.json").read_text(encoding="utf-8"))
    default_currency = data["production"]["currency"]
    for expense in data["expenses"]:
        image = draw_receipt(expense, expense.get("currency", default_currency))
        image.save(HERE / "receipts" / f"{expense['key']}.jpg", "JPEG", quality=60, optimize=True)


if __name__ == "__main__":
    main()
