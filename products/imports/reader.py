"""Reading an uploaded CSV or XLSX file into numbered rows of cells.

Rows are numbered as a spreadsheet shows them: the header is row 1 (or the row where it stands
after leading blank rows), blank rows count but are skipped.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from bumdes_export.reference.selectors import normalize_region_code
from products.imports.columns import (
    COLUMN_NAMES,
    REQUIRED,
    guess_column,
    region_code_text,
)

XLSX_MAGIC = b"PK\x03\x04"
EXTENSIONS = (".csv", ".xlsx")
#: The most characters a cell may hold, in a CSV file (Python's ``csv.field_size_limit()``) and
#: in a workbook alike.
CELL_LENGTH = csv.field_size_limit()


def max_unpacked_bytes() -> int:
    """How large a workbook may be once unpacked (``PRODUCT_IMPORT_MAX_UNPACKED_BYTES``): a
    small file can unpack to gigabytes (one shared string of 400 million characters in 381 KB),
    so the parts' sizes are checked before anything is read. This also bounds its cells."""
    return int(settings.PRODUCT_IMPORT_MAX_UNPACKED_BYTES)


class FileProblem(Exception):
    """The file as a whole cannot be imported; ``str(error)`` says why."""


@dataclass
class Sheet:
    columns: dict[str, int]
    header_row: int
    _rows: Iterator[tuple[int, Sequence]] = field(repr=False)
    _close: object = None
    #: Each header as written, with the template column it is read as ("": left out).
    mapping: list[tuple[str, str]] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        """Whether every header is a template column name as written in the template."""
        return all(header == column for header, column in self.mapping)

    def rows(self) -> Iterator[tuple[int, Sequence]]:
        """``(row number, cells)`` for every non-blank row after the header."""
        return self._rows

    def close(self) -> None:
        if callable(self._close):
            self._close()

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def kind_of(file_name: str) -> str:
    lowered = file_name.lower()
    for extension in EXTENSIONS:
        if lowered.endswith(extension):
            return extension[1:]
    raise FileProblem(_("Upload a CSV or XLSX file (.csv or .xlsx)."))


def _encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (what older Excel saves)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _blank(cells: Sequence) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    encoding = _encoding(data)
    # Decoded as it is read, so a large file is not held twice in memory.
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline="")
    first = next((line for line in data[:65536].splitlines() if line.strip()), b"")
    reader = csv.reader(stream, delimiter=_delimiter(first.decode(encoding, errors="replace")))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise FileProblem(
            _("The CSV file cannot be read near row %(row)d: %(error)s")
            % {"row": reader.line_num, "error": error}
        ) from None


def _unreadable(error: Exception) -> FileProblem:
    return FileProblem(_("This XLSX workbook cannot be read: %(error)s") % {"error": error})


def _refused_xml(error: Exception) -> FileProblem:
    return FileProblem(
        _(
            "This XLSX workbook declares a DTD or XML entities (%(error)s), which a workbook "
            "saved by a spreadsheet program never does; save it again from the spreadsheet "
            "program or use the template."
        )
        % {"error": error.__class__.__name__}
    )


def _caused_by(error: BaseException, kind: type[BaseException]) -> BaseException | None:
    """``error`` or the first error of ``kind`` that caused it."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, kind):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _check_unpacked_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _unreadable(error) from None
    if unpacked > max_unpacked_bytes():
        raise FileProblem(
            _(
                "This XLSX workbook unpacks to %(size)s MB, more than the %(limit)s MB a workbook "
                "may hold; split it into smaller files."
            )
            % {"size": unpacked // 2**20, "limit": max_unpacked_bytes() // 2**20}
        )


def _xlsx_workbook(data: bytes):
    # openpyxl is heavy to load; only XLSX files need it.
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    if not data.startswith(XLSX_MAGIC):
        raise FileProblem(_("This file is not an XLSX workbook."))
    _check_unpacked_size(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        DefusedXmlException,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        SyntaxError,
    ) as error:
        # ``SyntaxError``: the XML parser's ``ParseError`` for a part that is not XML. openpyxl
        # wraps what the parser raised in an error of its own.
        refused = _caused_by(error, DefusedXmlException)
        raise (_refused_xml(refused) if refused else _unreadable(error)) from None


def _bounded(number: int, cells: Sequence) -> Sequence:
    for cell in cells:
        if cell.__class__ is str and len(cell) > CELL_LENGTH:
            raise FileProblem(
                _("Row %(row)d holds a cell of more than %(limit)s characters (as a CSV cell).")
                % {"row": number, "limit": f"{CELL_LENGTH:,}"}
            )
    return cells


def _xlsx_rows(workbook) -> Iterator[tuple[int, Sequence]]:
    from defusedxml import DefusedXmlException

    try:
        # The data sheet is the first whose first filled row names kode_desa (the template
        # adds an instructions sheet), else the first sheet.
        chosen = workbook.worksheets[0]
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # a <dimension> tag may understate the rows: read them all
            for cells in sheet.iter_rows(values_only=True, max_row=20):
                if cells and not _blank(cells):
                    if "kode_desa" in {guess_column(c) for c in cells}:
                        chosen = sheet
                    break
            if chosen is sheet:
                break
        chosen.reset_dimensions()
        for number, cells in enumerate(chosen.iter_rows(values_only=True), start=1):
            yield number, _bounded(number, cells)
    except DefusedXmlException as error:
        raise _refused_xml(error) from None
    except (zipfile.BadZipFile, KeyError, OSError, SyntaxError) as error:
        raise _unreadable(error) from None


def _rows(data: bytes, file_name: str) -> tuple[Iterator[tuple[int, Sequence]], object]:
    """The file's numbered rows, and what closes it (None for a CSV file)."""
    if kind_of(file_name) == "xlsx":
        workbook = _xlsx_workbook(data)
        return _xlsx_rows(workbook), workbook.close
    if data.startswith(XLSX_MAGIC):
        raise FileProblem(_("This is an XLSX workbook; name it .xlsx, not .csv."))
    return _csv_rows(data), None


#: [[header as written, template column or ""], ...] in the file's order.
ColumnMap = list


def open_sheet(data: bytes, file_name: str, column_map: ColumnMap | None = None) -> Sheet:
    """Open the file and read its header; raise ``FileProblem`` if it cannot be imported.

    ``column_map`` (each header as written with the template column it names, "" to leave it
    out, in the file's order) overrides what each header is guessed to name."""
    rows, close = _rows(data, file_name)
    try:
        header_row, header = next((n, cells) for n, cells in rows if not _blank(cells))
    except StopIteration:
        if close:
            close()
        raise FileProblem(_("The file is empty.")) from None
    try:
        columns, mapping, problems = _columns(header, column_map or [])
        if problems:
            raise FileProblem(" ".join(problems))
    except FileProblem:
        if close:
            close()
        raise

    def data_rows() -> Iterator[tuple[int, Sequence]]:
        for number, cells in rows:
            if cells.__class__ is list:  # CSV: text cells
                if "".join(cells).strip():
                    yield number, cells
            elif not _blank(cells):
                yield number, cells

    return Sheet(
        columns=columns,
        header_row=header_row,
        _rows=data_rows(),
        _close=close,
        mapping=mapping,
    )


def header_text(cell) -> str:
    return str(cell if cell is not None else "").replace("\ufeff", "").strip()


def _columns(
    header: Sequence, column_map: ColumnMap
) -> tuple[dict[str, int], list[tuple[str, str]], list[str]]:
    """Where each template column stands, how each header was read, and what keeps the file
    from being read (a required column missing, a column named twice). Headers that name no
    template column are left out; of two naming the same column, the later is left out."""
    columns: dict[str, int] = {}
    mapping: list[tuple[str, str]] = []
    twice: list[str] = []
    for index, cell in enumerate(header):
        text = header_text(cell)
        if not text:
            continue
        position = len(mapping)
        chosen = column_map[position] if position < len(column_map) else None
        name = chosen[1] if chosen and chosen[0] == text else guess_column(text)
        if name not in COLUMN_NAMES:
            name = ""
        if name and name in columns:
            twice.append(name)
            name = ""
        mapping.append((text, name))
        if name:
            columns[name] = index
    problems = []
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        problems.append(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if twice:
        problems.append(
            _("These columns appear more than once: %(columns)s.") % {"columns": ", ".join(twice)}
        )
    return columns, mapping, problems


def read_mapping(
    data: bytes, file_name: str, column_map: ColumnMap | None = None
) -> tuple[list[tuple[str, str]], list[str]]:
    """How the file's headers are read, and what would keep it from being imported, without
    refusing it: the importer chooses the columns from this. Raises ``FileProblem`` only for a
    file that cannot be opened at all."""
    rows, close = _rows(data, file_name)
    try:
        header = next((cells for _n, cells in rows if not _blank(cells)), None)
    finally:
        if close:
            close()
    if header is None:
        raise FileProblem(_("The file is empty."))
    _columns_found, mapping, problems = _columns(header, column_map or [])
    return mapping, problems


#: How a row starts in a sheet's XML (``<x:row`` where a generator prefixes the namespace).
ROW_TAGS = (b"<row ", b"<row>", b":row ")


def _rows_written(data: bytes) -> int:
    """The rows written in the workbook's largest sheet, counted in its XML as it unpacks (in
    chunks: the whole sheet is never held)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = [
                info
                for info in archive.infolist()
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
            ]
            if not sheets:
                return 0
            count, tail = 0, b""
            with archive.open(max(sheets, key=lambda info: info.file_size)) as part:
                while chunk := part.read(1 << 20):
                    text = tail + chunk
                    count += sum(text.count(tag) for tag in ROW_TAGS)
                    tail = text[-4:]  # shorter than a tag: none is counted twice
            return count
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0


def estimate_rows(data: bytes, file_name: str) -> int:
    """How many data rows the file has, cheaply (0 if it cannot be read: the check says why).

    CSV rows are counted; for a workbook the sheet's recorded dimension is used, unless its
    largest sheet holds more rows than that (a ``<dimension>`` tag may understate them: a file
    must not be checked in the request because its tag says it is small).
    """
    try:
        kind = kind_of(file_name)
        if kind == "xlsx":
            workbook = _xlsx_workbook(data)
            try:
                dimension = workbook.worksheets[0].max_row
            finally:
                workbook.close()
            return max((dimension or 1) - 1, _rows_written(data) - 1, 0)
        with open_sheet(data, file_name) as sheet:
            return sum(1 for _row in sheet.rows())
    except FileProblem:
        return 0


def village_codes(data: bytes, file_name: str) -> set[str]:
    """The village codes a CSV file names (normalised), read quickly; empty for a workbook
    (reading one twice costs more than it saves) or a file that cannot be read."""
    if kind_of(file_name) != "csv":
        return set()
    try:
        with open_sheet(data, file_name) as sheet:
            index = sheet.columns["kode_desa"]
            raw = {cells[index] for _n, cells in sheet.rows() if len(cells) > index}
    except FileProblem:
        return set()
    return {normalize_region_code(region_code_text(cell)) for cell in raw if cell}
