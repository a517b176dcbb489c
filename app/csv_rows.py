"""Reading spreadsheet CSV files, and importing them all or nothing.

Spreadsheets arrive in every dialect: a UTF-8 byte-order mark from Excel (or Windows
code page 1252 from older Excel), semicolons where the decimal mark is a comma, blank
lines, headers in any case and spacing. :func:`read_csv` turns all of them into rows of
named cells with their line numbers, so an error report can point at the line a person
sees in their spreadsheet.

:func:`run_import` stages every row in one transaction and abandons it if any row
failed: an import with one bad line stores nothing, and reports every bad line at once
rather than the first.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.models import ValidationError
from app.store import Store, Transaction


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str


@dataclass
class ImportReport:
    """What an import did; when ``errors`` is not empty, it stored nothing."""

    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


Row = tuple[int, dict[str, str]]


def read_csv(data: bytes | str, aliases: Mapping[str, str]) -> tuple[set[str], list[Row]]:
    """Decode, sniff the delimiter from the header, and name columns by ``aliases``
    (normalized header text -> our field name); unknown columns are ignored.

    Returns the recognised columns and (line number, cells) for each non-blank row;
    when two columns mean the same field, the first filled one wins.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            data = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    text = data.removeprefix("\ufeff")
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=header_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next((cells for cells in reader if any(c.strip() for c in cells)), [])
    names = [aliases.get(" ".join(h.replace(".", "").split()).casefold()) for h in header]
    rows: list[Row] = []
    for cells in reader:
        values: dict[str, str] = {}
        for name, cell in zip(names, cells, strict=False):
            if name and cell.strip():
                values.setdefault(name, cell.strip())  # "Location" before "Default Location"
        if any(cell.strip() for cell in cells):
            rows.append((reader.line_num, values))
    return {n for n in names if n}, rows


class _Abandon(Exception):
    """Raised inside the import transaction so that a failed import stores nothing."""


def run_import(store: Store, stage: Callable[[Transaction, ImportReport], None]) -> ImportReport:
    """Let ``stage`` write every row into one transaction, noting row errors in the
    report; commit only if there are none. Returns the report (errors sorted by line)."""
    report = ImportReport()
    try:
        with store.transaction() as tx:
            stage(tx, report)
            if report.errors:
                raise _Abandon
    except _Abandon:
        return ImportReport(errors=sorted(report.errors, key=lambda e: e.line))
    return report


def checked(report: ImportReport, line: int, action: Callable[[], Any]) -> Any:
    """Run one row's write, turning its validation error into a row error."""
    try:
        return action()
    except ValidationError as error:
        report.errors.append(RowError(line, error.field, str(error)))
        return None


__all__ = ["ImportReport", "Row", "RowError", "checked", "read_csv", "run_import"]
