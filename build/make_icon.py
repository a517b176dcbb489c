"""Draw Crewkit's app icon (``assets/icon.png``): a clapperboard with a check mark.

Run ``python build/make_icon.py`` after changing the design; flet build derives every
platform's icon sizes (and the Android adaptive icon) from the one 1024 px PNG.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from views.theme import LIGHT_PRIMARY

SIZE = 1024
SUPERSAMPLE = 4
OUT = Path(__file__).resolve().parents[1] / "assets" / "icon.png"


def draw_icon(size: int = SIZE) -> Image.Image:
    s = size * SUPERSAMPLE
    image = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    u = s / 1024  # design units: the drawing below is on a 1024 grid
    d.rounded_rectangle((0, 0, s - 1, s - 1), radius=int(224 * u), fill=LIGHT_PRIMARY)
    white, blue = "#FFFFFF", LIGHT_PRIMARY
    # the slate
    d.rounded_rectangle((212 * u, 400 * u, 812 * u, 800 * u), radius=int(44 * u), fill=white)
    # the clapstick, tilted open, with its stripes
    stick = [(196 * u, 300 * u), (790 * u, 196 * u), (812 * u, 300 * u), (218 * u, 404 * u)]
    d.polygon(stick, fill=white)
    for i in range(4):
        x0 = 260 + i * 140
        stripe = [
            ((x0 + 0) * u, (292 - i * 24.5) * u),
            ((x0 + 60) * u, (281 - i * 24.5) * u),
            ((x0 + 20) * u, (389 - i * 24.5) * u),
            ((x0 - 40) * u, (400 - i * 24.5) * u),
        ]
        d.polygon(stripe, fill=blue)
    # the check mark on the slate
    check = [(352 * u, 606 * u), (470 * u, 716 * u), (680 * u, 490 * u)]
    d.line(check, fill=blue, width=int(72 * u), joint="curve")
    for x, y in (check[0], check[-1]):
        r = 36 * u
        d.ellipse((x - r, y - r, x + r, y + r), fill=blue)
    return image.resize((size, size), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    draw_icon().save(OUT, optimize=True)
    print(f"wrote {OUT}")
