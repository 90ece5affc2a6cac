"""Writing CSV and XLSX downloads that are safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run
as a formula by spreadsheet programs; such cells are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Numbers pass unchanged; text that a spreadsheet would treat as a formula is defused."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(header) for header in headers])
    for row in rows:
        writer.writerow(["" if value is None else neutralise(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class CsvLines:
    """Formats one row at a time as the CSV text ``csv_bytes`` writes for it (formulas
    neutralised, ``None`` as an empty cell, minimal quoting, ``\\r\\n`` line ends), so a stream
    can build its lines from pieces: the text of fields written one after the other, each piece
    ending in a comma, is the text of the whole row. Not thread-safe: one per stream."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer)

    def line(self, row: Sequence[object]) -> str:
        """The row with its line end."""
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(["" if value is None else neutralise(value) for value in row])
        return self._buffer.getvalue()

    def fields(self, row: Sequence[object]) -> str:
        """The row's fields followed by a comma, to be continued by more fields."""
        return self.line([*row, None])[:-2]


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]], *, title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Sheet")
    sheet.append([neutralise(header) for header in headers])
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
