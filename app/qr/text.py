"""Turning a code's bytes into text only when there is one right way to read them.

A QR byte segment carries bytes, not text; the character set is named only when the
code has an ECI header. Without one, the same bytes can read as two different texts:
``C3 DE BB DE`` is ``ﾃﾞｻﾞ`` in Shift_JIS and ``ÃÞ»Þ`` in Latin-1. Error correction
guarantees the bytes, never the character set, so a guess between such readings is
how a scanner produces a wrong payload. Here the bytes are read as:

* UTF-8 when they are valid UTF-8 (ASCII included): multi-byte UTF-8 has a structure
  that Latin-1 or Shift_JIS text practically never forms by chance;
* otherwise Shift_JIS or Latin-1 when exactly one of the two gives printable text
  (Kanji-mode segments arrive as Shift_JIS bytes whose lead bytes are Latin-1 control
  characters, so they read one way only);
* otherwise not at all: the code counts as no read, which is better than a wrong one.
"""

from __future__ import annotations

import unicodedata

_LINE_CONTROLS = frozenset("\t\n\r")


def _printable(text: str) -> bool:
    """No control characters but tab and line breaks: what labels and payloads hold."""
    return all(
        char in _LINE_CONTROLS or unicodedata.category(char) != "Cc" for char in text
    )


def _reading(raw: bytes, charset: str) -> str | None:
    try:
        text = raw.decode(charset)
    except UnicodeDecodeError:
        return None
    return text if _printable(text) else None


def text_of(raw: bytes) -> str | None:
    """The one text ``raw`` can be, or ``None`` when it reads two ways (or none)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    readings = {r for r in (_reading(raw, "shift_jis"), _reading(raw, "latin-1")) if r}
    return readings.pop() if len(readings) == 1 else None
