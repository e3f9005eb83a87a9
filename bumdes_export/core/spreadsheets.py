"""Lists as spreadsheet downloads (CSV and XLSX), shared by every export of the portal.

A ``Table`` is a title, a header row and data rows. Cells that start like a formula are quoted
(``safe_cell``), so a spreadsheet never runs them (CSV/XLSX injection).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[Any]]


FORMATS = ("csv", "xlsx")


def safe_cell(value: Any) -> Any:
    """Keep a spreadsheet from running a cell as a formula (CSV/XLSX injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in table.header])
    for row in table.rows:
        writer.writerow([safe_cell(v) for v in row])
    # A BOM, so spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    # openpyxl takes about 0.1 s to import and only XLSX downloads need it.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31]
    sheet.append([safe_cell(h) for h in table.header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([safe_cell(v) for v in row])
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(table: Table, filename: str, fmt: str) -> HttpResponse:
    """The table as a file download, ``filename`` without its extension."""
    body = to_csv(table) if fmt == "csv" else to_xlsx(table)
    result = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    result["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return result
