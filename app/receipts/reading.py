"""What reading a receipt proposes: each field with a confidence, and the lines it came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class TextLine:
    """One OCR line: its text, its box (x0, y0, x1, y1 in pixels) and the engine's score."""

    text: str
    box: tuple[float, float, float, float]
    score: float = 1.0


@dataclass(frozen=True)
class Proposal(Generic[T]):
    """A proposed value and how sure the rules are of it (0..1)."""

    value: T
    confidence: float


@dataclass(frozen=True)
class ReceiptReading:
    """Proposed fields of one receipt; ``error`` says why nothing could be read."""

    total_minor: Proposal[int] | None = None
    currency: Proposal[str] | None = None
    spent_on: Proposal[dt.date] | None = None
    vendor: Proposal[str] | None = None
    lines: tuple[TextLine, ...] = field(default_factory=tuple)
    error: str | None = None
