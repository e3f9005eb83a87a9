"""Workbooks made to hurt the importer, found by an attack on the running portal (issue #12):
each is refused with a clear reason or read whole, and nothing it holds is kept unbounded."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from products.imports import reader, validation
from tests.products.imports.helpers import by_row, upload
from tests.products.imports.test_services import xlsx_bytes

SHEET = "xl/worksheets/sheet1.xml"


def _rewritten(data: bytes, member: str, change) -> bytes:
    """The workbook with one part of it changed (``change`` takes and returns its text)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == member:
                body = change(body.decode("utf-8")).encode("utf-8")
            target.writestr(info.filename, body)
    return out.getvalue()


def _data_sheet(data: bytes) -> str:
    """The part holding the template's data sheet (``produk``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as workbook:
        names = [n for n in workbook.namelist() if n.startswith("xl/worksheets/sheet")]
        for name in sorted(names):
            if (
                "kode_desa" in workbook.read(name).decode()
                or '<c r="A2"' in workbook.read(name).decode()
            ):
                return name
    return names[0]


def _rows(count: int) -> list[list]:
    # A chapter where a subheading belongs: every row is in the report with its error.
    return [["74.02.01.2001", f"BUMDes {n}", f"Produk {n}", "0306"] for n in range(count)]


def test_every_row_is_read_whatever_the_dimension_tag_says(ministry):
    data = xlsx_bytes(_rows(5))
    sheet = _data_sheet(data)
    lying = _rewritten(
        data, sheet, lambda xml: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:D2"', xml)
    )
    product_import = upload(ministry, lying, name="produk.xlsx")
    assert sorted(by_row(product_import)) == [2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_entities_in_a_workbook_are_refused_with_a_reason(ministry, doctype):
    data = xlsx_bytes(_rows(1))
    sheet = _data_sheet(data)
    hostile = _rewritten(data, sheet, lambda xml: doctype + xml)
    product_import = upload(ministry, hostile, name="produk.xlsx")
    assert product_import.status == "rejected"
    assert "entities" in product_import.error or "DTD" in product_import.error
    assert "root:" not in str(product_import.report)


def test_a_cell_longer_than_a_csv_cell_may_be_is_refused(ministry):
    # Spreadsheet programs write at most 32,767 characters to a cell; a crafted file has more.
    data = xlsx_bytes([["74.02.01.2001", "BUMDes Samudra", "k" * 100, "030633"]])
    longer = _rewritten(
        data, _data_sheet(data), lambda xml: xml.replace("k" * 100, "k" * (reader.CELL_LENGTH + 1))
    )
    product_import = upload(ministry, longer, name="produk.xlsx")
    assert product_import.status == "rejected"
    assert "131,072" in product_import.error and "Row 2" in product_import.error
    assert len(str(product_import.report)) < 10_000


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(ministry, settings):
    settings.PRODUCT_IMPORT_MAX_UNPACKED_BYTES = 2 * 2**20
    data = xlsx_bytes(_rows(1))
    bomb = _rewritten(
        data,
        "xl/sharedStrings.xml"
        if "xl/sharedStrings.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
        else _data_sheet(data),
        lambda xml: xml.replace("</", "<!--" + "a" * 3 * 2**20 + "--></", 1),
    )
    assert len(bomb) < 200_000  # small as uploaded
    product_import = upload(ministry, bomb, name="produk.xlsx")
    assert product_import.status == "rejected"
    assert "unpacks" in product_import.error


def test_the_report_keeps_bounded_values(ministry):
    long_name = "B" * 5000
    data = xlsx_bytes([["74.02.01.2001", long_name, "Produk", "0306"]])
    product_import = upload(ministry, data, name="produk.xlsx")
    entry = by_row(product_import)[2]
    assert len(entry["bumdes"]) <= validation.REPORTED_LENGTH


def test_a_nul_byte_is_refused_as_the_forms_refuse_it(ministry):
    from tests.products.factories import first_desa
    from tests.products.imports.helpers import csv_bytes

    village = first_desa("74.02.", 0)
    data = csv_bytes(f"{village},BUMDes Samudra,Kepiting\x00 bakau,030633,hidup,kg,100,")
    product_import = upload(ministry, data)
    errors = by_row(product_import)[2]["errors"]
    assert product_import.status == "rejected"
    assert "nama_produk" in errors and "Null characters are not allowed." in errors["nama_produk"]


def test_control_characters_are_refused_as_the_forms_refuse_them(ministry):
    from tests.products.factories import first_desa
    from tests.products.imports.helpers import csv_bytes

    village = first_desa("74.02.", 0)
    data = csv_bytes(f"{village},BUMDes \x1b[31mMerah,Kepiting \u202ebakau,030633,hidup,kg,100,")
    errors = by_row(upload(ministry, data))[2]["errors"]
    assert "U+001B" in errors["nama_bumdes"] and "U+202E" in errors["nama_produk"]


def test_a_workbook_whose_tag_understates_its_rows_is_estimated_by_its_rows(ministry):
    data = xlsx_bytes(_rows(30))
    lying = _rewritten(
        data,
        _data_sheet(data),
        lambda xml: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:D2"', xml),
    )
    assert reader.estimate_rows(data, "produk.xlsx") == 30
    assert reader.estimate_rows(lying, "produk.xlsx") == 30
