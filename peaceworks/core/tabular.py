"""Reading uploaded CSV and XLSX files safely, for every import in the product.

A file is read completely into a :class:`Table` before anything is written, so an import
can show a preview with row-level errors and then write all rows or none. Limits protect
the server: size, rows, columns, cell length, and for XLSX the unpacked size and
compression ratio (zip bombs). Problems with the file as a whole raise
:class:`TableError` with a message that names the row, the column or the limit.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property

from django.utils.translation import gettext as _

from peaceworks.core.errors import DomainError

MAX_ROWS = 200_000
MAX_COLUMNS = 500
MAX_CELL_CHARS = 10_000
MAX_XLSX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_XLSX_RATIO = 150


class TableError(DomainError):
    """The file cannot be read as a table at all (the whole import is refused)."""


@dataclass(frozen=True)
class RowError:
    """A problem in one cell; ``row`` counts as a spreadsheet does (the header is row 1)."""

    row: int
    column: str
    message: str


@dataclass
class Table:
    headers: list[str]
    #: each row's cells, stripped, exactly one per header (blank rows are left out)
    cells: list[list[str]] = field(default_factory=list)
    #: the spreadsheet row number of each entry of ``cells``
    row_numbers: list[int] = field(default_factory=list)

    @cached_property
    def rows(self) -> list[dict[str, str]]:
        """Each row as a dictionary from header to cell."""
        return [dict(zip(self.headers, cells, strict=True)) for cells in self.cells]

    @cached_property
    def columns(self) -> dict[str, list[str]]:
        """Each header's column of cells (for checks that run column by column)."""
        if not self.cells:
            return {header: [] for header in self.headers}
        return dict(zip(self.headers, map(list, zip(*self.cells, strict=True)), strict=True))


def read_table(
    *,
    filename: str,
    data: bytes,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
) -> Table:
    lowered = filename.lower()
    if lowered.endswith(".csv") or lowered.endswith(".txt"):
        grid = _csv_grid(data, max_rows=max_rows, max_columns=max_columns)
    elif lowered.endswith(".xlsx"):
        grid = _xlsx_grid(data, max_rows=max_rows, max_columns=max_columns)
    else:
        raise TableError(
            _("Upload a .csv or .xlsx file; %(name)s is neither.") % {"name": filename}
        )
    return _to_table(grid)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TableError(
            _(
                "The file is not UTF-8 text: line %(line)s has bytes that are not valid UTF-8. "
                "Save it again as “CSV UTF-8”."
            )
            % {"line": line}
        ) from None


def _csv_grid(data: bytes, *, max_rows: int, max_columns: int) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise TableError(
            _("Line %(line)s contains a NUL byte; this is not a text file.") % {"line": line}
        )
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(MAX_CELL_CHARS + 1)
    reader = csv.reader(io.StringIO(text, newline=""), dialect, strict=True)
    grid: list[list[str]] = []
    try:
        for cells in reader:
            if len(cells) > max_columns:
                raise TableError(
                    _("Row %(row)s has %(count)s columns; at most %(limit)s are accepted.")
                    % {"row": reader.line_num, "count": len(cells), "limit": max_columns}
                )
            grid.append(cells)
            if len(grid) > max_rows + 1:
                raise TableError(
                    _("The file has more than %(limit)s rows; split it into smaller files.")
                    % {"limit": max_rows}
                )
    except csv.Error as error:
        raise TableError(
            _("Line %(line)s cannot be read as CSV: %(problem)s.")
            % {"line": reader.line_num, "problem": str(error)}
        ) from None
    return grid


def _xlsx_grid(data: bytes, *, max_rows: int, max_columns: int) -> list[list[str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise TableError(_("The file is not a valid .xlsx workbook.")) from None
    with archive:
        unpacked = 0
        for info in archive.infolist():
            unpacked += info.file_size
            if info.compress_size and info.file_size / info.compress_size > MAX_XLSX_RATIO:
                raise TableError(
                    _(
                        "The workbook part %(part)s unpacks to more than %(ratio)s times its size; "
                        "it is refused as a possible zip bomb."
                    )
                    % {"part": info.filename, "ratio": MAX_XLSX_RATIO}
                )
        if unpacked > MAX_XLSX_UNPACKED_BYTES:
            raise TableError(
                _("The workbook unpacks to more than %(limit)s MB; it is refused.")
                % {"limit": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
            )
        for name in archive.namelist():
            if name.lower().endswith((".xml", ".rels", ".vml")) and _declares_entities(
                archive, name
            ):
                raise TableError(
                    _("The workbook part %(part)s declares XML entities; it is refused.")
                    % {"part": name}
                )
    from python_calamine import CalamineError, load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        grid: list[list[str]] = []
        for cells in sheet.iter_rows():
            if len(cells) > max_columns:
                raise TableError(
                    _("Row %(row)s has %(count)s columns; at most %(limit)s are accepted.")
                    % {"row": len(grid) + 1, "count": len(cells), "limit": max_columns}
                )
            grid.append([_cell_text(value) for value in cells])
            if len(grid) > max_rows + 1:
                raise TableError(
                    _("The file has more than %(limit)s rows; split it into smaller files.")
                    % {"limit": max_rows}
                )
    except CalamineError as error:
        raise TableError(
            _("The workbook cannot be read: %(problem)s.") % {"problem": str(error)}
        ) from None
    return grid


def _declares_entities(archive: zipfile.ZipFile, name: str) -> bool:
    """Whether a part holds a DOCTYPE or ENTITY declaration anywhere (not only in its first
    bytes: a long comment can push the DOCTYPE further). In well-formed XML a literal ``<!``
    appears only in markup, so this refuses no genuine workbook. A part that cannot be
    unpacked (corrupt, truncated, encrypted) makes the whole file unreadable."""
    tail = b""
    try:
        with archive.open(name) as part:
            while chunk := part.read(1024 * 1024):
                window = (tail + chunk).upper()
                if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                    return True
                tail = window[-16:]
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise TableError(_("The file is not a valid .xlsx workbook.")) from None
    return False


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time(0) else value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _to_table(grid: list[list[str]]) -> Table:
    while grid and not any(cell.strip() for cell in grid[-1]):
        grid.pop()
    if not grid:
        raise TableError(_("The file is empty."))
    headers = [cell.strip() for cell in grid[0]]
    while headers and headers[-1] == "":
        headers.pop()
    if not headers:
        raise TableError(_("The first row must name the columns."))
    seen: set[str] = set()
    for index, header in enumerate(headers, start=1):
        if not header:
            raise TableError(_("Column %(index)s of the first row has no name.") % {"index": index})
        if header.lower() in seen:
            raise TableError(_("The column %(name)s appears twice.") % {"name": header})
        seen.add(header.lower())
    table = Table(headers=headers)
    width = len(headers)
    for number, cells in enumerate(grid[1:], start=2):
        stripped = [cell.strip() for cell in cells]
        if not any(stripped):
            continue
        if max(map(len, cells)) > MAX_CELL_CHARS:
            raise TableError(
                _("Row %(row)s has a cell longer than %(limit)s characters.")
                % {"row": number, "limit": MAX_CELL_CHARS}
            )
        if len(stripped) != width:
            if any(stripped[width:]):
                raise TableError(
                    _("Row %(row)s has more cells than the first row has column names.")
                    % {"row": number}
                )
            stripped = stripped[:width] + [""] * (width - len(stripped))
        table.cells.append(stripped)
        table.row_numbers.append(number)
    return table
