"""Reading uploaded CSV and XLSX files safely, for every import in the product.

A file is read completely into a :class:`Table` before anything is written, so an import
can show a preview with row-level errors and then write all rows or none. Limits protect
the server: size, rows, columns, cell length, and for XLSX the unpacked size and
compression ratio (zip bombs), and before any sheet is materialised, the real extent of
every sheet (spreadsheet bombs: a workbook whose only cells are A1 and XFD1048576 is tiny on
disk, yet a reader that builds the sheet's range would allocate hundreds of gigabytes). Problems
with the file as a whole raise :class:`TableError` with a message that names the row, the
column or the limit.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from peaceworks.core.errors import DomainError

MAX_ROWS = 200_000
MAX_COLUMNS = 500
MAX_CELL_CHARS = 10_000
MAX_XLSX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_XLSX_RATIO = 150
#: rows by columns of a sheet counted from A1 to its last cell, and cells in all
#: sheets together: what a reader materialises, so what bounds its memory
#: (200,000 responses of 25 columns: the most rows an import takes, in a workbook as in a CSV)
MAX_CELLS = 5_000_000
MAX_SHEETS = 50
#: files in the archive (each is opened and scanned; a workbook has a few dozen)
MAX_PARTS = 2_000
#: cell and row elements of a workbook, empty ones included (each costs the scan a little),
#: and of those, the ones not written plainly with their reference (each costs more)
MAX_TAGS = 2 * MAX_CELLS
MAX_UNREFERENCED_TAGS = 1_000_000
#: longest start tag of a cell or a row the extent scan reads (real ones are under 200 bytes)
_MAX_TAG_BYTES = 64 * 1024
_SCAN_CHUNK = 1024 * 1024


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


#: the delimiters a CSV file may use
DELIMITERS = ",;\t"


class _Sniffer(csv.Sniffer):
    """``csv.Sniffer`` counting only the delimiters it may choose.

    When no quoted field tells the delimiter, the standard sniffer counts every one of the 127
    ASCII characters on every line of the sample, then keeps only the candidates among them.
    Each character's counts decide only whether that character qualifies, so counting the
    candidates alone (in code order, as the standard loop meets them) gives the same dialect:
    ``core/tests/test_tabular_sniffer.py`` compares the two."""

    def _guess_delimiter(self, data: str, delimiters: str | None) -> tuple[str, bool]:
        if delimiters is None:  # pragma: no cover -- every caller names its candidates
            return super()._guess_delimiter(data, delimiters)  # type: ignore[misc,no-any-return]
        lines = list(filter(None, data.split("\n")))
        candidates = sorted({char for char in delimiters if ord(char) < 127})
        chunk = min(10, len(lines))
        iteration = 0
        frequencies: dict[str, dict[int, int]] = {}
        modes: dict[str, tuple[int, int]] = {}
        delims: dict[str, tuple[int, int]] = {}
        start, end = 0, chunk
        while start < len(lines):
            iteration += 1
            for line in lines[start:end]:
                for char in candidates:
                    counted = frequencies.setdefault(char, {})
                    found = line.count(char)
                    counted[found] = counted.get(found, 0) + 1
            for char, counted in frequencies.items():
                items = list(counted.items())
                if len(items) == 1 and items[0][0] == 0:
                    continue
                if len(items) > 1:
                    mode = max(items, key=lambda item: item[1])
                    items.remove(mode)
                    modes[char] = (mode[0], mode[1] - sum(item[1] for item in items))
                else:
                    modes[char] = items[0]
            total = float(min(chunk * iteration, len(lines)))
            consistency = 1.0
            while len(delims) == 0 and consistency >= 0.9:
                for char, (count, lines_with) in modes.items():
                    if count > 0 and lines_with > 0 and lines_with / total >= consistency:
                        delims[char] = (count, lines_with)
                consistency -= 0.01
            if len(delims) == 1:
                delim = next(iter(delims))
                return delim, lines[0].count(delim) == lines[0].count(f"{delim} ")
            start = end
            end += chunk
        if not delims:
            return "", False
        preferred = [delim for delim in self.preferred if delim in delims]
        # more than one candidate: the preferred one, else the most consistent
        delim = preferred[0] if preferred else max((v, k) for k, v in delims.items())[1]
        return delim, lines[0].count(delim) == lines[0].count(f"{delim} ")


def _csv_grid(data: bytes, *, max_rows: int, max_columns: int) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise TableError(
            _("Line %(line)s contains a NUL byte; this is not a text file.") % {"line": line}
        )
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = _Sniffer().sniff(sample, delimiters=DELIMITERS)
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
    extents = check_workbook(data, max_rows=max_rows, max_columns=max_columns)
    if not any(extent.cells for extent in extents):
        return []  # no cell anywhere: nothing to materialise
    from python_calamine import CalamineError, load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data))
        values = list(workbook.get_sheet_by_index(0).iter_rows())
    except CalamineError as error:
        raise TableError(
            _("The workbook cannot be read: %(problem)s.") % {"problem": str(error)}
        ) from None
    # the same limits as a CSV's, row by row up to the first row past the last one accepted
    # (the extent scan has held the sheet to them already)
    first = values[: max_rows + 2]
    if first and max(map(len, first)) > max_columns:
        number, cells = next(
            (number, cells)
            for number, cells in enumerate(first, start=1)
            if len(cells) > max_columns
        )
        raise TableError(
            _("Row %(row)s has %(count)s columns; at most %(limit)s are accepted.")
            % {"row": number, "count": len(cells), "limit": max_columns}
        )
    if len(values) > max_rows + 1:
        raise TableError(
            _("The file has more than %(limit)s rows; split it into smaller files.")
            % {"limit": max_rows}
        )
    return _cells_text(values)


def _cells_text(values: Sequence[Sequence[object]]) -> list[list[str]]:
    """The cells' values as text (:func:`_cell_text`). Text is kept as it is, and each
    distinct number is converted once: a column of answers repeats 1.0 to 5.0."""
    numbers = _NumberTexts()
    return [
        [
            value  # type: ignore[misc]
            if value.__class__ is str
            else numbers[value]  # type: ignore[index]
            if value.__class__ is float
            else _cell_text(value)
            for value in row
        ]
        for row in values
    ]


class _NumberTexts(dict[float, str]):
    """Floats to their text, each converted on first use."""

    def __missing__(self, value: float) -> str:
        text = self[value] = _cell_text(value)
        return text


@dataclass(frozen=True)
class SheetExtent:
    """How far the cells of one XML part of a workbook really reach (1-based: the last row
    and the last column that hold a cell with content, as calamine and openpyxl place cells);
    ``cells`` counts those cells. A reader that starts at A1 materialises at most
    ``last_row`` by ``last_column`` cells of this part."""

    part: str
    last_row: int = 0
    last_column: int = 0
    cells: int = 0


def check_workbook(
    data: bytes, *, max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS
) -> list[SheetExtent]:
    """Refuse an .xlsx workbook that is not a valid archive, is a zip bomb, declares XML
    entities, has more than ``MAX_SHEETS`` sheets, or any of whose sheets' real extent (from
    A1 to the last cell with content that exists, whatever the sheet declares) exceeds
    ``max_rows`` + 1 rows (the header), ``max_columns`` columns or ``MAX_CELLS`` cells; or
    whose sheets hold more than ``MAX_CELLS`` cells together.

    Every part is read as a stream, once, with nothing but its start tags of cells and rows
    looked at, so the cost is bounded by the (already bounded) unpacked size and nothing is
    materialised: call this before any reader (calamine, openpyxl, pyxform) opens the file.
    Returns the extent of each part that has cells or rows.

    An .xls workbook (BIFF8 in an OLE2 compound file, recognised by its signature) is held
    to the same limits by its cell records, whatever its DIMENSIONS records declare."""
    if data.startswith(_OLE2_SIGNATURE):
        return _check_xls(data, max_rows=max_rows, max_columns=max_columns)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise TableError(_("The file is not a valid .xlsx workbook.")) from None
    with archive:
        infos = archive.infolist()
        _check_archive(infos)
        names = {info.filename.lower() for info in infos}
        if not infos or len(names) < len(infos) or names & _OTHER_FORMATS:
            # a part named twice may be read in one copy and scanned in the other; calamine
            # reads a zip that fails as .xlsx as .xlsb or .ods, unscanned
            raise TableError(_("The file is not a valid .xlsx workbook."))
        sheets = sum(1 for info in infos if _is_sheet_part(info.filename))
        if sheets > MAX_SHEETS:
            raise _too_many_sheets(sheets)
        budget = _Budget()
        scanned = (
            _scan_part(archive, info.filename, budget) for info in infos if not info.is_dir()
        )
        return _within_limits(
            (extent for extent in scanned if extent is not None),
            max_rows=max_rows,
            max_columns=max_columns,
        )


def _within_limits(
    extents: Iterable[SheetExtent], *, max_rows: int, max_columns: int
) -> list[SheetExtent]:
    """Check each extent as it comes (the next sheet is not read after a refusal)."""
    kept: list[SheetExtent] = []
    for extent in extents:
        _check_extent(extent, max_rows=max_rows, max_columns=max_columns)
        kept.append(extent)
        if sum(each.cells for each in kept) > MAX_CELLS:
            raise _too_many_cells()
    return kept


def _too_many_cells() -> TableError:
    return TableError(
        _("The workbook has more than %(limit)s cells; split it into smaller files.")
        % {"limit": number_format(MAX_CELLS, force_grouping=True)}
    )


def _too_many_sheets(count: int) -> TableError:
    return TableError(
        _("The workbook has %(count)s sheets; at most %(limit)s are accepted.")
        % {"count": count, "limit": MAX_SHEETS}
    )


_OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_BIFF_BOF, _BIFF_EOF, _BIFF_BOUNDSHEET = 0x0809, 0x000A, 0x0085
#: BIFF records of one cell: row and column are their first two 16-bit fields
_BIFF_CELLS = {0x0006, 0x00D6, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E}
#: MULRK and MULBLANK: a row, a first column, ..., a last column in the last 16 bits
_BIFF_RUNS = {0x00BD, 0x00BE}


def _check_xls(data: bytes, *, max_rows: int, max_columns: int) -> list[SheetExtent]:
    """The extents of an .xls workbook's sheets, from the cell records of its workbook
    stream (xlrd's compound-file reader finds the stream; no sheet is loaded). Each sheet is
    read where the workbook's BOUNDSHEET records say it starts, as readers do."""
    from xlrd.compdoc import CompDoc, CompDocError  # type: ignore[import-untyped]

    try:
        document = CompDoc(data, logfile=io.StringIO())
        stream = document.get_named_stream("Workbook") or document.get_named_stream("Book")
    except (CompDocError, struct.error, IndexError, ValueError):
        stream = None
    if not stream:
        raise TableError(_("The file is not a valid .xls workbook."))
    starts = [
        struct.unpack_from("<I", stream, body)[0]
        for kind, body, size in _biff_records(stream, 0)
        if kind == _BIFF_BOUNDSHEET and size >= 4
    ]
    if len(starts) > MAX_SHEETS:
        raise _too_many_sheets(len(starts))
    return _within_limits(
        (_xls_sheet(stream, start, f"#{number}") for number, start in enumerate(starts, 1)),
        max_rows=max_rows,
        max_columns=max_columns,
    )


def _xls_sheet(stream: bytes, start: int, label: str) -> SheetExtent:
    scan = _Scan(label, _Budget())
    for kind, body, size in _biff_records(stream, start):
        if size >= 4 and (kind in _BIFF_CELLS or kind in _BIFF_RUNS):
            row, first = struct.unpack_from("<HH", stream, body)
            last = first
            if kind in _BIFF_RUNS and size >= 6:
                (last,) = struct.unpack_from("<H", stream, body + size - 2)
            scan.place(row + 1, max(first, last) + 1, cells=abs(last - first) + 1)
    return scan.extent()


def _biff_records(stream: bytes, start: int) -> Iterator[tuple[int, int, int]]:
    """(kind, offset of the body, size) of each record of the substream at ``start``, to
    its EOF (substreams nested in it, such as charts, included)."""
    position, depth = start, 0
    while position + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, position)
        body = position + 4
        size = min(size, len(stream) - body)
        position = body + size
        if kind == _BIFF_BOF and body - 4 != start:
            depth += 1
        elif kind == _BIFF_EOF:
            if depth == 0:
                return
            depth -= 1
        yield kind, body, size


#: parts by which calamine would recognise an .xlsb or .ods workbook
_OTHER_FORMATS = {"xl/workbook.bin", "mimetype", "content.xml"}


def _is_sheet_part(name: str) -> bool:
    lowered = name.lower()
    return "worksheets/" in lowered or "chartsheets/" in lowered or "dialogsheets/" in lowered


def _check_archive(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_PARTS:
        raise TableError(
            _("The workbook has %(count)s parts; at most %(limit)s are accepted.")
            % {"count": len(infos), "limit": MAX_PARTS}
        )
    unpacked = 0
    for info in infos:
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


def _check_extent(extent: SheetExtent, *, max_rows: int, max_columns: int) -> None:
    corner = f"{_column_letters(extent.last_column)}{extent.last_row}"
    if extent.last_row > max_rows + 1:
        raise TableError(
            _(
                "The sheet %(part)s reaches row %(row)s (cell %(cell)s); at most %(limit)s rows "
                "are accepted. Delete the rows below your data, or split the file."
            )
            % {"part": extent.part, "row": extent.last_row, "cell": corner, "limit": max_rows}
        )
    if extent.last_column > max_columns:
        raise TableError(
            _(
                "The sheet %(part)s spans %(count)s columns (to cell %(cell)s); at most "
                "%(limit)s columns are accepted. Delete the columns right of your data."
            )
            % {
                "part": extent.part,
                "count": extent.last_column,
                "cell": corner,
                "limit": max_columns,
            }
        )
    if extent.last_row * extent.last_column > MAX_CELLS:
        raise TableError(
            _(
                "The sheet %(part)s spans %(rows)s rows by %(columns)s columns (A1 to "
                "%(cell)s); at most %(limit)s cells are accepted. Delete what lies outside "
                "your data, or split the file."
            )
            % {
                "part": extent.part,
                "rows": extent.last_row,
                "columns": extent.last_column,
                "cell": corner,
                "limit": number_format(MAX_CELLS, force_grouping=True),
            }
        )


#: the start of a cell or row element (any namespace prefix), and when it is complete, its
#: attributes (quoted values may hold ``>``, never ``<``) and whether it is self-closing
_START_TAG = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(c|row)(?=[\s/>])"
    rb"(((?:\s+[^\s=/>\"']+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>)?"
)
_ATTRIBUTE = re.compile(rb"\s+([^\s=/>\"']+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_FAST_REFERENCE = re.compile(rb'\s+r="([A-Za-z]{1,3})([0-9]{1,7})"')
_REFERENCE = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")
#: what spreadsheet programs write: the reference first, double quotes, no second ``r`` (and
#: no ``<`` inside, so a plain tag is one start tag, never two); a stretch of the sheet whose
#: every cell and row is written so is scanned in bulk
_PLAIN_OTHERS = rb'(?:\s+(?!r\s*=)[^\s=/>"\'<]+\s*=\s*"[^"<]*")*\s*'
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"' + _PLAIN_OTHERS + rb"(/?)>")
_PLAIN_ROW = re.compile(rb'<row r="([0-9]{1,7})"' + _PLAIN_OTHERS + rb"/?>")
#: every start of a cell or row element (any namespace prefix), one item each: a cell written
#: plainly gives its reference, a row written plainly and any other start ``b""``
_TAGS = re.compile(
    rb'<(?:c r="([A-Z]{1,3}[0-9]{1,7})"' + _PLAIN_OTHERS + rb"/?>"
    rb'|row r="[0-9]{1,7}"' + _PLAIN_OTHERS + rb"/?>"
    rb"|(?:[A-Za-z_][\w.-]*:)?(?:c|row)(?=[\s/>]))"
)
#: ``_PLAIN_OTHERS`` with possessive quantifiers (faster, and the same matches: each one is
#: followed by what it cannot match, and giving back a whole attribute leaves a name where
#: ``/`` or ``>`` must follow)
_PLAIN_OTHERS_AT_ONCE = rb'(?:\s+(?!r\s*=)[^\s=/>"\'<]++\s*+=\s*+"[^"<]*+")*+\s*+'
#: every ``<c`` and every ``<row``, one item each: the reference of a cell written plainly, the
#: number of a row written plainly, else ``b""`` (any other start, or another element such as
#: ``<cols>``); each has a literal start that the regular expression engine looks for quickly
_CELL_STARTS = re.compile(
    rb'<c(?: r="([A-Z]{1,3}+[0-9]{1,7}+)"' + _PLAIN_OTHERS_AT_ONCE + rb"/?>)?"
)
_ROW_STARTS = re.compile(rb'<row(?: r="([0-9]{1,7}+)"' + _PLAIN_OTHERS_AT_ONCE + rb"/?>)?")
#: the start of a cell or row element with a namespace prefix can only hold these
_PREFIXED = re.compile(rb":(?:c|row)")


class _Budget:
    """What the scan of one workbook may still read: cell and row tags, and those read one
    by one (tags without a plain reference cost the scan about a microsecond each)."""

    def __init__(self) -> None:
        self.tags = MAX_TAGS
        self.unreferenced = MAX_UNREFERENCED_TAGS

    def spend(self, tags: int, *, unreferenced: bool = False) -> None:
        if unreferenced:
            self.unreferenced -= tags
        else:
            self.tags -= tags
        if min(self.tags, self.unreferenced) >= 0:
            return
        if unreferenced:
            message = _(
                "The workbook has more than %(limit)s cells and rows written without their "
                "reference; open it in a spreadsheet program and save it again."
            )
            raise TableError(
                message % {"limit": number_format(MAX_UNREFERENCED_TAGS, force_grouping=True)}
            )
        message = _(
            "The workbook has more than %(limit)s cells and rows, empty ones included; "
            "it is refused."
        )
        raise TableError(message % {"limit": number_format(MAX_TAGS, force_grouping=True)})


def _scan_part(archive: zipfile.ZipFile, name: str, budget: _Budget) -> SheetExtent | None:
    """The extent of the cells in one part, read in chunks; ``None`` for a part that is not
    XML (an image) or has no cell or row. Also refuses DOCTYPE and ENTITY declarations (in
    the parts a reader parses as XML) and XML in another encoding than UTF-8."""
    xml_like = name.lower().endswith((".xml", ".rels", ".vml"))
    scan = _Scan(name, budget)
    carry = b""
    tail = b""
    undecided = True  # until the first byte that is not white space
    try:
        with archive.open(name) as part:
            while True:
                chunk = part.read(_SCAN_CHUNK)
                head = chunk.lstrip(b"\xef\xbb\xbf").lstrip(b" \t\r\n") if undecided else b""
                if head:
                    undecided = False
                    if _utf16_xml(chunk):
                        raise TableError(
                            _("The workbook part %(part)s is not UTF-8 XML; it is refused.")
                            % {"part": name}
                        )
                    if not xml_like and not head.startswith(b"<"):
                        return None  # not XML: no reader parses it as a sheet
                if xml_like:
                    if b"!" in chunk or b"!" in tail:  # else no declaration, in any case
                        upper = (tail + chunk).upper()
                        if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
                            raise TableError(
                                _(
                                    "The workbook part %(part)s declares XML entities; "
                                    "it is refused."
                                )
                                % {"part": name}
                            )
                    tail = (tail + chunk[-16:])[-16:]
                buffer = carry + chunk
                if chunk:
                    # a start tag never holds "<": all before the last one is complete
                    cut = buffer.rfind(b"<", max(0, len(buffer) - _MAX_TAG_BYTES))
                    end = cut if cut != -1 else len(buffer)
                else:
                    end = len(buffer)
                scan.feed(buffer, end)
                carry = buffer[end:]
                if not chunk:
                    break
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise TableError(_("The file is not a valid .xlsx workbook.")) from None
    return scan.extent() if scan.seen else None


def _utf16_xml(head: bytes) -> bool:
    """Whether a part begins as XML in UTF-16 (which the byte scan would not read)."""
    if b"\x00" not in head[:4] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    for encoding in ("utf-16-le", "utf-16-be"):
        text = head[:4096].decode(encoding, "ignore").lstrip("\ufeff \t\r\n")
        if text.startswith("<"):
            return True
    return False


class _Scan:
    """Cell positions as calamine and openpyxl assign them: a cell's ``r`` reference, or
    else the next column of its row; a row's ``r`` number, or else the next row. Cells
    without content (self-closing) take a position but not a place in the range."""

    #: the references' array type: a reference is at most 10 bytes (None: the width numpy finds)
    reference_type: str | None = "S10"

    def __init__(self, part: str, budget: _Budget) -> None:
        self.part = part
        self.budget = budget
        self.seen = False
        self.row = 0
        self.column = 0
        self.cells = 0
        self.last_row = self.last_column = 0

    def feed(self, buffer: bytes, end: int) -> None:
        region = buffer[:end]
        if _PREFIXED.search(region) is None:
            cells = _CELL_STARTS.findall(region)
            if b"" not in cells:
                rows = _ROW_STARTS.findall(region)
                if b"" not in rows:
                    # every ``<c`` and ``<row`` starts a cell or row written plainly, and no
                    # start has a prefix: these are all the starts, each plain (what
                    # ``_TAGS`` would find, and ``_feed_plain`` or ``_feed_full`` then read)
                    self._feed_all_plain(region, cells, rows)
                    return
        self._feed_tags(region)

    def _feed_all_plain(self, region: bytes, cells: list[bytes], rows: list[bytes]) -> None:
        if not cells and not rows:
            return
        self.budget.spend(len(cells) + len(rows))
        self._feed_read(region, cells, rows)

    def _feed_tags(self, region: bytes) -> None:
        tags = _TAGS.findall(region)
        if not tags:
            return
        self.budget.spend(len(tags))
        rows = _PLAIN_ROW.findall(region)
        if tags.count(b"") != len(rows):  # some cell or row is not written plainly
            self.budget.spend(len(tags), unreferenced=True)
            self._feed_any(region)
            return
        self._feed_read(region, tags, rows)

    def _feed_read(self, region: bytes, tags: list[bytes], rows: list[bytes]) -> None:
        """A stretch whose cells and rows are all written plainly (``tags``: the cells'
        references and ``b""`` for the rows, ``rows``: the rows' numbers)."""
        self.seen = True
        if rows:
            self.row = int(rows[-1])
        if b"/>" in region:  # some cells may be empty (``<c .../>``)
            self._feed_plain(_PLAIN_CELL.findall(region))
        else:
            self._feed_full(tags)

    def _feed_full(self, tags: list[bytes]) -> None:
        """Every cell has its reference and content (``tags``: the references, and ``b""``
        for the rows if any): the maxima are computed over all references at once."""
        import numpy as np

        codes = np.array(tags, dtype=self.reference_type)
        count = len(tags) - tags.count(b"")
        if not count:
            return
        codes = codes.view(np.uint8).reshape(len(tags), codes.itemsize).astype(np.int64)
        letters = (codes >= ord("A")) & (codes <= ord("Z"))
        digits = (codes >= ord("0")) & (codes <= ord("9"))
        rows = np.zeros(len(tags), dtype=np.int64)
        columns = np.zeros(len(tags), dtype=np.int64)
        for index in range(codes.shape[1]):  # a reference is 1-3 letters, then 1-7 digits
            code = codes[:, index]
            columns = np.where(letters[:, index], columns * 26 + code - (ord("A") - 1), columns)
            rows = np.where(digits[:, index], rows * 10 + code - ord("0"), rows)
        self.column = int(columns[np.flatnonzero(columns)[-1]])
        self.place(int(rows.max()), int(columns.max()), cells=count)

    def _feed_plain(self, cells: list[tuple[bytes, bytes, bytes]]) -> None:
        """Every cell has its reference: positions need no counting, only the maxima."""
        if not cells:
            return
        self.column = _column_number(cells[-1][0])
        letters, numbers, ends = zip(*cells, strict=True)
        if any(ends):  # some cells are empty (``<c .../>``): they take no place
            full = [cell for cell in cells if not cell[2]]
            if not full:
                return
            letters, numbers = tuple({cell[0] for cell in full}), tuple(cell[1] for cell in full)
        else:
            full = cells
        # each distinct reference converted once (a row's cells share its number)
        self.place(
            max(map(int, set(numbers))),
            max(map(_column_number, set(letters))),
            cells=len(full),
        )

    def _feed_any(self, region: bytes) -> None:
        self.seen = True
        for name, tag, attributes, empty in _START_TAG.findall(region):
            if not tag:  # the start of a cell or row, and no complete tag
                raise TableError(
                    _("The workbook part %(part)s has a malformed cell or row.")
                    % {"part": self.part}
                )
            if name == b"row":
                number = self._reference(attributes, row=True)
                self.row = number[0] if number else self.row + 1
                self.column = 0
                continue
            position = self._reference(attributes, row=False)
            if position:
                row, self.column = position
            else:
                row, self.column = max(self.row, 1), self.column + 1
            if not empty:  # <c .../> has no value: it takes a position, not a place
                self.place(row, self.column)

    def place(self, row: int, column: int, cells: int = 1) -> None:
        """Count ``cells`` cells with content ending at (row, column)."""
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise _too_many_cells()
        self.last_row = max(self.last_row, row)
        self.last_column = max(self.last_column, column)

    def _reference(self, attributes: bytes, *, row: bool) -> tuple[int, int] | None:
        if b"r" not in attributes:
            return None
        fast = None if row else _FAST_REFERENCE.match(attributes)
        if fast and b"r" not in attributes[fast.end() :]:
            return int(fast[2]), _column_number(fast[1])
        values = [
            match[2] if match[2] is not None else match[3]
            for match in _ATTRIBUTE.finditer(attributes)
            if match[1] == b"r"
        ]
        if not values:
            return None
        value = values[0]
        if len(values) == 1:
            if row and value.isdigit() and 0 < len(value) <= 7:
                return int(value), 0
            reference = _REFERENCE.fullmatch(value)
            if not row and reference:
                return int(reference[2]), _column_number(reference[1])
        raise TableError(
            _("The workbook part %(part)s has a cell or row with an unreadable position “%(r)s”.")
            % {"part": self.part, "r": value.decode("ascii", "replace")[:20]}
        )

    def extent(self) -> SheetExtent:
        return SheetExtent(
            self.part, last_row=self.last_row, last_column=self.last_column, cells=self.cells
        )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters or "A"


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
        stripped = list(map(str.strip, cells))  # every cell is text (CSV, _cells_text)
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
