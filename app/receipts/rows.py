"""OCR lines grouped into the rows a receipt prints, top to bottom, left to right."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from app.receipts.reading import TextLine


@dataclass(frozen=True)
class Row:
    """One printed row: its lines left to right, their text joined, and its position."""

    lines: tuple[TextLine, ...]
    index: int

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines).strip()

    @property
    def height(self) -> float:
        return max(line.box[3] - line.box[1] for line in self.lines)

    @property
    def top(self) -> float:
        return min(line.box[1] for line in self.lines)

    @property
    def bottom(self) -> float:
        return max(line.box[3] for line in self.lines)


def group_rows(lines: Sequence[TextLine]) -> list[Row]:
    """Lines whose vertical middle falls inside the first line of a row share that row."""
    groups: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.box[1] + ln.box[3]) / 2):
        mid = (line.box[1] + line.box[3]) / 2
        if groups and groups[-1][0].box[1] <= mid <= groups[-1][0].box[3]:
            groups[-1].append(line)
        else:
            groups.append([line])
    return [Row(tuple(sorted(g, key=lambda ln: ln.box[0])), i) for i, g in enumerate(groups)]


def typical_height(rows: Sequence[Row]) -> float:
    """The median row height: what "big" lettering is measured against."""
    return statistics.median(row.height for row in rows) if rows else 1.0
