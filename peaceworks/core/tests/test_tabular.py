import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from peaceworks.core.exports import csv_bytes, neutralise, xlsx_bytes
from peaceworks.core.tabular import TableError, read_table


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
