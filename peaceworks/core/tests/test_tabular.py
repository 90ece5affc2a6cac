import io
import random
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from peaceworks.core import tabular
from peaceworks.core.exports import csv_bytes, neutralise, xlsx_bytes
from peaceworks.core.tabular import TableError, check_workbook, read_table
from scripts import hostile_corpus


def xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_with_bom_and_semicolons_is_read_with_row_numbers():
    table = read_table(filename="m.csv", data="\ufeffcode;name\nA;Été\n\nB;Zed\n".encode())
    assert table.headers == ["code", "name"]
    assert table.rows == [{"code": "A", "name": "Été"}, {"code": "B", "name": "Zed"}]
    assert table.row_numbers == [2, 4]


def test_xlsx_numbers_and_blank_cells_become_text():
    table = read_table(filename="m.xlsx", data=xlsx([["code", "count"], ["A", 3], ["B", None]]))
    assert table.rows == [{"code": "A", "count": "3"}, {"code": "B", "count": ""}]


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("m.csv", b"code,name\nA,\xff\xfe\x00bad\n", "line 2"),
        ("m.csv", b"", "empty"),
        ("m.csv", b"code,code\n1,2\n", "appears twice"),
        ("m.csv", b'code,name\nA,"unclosed\n', "Line"),
        ("m.csv", b"code\nA,extra\n", "Row 2 has more cells"),
        ("m.pdf", b"%PDF", ".csv or .xlsx"),
        ("m.xlsx", b"not a zip", "not a valid .xlsx"),
    ],
)
def test_bad_files_are_refused_with_a_located_message(filename, data, message):
    with pytest.raises(TableError) as error:
        read_table(filename=filename, data=data)
    assert message in error.value.message


def test_too_many_columns_names_the_limit():
    header = ",".join(f"c{i}" for i in range(600))
    with pytest.raises(TableError, match="at most 500"):
        read_table(filename="wide.csv", data=header.encode())


def test_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 50_000_000)
    with pytest.raises(TableError) as error:
        read_table(filename="bomb.xlsx", data=buffer.getvalue())
    assert "zip bomb" in error.value.message


def test_xml_entities_in_xlsx_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'
        )
    with pytest.raises(TableError, match="entities"):
        read_table(filename="xxe.xlsx", data=buffer.getvalue())


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx"])
def test_formula_like_cells_are_neutralised_in_csv_and_xlsx(value):
    assert neutralise(value) == "'" + value
    assert f"'{value}".encode() in csv_bytes(["v"], [[value]])
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["v"], [[value]], title="t"))).active
    assert sheet["A2"].value == "'" + value
    assert sheet["A2"].data_type == "s"


def test_numbers_are_not_neutralised():
    assert neutralise(-3) == -3


# Spreadsheet bombs (issue 13.1): the real extent of every sheet is checked first -----------


FAR_SHEET = hostile_corpus._sheet(
    hostile_corpus._HEADER_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
)


def _white_space(length: int) -> str:
    """White space that does not compress like a zip bomb: random, two bits a character (random
    bytes mapped onto the four characters; 20 times cheaper than choosing each character, and
    built while the tests are collected)."""
    four = bytes(b" \t\r\n"[value % 4] for value in range(256))
    return random.Random(7).randbytes(length).translate(four).decode()


def _sparse(name: str) -> bytes:
    item = next(item for item in hostile_corpus.sparse_items() if item.name == name)
    return item.data()


def test_a_far_corner_workbook_is_refused_by_its_rows_before_calamine_opens_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import python_calamine

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("calamine opened a spreadsheet bomb")

    monkeypatch.setattr(python_calamine, "load_workbook", refuse)
    with pytest.raises(TableError, match=r"row 1048576 \(cell XFD1048576\); at most 200000"):
        read_table(filename="x.xlsx", data=_sparse("xlsx-far-corner-xfd1048576"))
    with pytest.raises(TableError, match=r"200000 rows by 500 columns .* 5,000,000 cells"):
        read_table(filename="x.xlsx", data=_sparse("xlsx-far-cell-row-200000-column-500"))
    with pytest.raises(TableError, match="300 sheets; at most 50"):
        read_table(filename="x.xlsx", data=_sparse("xlsx-many-sheets"))


def test_a_huge_declared_range_over_few_cells_is_read() -> None:
    table = read_table(filename="x.xlsx", data=_sparse("xlsx-huge-declared-dimension"))
    assert table.rows == [
        {"code": "a1", "name": "Name", "country": "KE"},
        {"code": "a2", "name": "Other", "country": "UG"},
    ]
    styled = read_table(filename="x.xlsx", data=_sparse("xlsx-styled-empty-far-corner"))
    assert styled.headers == ["code", "name", "country"]


@pytest.mark.parametrize(
    "rows",
    [
        '<row r="1"><c r="A1"><v>1</v></c><c r="c3"><v>2</v></c></row>',
        '<row r="2"><c/><c/><c><v>1</v></c></row><row><c><v>2</v></c></row>',
        '<row r="1"><c r="A5"><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>',
        '<row r="3"><c r="C3"><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>',
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="9"><c r="J9" s="1"/></row>',
        '<row r="4"><c r="B4" t="inlineStr"><is><t>x</t></is></c></row>',
        '<row r="2"><c a=\'>\' r="D2"><v>1</v></c></row>',
    ],
)
def test_the_extent_scan_places_cells_where_calamine_does(rows: str) -> None:
    from python_calamine import load_workbook

    data = hostile_corpus._xlsx(hostile_corpus._sheet(rows))
    (extent,) = [e for e in check_workbook(data) if e.part == "xl/worksheets/sheet1.xml"]
    sheet = load_workbook(io.BytesIO(data)).get_sheet_by_index(0)
    assert sheet.end is not None
    assert (extent.last_row, extent.last_column) == (sheet.end[0] + 1, sheet.end[1] + 1)


def test_the_cells_of_all_sheets_together_are_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "MAX_CELLS", 5)
    sheet = hostile_corpus._sheet(hostile_corpus._HEADER_ROW)  # three cells
    assert read_table(filename="x.xlsx", data=hostile_corpus._workbook_of([sheet])).headers
    with pytest.raises(TableError, match="more than 5 cells"):
        read_table(filename="x.xlsx", data=hostile_corpus._workbook_of([sheet, sheet]))


def test_an_xls_workbook_is_held_to_the_same_limits_by_its_cell_records() -> None:
    with pytest.raises(TableError, match=r"#1 spans 65536 rows by 256 columns \(A1 to IV65536\)"):
        check_workbook(_sparse("xls-far-corner-iv65536"))
    (extent,) = check_workbook(_sparse("xls-huge-declared-dimension"))
    assert (extent.last_row, extent.last_column, extent.cells) == (2, 3, 4)
    with pytest.raises(TableError, match=r"not a valid \.xls"):
        check_workbook(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(600))


@pytest.mark.parametrize(
    ("part", "content"),
    [
        # a sheet part without the .xml ending, its far cell behind 200 KB of white space
        ("xl/worksheets/sheet9", (_white_space(1_200_000) + FAR_SHEET).encode()),
        ("xl/worksheets/sheet2.xml", "\ufeff".encode() + b" " + FAR_SHEET.encode()),
    ],
)
def test_the_far_cell_of_any_xml_part_is_found(part: str, content: bytes) -> None:
    with pytest.raises(TableError, match="XFD1048576"):
        check_workbook(hostile_corpus._xlsx(hostile_corpus._sheet(""), extra={part: content}))


def test_a_part_in_utf16_is_refused() -> None:
    content = FAR_SHEET.encode("utf-16")
    with pytest.raises(TableError, match="not UTF-8 XML"):
        check_workbook(hostile_corpus._xlsx(hostile_corpus._sheet(""), extra={"x/s": content}))
    image = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4  # binary parts are left alone
    assert (
        check_workbook(hostile_corpus._xlsx(hostile_corpus._sheet(""), extra={"i.png": image}))
        == []
    )


def test_cells_written_without_references_are_limited_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Cells without a reference are placed one by one, which costs the scan more: a
    workbook with too many of them, empty ones included, is refused before it costs much."""
    monkeypatch.setattr(tabular, "MAX_UNREFERENCED_TAGS", 50)
    bare = '<row r="2">' + "<c/>" * 60 + "</row>"
    plain = '<row r="2">' + "".join(f'<c r="A{n}" s="1"/>' for n in range(60)) + "</row>"
    with pytest.raises(TableError, match="more than 50 cells and rows written without"):
        check_workbook(hostile_corpus._xlsx(hostile_corpus._sheet(bare)))
    assert check_workbook(hostile_corpus._xlsx(hostile_corpus._sheet(plain)))


def test_a_workbook_of_too_many_parts_is_refused() -> None:
    extra = {f"xl/media/p{n}.xml": b"<p/>" for n in range(2_000)}
    with pytest.raises(TableError, match="2005 parts; at most 2000"):
        check_workbook(hostile_corpus._xlsx(hostile_corpus._sheet(""), extra=extra))


@pytest.mark.parametrize("part", ["mimetype", "content.xml", "xl/workbook.bin"])
def test_a_zip_that_calamine_could_read_as_ods_or_xlsb_is_refused(part: str) -> None:
    data = hostile_corpus._xlsx(hostile_corpus._sheet(""), extra={part: b"x"})
    with pytest.raises(TableError, match=r"not a valid \.xlsx"):
        read_table(filename="x.xlsx", data=data)


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_part_named_twice_is_refused() -> None:
    """Python would scan one copy, and calamine might read the other."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", FAR_SHEET)
        archive.writestr("xl/worksheets/sheet1.xml", hostile_corpus._sheet(""))
    with pytest.raises(TableError, match=r"not a valid \.xlsx"):
        check_workbook(buffer.getvalue())


def test_workbook_values_become_the_text_each_cell_alone_would_give() -> None:
    from datetime import date, datetime, time

    from peaceworks.core.tabular import _cell_text, _cells_text

    values: list[list[object]] = [
        [4.0, 1, True, "4.0", None, -0.0, float("nan")],
        [4.5, 1.0, False, " x ", datetime(2027, 5, 1, 10, 0), date(2027, 5, 1), time(9, 30)],
        [1.0, True, 1, 0.0, False, 0, 1e20],
    ]
    assert _cells_text(values) == [[_cell_text(value) for value in row] for row in values]
    assert _cells_text(values)[2][:3] == ["1", "True", "1"]


# The extent scan's shortcut for stretches where every cell and row is written plainly --------


class _ReferenceScan(tabular._Scan):
    """The scan as it was before the shortcut (``_TAGS`` over every stretch, and the
    references' array built with the width numpy picks)."""

    reference_type = None

    def feed(self, buffer: bytes, end: int) -> None:
        self._feed_tags(buffer[:end])


_PIECES = [
    '<row r="{r}">',
    '<row r="{r}" spans="1:3" x14ac:dyDescent="0.25">',
    "<row>",
    "<row r='{r}'>",
    '<row r="{r}"/>',
    "</row>",
    '<c r="{col}{r}"><v>1</v></c>',
    '<c r="{col}{r}" t="n"><v>2</v></c>',
    '<c r="{col}{r}" s="1" t="inlineStr"><is><t>x: c</t></is></c>',
    '<c r="{col}{r}" t="inlineStr"></c>',
    '<c r="{col}{r}" s="1"/>',
    '<c r="{col}{r}"  />',
    "<c><v>3</v></c>",
    "<c/>",
    '<c t="n" r="{col}{r}"><v>4</v></c>',
    "<c r='{col}{r}'><v>5</v></c>",
    '<c r="{lower}{r}"><v>6</v></c>',
    '<c r="{col}{r}" r="A1"><v>7</v></c>',
    '<c r="{col}{r}" a=">"><v>8</v></c>',
    '<x:c r="{col}{r}"><v>9</v></x:c>',
    '<x:row r="{r}">',
    '<cols><col min="1" max="2"/></cols>',
    "<rowBreaks/>",
    '<c r="{col}{r}" t="s"\n><v>0</v></c>',
    '<c r="{col}{r}" t=n><v>1</v></c>',
    '<c\tr="{col}{r}"><v>1</v></c>',
    '<c r="{col}"><v>1</v></c>',
    '<c r="{col}{r}"  t = "n" ><v>1</v></c>',
    '<c r="{col}{r}" t="n" r ="B2"><v>1</v></c>',
    '<c r="{col}{r}" rr="x" t=""><v>1</v></c>',
    '<c r="{col}{r}"t="n"><v>1</v></c>',
    '<c r="{col}{r}" t="a>b" s="2"/>',
    '<c r="{col}{r}" t="n" / >',
    '<c r="{col}{r}" t="n\'>',
    '<row r="{r}" spans="1:3" >',
    '<row r="{r}" r="3">',
    '<c r="{col}{r}" t="<"><v>1</v></c>',
    '<c r="{col}{r}" a\'b="1"><v>1</v></c>',
    '<c r="{col}{r}" a="<row r="{r}">"/>',
    "<v>10:00:00</v>",
    "text with a < in it",
    " ",
]


def _random_sheet_data(generator: random.Random) -> bytes:
    pieces = []
    for _ in range(generator.randrange(1, 40)):
        weights = [20 if n in (0, 5, 6, 7, 8, 9, 10) else 1 for n in range(len(_PIECES))]
        piece = generator.choices(_PIECES, weights)[0]
        column = "".join(generator.choice("ABCXYZ") for _ in range(generator.randrange(1, 4)))
        pieces.append(
            piece.format(
                r=generator.choice([1, 2, 9, 10, 99, 200_001, 200_002, 1_048_576]),
                col=column,
                lower=column.lower(),
            )
        )
    return "".join(pieces).encode()


def _state(scan: tabular._Scan) -> tuple[object, ...]:
    return (
        scan.seen,
        scan.row,
        scan.column,
        scan.cells,
        scan.last_row,
        scan.last_column,
        scan.budget.tags,
        scan.budget.unreferenced,
    )


def _fed(scan: tabular._Scan, data: bytes, cuts: list[int]) -> tuple[object, ...]:
    start = 0
    try:
        for cut in [*cuts, len(data)]:
            # what _scan_part feeds: a stretch that ends before a "<" (or at the end)
            scan.feed(data[start:], cut - start)
            start = cut
    except TableError as error:
        return ("refused", error.message, _state(scan))
    return _state(scan)


def test_the_plain_shortcut_scans_as_the_tags_did(monkeypatch: pytest.MonkeyPatch) -> None:
    """Random sheets of plain and other cells and rows, fed in random stretches: the scan with
    its shortcut ends in the same state (extent, position, budgets) or the same refusal."""
    monkeypatch.setattr(tabular, "MAX_CELLS", 60)
    generator = random.Random(22)
    outcomes = set()
    for _ in range(4_000):
        data = _random_sheet_data(generator)
        starts = [index for index, byte in enumerate(data) if byte == ord("<")]
        cuts = sorted(set(generator.sample(starts, min(len(starts), generator.randrange(4)))))
        budget_tags = generator.choice([10_000, 40])
        budget_unreferenced = generator.choice([10_000, 15])
        scans = []
        for kind in (tabular._Scan, _ReferenceScan):
            budget = tabular._Budget()
            budget.tags, budget.unreferenced = budget_tags, budget_unreferenced
            scans.append(_fed(kind("xl/worksheets/sheet1.xml", budget), data, cuts))
        assert scans[0] == scans[1], data
        outcomes.add(scans[0][0] if scans[0][0] == "refused" else "read")
    assert outcomes == {"refused", "read"}


def test_the_bench_workbook_scans_as_the_tags_did() -> None:
    """A workbook as the exports write it, larger than one stretch of the scan."""
    rows = [[f"r{n}", "2027-05-01 10:00:00", n % 5 + 1, "" if n % 7 else n] for n in range(30_000)]
    data = xlsx_bytes(["id", "when", "a", "b"], rows, title="t")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert len(sheet) > tabular._SCAN_CHUNK
    cuts = sorted(random.Random(5).sample(range(1, len(sheet)), 5))
    cuts = [sheet.rfind(b"<", 0, cut) for cut in cuts]
    new = _fed(tabular._Scan("s", tabular._Budget()), sheet, cuts)
    assert new == _fed(_ReferenceScan("s", tabular._Budget()), sheet, cuts)
    assert new[4:6] == (30_001, 4)


@pytest.mark.parametrize("declaration", [b"<!DOCTYPE x>", b"<!doctype x>", b"<!Entity a 'b'>"])
def test_a_declaration_across_two_stretches_is_found(declaration: bytes) -> None:
    before = b"<worksheet>" + _white_space(tabular._SCAN_CHUNK - 11 - 4).encode()
    content = before + declaration + b"</worksheet>"
    assert content.index(declaration) < tabular._SCAN_CHUNK < content.index(declaration) + 9
    with pytest.raises(TableError, match="entities"):
        check_workbook(hostile_corpus._xlsx(hostile_corpus._sheet(""), extra={"x.xml": content}))


def _large_sheet(rows: str) -> str:
    """A sheet of 3 MB or more (several stretches), ``rows`` after 60,000 plain rows."""
    plain = "".join(
        f'<row r="{n}"><c r="A{n}" t="n"><v>{n}</v></c></row>' for n in range(2, 60_002)
    )
    return hostile_corpus._sheet(hostile_corpus._HEADER_ROW + plain + rows)


def test_a_large_part_is_scanned_to_its_end() -> None:
    data = hostile_corpus._xlsx(_large_sheet(""))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 3 * tabular._SCAN_CHUNK
    (extent,) = [e for e in check_workbook(data) if e.part == "xl/worksheets/sheet1.xml"]
    assert (extent.last_row, extent.last_column, extent.cells) == (60_001, 3, 60_003)
    far = hostile_corpus._xlsx(_large_sheet('<row r="9"><c r="XFD9"><v>1</v></c></row>'))
    with pytest.raises(TableError, match="16384 columns"):
        check_workbook(far)


def test_a_large_part_broken_past_its_first_chunks_is_refused() -> None:
    """An error met past the first stretches (here the checksum, checked at the part's end)
    refuses the file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", _large_sheet(""))
        archive.getinfo("xl/worksheets/sheet1.xml").CRC ^= 1  # as the directory records it
    with pytest.raises(TableError, match=r"not a valid \.xlsx"):
        check_workbook(buffer.getvalue())
